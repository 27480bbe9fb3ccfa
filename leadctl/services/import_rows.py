"""Reading an import file into checked rows: bytes -> text -> cells -> fields. No database.

Encodings as Chinese offices produce them: a BOM decides (UTF-8, UTF-16, UTF-32); without one, UTF-16 is
recognised by its NUL bytes, then UTF-8 is tried strictly, then GB18030 (a superset of GBK and GB2312).
Every decode is strict, so a wrong guess fails (exit 65, naming --encoding) instead of importing mojibake;
a forced --encoding that turns valid UTF-8 into something else is refused for the same reason.

Structural faults (a NUL byte, an unbalanced quote, a field over csv's 128 KiB limit) stop the whole file
with its line number. Row faults are collected, all of them, as `Problem`s numbered as a spreadsheet shows
them: the header is row 1 (or, under a DMS's title rows, its real sheet row).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from leadctl.errors import BadInput, InputMissing, LeadctlError, UsageError
from leadctl.i18n import _
from leadctl.models import Channel, Grade, InfoSource, Method
from leadctl.rules import columns, phone
from leadctl.rules import text as text_rules
from leadctl.services import files


@dataclass(frozen=True)
class Problem:
    """One fault in one cell (or row), as the rejects file and --json show it."""

    row: int
    column: str
    value: str
    problem: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "problem": self.problem}


@dataclass(slots=True)
class Row:
    """One checked data row; fields the file does not have are None (or the default)."""

    row: int
    phone: str
    name: str | None = None
    model: str | None = None
    channel: Channel | None = None
    info_source: InfoSource | None = None
    grade: Grade | None = None
    owner: str | None = None
    at: datetime | None = None  # arrival / registration (leads, visits) or the follow-up's time
    left: datetime | None = None
    party: int = 1
    trade_in: bool = False
    test_drive: bool = False
    result: str | None = None
    method: Method | None = None
    next_on: date | None = None


@dataclass(frozen=True)
class Table:
    """A file's cells below its header row, with the header mapped to fields."""

    where: str
    encoding: str
    cols: columns.ColumnMap
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)
    header_row: int
    cleaned: list[int] = dataclasses.field(default_factory=list)  # rows whose cells lost control characters


# -- bytes ----------------------------------------------------------------------------------------------------------
MB = 2**20
_CHUNK = 4 * MB


def _too_large(path: Path, limit: int) -> BadInput:
    return BadInput(
        _("{name} is larger than {value} MB, the policy's import.max_file_mb").format(
            name=path.name, value=limit // MB
        ),
        _("split the file, or raise import.max_file_mb with `leadctl policy set-file`"),
    )


def read_file(path: Path, limit: int = 200 * MB) -> bytes:
    """The file's bytes, read up to `limit` (BadInput beyond it): a device or a pipe has no size to trust."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise _too_large(path, limit)
            parts, size = [], 0
            while chunk := handle.read(min(_CHUNK, limit + 1 - size)):
                parts.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise _too_large(path, limit)
            return b"".join(parts)
    except FileNotFoundError:
        raise InputMissing(_("no file {path}").format(path=path), _("check the path")) from None
    except IsADirectoryError:
        raise InputMissing(_("{path} is a directory").format(path=path), _("give the file to import")) from None
    except MemoryError:
        raise _too_large(path, limit) from None
    except OSError as exc:
        raise InputMissing(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror),
            _("check the path and its permissions"),
        ) from None


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, "replace").count("\n") + 1


def _undecodable(where: str, data: bytes, exc: UnicodeDecodeError, encoding: str, forced: bool) -> BadInput:
    line = _line_of(data, exc.start, exc.encoding)
    byte = data[exc.start:exc.start + 1].hex() or "end"
    if forced:
        return BadInput(
            _("{where} is not valid {encoding} (byte 0x{byte} on line {line})").format(
                where=where, encoding=encoding, byte=byte, line=line
            ),
            _("name the file's real encoding with --encoding (utf-8, gb18030, gbk, utf-16)"),
        )
    return BadInput(
        _("{where}: cannot tell its encoding; it is not {encoding} (byte 0x{byte} on line {line})").format(
            where=where, encoding=encoding, byte=byte, line=line
        ),
        _("name it with --encoding ENC, e.g. --encoding gbk, --encoding utf-16 or --encoding big5"),
    )


def _utf16_without_bom(sample: bytes) -> str | None:
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return "utf-16-le" if odd > even else "utf-16-be"


def decode(data: bytes, where: str, forced: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a file's bytes, strictly; BadInput naming --encoding when it cannot."""
    if forced:
        try:
            info = codecs.lookup(forced)
            if not getattr(info, "_is_text_encoding", True):  # rot13, base64...: codecs, not text encodings
                raise LookupError(forced)
            encoding = info.name
        except LookupError:
            raise UsageError(_("unknown encoding {forced!r} for --encoding").format(forced=forced),
                             _("use e.g. utf-8, gb18030, gbk, utf-16")) from None
        if encoding not in ("utf-8", "utf-8-sig", "ascii") and not data.isascii():
            try:
                data.decode("utf-8")
                raise BadInput(
                    _("{where} is UTF-8 text; reading it as --encoding {forced} would garble it").format(
                        where=where, forced=forced
                    ),
                    _("drop --encoding, or use --encoding utf-8"),
                )
            except UnicodeDecodeError:
                pass
        encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data[:4096]) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if forced or encoding != "utf-8":
            raise _undecodable(where, data, exc, encoding, bool(forced)) from None
        encoding = "gb18030"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc2:
            raise _undecodable(where, data, exc2, "UTF-8 or GB18030", False) from None
    return text.removeprefix("\ufeff"), encoding.removesuffix("-sig")


# -- cells ----------------------------------------------------------------------------------------------------------
def _head(text: str, lines: int) -> str:
    """The first lines of a text, without splitting all of it."""
    end = -1
    for __ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end]


def _delimiter(text: str) -> str:
    head = _head(text, columns.HEADER_SCAN_ROWS)
    counts = {d: head.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def csv_rows(text: str, where: str) -> list[tuple[int, list]]:
    """Records as (spreadsheet row, cells); a structural fault stops the file with its line number."""
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise BadInput(_("{where}, line {line}: a NUL byte; this is not a text CSV").format(where=where, line=line),
                       _("export it again as CSV, or name a UTF-16 file's encoding with --encoding utf-16-le"))
    delimiter = _delimiter(text)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True), 1))
    except csv.Error:  # read it again, record by record, to say where
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number, last_line, fault = 0, 0, "unreadable"
    try:
        for __ in reader:
            number, last_line = number + 1, reader.line_num
    except csv.Error as exc:
        fault = str(exc)
    raise BadInput(
        _("{where}, line {value} (row {value2}): malformed CSV ({fault})").format(
            where=where, value=last_line + 1, value2=number + 1, fault=fault
        ),
        _("check the quotes on that line; a field may be unclosed or too large"),
    )


def _inflated(data: bytes, where: str, limit: int) -> None:
    """BadInput when the workbook's parts would inflate past `limit`: the zip's own declared sizes, read before
    anything is inflated (zipfile never inflates a part past its declared size)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise BadInput(
            _("{where} is not a readable XLSX workbook ({__name__})").format(where=where, __name__=type(exc).__name__),
            _("save it again from Excel as .xlsx, or export CSV"),
        ) from None
    if size > limit:
        raise BadInput(
            _(
                "{where} would inflate to {value:,} MB, more than the policy's import.max_inflated_mb ({value2:,} MB)"
            ).format(where=where, value=size // MB, value2=limit // MB),
            _("save it as CSV, or split it; this may be a zip bomb"),
        )


def xlsx_rows(data: bytes, where: str, max_inflated: int = 1000 * MB) -> list[tuple[int, list]]:
    """The first sheet's rows as (sheet row, cell values); merged title rows keep their top-left value."""
    from openpyxl import load_workbook

    _inflated(data, where, max_inflated)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or XML raises any of a dozen types (BadZipFile, KeyError, ParseError...)
        raise BadInput(
            _("{where} is not a readable XLSX workbook ({__name__})").format(where=where, __name__=type(exc).__name__),
            _("save it again from Excel as .xlsx, or export CSV"),
        ) from None
    try:
        sheet = book.worksheets[0]
        return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)]
    except Exception as exc:  # openpyxl raises many types on a damaged sheet; none is ours
        raise BadInput(
            _("{where}: cannot read its first sheet ({__name__})").format(where=where, __name__=type(exc).__name__),
            _("save it again from Excel as .xlsx, or export CSV"),
        ) from None
    finally:
        book.close()


def _clean(rows: list[tuple[int, list]]) -> list[int]:
    """Control characters removed from every text cell, in place; the rows that had any."""
    out = []
    for number, cells in rows:
        hit = False
        for i, cell in enumerate(cells):
            if isinstance(cell, str) and text_rules.unsafe(cell) is not None:
                cells[i], hit = text_rules.clean(cell), True
        if hit:
            out.append(number)
    return out


def _may_hold_control(text: str, rows: list) -> bool:
    """Whether a CSV's cells may hold a control character (cheap: the whole text at once); line breaks and tabs
    count only inside a cell."""
    return (text_rules.unsafe(text.replace("\n", "").replace("\r", "").replace("\t", "")) is not None
            or len(rows) < text.count("\n") or "\t" in text)


def read_table(data: bytes, where: str, kind: str, extra: dict[str, str], encoding: str | None = None,
               xlsx: bool | None = None, max_inflated: int = 1000 * MB) -> Table:
    """Decode, split into cells (without control characters), find and map the header row."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise BadInput(
            _("{where} is an old binary .xls workbook").format(where=where), _("save it from Excel as .xlsx or CSV")
        )
    if xlsx is None:
        xlsx = data[:4] == b"PK\x03\x04"
    if xlsx:
        rows, encoding_name = xlsx_rows(data, where, max_inflated), "xlsx"
        cleaned = _clean(rows)
    else:
        text, encoding_name = decode(data, where, encoding)
        rows = csv_rows(text, where)
        cleaned = _clean(rows) if _may_hold_control(text, rows) else []
    index = columns.find_header([cells for __, cells in rows], kind, extra)
    if index < 0:
        first = next((cells for __, cells in rows if any(c not in (None, "") for c in cells)), [])
        columns.map_columns(first, kind, extra, where)  # raises, listing what was found
        raise BadInput(_("{where}: no header row found").format(where=where), _("check --kind and --encoding"))
    header_row, header = rows[index]
    cols = columns.map_columns(header, kind, extra, where)
    return Table(where, encoding_name, cols, rows[index + 1:], header_row, [n for n in cleaned if n > header_row])


# -- rows -----------------------------------------------------------------------------------------------------------
_ROW_FIELDS = tuple(f for f in Row.__slots__ if f != "row")  # Row's attributes, in order
_ATTR = {"arrived": "at", "next": "next_on"}
_DEFAULTS = {"party": 1, "trade_in": False, "test_drive": False}


def _blank(cells: list) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and not (isinstance(cell, str) and cell.isspace()):
            return False
    return True


def _cells(data: list, idx: tuple[int, ...], text: bool) -> list:
    """One field's cells down the sheet (the first non-empty of its columns), None when empty."""
    if text and len(idx) == 1:  # CSV: every cell a string, every row as wide as the header
        i = idx[0]
        return [cell if (cell := cells[i]) and not cell.isspace() else None for __, cells in data]
    out = []
    for __, cells in data:
        raw, n = None, len(cells)
        for i in idx:
            cell = cells[i] if i < n else None
            if cell is not None and cell != "" and not (isinstance(cell, str) and cell.isspace()):
                raw = cell
                break
        out.append(raw)
    return out


def _column(table: Table, data: list, field: str, idx: tuple[int, ...], required: bool, bad: dict,
            check: Callable | None = None, region: str = phone.DEFAULT_REGION) -> list:
    """One field read (and checked) down the whole sheet; problems go to bad[row number]. Few-valued fields are
    read once per distinct cell. Phones without a country code are read in `region`."""
    read, header = columns.READERS[field], table.cols.header(field)
    if field == "phone" and region != phone.DEFAULT_REGION:
        read = lambda raw: columns.read_phone(raw, region)  # noqa: E731
    if check is not None:
        read = lambda raw, read=read: check(read(raw))  # noqa: E731
    memo: dict = {}
    few = field in columns.FEW_VALUES
    out = _cells(data, idx, table.encoding != "xlsx")
    for k, raw in enumerate(out):
        if raw is None:
            if required:
                number = data[k][0]
                bad.setdefault(number, []).append(Problem(number, header, "", f"{field} is required"))
            continue
        hit = memo.get(raw) if few else None
        if hit is None:
            try:
                hit = (read(raw), None)
            except LeadctlError as exc:
                hit = (None, exc.message)
            if few:
                memo[raw] = hit
        out[k] = hit[0]
        if hit[1] is not None:
            number = data[k][0]
            bad.setdefault(number, []).append(
                Problem(number, header, columns.shown(field, raw), phone.mask_in(hit[1])))
    return out


class Checker:
    """A table's rows checked in chunks, as they are asked for, so that an import can check the next rows while
    the last ones are written: every phone first (rows are grouped by customer), the other cells CHUNK_ROWS
    rows at a time, column by column. All problems are collected (a row with any is not returned)."""

    CHUNK_ROWS = 5_000

    def __init__(self, table: Table, kind: str, now: datetime, default_channel: Channel | None,
                 checks: dict[str, Callable] | None = None, region: str = phone.DEFAULT_REGION):
        self.table, self.kind, self.now, self.default_channel = table, kind, now, default_channel
        self.checks, self.spec = checks or {}, columns.KINDS[kind]
        width, self.bad = len(table.cols.headers), {}
        self.data = []
        for number, cells in table.rows:
            if _blank(cells):
                continue
            if table.encoding != "xlsx" and len(cells) != width:
                self.bad[number] = [Problem(number, "(row)", f"{len(cells)} cells",
                                            f"the header has {width} cells; check quotes and delimiters")]
                continue
            self.data.append((number, cells))
        self.read = len(self.data) + len(self.bad)  # the rows that are not blank
        self._phone_bad: dict[int, list[Problem]] = {}  # moved into bad as their chunks are checked, in order
        self.phones = _column(table, self.data, "phone", table.cols.fields["phone"], True, self._phone_bad,
                              self.checks.get("phone"), region)  # None where the phone is missing or wrong
        self.rows: list[Row | None] = []  # by data index; None for a row with a problem

    def __len__(self) -> int:
        return len(self.data)

    def upto(self, index: int) -> None:
        """Check the chunks up to and including data row `index`."""
        while len(self.rows) <= index:
            start = len(self.rows)
            self._check(start, min(start + self.CHUNK_ROWS, len(self.data)))

    def finish(self) -> list[Problem]:
        """Check what is left; every problem, by row."""
        if self.data:
            self.upto(len(self.data) - 1)
        return [p for number in sorted(self.bad) for p in self.bad[number]]

    @property
    def rejected(self) -> bool:
        """Whether a row checked so far has a problem."""
        return bool(self.bad or self._phone_bad)

    def _check(self, start: int, stop: int) -> None:
        data, values = self.data[start:stop], {}
        for field, idx in self.table.cols.fields.items():  # the file's order: a row's problems come in it
            if field == "phone":
                values["phone"] = self.phones[start:stop]
                for number, __ in data:
                    if number in self._phone_bad:
                        self.bad.setdefault(number, []).extend(self._phone_bad.pop(number))
            else:
                values[_ATTR.get(field, field)] = _column(self.table, data, field, idx, field in self.spec.required,
                                                          self.bad, self.checks.get(field))
        values = [[number for number, __ in data],
                  *(values[a] if a in values else [_DEFAULTS.get(a)] * len(data) for a in _ROW_FIELDS)]
        for fields in zip(*values, strict=True):
            row, earlier = Row(*fields), self.bad.get(fields[0])
            problems = _cross_check(row, self.table.cols, self.now, self.kind, self.default_channel, earlier)
            if problems:
                self.bad.setdefault(row.row, []).extend(problems)
            self.rows.append(None if problems or earlier else row)


def check_rows(table: Table, kind: str, now: datetime, default_channel: Channel | None,
               checks: dict[str, Callable] | None = None) -> tuple[list[Row], list[Problem]]:
    """Every data row checked; (the rows without a problem, every problem)."""
    checker = Checker(table, kind, now, default_channel, checks)
    problems = checker.finish()
    return [row for row in checker.rows if row is not None], problems


def _cross_check(row: Row, cols: columns.ColumnMap, now: datetime, kind: str, default_channel: Channel | None,
                 earlier: list[Problem] | None) -> list[Problem]:
    """Checks across the fields of one row (those that read well); fills the defaults."""
    out = []
    at, left = row.at, row.left
    if at is not None and at > now:
        field = "at" if kind == "followups" else "arrived"
        out.append(Problem(row.row, cols.header(field), at.isoformat(" "),
                           f"in the future (now is {now:%Y-%m-%d %H:%M})"))
    if left is not None:
        if isinstance(left, time):
            if at is None:
                out.append(Problem(row.row, cols.header("left"), left.isoformat(), "a time of day needs the arrival"))
                return out
            row.left = left = datetime.combine(at.date(), left)
        if at is not None and left < at:
            out.append(Problem(row.row, cols.header("left"), left.isoformat(" "), "departure before arrival"))
        elif left > now:
            out.append(Problem(row.row, cols.header("left"), left.isoformat(" "), "in the future"))
    if kind == "followups":
        row.method = row.method or Method.PHONE
    elif row.channel is None:
        if default_channel is None and not any(p.column == cols.header("channel") for p in earlier or ()):
            out.append(Problem(row.row, cols.header("channel"), "", "no channel (客户来源); give --source CHANNEL"))
        row.channel = default_channel
    return out


def parse_and_check(data: bytes, where: str, kind: str, now: datetime, extra: dict[str, str] | None = None,
                    encoding: str | None = None, default_channel: Channel | None = None,
                    xlsx: bool | None = None) -> tuple[Table, list[Row], list[Problem]]:
    """The whole pure path, bytes to checked rows: returns, or raises a LeadctlError; nothing else."""
    table = read_table(data, where, kind, extra or {}, encoding, xlsx)
    rows, problems = check_rows(table, kind, now, default_channel)
    return table, rows, problems


# -- rejects --------------------------------------------------------------------------------------------------------
def write_rejects(path: Path, problems: list[Problem], database: Path | None = None, force: bool = False) -> None:
    """row, column, value, problem as CSV (UTF-8 with BOM, so Excel shows the Chinese), 0600, written atomically,
    never onto the database, over an existing file only with `force`."""
    rows = [(p.row, p.column, p.value, p.problem) for p in problems]
    files.write_output(Path(path), lambda temp: files.write_csv_file(temp, ["row", "column", "value", "problem"],
                                                                     rows), database, force)
