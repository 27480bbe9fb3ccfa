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
import hashlib
import io
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
    """A file's cells below its header row, with the header mapped to fields. `rows` is read as it is iterated
    (once): a structural fault or an undecodable byte further down raises BadInput then, naming its line."""

    where: str
    encoding: str
    cols: columns.ColumnMap
    rows: Iterable[tuple[int, list]]  # (spreadsheet row number, cells)
    header_row: int
    cleaned: list[int] = dataclasses.field(default_factory=list)  # rows whose cells lost control characters
    digest: str | None = None  # the file's sha256
    size_hint: int = 0  # about how many rows lie below the header (for progress; not exact)
    most: int | None = None  # at most this many rows lie below the header (a CSV's line breaks); None: unknown
    reopen: Callable | None = None  # () -> a context manager of the rows below the header, read again from the top


# -- bytes ----------------------------------------------------------------------------------------------------------
MB = 2**20
_CHUNK = 4 * MB
_READ = MB  # bytes decoded at a time
_HEAD = 4096  # bytes that tell UTF-16 without a BOM


def _too_large(path: Path, limit: int) -> BadInput:
    return BadInput(
        _("{name} is larger than {value} MB, the policy's import.max_file_mb").format(
            name=path.name, value=limit // MB
        ),
        _("split the file, or raise import.max_file_mb with `leadctl policy set-file`"),
    )


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes tells before its rows are read."""

    digest: str  # sha256
    size: int
    head: bytes  # the first _HEAD bytes
    utf8: bool  # the whole file is valid UTF-8
    ascii: bool
    lines: int  # line feeds (an estimate of the rows, for progress)
    returns: int = 0  # carriage returns (with the line feeds, at least every record's end but the last's)


def scan(handle, path: Path, limit: int) -> Scan:
    """One pass over the bytes, a chunk at a time: the sha256, the size (BadInput past `limit`: a device or a
    pipe has no size to trust), whether it is all UTF-8. Nothing is kept but the head."""
    try:
        if os.fstat(handle.fileno()).st_size > limit:
            raise _too_large(path, limit)
        sha, size, head, lines, returns, utf8, ascii_ = hashlib.sha256(), 0, b"", 0, 0, True, True
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        while chunk := handle.read(min(_CHUNK, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                raise _too_large(path, limit)
            sha.update(chunk)
            if len(head) < _HEAD:
                head += chunk[:_HEAD - len(head)]
            lines += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            ascii_ = ascii_ and chunk.isascii()
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", True)
            except UnicodeDecodeError:
                utf8 = False
    except OSError as exc:
        raise InputMissing(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror),
            _("check the path and its permissions"),
        ) from None
    handle.seek(0)
    return Scan(sha.hexdigest(), size, head, utf8, ascii_, lines, returns)


def _undecodable(where: str, line: int, byte: str, encoding: str, forced: bool) -> BadInput:
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


def _encoding(head: bytes, where: str, forced: str | None, utf8: bool, ascii_: bool) -> tuple[str, str]:
    """(the codec to decode with, its name in a message when the text turns out not to be in it). A BOM
    decides; then UTF-16 by its NUL bytes; then UTF-8 when all of it is, else GB18030."""
    if forced:
        try:
            info = codecs.lookup(forced)
            if not getattr(info, "_is_text_encoding", True):  # rot13, base64...: codecs, not text encodings
                raise LookupError(forced)
            encoding = info.name
        except LookupError:
            raise UsageError(_("unknown encoding {forced!r} for --encoding").format(forced=forced),
                             _("use e.g. utf-8, gb18030, gbk, utf-16")) from None
        if encoding not in ("utf-8", "utf-8-sig", "ascii") and not ascii_ and utf8:
            raise BadInput(
                _("{where} is UTF-8 text; reading it as --encoding {forced} would garble it").format(
                    where=where, forced=forced
                ),
                _("drop --encoding, or use --encoding utf-8"),
            )
        encoding = "utf-8-sig" if encoding == "utf-8" else encoding
        return encoding, encoding
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16"
    if wide := _utf16_without_bom(head):
        return wide, wide
    return ("utf-8", "utf-8") if utf8 else ("gb18030", "UTF-8 or GB18030")


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def decode(data: bytes, where: str, forced: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a file's bytes, strictly; BadInput naming --encoding when it cannot."""
    encoding, label = _encoding(data[:_HEAD], where, forced, _valid_utf8(data), data.isascii())
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(exc.encoding, "replace").count("\n") + 1
        raise _undecodable(where, line, data[exc.start:exc.start + 1].hex() or "end", label, bool(forced)) from None
    return text.removeprefix("\ufeff"), encoding.removesuffix("-sig")


def _texts(handle, head: bytes, where: str, encoding: str, label: str, forced: bool,
           digest: str | None) -> Iterator[str]:
    """The file's text, decoded strictly a chunk at a time. An undecodable byte or a NUL raises BadInput naming
    its line when it is reached; so does a file whose bytes are no longer those hashed (changed meanwhile)."""
    if encoding in ("utf-16", "utf-32") and not head.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding += "-le" if sys.byteorder == "little" else "-be"  # as bytes.decode reads them without a BOM
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    sha, lines, first, at = hashlib.sha256(), 0, True, 0
    while True:
        handle.seek(at)  # its own place: two readings of one file may take turns
        chunk = handle.read(_READ)
        at += len(chunk)
        sha.update(chunk)
        try:
            text = decoder.decode(chunk, not chunk)
        except UnicodeDecodeError as exc:  # exc.object: the decoder's undecoded bytes, then this chunk
            line = lines + exc.object[:exc.start].decode(encoding, "replace").count("\n") + 1
            raise _undecodable(where, line, exc.object[exc.start:exc.start + 1].hex() or "end", label,
                               forced) from None
        if first and text:
            text, first = text.removeprefix("\ufeff"), False
        nul = text.find("\0")
        if nul >= 0:
            line = lines + text.count("\n", 0, nul) + 1
            raise BadInput(
                _("{where}, line {line}: a NUL byte; this is not a text CSV").format(where=where, line=line),
                _("export it again as CSV, or name a UTF-16 file's encoding with --encoding utf-16-le"))
        lines += text.count("\n")
        if text:
            yield text
        if not chunk:
            break
    if digest is not None and sha.hexdigest() != digest:
        raise BadInput(_("{where} changed while it was being imported").format(where=where),
                       _("import it again once it is complete"))


def _lines(texts: Iterable[str]) -> Iterator[str]:
    """Text chunks -> lines with their endings, split as a file opened with newline="" splits them (\n, \r\n,
    \r), whatever the chunks' boundaries."""
    rest = ""
    for text in texts:
        lines = io.StringIO(rest + text if rest else text, newline="").readlines()
        rest = "" if lines[-1].endswith("\n") else lines.pop()  # unfinished, or a \r that a \n may follow
        yield from lines
    if rest:
        yield rest


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


def _csv_records(lines: Iterator[str], where: str) -> Iterator[tuple[int, list]]:
    """Records as (spreadsheet row, cells), as they are read; a structural fault stops the file with its line
    number (BadInput)."""
    head = list(itertools.islice(lines, columns.HEADER_SCAN_ROWS))
    reader = csv.reader(itertools.chain(head, lines), delimiter=_delimiter("".join(head)), strict=True)
    number = last_line = 0
    try:
        for cells in reader:
            number, last_line = number + 1, reader.line_num
            yield number, cells
    except csv.Error as exc:
        raise BadInput(
            _("{where}, line {value} (row {value2}): malformed CSV ({fault})").format(
                where=where, value=last_line + 1, value2=number + 1, fault=str(exc)
            ),
            _("check the quotes on that line; a field may be unclosed or too large"),
        ) from None


def _not_xlsx(where: str, exc: BaseException) -> BadInput:
    return BadInput(
        _("{where} is not a readable XLSX workbook ({__name__})").format(where=where, __name__=type(exc).__name__),
        _("save it again from Excel as .xlsx, or export CSV"),
    )


def _inflated(handle, where: str, limit: int) -> None:
    """BadInput when the workbook's parts would inflate past `limit`: the zip's own declared sizes, read before
    anything is inflated (zipfile never inflates a part past its declared size)."""
    import zipfile

    try:
        with zipfile.ZipFile(handle) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise _not_xlsx(where, exc) from None
    if size > limit:
        raise BadInput(
            _(
                "{where} would inflate to {value:,} MB, more than the policy's import.max_inflated_mb ({value2:,} MB)"
            ).format(where=where, value=size // MB, value2=limit // MB),
            _("save it as CSV, or split it; this may be a zip bomb"),
        )


@contextmanager
def _xlsx_records(handle, where: str, max_inflated: int) -> Iterator[tuple[Iterator[tuple[int, list]], int]]:
    """(the first sheet's rows as (sheet row, cell values), read as iterated; about how many), the workbook
    open until the block ends (openpyxl's read-only mode: a row at a time)."""
    from openpyxl import load_workbook

    _inflated(handle, where, max_inflated)
    handle.seek(0)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or XML raises any of a dozen types (BadZipFile, KeyError, ParseError...)
        raise _not_xlsx(where, exc) from None

    def rows() -> Iterator[tuple[int, list]]:
        try:
            sheet = book.worksheets[0]
            for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
                yield number, list(cells)
        except Exception as exc:  # openpyxl raises many types on a damaged sheet; none is ours
            raise BadInput(
                _("{where}: cannot read its first sheet ({__name__})").format(where=where,
                                                                             __name__=type(exc).__name__),
                _("save it again from Excel as .xlsx, or export CSV"),
            ) from None

    try:
        try:
            hint = book.worksheets[0].max_row or 0
        except Exception:  # noqa: BLE001 (a damaged sheet is reported when its rows are read)
            hint = 0
        yield rows(), hint
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


def clean_batch(rows: list[tuple[int, list]], text: bool) -> list[int]:
    """_clean, skipped for a batch of CSV rows whose cells, all at once, hold no control character (cheap)."""
    if text and text_rules.unsafe("".join(["".join(cells) for __, cells in rows])) is None:
        return []
    return _clean(rows)


@contextmanager
def open_table(path: Path, kind: str, extra: dict[str, str], encoding: str | None = None, xlsx: bool | None = None,
               limit: int = 200 * MB, max_inflated: int = 1000 * MB) -> Iterator[Table]:
    """The file's table, its rows read (and decoded) as they are iterated, in bounded memory; the file is hashed
    first (Table.digest) and its header found and mapped before the block starts."""
    with files.opened(path, _("give the file to import")) as handle:
        info = scan(handle, path, limit)
        if xlsx is None and path.suffix.lower() in (".xlsx", ".xlsm"):
            xlsx = True
        with _records(handle, info, path.name, encoding, xlsx, max_inflated) as (records, name, hint):
            table = _table(records, path.name, kind, extra, name, info.digest, hint)
            most = None if name == "xlsx" else max(info.lines + info.returns + 1 - table.header_row, 0)

            @contextmanager
            def reopen() -> Iterator[Iterator[tuple[int, list]]]:
                with _records(handle, info, path.name, encoding, xlsx, max_inflated) as (again, __, ___):
                    yield (record for record in again if record[0] > table.header_row)

            yield dataclasses.replace(table, reopen=reopen, cleaned=[], most=most)  # cleaned as reopen's rows are


@contextmanager
def _records(handle, info: Scan, where: str, encoding: str | None, xlsx: bool | None, max_inflated: int):
    """(the file's records, its encoding's name, about how many)."""
    if info.head[:4] == b"\xd0\xcf\x11\xe0":
        raise BadInput(
            _("{where} is an old binary .xls workbook").format(where=where), _("save it from Excel as .xlsx or CSV")
        )
    if xlsx is None:
        xlsx = info.head[:4] == b"PK\x03\x04"
    if xlsx:
        with _xlsx_records(handle, where, max_inflated) as (records, hint):
            yield records, "xlsx", hint
        return
    codec, label = _encoding(info.head, where, encoding, info.utf8, info.ascii)
    texts = _texts(handle, info.head, where, codec, label, bool(encoding), info.digest)
    yield _csv_records(_lines(texts), where), codec.removesuffix("-sig"), info.lines


def _table(records: Iterator[tuple[int, list]], where: str, kind: str, extra: dict[str, str], encoding_name: str,
           digest: str | None, hint: int) -> Table:
    """Find and map the header row among the first records (without control characters)."""
    head = list(itertools.islice(records, columns.HEADER_SCAN_ROWS))
    cleaned = _clean(head)
    index = columns.find_header([cells for __, cells in head], kind, extra)
    if index < 0:
        first = next((cells for __, cells in itertools.chain(head, records) if any(c not in (None, "") for c in cells)),
                     [])
        columns.map_columns(first, kind, extra, where)  # raises, listing what was found
        raise BadInput(_("{where}: no header row found").format(where=where), _("check --kind and --encoding"))
    header_row, header = head[index]
    cols = columns.map_columns(header, kind, extra, where)
    return Table(where, encoding_name, cols, itertools.chain(head[index + 1:], records), header_row,
                 [n for n in cleaned if n > header_row], digest, max(hint - header_row, 0))


def read_table(data: bytes, where: str, kind: str, extra: dict[str, str], encoding: str | None = None,
               xlsx: bool | None = None, max_inflated: int = 1000 * MB) -> Table:
    """Decode, split into cells, find and map the header row: all of a file's bytes at once, its rows read into a
    list (the pure path, for checks of one file's text)."""
    handle = io.BytesIO(data)
    info = Scan(hashlib.sha256(data).hexdigest(), len(data), data[:_HEAD], _valid_utf8(data), data.isascii(),
                data.count(b"\n"))
    with _records(handle, info, where, encoding, xlsx, max_inflated) as (records, name, hint):
        table = _table(records, where, kind, extra, name, info.digest, hint)
        return dataclasses.replace(table, rows=list(table.rows))  # cleaned as the Checker reaches them


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
                bad.setdefault(number, []).append(
                    Problem(number, header, "", _("{field} is required").format(field=field)))
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
    """A table's rows checked a batch at a time, as they are read, so that an import holds one batch in memory
    and checks the next rows while the last ones are written: control characters removed, blank rows dropped,
    each field read (and checked) down the batch, column by column, then across each row. All problems are
    collected (a row with any is not returned)."""

    def __init__(self, table: Table, kind: str, now: datetime, default_channel: Channel | None,
                 checks: dict[str, Callable] | None = None, region: str = phone.DEFAULT_REGION):
        self.table, self.kind, self.now, self.default_channel = table, kind, now, default_channel
        self.checks, self.spec, self.region = checks or {}, columns.KINDS[kind], region
        self.width, self.text = len(table.cols.headers), table.encoding != "xlsx"
        self.bad: dict[int, list[Problem]] = {}
        self.read = 0  # the rows that are not blank, so far

    def batches(self, size: int) -> Iterator[list[tuple[str | None, Row | None]]]:
        """(phone, row) of each data row, `size` file rows at a time; the phone is None where it is missing or
        wrong, the row None where it has a problem."""
        rows = iter(self.table.rows)
        while batch := list(itertools.islice(rows, size)):
            yield self._check(batch)

    def finish(self) -> list[Problem]:
        """Every problem, by row (the rows not yet reached are checked first)."""
        for __ in self.batches(5_000):
            pass
        return [p for number in sorted(self.bad) for p in self.bad[number]]

    @property
    def rejected(self) -> bool:
        """Whether a row checked so far has a problem."""
        return bool(self.bad)

    def phones(self, rows: Iterable[tuple[int, list]], size: int) -> Iterator[set[str]]:
        """The phone tails (phone.tail) of each batch of `size` file rows, the batches as batches() cuts them:
        which customers' rows may lie in more than one batch. Nothing is checked or kept: a cell that reads as a
        phone in batches() has the tail found here, and blank or faulty rows only add tails no row plans."""
        idx, tail = self.table.cols.fields["phone"], columns.phone_tail
        rows = iter(rows)
        while batch := list(itertools.islice(rows, size)):
            if self.text and len(idx) == 1:
                i = idx[0]
                found = {tail(cells[i]) for __, cells in batch if len(cells) > i and cells[i]}
            else:
                found = {tail(raw) for raw in _cells(batch, idx, False) if raw is not None}
            found.discard("")
            yield found

    def _check(self, batch: list[tuple[int, list]]) -> list[tuple[str | None, Row | None]]:
        header_row = self.table.header_row
        self.table.cleaned.extend(n for n in clean_batch(batch, self.text) if n > header_row)
        data = []
        for number, cells in batch:
            if _blank(cells):
                continue
            self.read += 1
            if self.text and len(cells) != self.width:
                self.bad[number] = [Problem(number, "(row)", _("{len} cells").format(len=len(cells)),
                                            _("the header has {width} cells; check quotes and delimiters").format(
                                                width=self.width))]
                continue
            data.append((number, cells))
        values = {}
        for field, idx in self.table.cols.fields.items():  # the file's order: a row's problems come in it
            values[_ATTR.get(field, field)] = _column(self.table, data, field, idx, field in self.spec.required
                                                      or field == "phone", self.bad, self.checks.get(field),
                                                      self.region if field == "phone" else phone.DEFAULT_REGION)
        phones = values["phone"]
        values = [[number for number, __ in data],
                  *(values[a] if a in values else [_DEFAULTS.get(a)] * len(data) for a in _ROW_FIELDS)]
        out = []
        for fields in zip(*values, strict=True):
            row, earlier = Row(*fields), self.bad.get(fields[0])
            problems = _cross_check(row, self.table.cols, self.now, self.kind, self.default_channel, earlier)
            if problems:
                self.bad.setdefault(row.row, []).extend(problems)
            out.append(None if problems or earlier else row)
        return list(zip(phones, out, strict=True))


def check_rows(table: Table, kind: str, now: datetime, default_channel: Channel | None,
               checks: dict[str, Callable] | None = None) -> tuple[list[Row], list[Problem]]:
    """Every data row checked; (the rows without a problem, every problem)."""
    checker = Checker(table, kind, now, default_channel, checks)
    rows = [row for batch in checker.batches(5_000) for __, row in batch if row is not None]
    return rows, checker.finish()


def _cross_check(row: Row, cols: columns.ColumnMap, now: datetime, kind: str, default_channel: Channel | None,
                 earlier: list[Problem] | None) -> list[Problem]:
    """Checks across the fields of one row (those that read well); fills the defaults."""
    out = []
    at, left = row.at, row.left
    if at is not None and at > now:
        field = "at" if kind == "followups" else "arrived"
        out.append(Problem(row.row, cols.header(field), at.isoformat(" "),
                           _("in the future (now is {now:%Y-%m-%d %H:%M})").format(now=now)))
    if left is not None:
        if isinstance(left, time):
            if at is None:
                out.append(Problem(row.row, cols.header("left"), left.isoformat(),
                                   _("a time of day needs the arrival")))
                return out
            row.left = left = datetime.combine(at.date(), left)
        if at is not None and left < at:
            out.append(Problem(row.row, cols.header("left"), left.isoformat(" "), _("departure before arrival")))
        elif left > now:
            out.append(Problem(row.row, cols.header("left"), left.isoformat(" "), _("in the future")))
    if kind == "followups":
        row.method = row.method or Method.PHONE
    elif row.channel is None:
        if default_channel is None and not any(p.column == cols.header("channel") for p in earlier or ()):
            out.append(Problem(row.row, cols.header("channel"), "", _("no channel (客户来源); give --source CHANNEL")))
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
