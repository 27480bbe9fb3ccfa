"""KPI bounds with the sources' signs [002]: "40<每天呼入呼出电话完成量≤60", "直销员每天接待新客户≤5个",
"50%>...>=25%". Calls in and out count; a failure says which bound it crossed."""

import json
import sqlite3
from datetime import datetime

import pytest
from openpyxl import load_workbook

from leadctl.errors import ExitCode
from leadctl.services import setup
from leadctl.store import db as store_db
from leadctl.store.schema import MIGRATIONS
from tests.conftest import Cli


def _journal(tmp_path, entries):
    path = tmp_path / "kpi.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8")
    return path


def _a_day(day: str, calls: int, receptions: int, serial: list[int]) -> list[dict]:
    """On `day`: telesales 钱电销 takes calls/2 inbound calls (来电, 400) and makes calls/2 phone follow-ups;
    the desk registers `receptions` first visits received by direct sales 周直销."""
    out = []
    inbound = calls // 2
    for i in range(inbound):
        serial[0] += 1
        phone = f"139{serial[0]:08d}"
        at = f"{day}T09:{i:02d}"
        out.append({"at": at, "as": "钱电销", "cmd": "intake",
                    "args": {"name": f"来电{serial[0]}", "phone": phone, "channel": "400" if i % 2 else "来电"}})
        out.append({"at": f"{day}T14:{i:02d}", "as": "钱电销", "cmd": "followup",
                    "args": {"lead": phone, "result": "回电确认车型", "method": "phone"}})
    for i in range(receptions):
        serial[0] += 1
        out.append({"at": f"{day}T16:{i:02d}", "as": "张前台", "cmd": "intake",
                    "args": {"name": f"到店{serial[0]}", "phone": f"137{serial[0]:08d}", "owner": "周直销"}})
    return sorted(out, key=lambda e: e["at"])


@pytest.fixture
def workload(cli, tmp_path):
    cli("staff", "add", "钱电销", "--role", "telesales", "--team", "dcc", actor="王经理")
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    serial = [0]
    entries = (_a_day("2026-10-12", 60, 5, serial) + _a_day("2026-10-13", 40, 6, serial)
               + _a_day("2026-10-14", 62, 4, serial))
    cli("replay", str(_journal(tmp_path, entries)), actor="王经理")
    return cli


def _kpis(cli, day):
    rows = cli.json("report", "kpi", "--from", day, "--to", day, actor="王经理")["rows"]
    return {r["kpi"]: r for r in rows if r["staff"]}


def test_the_presets_carry_the_sources_signs(cli):
    for preset in ("standard", "dcc", "fleet"):
        cli("policy", "set-file", str(_preset_file(cli, preset)), actor="王经理")
        kpi = cli.json("policy", "show")["kpi"]
        assert kpi["calls_per_day"] == {"min_exclusive": 40, "max": 60}
        assert kpi["receptions_per_day"] == {"max": 5}
        assert kpi["arrival_rate"] == kpi["close_rate"] == {"min": 0.25, "max_exclusive": 0.50}
        assert kpi["dcc_share"] == {"min": 0.10}


def _preset_file(cli, name):
    path = cli.db.parent / f"{name}.toml"
    path.write_text(f'preset = "{name}"\n', encoding="utf-8")
    return path


def test_exactly_60_calls_and_exactly_5_receptions_pass(workload):
    # what the store holds for the day: 30 inbound calls registered by the telesales, 30 phone follow-ups
    assert workload.scalar("SELECT count(*) FROM visits v JOIN staff s ON s.id = v.registered_by WHERE"
                           " v.kind = 'call' AND s.name = '钱电销' AND v.arrived_at LIKE '2026-10-12%'") == 30
    assert workload.scalar("SELECT count(*) FROM followups WHERE method = 'phone' AND at LIKE '2026-10-12%'") == 30
    got = _kpis(workload, "2026-10-12")
    calls, receptions = got["calls_per_day"], got["receptions_per_day"]
    assert (calls["staff"], calls["value"], calls["numerator"]) == ("钱电销", 60.0, 60)
    assert (calls["minimum"], calls["minimum_inclusive"], calls["maximum"], calls["maximum_inclusive"]) == (
        40, False, 60, True)
    assert calls["passed"] is True and calls["failed_because"] is None
    assert (receptions["staff"], receptions["value"], receptions["passed"]) == ("周直销", 5.0, True)
    assert receptions["maximum_inclusive"] is True and receptions["minimum_inclusive"] is None


def test_a_failure_says_which_bound_it_crossed(workload, zh):
    low = _kpis(workload, "2026-10-13")
    assert low["calls_per_day"]["value"] == 40.0              # 40 is not more than 40
    assert (low["calls_per_day"]["passed"], low["calls_per_day"]["failed_because"]) == (False, "below_minimum")
    assert (low["receptions_per_day"]["passed"], low["receptions_per_day"]["failed_because"]) == (
        False, "above_maximum")
    high = _kpis(workload, "2026-10-14")
    assert high["calls_per_day"]["failed_because"] == "above_maximum"
    assert high["receptions_per_day"]["passed"] is True
    table = workload("report", "kpi", "--from", "2026-10-13", "--to", "2026-10-13", actor="王经理").stdout
    assert "未达标原因" in table and "低于下限" in table and "高于上限" in table


def test_the_workbook_says_why_and_shows_the_signs(workload, tmp_path, zh):
    path = tmp_path / "kpi.xlsx"
    workload("report", "kpi", "--from", "2026-10-13", "--to", "2026-10-13", "--xlsx", str(path), actor="王经理")
    ws = load_workbook(path)["关键指标"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "kpi" not in header  # the code beside its words: en only
    calls = next(r for r in rows if r["指标"] == "电销日均呼入呼出")
    assert (calls["达标"], calls["未达标原因"]) == ("未达标", "低于下限")
    assert (calls["含下限"], calls["含上限"]) == ("不含", "含")
    month = tmp_path / "month.xlsx"
    workload("report", "monthly", "--month", "2026-10", "--xlsx", str(month), actor="王经理")
    summary = load_workbook(month)["汇总"]
    assert [c.value for c in summary[3]][-1] == "未达标原因"
    line = next(r for r in summary.iter_rows(min_row=4) if r[0].value == "电销日均呼入呼出")
    assert line[5].number_format.startswith('"> "') and line[6].number_format.startswith('"≤ "')


@pytest.mark.parametrize("bounds, message", [
    ("min = 40\nmin_exclusive = 40", "give min or min_exclusive, not both"),
    ("max = 60\nmax_exclusive = 60", "give max or max_exclusive, not both"),
    ("min = 60\nmax = 40", "no value can pass"),
    ("min_exclusive = 60\nmax = 60", "no value can pass"),
    ("least = 1", "unknown key"),
])
def test_bounds_that_cannot_work_are_refused(cli, bounds, message):
    path = cli.db.parent / "kpi.toml"
    path.write_text(f"[kpi.calls_per_day]\n{bounds}\n", encoding="utf-8")
    before = cli.fingerprint()
    result = cli("policy", "set-file", str(path), actor="王经理", code=ExitCode.DATA)
    assert message in result.stderr and "kpi.calls_per_day" in result.stderr
    assert cli.fingerprint() == before


def test_a_policy_stored_before_keeps_its_strict_maxima(tmp_path):
    """Before 0011 every `max` was strict: an old database's stored policy says so as max_exclusive."""
    before = next(i for i in range(len(MIGRATIONS)) if MIGRATIONS._names[i].startswith("0011_"))
    path = tmp_path / "old.db"
    with pytest.MonkeyPatch.context() as patch:  # leadctl as it was before 0011
        patch.setattr(store_db, "MIGRATIONS", MIGRATIONS[:before])
        patch.setattr(store_db, "VERSION", before)
        setup.init(path, datetime(2026, 11, 1, 9, 0))
    conn = sqlite3.connect(path)
    body = json.loads(conn.execute("SELECT body FROM policy").fetchone()[0])
    body["kpi"] = {"calls_per_day": {"min": 40, "max": 60}, "receptions_per_day": {"max": 5},
                   "retention_rate": {"min": 0.9}}
    with conn:
        conn.execute("UPDATE policy SET body = ?", (json.dumps(body, ensure_ascii=False, sort_keys=True),))
    conn.close()
    kpi = Cli(path).json("policy", "show")["kpi"]
    assert kpi == {"calls_per_day": {"min": 40, "max_exclusive": 60}, "receptions_per_day": {"max_exclusive": 5},
                   "retention_rate": {"min": 0.9}}

