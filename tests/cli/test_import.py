"""`leadctl import`: real files through the real CLI, asserted through the database (RELIABILITY B1-B9, D1, D2)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from leadctl.errors import ExitCode
from tests.conftest import NOW, intake

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "sample_data" / "imports"
MANAGER = "王经理"
HEADER = ["客户姓名", "手机号码", "意向车型", "客户来源", "意向级别", "销售顾问", "到店时间"]
SUMMARY_KEYS = {"file", "kind", "read", "new", "merged", "skipped_duplicates", "rejected", "dry_run"}


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def do_import(cli, path: Path, *options: str, code: int = 0, actor: str = MANAGER):
    return cli("import", str(path), *options, code=code, actor=actor)


def summary(cli, path: Path, *options: str, code: int = 0) -> dict:
    out = do_import(cli, path, *options, "--json", code=code)
    data = json.loads(out.stdout)
    assert set(data) >= SUMMARY_KEYS
    return data


def integrity(cli) -> str:
    return cli.scalar("PRAGMA integrity_check")


def assert_due_dates_true(cli) -> int:
    """Every lead's stored next_due is what the cadence rules give for its state now (as `replan` would store)."""
    from leadctl.rules import cadence
    from leadctl.services import leads, policy
    from leadctl.store.db import Store

    store = Store.open(cli.db)
    try:
        with store.read() as conn:
            rules = policy.current(conn)
            rows = conn.execute("SELECT id, next_due FROM leads").fetchall()
            for lead_id, stored in rows:
                due = cadence.next_due(rules, leads.load_state(conn, lead_id))
                assert stored == (due.due_on.isoformat() if due else None), lead_id
    finally:
        store.close()
    return len(rows)


@pytest.fixture
def store(cli):
    """The shared staff plus the sample store's consultants and telesales that the example files name."""
    for name in ("李明", "赵磊", "孙浩", "周婷"):
        cli("staff", "add", name, "--role", "consultant", "--team", "showroom", actor=MANAGER)
    for name in ("杨洋", "何静"):
        cli("staff", "add", name, "--role", "telesales", "--team", "dcc", actor=MANAGER)
    return cli


# -- the example files ------------------------------------------------------------------------------------------------
def test_the_lms_export_in_gb18030(store):
    out = summary(store, EXAMPLES / "lms_leads_gb18030.csv", "--source", "LMS")
    assert (out["encoding"], out["read"], out["new"], out["merged"], out["rejected"]) == ("gb18030", 31, 30, 1, 0)
    assert out["committed"] and out["import_id"] == 1
    assert store.scalar("SELECT count(*) FROM leads") == 30
    assert store.scalar("SELECT count(*) FROM visits") == 31
    assert store.scalar("SELECT count(DISTINCT typeof(phone)) || typeof(phone) FROM leads") == "1text"
    assert store.scalar("SELECT count(*) FROM leads WHERE phone GLOB '*[^0-9]*' OR length(phone) != 11") == 0
    names = [n for (n,) in store.query("SELECT name FROM leads")]
    assert all(n and "\ufffd" not in n for n in names)  # no mojibake
    # grade and owner history, and a due date for every lead whose grade needs contact
    assert store.scalar("SELECT count(*) FROM grades WHERE reason = 'imported'") >= 30
    assert store.scalar("SELECT count(*) FROM owners WHERE reason = 'imported'") == 30
    assert store.scalar("SELECT count(*) FROM leads WHERE grade != 'D' AND next_due IS NULL") == 0
    assert assert_due_dates_true(store) == 30
    event = json.loads(store.scalar("SELECT detail FROM events WHERE action = 'import'"))
    assert len(event["sha256"]) == 64 and "file" not in event and "source" not in event  # the text typed: in imports
    assert store.query("SELECT file, source FROM imports") == [("lms_leads_gb18030.csv", "LMS")]
    assert (event["new"], event["merged"]) == (30, 1)
    assert store.query("SELECT kind, new, merged, rejected FROM imports") == [("leads", 30, 1, 0)]


def test_the_summary_speaks_chinese_at_the_front_desk(store, zh):
    path = EXAMPLES / "lms_leads_gb18030.csv"
    first = do_import(store, path, "--source", "LMS").stderr
    assert "新线索 30 条，并入已有客户 1 行，跳过重复 0 行，拒绝 0 行，共读取 31 行" in first
    assert first.startswith(f"已导入 {path}（线索，导入 #1）") and "imported" not in first
    again = do_import(store, path, "--source", "LMS").stderr
    assert again.startswith(f"{path} 没有新内容：") and "此文件已于 2026-" in again and "（导入 #1）" in again


def test_a_refusal_speaks_chinese_too(store, zh, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["客户姓名", "手机号码", "客户来源", "到店时间"],
                                             ["张三", "13800138000", "展厅", "2027-01-01 10:00"]])
    err = do_import(store, path, code=65).stderr
    assert err.startswith("leadctl：拒绝 1 行（第一处：第 2 行，到店时间：是将来的时间（现在是 ")
    assert len(err.splitlines()) == 1
    assert "未导入任何内容" in err and "rejected" not in err


def test_the_dms_workbook_with_title_rows(store):
    summary(store, EXAMPLES / "lms_leads_gb18030.csv")
    last = store.scalar("SELECT max(id) FROM visits")
    out = summary(store, EXAMPLES / "dms_visits.xlsx", "--kind", "visits", "--source", "DMS")
    assert (out["encoding"], out["read"], out["new"], out["merged"], out["rejected"]) == ("xlsx", 30, 28, 2, 0)
    assert out["ignored_columns"] == ["序号"]
    assert out["collisions"] == 2  # a consultant received the DCC's customers: the manager rules (撞单)
    visits = store.query("SELECT kind, arrived_at, left_at, party, first_visit FROM visits WHERE id > ?", last)
    assert len(visits) == 30 and all(k == "visit" and a < lft and p >= 1 for k, a, lft, p, _ in visits)
    assert sum(first for *_, first in visits) == 28
    assert store.scalar("SELECT count(*) FROM visits WHERE id > ? AND test_drive = 1", last) > 0
    assert store.scalar("SELECT count(*) FROM collisions WHERE status = 'open'") == 2
    assert assert_due_dates_true(store) == 58
    assert store.scalar("SELECT count(*) FROM leads") == 58


def test_title_rows_keep_the_sheet_row_numbers(store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["展厅客流登记表"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["客户姓名", "联系电话", "到店时间", "销售顾问"])
    sheet.append(["张三", "13800138000", datetime(2026, 11, 20, 10, 0), "李明"])
    sheet.append(["李四", 1012345678, datetime(2026, 11, 20, 11, 0), "李明"])  # a landline whose 0 Excel ate
    sheet.append(["王五", "13900139000", "2026-11-31 10:00", "不存在"])
    book.save(tmp_path / "dms.xlsx")
    out = summary(store, tmp_path / "dms.xlsx", "--kind", "visits", code=ExitCode.DATA)
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(5, "联系电话"), (6, "到店时间"), (6, "销售顾问")]
    assert store.scalar("SELECT count(*) FROM leads") == 0


def test_the_hq_list_with_a_bom_and_no_times(store):
    summary(store, EXAMPLES / "lms_leads_gb18030.csv")
    out = summary(store, EXAMPLES / "hq_leads_utf8bom.csv", "--source", "总部下发")
    assert (out["encoding"], out["read"], out["new"], out["merged"], out["skipped_duplicates"]) == \
        ("utf-8", 21, 19, 1, 1)
    assert store.scalar("SELECT count(*) FROM leads WHERE channel = 'hq' AND name IS NOT NULL") == 19  # 姓名 read
    assert store.scalar("SELECT count(*) FROM visits WHERE channel = 'hq' AND kind = 'list'") == 20
    assert store.scalar("SELECT count(*) FROM import_rows") == 20


def test_a_list_without_times_is_keyed_by_its_source(store, tmp_path):
    path = write_csv(tmp_path / "hq.csv", [["姓名", "电话"], ["张三", "13800138000"], ["李四", "13900139000"]])
    assert summary(store, path, "--source", "Web")["new"] == 2
    before = store.fingerprint()
    assert summary(store, path, "--source", " web ")["skipped_duplicates"] == 2  # one source, however written
    assert store.fingerprint() == before
    assert summary(store, path, "--source", "hq")["skipped_duplicates"] == 2  # the same file: whatever its source
    assert store.fingerprint() == before
    other = write_csv(tmp_path / "hq-list.csv", [["姓名", "电话"], ["李四", "13900139000"], ["张三", "13800138000"]])
    again = summary(store, other, "--source", "hq")  # another source sent the same customers: a contact each
    assert (again["new"], again["merged"]) == (0, 2)
    assert store.query("SELECT channel, count(*) FROM visits GROUP BY channel ORDER BY channel") == [
        ("hq", 2), ("web", 2)]


def test_the_dcc_followups_in_utf16(store):
    summary(store, EXAMPLES / "lms_leads_gb18030.csv")
    before = dict(store.query("SELECT id, next_due FROM leads"))
    out = summary(store, EXAMPLES / "dcc_followups_utf16.txt", "--kind", "followups")
    assert (out["encoding"], out["read"], out["merged"], out["followups"]) == ("utf-16", 12, 12, 12)
    assert store.scalar("SELECT count(*) FROM leads WHERE followup_count = 1") == 12
    assert store.scalar("SELECT count(DISTINCT by_id) FROM followups") == 2
    after = dict(store.query("SELECT id, next_due FROM leads"))
    assert sum(before[k] != after[k] for k in before) >= 10  # re-planned from the follow-ups
    assert assert_due_dates_true(store) == 30


@pytest.mark.parametrize("name, options", [
    ("lms_leads_gb18030.csv", ["--source", "LMS"]),
    ("dms_visits.xlsx", ["--kind", "visits", "--source", "DMS"]),
    ("hq_leads_utf8bom.csv", ["--source", "总部下发"]),
])
def test_importing_a_file_again_changes_nothing(store, name, options):
    first = summary(store, EXAMPLES / name, *options)
    before = store.fingerprint()
    again = summary(store, EXAMPLES / name, *options)
    assert store.fingerprint() == before
    assert again["skipped_duplicates"] == first["read"] and again["new"] == again["merged"] == 0
    assert not again["committed"] and again["previously_imported"] == {"import_id": 1, "at": "2026-11-24T09:00:00"}
    assert "nothing new" in do_import(store, EXAMPLES / name, *options).stderr


def test_the_example_files_are_what_the_generator_writes(tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / "make_examples.py"), "--check"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# -- encodings (B3) ------------------------------------------------------------------------------------------------
ROWS = [HEADER, ["张三", "13800138000", "迈腾", "展厅", "H", "李明", "2026-11-20 10:00"],
        ["李四", "13900139000", "速腾", "来电", "A", "赵磊", "2026-11-21 11:00"]]


@pytest.mark.parametrize("encoding, forced", [("gbk", None), ("gbk", "gbk"), ("gb18030", "gb18030"),
                                              ("utf-16", None), ("utf-8-sig", None), ("utf-8", "utf-8")])
def test_office_encodings_detected_or_forced(store, tmp_path, encoding, forced):
    path = write_csv(tmp_path / "leads.csv", ROWS, encoding)
    out = summary(store, path, *(["--encoding", forced] if forced else []))
    assert out["new"] == 2
    assert store.query("SELECT name, model FROM leads ORDER BY id") == [("张三", "迈腾"), ("李四", "速腾")]


@pytest.mark.parametrize("encoding, forced", [("gbk", "utf-8"), ("utf-8", "gbk"), ("utf-8", "utf-16"),
                                              ("gbk", "utf-16")])
def test_a_wrong_encoding_fails_naming_the_option_and_commits_nothing(store, tmp_path, encoding, forced):
    path = write_csv(tmp_path / "leads.csv", ROWS, encoding)
    before = store.fingerprint()
    result = do_import(store, path, "--encoding", forced, code=ExitCode.DATA)
    assert "--encoding" in result.stderr and result.stderr.count("\n") == 1
    assert store.fingerprint() == before


def test_an_undetectable_encoding_asks_for_the_option(store, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"\xff\xfd\xfe,\x80\x80\n")  # neither UTF-8 nor GB18030
    assert "--encoding" in do_import(store, path, code=ExitCode.DATA).stderr
    big5 = tmp_path / "big5.csv"  # Traditional Chinese from Taiwan or Hong Kong reads as nonsense in GB18030
    big5.write_bytes("客戶姓名,手機號碼,客戶來源\n張三,13800138000,展廳\n".encode("big5"))
    result = do_import(store, big5, code=ExitCode.DATA)
    assert "no column for phone" in result.stderr and "--encoding" in result.stderr
    assert summary(store, big5, "--encoding", "big5", "--map", "客戶姓名=name", "--map", "手機號碼=phone",
                   "--map", "客戶來源=channel", code=ExitCode.DATA)["problems"][0]["value"] == "展廳"
    assert do_import(store, path, "--encoding", "klingon", code=ExitCode.USAGE).stderr.startswith("leadctl: unknown")


# -- bad input (B1, B4, B6, B8, B9) -----------------------------------------------------------------------------------
def test_b1_phones_keep_their_leading_zero_and_plus(store, tmp_path):
    rows = [["姓名", "电话", "来源"], ["甲", "01012345678", "来电"], ["乙", "+8613900139000", "展厅"],
            ["丙", "13800138000", "展厅"], ["丁", "+852 9123 4567", "网络"]]
    summary(store, write_csv(tmp_path / "p.csv", rows))
    assert store.query("SELECT phone, typeof(phone) FROM leads ORDER BY id") == [
        ("01012345678", "text"), ("13900139000", "text"), ("13800138000", "text"), ("+85291234567", "text")]


@pytest.mark.parametrize("content, where", [
    ("客户姓名,手机号码,客户来源\n张三,13800138000,展厅\n李\x00四,13900139000,展厅\n", "line 3"),
    ("客户姓名,手机号码,客户来源\n张三,13800138000,展厅\n" + "李" * 200_000 + ",13900139000,展厅\n", "line 3"),
    ('客户姓名,手机号码,客户来源\n张三,13800138000,展厅\n"李四,13900139000,展厅\n王五,13700137000,展厅\n', "line 3"),
    ("客户姓名,手机号码,客户来源\n张三,13800138000,展厅\n李四,13900139000\n王五,13700137000,展厅,多,余\n", "row 3"),
])
def test_b4_a_hostile_csv_is_refused_with_its_line(store, tmp_path, content, where):
    path = tmp_path / "hostile.csv"
    path.write_text(content, encoding="utf-8")
    result = do_import(store, path, code=ExitCode.DATA)
    assert where in result.stderr and "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert store.scalar("SELECT count(*) FROM leads") == 0
    assert integrity(store) == "ok"


def test_b6_one_customer_in_three_formats_is_one_lead(store, tmp_path):
    rows = [HEADER, ["刘洋", "138 0013 8000", "迈腾", "展厅", "B", "李明", "2026-11-20 10:00"],
            ["刘洋", "+86 13800138000", "迈腾", "来电", "A", "李明", "2026-11-21 10:00"],
            ["刘先生", "13800138000", "探岳", "展厅", "H", "李明", "2026-11-22 10:00"]]
    out = summary(store, write_csv(tmp_path / "b6.csv", rows))
    assert (out["new"], out["merged"]) == (1, 2)
    assert store.query("SELECT name, model, grade, last_contact_at FROM leads") == [
        ("刘洋", "探岳", "H", "2026-11-22T10:00:00")]
    assert store.query("SELECT grade, previous FROM grades ORDER BY at") == [("B", None), ("A", "B"), ("H", "A")]
    assert store.query("SELECT first_visit, kind FROM visits ORDER BY id") == [(1, "visit"), (0, "call"), (0, "visit")]
    assert assert_due_dates_true(store) == 1


def test_b6_a_known_customer_gets_the_visit_never_a_second_lead(store, tmp_path):
    intake(store, "+86 138-0013-8000", owner="李娜", arrived="2026-11-01T10:00")
    store.json("followup", "13800138000", "--result", "首次回访", "--grade", "A", "--at", "2026-11-01T16:00",
               actor="李娜")
    rows = [["电话", "到店时间", "销售顾问", "客户来源", "意向级别"],
            ["8613800138000", "2026-11-21 15:00", "李娜", "展厅", "H"]]
    out = summary(store, write_csv(tmp_path / "v.csv", rows), "--kind", "visits")
    assert (out["new"], out["merged"], out["collisions"]) == (0, 1, 0)
    assert store.query("SELECT count(*), grade, last_contact_at FROM leads") == [(1, "H", "2026-11-21T15:00:00")]
    assert assert_due_dates_true(store) == 1
    assert store.query("SELECT first_visit FROM visits ORDER BY id") == [(1,), (0,)]


def test_another_name_on_a_known_phone_is_kept_on_the_visit_counted_and_warned_once(store, tmp_path):
    intake(store, "13800138000", name="刘洋", owner="李娜", arrived="2026-11-01T10:00")
    rows = [["客户姓名", "电话", "到店时间", "销售顾问", "客户来源"],
            ["刘先生", "13800138000", "2026-11-21 15:00", "李娜", "展厅"],
            ["刘 洋", "13800138000", "2026-11-22 15:00", "李娜", "展厅"],  # the same name, spaced: not another
            ["王芳", "13900139000", "2026-11-21 16:00", "李明", "展厅"],  # a new lead: its own name
            ["王女士", "13900139000", "2026-11-22 16:00", "李明", "展厅"]]  # another name in the same file
    path = write_csv(tmp_path / "names.csv", rows)
    out = summary(store, path, "--kind", "visits")
    assert (out["new"], out["merged"], out["name_differs"]) == (1, 3, 2)
    assert store.query("SELECT name FROM leads ORDER BY id") == [("刘洋",), ("王芳",)]  # the leads keep theirs
    assert store.query("SELECT lead_id, arrived_at, given_name FROM visits ORDER BY id") == [
        (1, "2026-11-01T10:00:00", None), (1, "2026-11-21T15:00:00", "刘先生"), (1, "2026-11-22T15:00:00", None),
        (2, "2026-11-21T16:00:00", None), (2, "2026-11-22T16:00:00", "王女士")]
    event = store.scalar("SELECT detail FROM events WHERE action = 'import'")
    assert "刘先生" not in event and "王女士" not in event and json.loads(event)["name_differs"] == 2
    before = store.fingerprint()
    again = do_import(store, path, "--kind", "visits", "--json")  # the same file again: nothing changes
    assert json.loads(again.stdout)["name_differs"] == 0 and "another name" not in again.stderr
    assert store.fingerprint() == before
    store.json("purge", "13800138000", actor=MANAGER)  # purge erases the name given with the rest
    assert store.scalar("SELECT count(*) FROM visits WHERE lead_id = 1 AND given_name IS NOT NULL") == 0


def test_the_import_warns_once_on_stderr_of_names_that_differ(store, tmp_path):
    intake(store, "13800138000", name="刘洋", owner="李娜", arrived="2026-11-01T10:00")
    rows = [["客户姓名", "电话", "到店时间", "客户来源"], ["刘先生", "13800138000", "2026-11-21 15:00", "展厅"],
            ["刘太太", "13800138000", "2026-11-22 15:00", "展厅"]]
    result = do_import(store, write_csv(tmp_path / "names.csv", rows), "--kind", "visits")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: 2 row(s) of names.csv give another name for a known phone; the leads keep their "
                        "names, the names given are kept on the visits (see `leadctl show`)"]
    shown = store.json("show", "13800138000", actor="李娜")["visits"]
    assert [v["given_name"] for v in shown] == [None, "刘先生", "刘太太"]


def test_a_followup_row_with_another_name_is_counted(store, tmp_path):
    intake(store, "13800138000", name="刘洋", owner="李娜", arrived="2026-11-01T10:00")
    rows = [["电话", "回访时间", "回访结果", "客户姓名"], ["13800138000", "2026-11-02 10:00", "已联系", "刘先生"]]
    out = summary(store, write_csv(tmp_path / "f.csv", rows), "--kind", "followups")
    assert (out["merged"], out["name_differs"]) == (1, 1)
    assert store.scalar("SELECT name FROM leads") == "刘洋"


def test_b8_names_with_quotes_and_sql_are_stored_verbatim(store, tmp_path):
    names = ["O'Brien", "张三'); DROP TABLE leads;--", 'say "hi" %s ?', "=HYPERLINK(\"http://x\")"]
    rows = [["姓名", "电话", "来源"], *([n, f"1380013800{i}", "展厅"] for i, n in enumerate(names))]
    summary(store, write_csv(tmp_path / "b8.csv", rows))
    assert [n for (n,) in store.query("SELECT name FROM leads ORDER BY id")] == names
    assert integrity(store) == "ok"


def test_b9_impossible_dates_and_unknown_grades_are_all_reported(store, tmp_path):
    rows = [HEADER, ["张三", "13800138000", "迈腾", "展厅", "H", "李明", "2024-02-30 10:00"],
            ["李四", "13900139000", "速腾", "展厅", "Z", "李明", "2026-11-20 10:00"],
            ["王五", "12345", "速腾", "火星", "A", "李明", "2026-11-20 10:00"],
            ["赵六", "13700137000", "速腾", "展厅", "F", "王五", "2027-01-01 10:00"]]
    before = store.fingerprint()
    out = summary(store, write_csv(tmp_path / "b9.csv", rows), code=ExitCode.DATA)
    assert [(p["row"], p["column"]) for p in out["problems"]] == [
        (2, "到店时间"), (3, "意向级别"), (4, "手机号码"), (4, "客户来源"), (5, "意向级别"), (5, "销售顾问"),
        (5, "到店时间")]
    assert out["rejected"] == 4 and not out["committed"]
    assert store.fingerprint() == before


def test_a_departure_as_a_time_of_day_and_a_party(store, tmp_path):
    rows = [["客户姓名", "联系电话", "到店时间", "离店时间", "人数", "是否试驾", "置换"],
            ["张三", '="13800138000"', "2026/11/20 10:05", "11:40", "3人", "是", "否"],
            ["李四", "13900139000", "2026/11/20 10:05", "09:40", "2", "否", "是"]]
    out = summary(store, write_csv(tmp_path / "t.csv", rows), "--kind", "visits", code=ExitCode.DATA)
    assert [(p["row"], p["column"], p["problem"]) for p in out["problems"]] == [
        (3, "离店时间", "departure before arrival")]
    summary(store, write_csv(tmp_path / "t.csv", rows[:2]), "--kind", "visits")
    assert store.query("SELECT arrived_at, left_at, party, test_drive, kind, channel FROM visits") == [
        ("2026-11-20T10:05:00", "2026-11-20T11:40:00", 3, 1, "visit", "walk-in")]


def test_rejects_need_an_existing_folder(store, tmp_path):
    do_import(store, EXAMPLES / "hq_leads_utf8bom.csv", "--source", "hq", "--rejects", str(tmp_path / "no" / "r.csv"),
              code=ExitCode.CANT_CREATE)
    assert store.scalar("SELECT count(*) FROM leads") == 0


def test_owners_must_be_active_staff(store, tmp_path):
    store("staff", "deactivate", "孙浩", actor=MANAGER)
    rows = [HEADER, ["张三", "13800138000", "迈腾", "展厅", "H", "孙浩", "2026-11-20 10:00"]]
    out = summary(store, write_csv(tmp_path / "o.csv", rows), code=ExitCode.DATA)
    assert out["problems"][0]["problem"].startswith("no longer active: 孙浩")


def test_followups_need_a_known_customer_and_a_plan_within_the_cadence(store, tmp_path):
    intake(store, "13800138000", owner="李娜", arrived="2026-11-10T10:00")
    rows = [["手机", "跟进时间", "跟进结果", "意向级别", "下次跟进"],
            ["13800138000", "2026-11-20 10:00", "约周六试驾", "H", "2026-11-22"],
            ["13900139000", "2026-11-20 10:00", "x", "", ""],
            ["13800138000", "2026-11-09 10:00", "太早", "", ""],
            ["13800138000", "2026-11-21 10:00", "", "", ""],
            ["13800138000", "2026-11-22 10:00", "在比较", "H", "2026-12-30"]]
    out = summary(store, write_csv(tmp_path / "f.csv", rows), "--kind", "followups", code=ExitCode.DATA)
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(3, "手机"), (4, "跟进时间"), (5, "跟进结果"),
                                                                 (6, "下次跟进")]
    out = summary(store, write_csv(tmp_path / "f.csv", rows), "--kind", "followups", "--skip-bad")
    assert (out["merged"], out["rejected"]) == (1, 4)
    assert store.query("SELECT grade, followup_count, planned_on, next_due FROM leads") == [
        ("H", 1, "2026-11-22", "2026-11-22")]


# -- all or nothing (D2), --skip-bad, --rejects, --dry-run ------------------------------------------------------------
def big_file(path: Path, rows: int, bad_row: int | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            number = f"139{i:08d}" if i + 2 != bad_row else f"139{i:05d}"
            out.writerow([f"客户{i}", number, "迈腾", "展厅", "HABCD"[i % 5], ("李明", "赵磊", "")[i % 3],
                          f"2026-{1 + i % 10:02d}-{1 + i % 28:02d} {9 + i % 9:02d}:{i % 60:02d}"])
    return path


def test_d2_a_bad_row_in_the_middle_stops_everything(store, tmp_path):
    path = big_file(tmp_path / "10k.csv", 10_000, bad_row=5_001)
    before = store.fingerprint()
    result = do_import(store, path, code=ExitCode.DATA)
    assert result.stderr.startswith("leadctl: 1 row rejected (first: row 5001, 手机号码: not a phone number")
    assert "see --rejects or --json" in result.stderr and result.stderr.count("\n") == 1
    assert store.fingerprint() == before

    rejects = tmp_path / "rejects.csv"
    out = summary(store, path, "--skip-bad", "--rejects", str(rejects))
    assert (out["read"], out["new"], out["rejected"]) == (10_000, 9_999, 1)
    assert store.scalar("SELECT count(*) FROM leads") == 9_999
    assert rejects.read_text(encoding="utf-8-sig").splitlines() == [
        "row,column,value,problem", "5001,手机号码,139*4999,not a phone number (8 digits)"]
    assert rejects.stat().st_mode & 0o777 == 0o600


def test_rejects_are_written_also_when_nothing_is_imported(store, tmp_path):
    rows = [HEADER, ["张三", "138", "迈腾", "展厅", "H", "李明", "2026-11-20 10:00"]]
    rejects = tmp_path / "r.csv"
    result = do_import(store, write_csv(tmp_path / "x.csv", rows), "--rejects", str(rejects), code=ExitCode.DATA)
    assert f"written to {rejects}" in result.stderr
    assert rejects.read_text(encoding="utf-8-sig").splitlines()[1] == "2,手机号码,***,not a phone number (3 digits)"


def test_dry_run_changes_nothing_and_tells_what_would_happen(store, tmp_path):
    intake(store, "13800138000", owner="李娜")
    path = big_file(tmp_path / "1k.csv", 1_000)
    write_csv(path, [*csv.reader(path.open(encoding="utf-8")), ["老客户", "+86 138 0013 8000", "迈腾", "展厅", "A",
                                                              "李明", "2026-11-23 10:00"]])
    before = store.fingerprint()
    dry = summary(store, path, "--dry-run")
    assert store.fingerprint() == before
    assert (dry["dry_run"], dry["committed"], dry["new"], dry["merged"], dry["collisions"]) == (True, False, 1000, 1, 1)
    assert "dry run" in do_import(store, path, "--dry-run").stderr
    real = summary(store, path)
    assert {k: real[k] for k in ("new", "merged", "visits", "grades", "owners")} == \
        {k: dry[k] for k in ("new", "merged", "visits", "grades", "owners")}


def test_the_due_list_is_right_after_an_import(store, tmp_path):
    rows = [HEADER, ["张三", "13800138000", "迈腾", "展厅", "H", "李明", "2026-11-24 08:00"],
            ["李四", "13900139000", "速腾", "展厅", "D", "李明", "2026-11-20 10:00"]]
    summary(store, write_csv(tmp_path / "d.csv", rows))
    due = store.json("due", "--all", actor=MANAGER)
    assert [(r["phone"], r["due_on"]) for r in due] == [("138****8000", "2026-11-24")] or \
        [(r["phone"], r["due_on"]) for r in due] == [("13800138000", "2026-11-24")]


# -- who and what: permissions, missing files, columns ----------------------------------------------------------------
def test_only_managers_and_admins_import(store):
    result = do_import(store, EXAMPLES / "lms_leads_gb18030.csv", actor="李娜", code=ExitCode.PERMISSION)
    assert "may not import" in result.stderr
    assert store.scalar("SELECT count(*) FROM leads") == 0
    assert store.scalar("SELECT count(*) FROM events WHERE action = 'denied'") == 1
    do_import(store, EXAMPLES / "lms_leads_gb18030.csv", actor="张前台", code=ExitCode.PERMISSION)


def test_a_missing_file(store, tmp_path):
    result = do_import(store, tmp_path / "nope.csv", code=ExitCode.NO_INPUT)
    assert result.stderr.startswith("leadctl: no file")
    do_import(store, tmp_path, code=ExitCode.NO_INPUT)


def test_an_unknown_header_needs_a_map(store, tmp_path):
    rows = [["客户", "移动电话号", "渠道"], ["张三", "13800138000", "展厅"]]
    path = write_csv(tmp_path / "m.csv", rows)
    result = do_import(store, path, code=ExitCode.DATA)
    assert "no column for phone" in result.stderr and "headers found: 客户, 移动电话号, 渠道" in result.stderr
    out = summary(store, path, "--map", "移动电话号=phone", "--map", "客户=name")
    assert out["new"] == 1 and store.scalar("SELECT name FROM leads") == "张三"
    do_import(store, path, "--map", "移动电话号=fone", code=ExitCode.USAGE)
    do_import(store, path, "--kind", "cars", code=ExitCode.USAGE)


def test_a_leads_file_needs_a_channel_or_a_source_naming_one(store, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["姓名", "电话"], ["张三", "13800138000"]])
    assert "--source CHANNEL" in do_import(store, path, code=ExitCode.DATA).stderr
    assert summary(store, path, "--source", "web")["new"] == 1
    assert store.scalar("SELECT channel FROM leads") == "web"


# -- D1: killed at random moments -------------------------------------------------------------------------------------
def test_d1_an_import_killed_at_any_moment_leaves_all_or_nothing(store, tmp_path):
    """SIGKILL a child `leadctl import` of 50,000 rows: at random moments of its measured run, and while its one
    write transaction is spilling into the WAL (surely mid-write). Each time the database is intact and holds
    every row or none, and the import log row is there iff the rows are."""
    rows = 50_000
    path = big_file(tmp_path / "50k.csv", rows)
    base, db = tmp_path / "base.db", tmp_path / "run.db"
    copy_db(store.db, base)
    leadctl = Path(sys.executable).parent / "leadctl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")} | {"LEADCTL_NOW": NOW}

    def start() -> subprocess.Popen:
        copy_db(base, db)
        return subprocess.Popen([str(leadctl), "--db", str(db), "--as", MANAGER, "import", str(path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)

    began = time.monotonic()
    child = start()
    assert child.wait(timeout=120) == 0, child.stderr.read()
    duration = time.monotonic() - began
    assert counts(db) == (rows, 1)
    rnd = random.Random(7)
    outcomes = []
    for moment in ("random", "random", "writing", "writing", "random"):
        child = start()
        if moment == "random":
            time.sleep(rnd.uniform(0.2, 0.95) * duration)
        else:
            wal = Path(f"{db}-wal")
            deadline = time.monotonic() + 60
            while child.poll() is None and time.monotonic() < deadline and \
                    (not wal.exists() or wal.stat().st_size < 2_000_000):
                time.sleep(0.005)
            time.sleep(rnd.uniform(0, 0.1))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        outcomes.append((moment, *counts(db)))
    assert all((n, log) in ((0, 0), (rows, 1)) for _, n, log in outcomes), outcomes
    assert any(m == "writing" and n == 0 for m, n, _ in outcomes), outcomes  # a kill did land inside the write


def copy_db(src: Path, dst: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    dst.write_bytes(src.read_bytes())


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM leads").fetchone()[0], \
            conn.execute("SELECT count(*) FROM imports").fetchone()[0]
    finally:
        conn.close()


# -- large files: checked in chunks and written in batches while the next rows are checked ----------------------------
def _many(count: int) -> list[list]:
    return [HEADER, *([f"客户{i}", f"139{i:08d}", "迈腾", "展厅", "B", "李明", "2026-11-02 10:00"]
                      for i in range(count))]


def test_a_customer_whose_rows_are_far_apart_is_one_lead_from_the_earliest_visit(store, tmp_path):
    """Newest-first exports put a customer's later visit thousands of rows before the first one: the lead is
    still made from the earliest visit, though the rows are checked and written in chunks."""
    rows = _many(12_000)
    rows[2] = ["刘洋", "13800138000", "探岳", "展厅", "H", "李明", "2026-11-20 10:00"]  # the later visit, near the top
    rows[11_500] = ["刘洋", "138 0013 8000", "迈腾", "来电", "B", "李明", "2026-11-01 09:00"]  # the first, near the end
    out = summary(store, write_csv(tmp_path / "far.csv", rows))
    assert (out["new"], out["merged"], out["rejected"]) == (11_999, 1, 0)
    assert store.query("SELECT created_at, last_contact_at, grade, model FROM leads WHERE phone = '13800138000'") == [
        ("2026-11-01T09:00:00", "2026-11-20T10:00:00", "H", "探岳")]
    assert store.query("SELECT v.arrived_at, v.first_visit FROM visits v JOIN leads l ON l.id = v.lead_id"
                       " WHERE l.phone = '13800138000' ORDER BY v.arrived_at") == [
        ("2026-11-01T09:00:00", 1), ("2026-11-20T10:00:00", 0)]
    assert store.query("SELECT g.grade, g.previous FROM grades g JOIN leads l ON l.id = g.lead_id"
                       " WHERE l.phone = '13800138000' ORDER BY g.at") == [("B", None), ("H", "B")]
    assert store.scalar("SELECT count(*) FROM visits") == 12_000
    assert assert_due_dates_true(store) == 11_999


def test_a_bad_row_after_the_first_batches_rolls_back_what_was_written(store, tmp_path):
    rows = _many(25_000)
    rows[24_000][6] = "2026-11-31 10:00"  # found after two batches of 10,000 were handed to the writer
    path = write_csv(tmp_path / "late.csv", rows)
    before = store.fingerprint()
    out = summary(store, path, code=ExitCode.DATA)
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(24_001, "到店时间")]
    assert store.fingerprint() == before
    skipped = summary(store, path, "--skip-bad")
    assert (skipped["new"], skipped["rejected"], skipped["committed"]) == (24_999, 1, True)
    assert store.scalar("SELECT count(*) FROM leads") == 24_999
    assert integrity(store) == "ok"


@pytest.mark.parametrize("first, then", [
    (["--source", "总部下发"], ["--source", "hq"]),  # one channel, named in Chinese and then in English
    (["--source", "总部下发"], ["--source", "web"]),  # the same file, its source named otherwise the second time
])
def test_the_same_file_again_changes_nothing_whatever_its_source_is_called(store, first, then):
    summary(store, EXAMPLES / "hq_leads_utf8bom.csv", *first)
    traffic = store.scalar("SELECT count(*) FROM visits")
    before = store.fingerprint()
    again = summary(store, EXAMPLES / "hq_leads_utf8bom.csv", *then)
    assert (again["new"], again["merged"], again["skipped_duplicates"]) == (0, 0, again["read"])
    assert store.scalar("SELECT count(*) FROM visits") == traffic and store.fingerprint() == before


def test_a_list_with_a_channel_column_and_no_times_imported_again_with_a_source(store, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["姓名", "电话", "客户来源"], ["张三", "13800138000", "网络"],
                                              ["李四", "13900139000", "来电"]])
    assert summary(store, path)["new"] == 2
    before = store.fingerprint()
    assert summary(store, path, "--source", "LMS")["skipped_duplicates"] == 2
    assert store.fingerprint() == before
    other = write_csv(tmp_path / "other.csv", [["电话", "客户来源", "备注"], ["13800138000", "网络", "再次报名"]])
    assert summary(store, other, "--source", "LMS")["merged"] == 1  # another file from another source: a contact


def test_an_lms_lead_keeps_its_lms_creation_time_as_its_record_and_no_entry_window(store, tmp_path):
    """[001] 电销以LMS系统为准: the telesales' LMS card of 2026-11-02 is the first valid record when a consultant
    meets the customer weeks later; the [003] two-day entry window is for cards entered by hand."""
    path = write_csv(tmp_path / "lms.csv", [["客户姓名", "手机号码", "客户来源", "销售顾问", "创建时间"],
                                            ["张三", "13800138000", "网络", "杨洋", "2026-11-02 10:00"]])
    summary(store, path, "--source", "LMS")
    assert store.query("SELECT created_at FROM leads") == [("2026-11-02T10:00:00",)]
    intake(store, "13800138000", name="张三", owner="李明")  # the customer walks in; another consultant claims
    (collision,) = store.json("collisions", actor=MANAGER)
    assert collision["owner"]["recorded_at"] == "2026-11-02T10:00:00" and collision["owner"]["card_counts"]
    assert collision["recommended"] == "杨洋"
    store("collisions", "rule", str(collision["id"]), "--to", "杨洋", actor=MANAGER)
    assert store.query("SELECT s.name, c.ruling FROM collisions c JOIN staff s ON s.id = c.ruled_to") == [
        ("杨洋", "as recommended")]
    assert store.query("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id") == [("杨洋",)]


def test_a_card_entered_by_hand_days_after_the_reception_still_does_not_count(store):
    intake(store, "13800138000", name="张三", owner="李明", arrived="2026-11-18 10:00")  # entered 6 days late
    intake(store, "13800138000", name="张三", owner="赵磊")
    (collision,) = store.json("collisions", actor=MANAGER)
    assert not collision["owner"]["card_counts"] and collision["recommended"] == "赵磊"


def test_one_claim_is_one_collision_in_a_file_and_across_imports(store, tmp_path):
    intake(store, "13800138000", name="张三", owner="李明")
    intake(store, "13800138000", name="张三", owner="赵磊")  # 赵磊's claim, open
    visits = [["张三", "13800138000", "迈腾", "展厅", "", name, f"2026-11-{day} 10:00"]
              for day, name in ((20, "赵磊"), (21, "孙浩"), (22, "孙浩"), (23, "赵磊"))]
    out = summary(store, write_csv(tmp_path / "dms.csv", [HEADER, *visits]), "--kind", "visits", "--source", "DMS")
    assert (out["merged"], out["collisions"]) == (4, 1)  # 孙浩's claim; 赵磊's was open already
    assert store.query("SELECT s.name, count(*) FROM collisions c JOIN staff s ON s.id = c.claimant_id"
                       " GROUP BY s.name ORDER BY s.name") == [("孙浩", 1), ("赵磊", 1)]


def test_a_claim_an_lms_import_brings_counts_from_its_lms_time_not_the_import(store, tmp_path):
    """[001] 电销以LMS系统为准, from the claimant's side: a consultant's card entered by hand, then the LMS export
    naming a telesales who had the customer two weeks earlier; imported today, the LMS card still counts."""
    intake(store, "13800138000", name="张三", owner="李明", arrived="2026-11-23T10:00")
    path = write_csv(tmp_path / "lms.csv", [["客户姓名", "手机号码", "客户来源", "销售顾问", "创建时间"],
                                            ["张三", "13800138000", "网络", "杨洋", "2026-11-10 10:00"]])
    assert summary(store, path, "--source", "LMS")["collisions"] == 1
    assert store.query("SELECT opened_at, entered_at FROM collisions") == [("2026-11-24T09:00:00",
                                                                            "2026-11-10T10:00:00")]
    (collision,) = store.json("collisions", actor=MANAGER)
    claimant = collision["claimant"]
    assert (claimant["staff"], claimant["recorded_at"], claimant["entered_at"], claimant["card_counts"]) == (
        "杨洋", "2026-11-10T10:00:00", "2026-11-10T10:00:00", True)
    assert collision["owner"]["card_counts"] and collision["recommended"] == "杨洋"  # the first valid record


def test_a_claim_at_the_front_desk_is_entered_when_it_is_opened(store):
    intake(store, "13800138000", name="张三", owner="李明", arrived="2026-11-23T10:00")
    intake(store, "13800138000", name="张三", owner="赵磊", arrived="2026-11-20T10:00")  # told 4 days late
    assert store.query("SELECT entered_at FROM collisions") == [(None,)]
    (collision,) = store.json("collisions", actor=MANAGER)
    assert collision["claimant"]["entered_at"] == collision["opened_at"] and not collision["claimant"]["card_counts"]
    assert collision["recommended"] == "李明"
