"""The import's pure parts: header map, cell readers, and the parser fed random bytes (B5)."""

from __future__ import annotations

import codecs
import io
from datetime import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leadctl.errors import BadInput, LeadctlError, UsageError
from leadctl.models import Channel, Grade
from leadctl.rules import columns, phone
from leadctl.services import import_rows

NOW = datetime(2026, 11, 24, 9, 0)
PROPERTY = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("header, field", [
    ("客户姓名", "name"), ("姓名", "name"), ("Name", "name"),
    ("电话", "phone"), ("手机", "phone"), ("联系电话", "phone"), ("手机号码", "phone"), ("手机号码*", "phone"),
    ("手机号码（必填）", "phone"), (" Phone ", "phone"), ("ＰＨＯＮＥ", "phone"),
    ("意向车型", "model"), ("车型", "model"), ("客户来源", "channel"), ("来源", "channel"),
    ("信息来源", "info_source"), ("意向级别", "grade"), ("级别", "grade"), ("销售顾问", "owner"), ("顾问", "owner"),
    ("到店时间", "arrived"), ("来店时间", "arrived"), ("离店时间", "left"), ("人数", "party"), ("置换", "trade_in"),
])
def test_the_usual_headers_map_to_fields(header, field):
    assert columns.field_of(header, "leads", {}) == field


def test_followup_headers_count_only_in_a_followups_file():
    for header, field in [("跟进时间", "at"), ("回访时间", "at"), ("跟进结果", "result"), ("回访结果", "result"),
                          ("跟进方式", "method")]:
        assert columns.field_of(header, "followups", {}) == field
        assert columns.field_of(header, "leads", {}) is None


def test_the_column_table_is_data():
    assert all(isinstance(names, tuple) and names for names in columns.COLUMNS.values())
    assert {f for kind in columns.KINDS.values() for f in kind.fields} <= set(columns.COLUMNS)
    keys = [columns.header_key(n) for names in columns.COLUMNS.values() for n in names]
    assert len(keys) == len(set(keys)), "one header names one field"


def test_map_options_and_their_mistakes():
    assert columns.parse_map(["客户手机=phone", "Tel 2 = phone"]) == {"客户手机": "phone", "tel2": "phone"}
    with pytest.raises(UsageError, match="names no field 'fone'"):
        columns.parse_map(["客户手机=fone"])
    with pytest.raises(UsageError, match="is not COLUMN=field"):
        columns.parse_map(["客户手机"])


def test_a_missing_required_column_lists_what_was_found_and_what_is_expected():
    with pytest.raises(BadInput) as err:
        columns.map_columns(["序号", "客户", "号码"], "visits", {}, "x.csv")
    text = str(err.value)
    assert "no column for phone, arrived" in text and "headers found: 序号, 客户, 号码" in text
    assert "phone (电话/手机/联系电话)" in text and "--map" in text
    mapped = columns.map_columns(["序号", "客户", "号码", "来店"], "visits", {"号码": "phone", "来店": "arrived"}, "x")
    assert mapped.fields == {"phone": (2,), "arrived": (3,)} and mapped.ignored == ("序号", "客户")


def test_the_header_row_is_found_below_title_rows():
    rows = [["某某4S店 客户登记表", None, None], ["导出时间：2026-11-20", None, None], [None] * 3,
            ["序号", "客户姓名", "联系电话"], [1, "张三", "13800138000"]]
    assert columns.find_header(rows, "leads", {}) == 3


@pytest.mark.parametrize("raw, value", [
    ("2026-03-05 14:30", datetime(2026, 3, 5, 14, 30)), ("2026/3/5 14:30", datetime(2026, 3, 5, 14, 30)),
    ("2026.03.05", datetime(2026, 3, 5)), ("2026年3月5日 14时30分", datetime(2026, 3, 5, 14, 30)),
    ("2026-03-05T14:30:15", datetime(2026, 3, 5, 14, 30, 15)),
    (datetime(2026, 3, 5, 14, 29, 59, 999_000), datetime(2026, 3, 5, 14, 30)),  # an XLSX float time
])
def test_dates_as_offices_write_them(raw, value):
    assert columns.read_when(raw) == value


@pytest.mark.parametrize("raw", ["2024-02-30", "2026/13/01", "2026-02-29 10:00", "yesterday", "1900-01-00", "45678"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(BadInput):
        columns.read_when(raw)


def test_grades_channels_flags_and_party():
    assert columns.read_grade("H级") is Grade.H and columns.read_grade(" a ") is Grade.A
    channel = columns.READERS["channel"]
    assert channel("总部下发") is Channel.HQ and channel("展厅") is Channel.WALK_IN
    assert columns.read_flag("是") is True and columns.read_flag("否") is False
    assert columns.read_party("3人") == 3 and columns.read_party(2.0) == 2
    for reader, raw in [(columns.read_grade, "Z"), (columns.read_party, "0"), (columns.read_party, "-2"),
                        (columns.read_flag, "maybe"), (columns.READERS["channel"], "火星")]:
        with pytest.raises(BadInput):
            reader(raw)


PHONEISH = st.one_of(
    st.text(alphabet="0123456789 +-()./", max_size=20),
    st.builds(lambda p, n, sep: p + sep.join([n[:3], n[3:7], n[7:]]),
              st.sampled_from(["", "+86", "+86 ", "86", "0086", "+852 "]),
              st.from_regex(r"1[3-9][0-9]{9}|0[1-9][0-9]{9}", fullmatch=True), st.sampled_from(["", " ", "-"])),
)


@given(PHONEISH)
@PROPERTY
@example("+86 010 1234 5678")
@example("8613800138000")
@example("+8613900139000")
def test_the_fast_path_for_phones_agrees_with_normalize(raw):
    try:
        expected = phone.normalize(raw)
    except BadInput:
        with pytest.raises(BadInput):
            columns.read_phone(raw)
        return
    assert columns.read_phone(raw) == expected


@pytest.mark.parametrize("raw", ['="13800138000"', "'13800138000", "\t13800138000", 13800138000, 13800138000.0])
def test_phones_as_spreadsheet_exports_protect_them(raw):
    assert columns.read_phone(raw) == "13800138000"


def test_masking_a_rejected_phone_cell():
    assert columns.shown("phone", "138 0013 800") == "138 ***3 800"  # at most 7 digits shown
    assert columns.shown("phone", "12345") == "*****"
    assert columns.shown("name", "13800138000 张三") == "138****8000 张三"


def _parse(data: bytes, xlsx: bool | None = None):
    return import_rows.parse_and_check(data, "fuzz.csv", "leads", NOW, default_channel=Channel.WEB, xlsx=xlsx)


@given(st.binary(max_size=2000))
@PROPERTY
@example(b"\xff\xfe\x00")
@example(b'\xef\xbb\xbf\xe6\x89\x8b\xe6\x9c\xba\n"1')
@example(b"phone\n" + b"x" * 140_000)
def test_random_bytes_give_rows_or_a_leadctl_error(data):
    try:
        _parse(data)
    except LeadctlError as exc:
        assert exc.code in (65, 2)


CSVISH = st.lists(st.lists(st.one_of(st.sampled_from(["手机", "电话", "phone", "客户姓名", "到店时间", "级别", "来源",
                                                       "13800138000", "+86 139 0013 9000", "2026-02-30", "H", "Z",
                                                       "展厅", "", " ", '"', "\x00", "\r\n"]),
                                     st.text(max_size=8)), max_size=6), max_size=8)


@given(CSVISH, st.sampled_from([",", "\t", ";"]), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
@PROPERTY
def test_random_text_gives_rows_or_a_leadctl_error(rows, delimiter, encoding):
    text = "\n".join(delimiter.join(cells) for cells in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        _, good, problems = _parse(data)
    except LeadctlError as exc:
        assert exc.code in (65, 2)
        return
    assert all(isinstance(p.row, int) and p.row >= 2 for p in problems)
    assert all(r.phone and (r.phone.isdigit() or r.phone[0] == "+") for r in good)


def test_random_bytes_named_xlsx_are_a_leadctl_error():
    for data in (b"PK\x03\x04garbage", b"", b"\xd0\xcf\x11\xe0 old xls"):
        with pytest.raises(LeadctlError):
            _parse(data, xlsx=True)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_the_encoding_is_detected(encoding):
    text = "客户姓名,手机号码,客户来源\n张三,13800138000,展厅\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        assert not data.startswith(codecs.BOM_UTF16_LE)
    decoded, _ = import_rows.decode(data, "x.csv")
    assert decoded == text


CELL = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                 st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)), st.booleans(),
                 st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
                 st.sampled_from(["13800138000", "H", "展厅", "2026-11-20 10:00", "李明"]))


@given(st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=6))
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_cells_of_a_workbook_give_rows_or_a_leadctl_error(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["客户姓名", "联系电话", "到店时间", "意向级别", "客户来源"])
    for cells in rows:
        sheet.append(cells)
    raw = io.BytesIO()
    book.save(raw)
    try:
        _, good, _ = import_rows.parse_and_check(raw.getvalue(), "fuzz.xlsx", "visits", NOW)
    except LeadctlError as exc:
        assert exc.code == 65
        return
    assert all(r.at <= NOW and r.phone for r in good)
