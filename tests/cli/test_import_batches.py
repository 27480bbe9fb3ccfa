"""`leadctl import` in batches: rows read, checked, planned and written a few at a time inside one transaction.
LEADCTL_IMPORT_BATCH_ROWS makes the batches small, so that a small file crosses many of them; every assertion is
through the real CLI and the real SQLite file."""

from __future__ import annotations

import pytest

from leadctl.errors import ExitCode
from leadctl.services import import_plan
from tests.cli.test_import import HEADER, integrity, summary, write_csv
from tests.conftest import intake

MANAGER = "王经理"


@pytest.fixture
def store(cli):
    """The consultants the rows name (as tests/cli/test_import.py has them)."""
    for name in ("李明", "赵磊"):
        cli("staff", "add", name, "--role", "consultant", "--team", "showroom", actor=MANAGER)
    return cli


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setenv("LEADCTL_IMPORT_BATCH_ROWS", "3")


def _rows(count: int) -> list[list]:
    return [HEADER, *([f"客户{i}", f"139{i:08d}", "迈腾", "展厅", "B", "李明", "2026-11-02 10:00"]
                      for i in range(count))]


def test_a_phone_in_the_first_and_the_last_batch_is_one_lead_from_its_earliest_visit(store, tmp_path, small_batches):
    rows = _rows(20)
    rows[1] = ["刘洋", "13800138000", "探岳", "展厅", "H", "李明", "2026-11-20 10:00"]  # batch 1: the later visit
    rows[10] = ["刘洋", "+86 138 0013 8000", "宝来", "来电", "A", "李明", "2026-11-10 10:00"]  # a middle batch
    rows[20] = ["刘洋", "138-0013-8000", "迈腾", "来电", "B", "赵磊", "2026-11-01 09:00"]  # the last batch: the first
    out = summary(store, write_csv(tmp_path / "far.csv", rows))
    assert (out["read"], out["new"], out["merged"], out["rejected"], out["committed"]) == (20, 18, 2, 0, True)
    assert store.query("SELECT created_at, last_contact_at, grade, model, channel FROM leads"
                       " WHERE phone = '13800138000'") == [("2026-11-01T09:00:00", "2026-11-20T10:00:00", "H", "探岳",
                                                            "call")]
    assert store.query("SELECT v.arrived_at, v.first_visit FROM visits v JOIN leads l ON l.id = v.lead_id"
                       " WHERE l.phone = '13800138000' ORDER BY v.arrived_at") == [
        ("2026-11-01T09:00:00", 1), ("2026-11-10T10:00:00", 0), ("2026-11-20T10:00:00", 0)]
    assert store.query("SELECT g.grade, g.previous FROM grades g JOIN leads l ON l.id = g.lead_id"
                       " WHERE l.phone = '13800138000' ORDER BY g.at") == [("B", None), ("A", "B"), ("H", "A")]
    assert store.scalar("SELECT count(*) FROM leads") == 18
    assert store.scalar("SELECT count(*) FROM visits") == 20
    assert integrity(store) == "ok"


def test_the_same_file_in_batches_imported_twice_changes_nothing(store, tmp_path, small_batches):
    rows = [["姓名", "电话", "客户来源"], *([f"客户{i}", f"139{i:08d}", "网络"] for i in range(10)),
            ["客户0", "139 0000 0000", "网络"]]  # a list without times: its first phone again, in the last batch
    path = write_csv(tmp_path / "hq.csv", rows)
    first = summary(store, path, "--source", "总部下发")
    assert (first["new"], first["merged"], first["skipped_duplicates"]) == (10, 0, 1)
    before = store.fingerprint()
    again = summary(store, path, "--source", "LMS")
    assert (again["new"], again["merged"], again["skipped_duplicates"]) == (0, 0, 11)
    assert again["previously_imported"]["import_id"] == first["import_id"]
    assert store.fingerprint() == before
    assert store.scalar("SELECT count(*) FROM import_rows WHERE import_id = ?", first["import_id"]) == 10


def test_a_problem_in_the_last_batch_rejects_every_row(store, tmp_path, small_batches):
    rows = _rows(14)
    rows[14][6] = "2026-11-31 10:00"  # in the fifth batch, after four were written
    path = write_csv(tmp_path / "late.csv", rows)
    before = store.fingerprint()
    out = summary(store, path, code=ExitCode.DATA)
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(15, "到店时间")]
    assert store.fingerprint() == before
    skipped = summary(store, path, "--skip-bad")
    assert (skipped["new"], skipped["rejected"], skipped["committed"]) == (13, 1, True)
    assert store.scalar("SELECT count(*) FROM leads") == 13


def test_an_undecodable_byte_after_the_first_batches_names_its_line_and_changes_nothing(store, tmp_path,
                                                                                     small_batches):
    path = write_csv(tmp_path / "late.csv", _rows(20))
    data = path.read_bytes().replace("客户17".encode(), b"\xff\xfe17")  # line 19 (header on line 1)
    path.write_bytes(data)
    before = store.fingerprint()
    result = store("import", str(path), "--encoding", "utf-8", code=ExitCode.DATA, actor=MANAGER)
    assert "byte 0xff on line 19" in result.stderr
    assert store.fingerprint() == before
    assert store.scalar("SELECT count(*) FROM leads") == 0


def test_a_malformed_line_after_the_first_batches_names_its_line_and_changes_nothing(store, tmp_path, small_batches):
    path = write_csv(tmp_path / "late.csv", _rows(20))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[15] = lines[15].replace("客户14", '"客户14"x')  # a character after a closing quote (strict CSV)
    path.write_text("".join(lines), encoding="utf-8")
    before = store.fingerprint()
    result = store("import", str(path), code=ExitCode.DATA, actor=MANAGER)
    assert "line 16 (row 16): malformed CSV" in result.stderr
    assert store.fingerprint() == before


def test_a_known_customer_in_several_batches_gets_every_visit_once(store, tmp_path, small_batches):
    intake(store, "13800138000", owner="李明")
    rows = _rows(9)
    rows[2] = ["老客户", "13800138000", "探岳", "展厅", "H", "李明", "2026-11-20 10:00"]
    rows[8] = ["老客户", "138 0013 8000", "迈腾", "来电", "A", "李明", "2026-11-21 10:00"]
    path = write_csv(tmp_path / "known.csv", rows)
    out = summary(store, path)
    assert (out["new"], out["merged"]) == (7, 2)
    assert store.query("SELECT grade, last_contact_at FROM leads WHERE phone = '13800138000'") == [
        ("A", "2026-11-24T09:00:00")]  # the intake, now, is the last contact
    before = store.fingerprint()
    assert summary(store, path)["skipped_duplicates"] == 9
    assert store.fingerprint() == before


def test_a_dry_run_in_batches_says_what_the_import_does(store, tmp_path, small_batches):
    rows = _rows(12)
    rows[12] = ["客户0", "139 0000 0000", "宝来", "来电", "A", "李明", "2026-11-03 10:00"]
    path = write_csv(tmp_path / "dry.csv", rows)
    before = store.fingerprint()
    dry = summary(store, path, "--dry-run")
    assert store.fingerprint() == before
    real = summary(store, path)
    assert {k: dry[k] for k in ("new", "merged", "visits", "grades")} == \
        {k: real[k] for k in ("new", "merged", "visits", "grades")} == {"new": 11, "merged": 1, "visits": 12,
                                                                         "grades": 12}


def test_a_batch_size_that_is_not_a_positive_number_is_a_configuration_error(store, tmp_path, monkeypatch):
    monkeypatch.setenv("LEADCTL_IMPORT_BATCH_ROWS", "0")
    result = store("import", str(write_csv(tmp_path / "x.csv", _rows(2))), code=ExitCode.CONFIG, actor=MANAGER)
    assert "LEADCTL_IMPORT_BATCH_ROWS" in result.stderr
    assert store.scalar("SELECT count(*) FROM leads") == 0


def test_a_file_of_carriage_returns_only_is_still_read_in_batches_that_fold_its_phones(store, tmp_path, small_batches):
    rows = _rows(6)
    rows[1] = ["刘洋", "13800138000", "探岳", "展厅", "H", "李明", "2026-11-20 10:00"]
    rows[6] = ["刘洋", "138 0013 8000", "迈腾", "来电", "B", "李明", "2026-11-01 09:00"]
    path = tmp_path / "mac.csv"
    path.write_bytes("\r".join(",".join(row) for row in rows).encode("utf-8"))  # no line feed at all
    out = summary(store, path)
    assert (out["read"], out["new"], out["merged"]) == (6, 5, 1)
    assert store.query("SELECT created_at, grade FROM leads WHERE phone = '13800138000'") == [
        ("2026-11-01T09:00:00", "H")]


def test_phones_sharing_their_last_eight_digits_in_other_batches_are_each_planned_once(store, tmp_path,
                                                                                       small_batches):
    rows = _rows(12)
    rows[1] = ["甲", "13812345678", "探岳", "展厅", "H", "李明", "2026-11-05 10:00"]  # batch 1
    rows[5] = ["乙", "13912345678", "宝来", "展厅", "A", "李明", "2026-11-06 10:00"]  # batch 2: the same tail
    rows[7] = ["甲", "138 1234 5678", "迈腾", "来电", "B", "李明", "2026-11-01 09:00"]  # batch 3: 甲's first visit
    rows[10] = ["乙", "+86 139-1234-5678", "迈腾", "来电", "C", "赵磊", "2026-11-07 09:00"]  # batch 4
    rows.append(["丙", "1012345678", "迈腾", "来电", "B", "李明", "2026-11-02 09:00"])  # batch 5: no trunk 0, refused
    out = summary(store, write_csv(tmp_path / "tails.csv", rows), "--skip-bad")
    assert (out["read"], out["new"], out["merged"], out["rejected"]) == (13, 10, 2, 1)
    assert store.query("SELECT phone, name, created_at, last_contact_at, grade FROM leads"
                       " WHERE phone IN ('13812345678', '13912345678') ORDER BY phone") == [
        ("13812345678", "甲", "2026-11-01T09:00:00", "2026-11-05T10:00:00", "H"),
        ("13912345678", "乙", "2026-11-06T10:00:00", "2026-11-07T09:00:00", "C")]
    assert store.scalar("SELECT count(*) FROM visits") == 12
    assert integrity(store) == "ok"


def test_a_file_as_large_as_the_store_builds_the_leads_indexes_again_as_they_were(store, tmp_path):
    rows = _rows(import_plan.REBUILD_ROWS)  # at least REBUILD_ROWS and the store's leads: indexes set aside
    rows[20_000][1] = "1380013800"  # one digit short
    path = write_csv(tmp_path / "large.csv", rows)
    schema = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'leads' ORDER BY name"
    indexes, before = store.query(schema), store.fingerprint()
    assert len(indexes) > 10
    out = summary(store, path, code=ExitCode.DATA)
    assert (out["rejected"], out["committed"]) == (1, False)
    assert store.fingerprint() == before  # refused: indexes and all, as before
    out = summary(store, path, "--skip-bad")
    assert (out["new"], out["rejected"], out["committed"]) == (import_plan.REBUILD_ROWS - 1, 1, True)
    assert store.query(schema) == indexes
    assert store.query("SELECT count(*) FROM leads INDEXED BY leads_name WHERE name = '客户49999'") == [(1,)]
    assert integrity(store) == "ok"
