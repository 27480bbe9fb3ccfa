"""Export, check, backup, restore and purge through the real CLI and the real file."""

import csv
import json
import re
import sqlite3
import stat
import zipfile

import pytest
from openpyxl import load_workbook

from leadctl.errors import ExitCode
from tests.conftest import intake


@pytest.fixture
def store(cli):
    intake(cli, "13800138000", name="刘洋", owner="李娜", grade="H", arrived="2026-11-20T10:00")
    intake(cli, "13900139000", name="=HYPERLINK(\"http://x\",\"点我\")", owner="陈刚", arrived="2026-11-21T10:00")
    intake(cli, "13700137000", name="@SUM(1)", owner="陈刚", model="-1+2", arrived="2026-11-22T10:00")
    cli.json("followup", "1", "--result", "+86 已报价", actor="李娜")
    return cli


def test_managers_export_full_phones_to_csv_with_bom(store, tmp_path, zh):
    path = tmp_path / "leads.csv"
    store("export", "leads", "--csv", str(path), actor="王经理")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["客户编号", "客户姓名", "电话"]
    assert [r[2] for r in rows[1:]] == ["13800138000", "13900139000", "13700137000"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    event = store.query("SELECT json_extract(detail, '$.kind'), json_extract(detail, '$.rows'),"
                        " json_extract(detail, '$.masked') FROM events WHERE action = 'export'")
    assert event == [("leads", 3, 0)]


def test_text_excel_would_run_stays_text(store, tmp_path):
    path = tmp_path / "leads.csv"
    store("export", "leads", "--csv", str(path), actor="王经理")
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
    names = [r[1] for r in rows[1:]]
    assert names[1] == "'=HYPERLINK(\"http://x\",\"点我\")" and names[2] == "'@SUM(1)"
    assert rows[3][5] == "'-1+2"
    followups = tmp_path / "f.csv"
    store("export", "followups", "--csv", str(followups), actor="王经理")
    assert list(csv.reader(followups.read_text("utf-8-sig").splitlines()))[1][6] == "'+86 已报价"
    book = tmp_path / "leads.xlsx"
    store("export", "leads", "--xlsx", str(book), actor="王经理")
    with zipfile.ZipFile(book) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert load_workbook(book).active["B3"].value == "=HYPERLINK(\"http://x\",\"点我\")"


def test_salespeople_export_only_their_own_leads_in_full_others_see_them_masked(store, tmp_path):
    path = tmp_path / "mine.csv"
    store("export", "leads", "--csv", str(path), actor="陈刚")
    text = path.read_text("utf-8-sig")
    assert [r[2] for r in list(csv.reader(text.splitlines()))[1:]] == ["13900139000", "13700137000"]
    service = tmp_path / "service.csv"
    store("export", "leads", "--csv", str(service), actor="孙客服")
    text = service.read_text("utf-8-sig")
    assert not re.search(r"1[3-9]\d{9}", text)
    assert "139****9000" in text
    store("export", "leads", "--csv", str(tmp_path / "x.csv"), "--owner", "李娜", actor="陈刚",
          code=ExitCode.PERMISSION)
    store("export", "leads", "--csv", str(tmp_path / "y.csv"), actor="张前台", code=ExitCode.PERMISSION)
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "y.csv").exists()


def test_export_filters_and_json(store):
    rows = store.json("export", "leads", "--grade", "H", actor="王经理")
    assert [r["phone"] for r in rows] == ["13800138000"]
    assert len(store.json("export", "visits", "--from", "2026-11-21", "--to", "2026-11-21", actor="王经理")) == 1
    store("export", "leads", actor="王经理", code=ExitCode.USAGE)
    store("export", "cars", "--json", actor="王经理", code=ExitCode.USAGE)


def test_check_finds_what_needs_attention(store, db_path):
    findings = store.json("check")
    assert findings["ok"] is True and findings["cadence_breaches"] == [] and findings["no_next_due"] == []
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE leads SET next_due = '2027-01-01' WHERE id = 1")
    conn.commit()
    conn.close()
    breach = json.loads(store("check", "--json", code=ExitCode.ATTENTION).stdout)["cadence_breaches"]
    assert breach == [{"lead_id": 1, "due": "2027-01-01", "should_be": "2026-11-26"}]
    assert "Next follow-ups later than the policy allows: 1" in store("check", code=ExitCode.ATTENTION).stderr


def test_check_passes_on_a_clean_store(cli):
    assert cli.json("check")["ok"] is True
    cli("check")


def test_a_write_leaves_the_planner_statistics_and_check_accepts_them(store):
    """Closing a connection that wrote runs PRAGMA optimize: SQLite's sqlite_stat1 appears, and check's schema
    comparison takes it for SQLite's own."""
    assert store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") == 1
    assert json.loads(store("check", "--json").stdout)["schema"] == []


def test_check_reports_probable_duplicates(store):
    intake(store, "13800138001", name="刘洋", owner="李娜")
    dupes = json.loads(store("check", "--json", code=ExitCode.ATTENTION).stdout)["probable_duplicates"]
    assert dupes == [{"lead_ids": [1, 4], "name": "刘洋", "phones": ["138****8000", "138****8001"]}]


def test_check_finds_every_near_pair_and_only_those(cli):
    """One digit apart in the first half or in the second, the same last eight digits: each pair once, sorted;
    other people of the same name and merged leads are not candidates."""
    for number in ("13812345678", "13912345678", "13812345679", "15912345678", "13898765432", "13698765432"):
        intake(cli, number, name="王芳", owner="李娜")
    intake(cli, "13812345670", name="王方", owner="李娜")                       # another name
    dupes = json.loads(cli("check", "--json", code=ExitCode.ATTENTION).stdout)["probable_duplicates"]
    phones = dict(cli.query("SELECT id, phone FROM leads"))
    def close(a, b):
        return a[-8:] == b[-8:] or sum(x != y for x, y in zip(a, b, strict=True)) <= 1

    near = [[a, b] for a in sorted(phones) for b in sorted(phones) if a < b <= 6 and close(phones[a], phones[b])]
    assert [d["lead_ids"] for d in dupes] == near
    assert [1, 2] in near and [1, 3] in near and [1, 4] in near and [5, 6] in near and [1, 5] not in near
    assert all(d["name"] == "王芳" and "****" in d["phones"][0] for d in dupes)


def test_backup_is_consistent_private_and_restorable(store, tmp_path, db_path):
    target = tmp_path / "backup.db"
    store("backup", str(target), actor="王经理")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM leads").fetchone()[0] == 3
    copy.close()
    store("backup", str(target), actor="王经理", code=ExitCode.CANT_CREATE)   # never over a file unless --force
    store("backup", str(tmp_path / "b2.db"), actor="李娜", code=ExitCode.PERMISSION)
    intake(store, "13600136000", owner="李娜")
    assert store.scalar("SELECT count(*) FROM leads") == 4
    store("restore", str(target), actor="王经理", code=ExitCode.USAGE)          # a script must say --yes
    assert store.scalar("SELECT count(*) FROM leads") == 4
    store("restore", str(target), "--yes", actor="王经理")
    assert store.scalar("SELECT count(*) FROM leads") == 3
    assert store.scalar("SELECT action FROM events ORDER BY id DESC LIMIT 1") == "restore"
    assert store.json("due", "--all", actor="王经理")                                         # it works as before


def test_restore_refuses_while_the_database_is_in_use(store, tmp_path, db_path):
    target = tmp_path / "backup.db"
    store("backup", str(target), actor="王经理")
    other = sqlite3.connect(db_path)
    other.execute("SELECT count(*) FROM leads").fetchone()
    try:
        result = store("restore", str(target), "--yes", actor="王经理", code=ExitCode.REFUSED)
        assert "in use" in result.stderr
    finally:
        other.close()
    not_backup = tmp_path / "x.db"
    not_backup.write_text("hello")
    store("restore", str(not_backup), "--yes", actor="王经理", code=ExitCode.IO)
    store("restore", str(tmp_path / "missing.db"), "--yes", actor="王经理", code=ExitCode.NO_INPUT)


def test_purge_erases_the_customer_from_the_file(store, db_path):
    store.json("purge", "13800138000", actor="王经理")
    data = b"".join(p.read_bytes() for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.exists())
    assert data.count(b"13800138000") == 0
    assert data.count("刘洋".encode()) == 0
    assert data.count("+86 已报价".encode()) == 0
    assert store.query("SELECT name, phone FROM leads WHERE id = 1") == [(None, "purged:1")]
    assert store.scalar("SELECT count(*) FROM followups WHERE lead_id = 1") == 1   # the counts stay
    assert store.json("purge", "1", actor="王经理")["already"] is True        # again: nothing to erase, file clean
    store("purge", "2", actor="李娜", code=ExitCode.PERMISSION)


def test_check_holds_the_first_findings_of_each_kind_and_counts_them_all():
    from leadctl.services.maintenance import LISTED, Findings

    found = Findings({"lead_id": i} for i in range(LISTED + 5))
    assert len(found) == LISTED and found.total == LISTED + 5 and found[0] == {"lead_id": 0}


def test_csv_headers_follow_the_language_and_codes_are_stable(store, tmp_path, monkeypatch):
    """Chinese forms' headers under zh, the keys' words under en (as a report's); --codes writes the keys in either
    language."""
    from leadctl import i18n

    heads = {}
    for lang in ("zh", "en"):
        i18n.use(lang)
        for codes in ((), ("--codes",)):
            path = tmp_path / f"leads-{lang}-{len(codes)}.csv"
            store("export", "leads", "--csv", str(path), *codes, actor="王经理")
            heads[lang, bool(codes)] = next(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))[:3]
            report = store("report", "sources", "--csv", *codes, actor="王经理").stdout
            heads[lang, bool(codes), "report"] = report.splitlines()[0].split(",")[0]
    i18n.use("en")
    assert heads["zh", False] == ["客户编号", "客户姓名", "电话"]
    assert heads["en", False] == ["ID", "Name", "Phone"]
    assert heads["zh", True] == heads["en", True] == ["id", "name", "phone"]
    assert heads["zh", True, "report"] == heads["en", True, "report"] == "channel"
    assert (heads["zh", False, "report"], heads["en", False, "report"]) == ("客户来源", "Channel")  # words in each
