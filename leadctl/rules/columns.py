"""Which column of an imported sheet holds which field, and how a cell of each field reads.

Pure: cells in, values or BadInput out. `COLUMNS` is the table (extend it, not the code); `--map 'Header=field'`
adds a file's own names. Headers are compared after `header_key()`: NFKC (full-width to half-width), case
folded, whitespace, `*` required-markers and a trailing `(note)` dropped, so `手机号码*`, `手机号码（必填）`
and ` 手机号码 ` are one header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from leadctl.errors import BadInput, UsageError
from leadctl.i18n import _
from leadctl.models import Channel, Grade, InfoSource, Method
from leadctl.rules import phone

# field -> the headers that mean it (first match in a row wins; later columns for one field are fall-backs)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("客户姓名", "姓名", "客户名称", "客户名", "联系人", "name", "customer", "customer name"),
    "phone": ("电话", "手机", "联系电话", "手机号码", "手机号", "电话号码", "联系方式", "客户电话", "客户手机",
              "phone", "mobile", "tel", "telephone", "phone number"),
    "model": ("意向车型", "车型", "关注车型", "意向车系", "model", "car model"),
    "channel": ("客户来源", "来源", "来源渠道", "渠道", "线索来源", "channel"),
    "info_source": ("信息来源", "信息渠道", "获知渠道", "info_source", "info source"),
    "grade": ("意向级别", "级别", "客户级别", "意向等级", "grade", "level"),
    "owner": ("销售顾问", "顾问", "跟进顾问", "接待顾问", "所属顾问", "负责人", "跟进人", "owner", "consultant"),
    "arrived": ("到店时间", "来店时间", "来访时间", "登记时间", "创建时间", "下发时间", "来电时间", "arrived",
                "arrived_at", "created", "created_at"),
    "left": ("离店时间", "left", "left_at"),
    "party": ("人数", "来店人数", "到店人数", "party"),
    "trade_in": ("置换", "是否置换", "trade_in", "trade-in"),
    "test_drive": ("试驾", "是否试驾", "test_drive", "test-drive"),
    "at": ("跟进时间", "回访时间", "跟进日期", "回访日期", "at", "followed_at"),
    "result": ("跟进结果", "回访结果", "跟进内容", "回访内容", "result"),
    "method": ("跟进方式", "回访方式", "method"),
    "next": ("下次跟进", "下次回访", "下次跟进时间", "下次回访时间", "计划回访", "next", "next_on"),
}

_CONTACT = ("name", "model", "channel", "info_source", "grade", "owner", "left", "party", "trade_in", "test_drive")


@dataclass(frozen=True)
class Kind:
    """What one kind of file holds: the fields it must have and the ones it may have."""

    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: dict[str, Kind] = {
    "leads": Kind(("phone",), ("arrived", *_CONTACT)),
    "visits": Kind(("phone", "arrived"), _CONTACT),
    "followups": Kind(("phone", "at", "result"), ("method", "grade", "owner", "next", "name")),
}

HEADER_SCAN_ROWS = 30  # a DMS puts title rows above the header; look this far down for it

_NOTE = re.compile(r"\(.*\)$")
_SPACE = re.compile(r"[\s*:]+")


def header_key(text: object) -> str:
    """A header as compared: NFKC, case folded, no spaces, no `*` marker, no trailing `(note)`."""
    key = unicodedata.normalize("NFKC", str(text or "")).casefold()
    key = _SPACE.sub("", key)
    return _NOTE.sub("", key) or key


_KNOWN: dict[str, str] = {header_key(name): field for field, names in COLUMNS.items() for name in names}


def parse_map(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`--map 'Column Header=field'` options -> {header key: field}; UsageError on a malformed one."""
    out: dict[str, str] = {}
    for option in options or ():
        header, sep, field = option.rpartition("=")
        field = field.strip()
        if not sep or not header.strip():
            raise UsageError(
                _("--map {option!r} is not COLUMN=field").format(option=option), _("write it as --map '客户手机=phone'")
            )
        if field not in COLUMNS:
            raise UsageError(
                _("--map {option!r} names no field {field!r}").format(option=option, field=field),
                _("fields: {join}").format(join=", ".join(COLUMNS)),
            )
        out[header_key(header)] = field
    return out


def field_of(header: object, kind: str, extra: dict[str, str]) -> str | None:
    """The field a header means for this kind of file, or None when the column is not used."""
    key = header_key(header)
    field = extra.get(key) or _KNOWN.get(key)
    return field if field in KINDS[kind].fields else None


def find_header(rows: list[list[object]], kind: str, extra: dict[str, str]) -> int:
    """The index (in `rows`) of the header row: the first of the top rows naming the most known fields."""
    best, best_hits = -1, 0
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = len({f for cell in cells if (f := field_of(cell, kind, extra))})
        if hits > best_hits:
            best, best_hits = index, hits
    return best


@dataclass(frozen=True)
class ColumnMap:
    """Where each field is: field -> column indexes (first non-empty wins), and the headers not used."""

    headers: tuple[str, ...]
    fields: dict[str, tuple[int, ...]]
    ignored: tuple[str, ...]

    def header(self, field: str) -> str:
        """The file's own header for a field (for messages and the rejects file)."""
        return self.headers[self.fields[field][0]] if field in self.fields else field


def map_columns(headers: list[object], kind: str, extra: dict[str, str], where: str) -> ColumnMap:
    """Map a header row; BadInput listing the headers found and the fields expected when a required one is
    missing, or when a --map names a column the file does not have."""
    names = tuple("" if h is None else str(h).strip() for h in headers)
    keys = [header_key(h) for h in names]
    missing_map = [k for k in extra if k not in keys]
    found = ", ".join(n for n in names if n) or "(none)"
    if missing_map:
        raise BadInput(
            _("{where}: --map names a column the file does not have ({join}); headers found: {found}").format(
                where=where, join=", ".join(missing_map), found=found
            ),
            _("copy the header exactly as the file spells it"),
        )
    fields: dict[str, list[int]] = {}
    ignored = []
    for index, header in enumerate(names):
        field = field_of(header, kind, extra)
        if field:
            fields.setdefault(field, []).append(index)
        elif header:
            ignored.append(header)
    spec = KINDS[kind]
    absent = [f for f in spec.required if f not in fields]
    if absent:
        expected = ", ".join(f"{f} ({'/'.join(COLUMNS[f][:3])})" for f in spec.required)
        raise BadInput(
            _(
                "{where}: no column for {join}; headers found: {found}; --kind {kind} expects {expected} and "
                "may have {join2}"
            ).format(
                where=where,
                join=", ".join(absent),
                found=found,
                kind=kind,
                expected=expected,
                join2=", ".join(spec.optional),
            ),
            _("name the column with --map 'HEADER=field', choose another --kind, or check --encoding"),
        )
    return ColumnMap(names, {f: tuple(ix) for f, ix in fields.items()}, tuple(ignored))


# -- cells ----------------------------------------------------------------------------------------------------------
MAX_TEXT = 500  # characters in a name, model or result; longer is a damaged cell, not a customer
EARLIEST = datetime(2000, 1, 1)  # before this a "date" is an Excel epoch or a typo
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[\sT]+(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?")
_TIME = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2}))?")
_YES = {"1", "y", "yes", "true", "是", "有", "√", "✓", "x"}
_NO = {"0", "n", "no", "false", "否", "无", "没有", "-", "×"}


def read_text(raw) -> str:
    value = raw.isoformat(" ") if isinstance(raw, datetime) else str(raw).strip()
    if len(value) > MAX_TEXT:
        raise BadInput(_("too long ({len} characters; at most {MAX_TEXT})").format(len=len(value), MAX_TEXT=MAX_TEXT))
    return value


def phone_text(raw) -> str:
    """A phone cell's text as spreadsheets write numbers (a float, ="...", a leading ')."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if text[:2] == '="' and text[-1:] == '"':  # ="13800138000": an export's trick to keep Excel off the digits
        text = text[2:-1].strip()
    return text.removeprefix("'")  # '13800138000: Excel's text marker


def read_phone(raw, region: str = phone.DEFAULT_REGION) -> str:
    """phone.normalize of a cell's phone_text."""
    return phone.normalize(phone_text(raw), region)


def phone_tail(raw) -> str:
    """phone.tail of a cell's phone_text: equal for every cell that reads as one phone."""
    return phone.tail(phone_text(raw))


@lru_cache(maxsize=4096)
def _term(cls: type, text: str):
    return cls.parse(text)


def read_grade(raw) -> Grade:
    return _term(Grade, str(raw).strip().removesuffix("级").removesuffix("类").strip())


def read_when(raw) -> datetime:
    """A date and time: ISO, 2026/3/5 14:30, 2026年3月5日 14时30分, or an XLSX date cell; strictly real dates."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, time())
    else:
        text = str(raw).strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            match = _DATE.fullmatch(text)
            if not match:
                raise BadInput(_("not a date and time (write 2026-03-05 14:30)")) from None
            try:
                value = datetime(*(int(g) for g in match.groups() if g is not None))
            except ValueError as exc:
                raise BadInput(_("not a real date ({exc})").format(exc=exc)) from None
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
    if value.microsecond:  # XLSX times are floats: 14:29:59.999 is 14:30
        value = value.replace(microsecond=0) + timedelta(seconds=value.microsecond >= 500_000)
    if value < EARLIEST:
        raise BadInput(
            _("{value:%Y-%m-%d} is implausibly early (before {EARLIEST:%Y})").format(value=value, EARLIEST=EARLIEST)
        )
    return value


def read_left(raw) -> datetime | time:
    """A departure: a date and time, or only a time of day (the arrival's date is meant)."""
    if isinstance(raw, time):
        return raw
    match = _TIME.fullmatch(str(raw).strip())
    if match:
        try:
            return time(*(int(g) for g in match.groups() if g is not None))
        except ValueError:
            raise BadInput(_("not a real time of day")) from None
    return read_when(raw)


def read_day(raw) -> date:
    return read_when(raw).date()


def read_party(raw) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    try:
        value = int(str(raw).strip().removesuffix("人").strip())
    except ValueError:
        raise BadInput(_("not a whole number of people")) from None
    if value < 1:
        raise BadInput(_("a batch (批次) has at least one person"))
    return value


def read_flag(raw) -> bool:
    text = str(raw).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadInput(_("not yes/no (是/否)"))


READERS: dict[str, Callable] = {
    "phone": read_phone, "name": read_text, "model": read_text, "owner": read_text, "result": read_text,
    "channel": lambda raw: _term(Channel, str(raw).strip()),
    "info_source": lambda raw: _term(InfoSource, str(raw).strip()),
    "method": lambda raw: _term(Method, str(raw).strip()),
    "grade": read_grade, "arrived": read_when, "at": read_when, "left": read_left, "next": read_day,
    "party": read_party, "trade_in": read_flag, "test_drive": read_flag,
}
# fields with few distinct values: each distinct cell is read once per file
FEW_VALUES = frozenset({"model", "owner", "channel", "info_source", "method", "grade", "party", "trade_in",
                        "test_drive"})


def shown(field: str, raw) -> str:
    """A cell as a message or the rejects file may show it: a phone's middle digits masked, and any long run
    of digits masked in other cells."""
    text = raw.isoformat(" ") if isinstance(raw, datetime) else str(raw)
    if field != "phone":
        return phone.mask_in(text[:200])
    digits = sum(ch.isdigit() for ch in text)
    out, seen = [], 0
    for ch in text[:200]:
        if ch.isdigit():
            seen += 1
            ch = ch if digits > 7 and (seen <= 3 or seen > digits - 4) else "*"
        out.append(ch)
    return "".join(out)
