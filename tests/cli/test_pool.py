"""The DCC pool: distribution by rule, the duty roster, the escalation ladder and manual assignment, through the CLI
and asserted in the database."""

from collections import Counter

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake

M = "王经理"


@pytest.fixture
def dcc(cli):
    for name in ("钱电销", "周电销"):
        cli("staff", "add", name, "--role", "telesales", "--team", "dcc", actor=M)
    return cli


def _pool_leads(cli, count: int, start: int = 100) -> list[str]:
    phones = [f"139{start + i:08d}" for i in range(count)]
    for phone in phones:
        intake(cli, phone, channel="web")  # the front desk registers it: no owner, a pool channel
    return phones


def _owners(cli) -> Counter:
    return Counter(name for (name,) in cli.query(
        "SELECT s.name FROM owners o JOIN staff s ON s.id = o.to_id WHERE o.reason = 'assigned: round-robin'"))


def test_round_robin_skips_who_is_off_duty(dcc):
    _pool_leads(dcc, 30)
    dcc("duty", "set", "周电销", "--off", "2026-11-24", actor=M)
    dry = dcc.json("assign", "--dry-run", actor=M)
    assert len(dry["assigned"]) == 30 and not _owners(dcc)
    done = dcc.json("assign", actor=M)
    assert Counter(r["to"] for r in done["assigned"]) == {"赵电销": 15, "钱电销": 15}
    assert _owners(dcc) == {"赵电销": 15, "钱电销": 15}
    assert dcc.scalar("SELECT count(*) FROM events WHERE action = 'assign'") == 30
    assert dcc.scalar("SELECT count(*) FROM leads WHERE owner_id IS NULL AND channel = 'web'") == 0
    card = dcc.json("show", "13900000100", actor=M)
    assert card["owners"][-1]["reason"] == "assigned: round-robin"
    assert dcc.json("assign", actor=M)["assigned"] == []  # nothing left: a rerun gives nothing


def test_weekday_roster_and_every_day(dcc):
    set_ = dcc.json("duty", "set", "钱电销", "--days", "周六..周日", actor=M)   # 2026-11-24 is a Tuesday
    assert set_["weekdays"] == [6, 7]
    listed = {r["name"]: r["on_duty"] for r in dcc.json("duty", "list", actor=M)}
    assert listed["钱电销"] is False and listed["赵电销"] is True
    _pool_leads(dcc, 4)
    assert set(_owners(dcc)) == set()
    assert {r["to"] for r in dcc.json("assign", actor=M)["assigned"]} == {"赵电销", "周电销"}
    dcc("duty", "set", "钱电销", "--every-day", actor=M)
    assert {r["name"]: r["on_duty"] for r in dcc.json("duty", "list", actor=M)}["钱电销"] is True
    dcc("duty", "set", "钱电销", "--days", "周八", code=ExitCode.DATA, actor=M)
    dcc("duty", "set", "钱电销", "--days", "周一", actor="赵电销", code=ExitCode.PERMISSION)


def test_least_loaded_never_passes_the_norm(dcc, tmp_path):
    policy = tmp_path / "least.toml"
    policy.write_text('[distribution]\nrule = "least-loaded"\n[kpi.calls_per_day]\nmin_exclusive = 1\nmax = 5\n',
                      encoding="utf-8")
    dcc("policy", "set-file", str(policy), actor=M)
    for i in range(4):  # 赵电销 has four contacts due (first contact of a lead he registered)
        intake(dcc, f"1370000000{i}", owner="赵电销", channel="call")
    dcc("duty", "set", "周电销", "--off", "2026-11-24", actor=M)
    _pool_leads(dcc, 10)
    done = dcc.json("assign", actor=M)
    given = Counter(r["to"] for r in done["assigned"])
    assert given == {"赵电销": 1, "钱电销": 5}
    assert len(done["left_in_pool"]) == 4
    loads = dict(dcc.query("SELECT s.name, count(*) FROM leads l JOIN staff s ON s.id = l.owner_id"
                           " WHERE l.next_due <= '2026-11-25' GROUP BY s.name"))
    assert max(loads.values()) == 5


def test_manual_assignment(dcc):
    a, b = _pool_leads(dcc, 2)
    dcc("assign", a, code=ExitCode.USAGE, actor=M)
    done = dcc.json("assign", a, b, "--to", "钱电销", actor=M)
    assert [r["to"] for r in done["assigned"]] == ["钱电销", "钱电销"]
    assert dcc.query("SELECT DISTINCT reason FROM owners WHERE to_id = (SELECT id FROM staff WHERE name = '钱电销')"
                     ) == [("assigned: manual",)]
    dcc("assign", a, "--to", "赵电销", code=ExitCode.REFUSED, actor=M)   # owned now: a transfer moves it
    dcc("assign", a, "--to", "张前台", code=ExitCode.REFUSED, actor=M)
    dcc("assign", "--to", "赵电销", code=ExitCode.USAGE, actor=M)


def test_intake_assign_and_channel_default(dcc, tmp_path):
    first = intake(dcc, "13900000001", channel="web", assign=True)
    assert dcc.scalar("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id WHERE l.id = ?",
                      first["lead_id"]) == "赵电销"
    plain = intake(dcc, "13900000002", channel="web")
    assert dcc.scalar("SELECT owner_id FROM leads WHERE id = ?", plain["lead_id"]) is None
    policy = tmp_path / "auto.toml"
    policy.write_text('[distribution]\nassign_channels = ["web"]\n', encoding="utf-8")
    dcc("policy", "set-file", str(policy), actor=M)
    auto = intake(dcc, "13900000003", channel="web")
    assert dcc.scalar("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id WHERE l.id = ?",
                      auto["lead_id"]) == "钱电销"   # in turn after 赵电销
    walk_in = intake(dcc, "13900000004")  # a walk-in is not a pool lead
    assert dcc.scalar("SELECT owner_id FROM leads WHERE id = ?", walk_in["lead_id"]) is None


def _sweep(cli, day: str):
    return cli.json("transfer", "sweep", actor=M, now=f"{day}T08:00")["escalations"]


def test_the_ladder_moves_a_lead_once_per_rung(cli):
    intake(cli, "13800000001", owner="李娜")  # first contact due today, 2026-11-24 (a Tuesday)
    rungs = {}
    for day in ("2026-11-25", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-27", "2026-11-30", "2026-12-01"):
        rungs[day] = rungs.get(day, []) + [r["rung"] for r in _sweep(cli, day)]
    assert rungs == {"2026-11-25": [1], "2026-11-26": [2], "2026-11-27": [3], "2026-11-30": [], "2026-12-01": []}
    assert cli.query("SELECT rung, action, due_on FROM escalations ORDER BY rung") == [
        (1, "late", "2026-11-24"), (2, "manager", "2026-11-24"), (3, "manager", "2026-11-24")]
    assert cli.scalar("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id") == "李娜"  # never reassigned
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'escalation'") == 3
    row = cli.json("due", "--all", actor=M, now="2026-11-26T09:00")
    lead = next(r for r in row if r["lead_id"])
    assert (lead["rung"], lead["rung_action"], lead["owner"]) == (2, "manager", "李娜")
    assert [r["lead_id"] for r in cli.json("due", "--escalated", actor=M, now="2026-11-26T09:00")] == [1]
    assert cli.json("due", "--escalated", actor=M, now="2026-11-25T09:00") == []
    # a contact resets the clock: a new due day, and the ladder starts again from it
    cli("followup", "13800000001", "--result", "联系上了", "--grade", "H", actor="李娜", now="2026-12-01T10:00")
    assert _sweep(cli, "2026-12-02") == []


def test_a_store_turns_reassignment_on(cli, tmp_path):
    policy = tmp_path / "reassign.toml"
    policy.write_text('[[escalation]]\nworking_days = 1\naction = "late"\n'
                      '[[escalation]]\nworking_days = 3\naction = "manager"\nreassign = true\n', encoding="utf-8")
    cli("policy", "set-file", str(policy), actor=M)
    intake(cli, "13800000001", owner="李娜")
    assert [r["rung"] for r in _sweep(cli, "2026-11-25")] == [1]
    moved = _sweep(cli, "2026-11-27")
    assert [(r["rung"], r["reassigned_to"]) for r in moved] == [(2, 5)]  # 赵电销, the telesales on duty
    assert _sweep(cli, "2026-11-27") == [] and _sweep(cli, "2026-11-30") == []
    assert cli.query("SELECT reason FROM owners WHERE reason = 'escalated'") == [("escalated",)]
    assert cli.scalar("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id") == "赵电销"


def test_dry_run_sweep_lists_the_rungs_and_writes_nothing(cli):
    intake(cli, "13800000001", owner="李娜")
    before = cli.fingerprint()
    out = cli.json("transfer", "sweep", "--dry-run", actor=M, now="2026-11-26T08:00")
    assert [r["rung"] for r in out["escalations"]] == [1, 2]
    assert cli.fingerprint() == before


def test_import_assign(dcc, tmp_path):
    rows = tmp_path / "web.csv"
    rows.write_text("name,phone,channel\n张三,13912345601,web\n李四,13912345602,web\n王五,13912345603,walk-in\n",
                    encoding="utf-8")
    summary = dcc.json("import", str(rows), "--assign", actor=M)
    assert (summary["new"], summary["assigned"]) == (3, 2)
    assert dcc.query("SELECT l.channel, s.name FROM leads l LEFT JOIN staff s ON s.id = l.owner_id ORDER BY l.id") == [
        ("web", "赵电销"), ("web", "钱电销"), ("walk-in", None)]
