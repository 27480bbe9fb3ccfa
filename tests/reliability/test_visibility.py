"""Who sees a customer's phone (README "Safety of the data"): every command that prints customer rows, in every form
(JSON, CSV, table, files), run as every role, shows no full number the rule does not allow; no command answers an
unknown, deactivated or missing identity; errors and audit events keep no phone and no text a person typed.

The rule the outputs are checked against is written here again, as SQL over the store, not taken from the code:
managers and admins see every phone; consultants and direct sales their own leads'; telesales also the unowned
leads of the DCC pool; customer service the defeat requests waiting for its call-back (in `defeat list`), the open
complaints it answers for and the resolved ones waiting for its survey (in `complaint list|show` and, for the open
ones, `due`); the front desk none in any listing.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from leadctl.cli import app
from leadctl.errors import ExitCode
from leadctl.reports.catalog import REPORTS
from tests.conftest import Cli

ROLES = {"王经理": "manager", "李娜": "consultant", "陈刚": "consultant", "张前台": "receptionist",
         "赵电销": "telesales", "孙客服": "service", "周直销": "direct-sales", "管理员": "admin"}
READ_AT = "2026-11-30T09:00"
# every customer's number; the four digits a mask hides are unique to each, so a leak shows even in a folded table
A, B, C, D, E, F, G, H = ("13911110001", "13922220002", "13933330003", "13944440004", "13955550005", "13766660006",
                          "13777770007", "13788880008")
PHONES = (A, B, C, D, E, F, G, H)
assert not any(p[3:7] in q for p in PHONES for q in PHONES if p != q)
FULL = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def middle(number: str) -> str:
    return number[3:7]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Cli:
    """A store whose every listing has rows: owned, pooled, handed-over, ordered, defeated, collided, complained."""
    cli = Cli(tmp_path_factory.mktemp("visibility") / "store.db")
    cli("init", now="2026-11-01T08:00")
    cli("staff", "add", "王经理", "--role", "manager", now="2026-11-01T08:00")
    for name, role in list(ROLES.items())[1:]:
        team = {"李娜": "showroom", "陈刚": "showroom", "赵电销": "dcc", "周直销": "dcc"}.get(name)
        cli("staff", "add", name, "--role", role, *(["--team", team] if team else []), actor="王经理",
            now="2026-11-01T08:00")

    def visit(number, owner, at, grade, name):
        cli("intake", "--name", name, "--phone", number, "--owner", owner, "--grade", grade, actor="张前台", now=at)

    visit(A, "李娜", "2026-11-20T10:00", "H", "客户甲")
    cli("followup", A, "--result", "报价", actor="李娜", now="2026-11-20T15:00")
    cli("order", A, "--brand", "大众", "--series", "迈腾", "--model", "330TSI", actor="李娜", now="2026-11-21T10:00")
    visit(B, "陈刚", "2026-11-20T11:00", "A", "客户乙")
    cli("intake", "--name", "客户乙", "--phone", B, actor="李娜", now="2026-11-22T10:00")  # a collision
    cli("defeat", "request", B, "--reason", "price", actor="陈刚", now="2026-11-23T10:00")  # waits for its call-back
    visit(C, "陈刚", "2026-11-03T10:00", "B", "客户丙")  # B at month end: swept to the DCC pool
    cli("intake", "--name", "客户丁", "--phone", D, "--channel", "call", actor="赵电销", now="2026-11-24T09:00")
    cli("grade", D, "A", actor="赵电销", now="2026-11-24T09:10")
    cli("invite", D, "--on", "2026-11-26T10:00", actor="赵电销", now="2026-11-25T09:00")
    cli("arrive", D, actor="张前台", now="2026-11-26T10:05")
    cli("handover", D, "--to", "周直销", actor="赵电销", now="2026-11-26T10:30")  # now 周直销's
    cli("intake", "--name", "客户戊", "--phone", E, "--channel", "call", actor="赵电销", now="2026-11-27T09:00")
    cli("invite", E, "--on", "2026-12-01T10:00", actor="赵电销", now="2026-11-27T09:30")
    cli("complaint", "new", "--phone", F, "--name", "路人", "--channel", "phone", "--kind", "service", "--summary",
        "电话打不通", actor="张前台", now="2026-11-27T10:00")
    cli("complaint", "escalate", "1", "--to", "孙客服", actor="王经理", now="2026-11-27T10:30")  # 孙客服 answers it
    cli("complaint", "new", "--customer", A, "--channel", "onsite", "--kind", "service", "--summary", "等太久",
        actor="张前台", now="2026-11-27T11:00")
    cli("complaint", "resolve", "2", "--valid", "--action", "道歉", actor="孙客服",
        now="2026-11-27T12:00")  # its survey is due
    visit(G, "陈刚", "2026-11-21T10:00", "H", "客户庚")
    cli("defeat", "request", G, "--reason", "competitor", actor="陈刚", now="2026-11-25T10:00")
    cli("defeat", "verify", "2", "--result", "已购他牌", actor="孙客服",
        now="2026-11-25T15:00")  # verified: no call-back due
    visit(H, "李娜", "2026-11-28T10:00", "A", "客户辛")
    cli("transfer", "sweep", actor="王经理", now="2026-11-30T07:00")
    assert cli.query("SELECT phone FROM leads WHERE pool = 'dcc' AND owner_id IS NULL") == [(C,)]
    return cli


def allowed(store: Cli, viewer: str, command: str) -> set[str]:
    """The phones `viewer` may see in full in the output of `command`, by the rule in this module's docstring."""
    role = ROLES[viewer]
    if role in ("manager", "admin"):
        return set(PHONES)
    if role in ("consultant", "direct-sales", "telesales"):
        pool = " OR (l.owner_id IS NULL AND l.pool = 'dcc')" if role == "telesales" else ""
        return {p for (p,) in store.query(f"SELECT l.phone FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
                                          f" WHERE s.name = ?{pool}", viewer)}
    if role != "service":
        return set()
    if command == "defeat list":
        return {p for (p,) in store.query("SELECT l.phone FROM defeats d JOIN leads l ON l.id = d.lead_id"
                                          " WHERE d.status = 'requested'")}
    complaints = ("SELECT coalesce(l.phone, c.phone) FROM complaints c LEFT JOIN leads l ON l.id = c.lead_id"
                  " JOIN staff r ON r.id = c.responsible_id WHERE (c.status = 'open' AND r.name = ?)")
    if command == "due":
        return {p for (p,) in store.query(complaints, viewer)}
    if command.startswith("complaint"):
        return {p for (p,) in store.query(complaints + " OR (c.status = 'resolved' AND c.surveyed_at IS NULL)",
                                          viewer)}
    return set()


def _listings() -> list[tuple[str, list[str]]]:
    """(the rule's name for the command, its arguments) for every form of every command printing customer rows."""
    out = []
    for command, args in [("due", ["due"]), ("due", ["due", "--all"]), ("invitations", ["invitations"]),
                          ("handovers", ["handovers"]), ("defeat list", ["defeat", "list"]),
                          ("order list", ["order", "list"]), ("complaint list", ["complaint", "list"]),
                          ("review", ["review"]),
                          *((f"report {name}", ["report", name, "--month", "2026-11"]) for name in REPORTS)]:
        out += [(command, [*args, form]) for form in ("--json", "--csv", "")]
    for lead in range(1, 8):
        out += [("show", ["show", str(lead), form]) for form in ("--json", "")]
    for complaint in ("1", "2"):
        out += [("complaint show", ["complaint", "show", complaint, form]) for form in ("--json", "")]
    out += [("collisions", ["collisions", form]) for form in ("--json", "")]
    out += [(f"export {kind}", ["export", kind, "--json"]) for kind in ("leads", "visits", "followups", "defeats",
                                                                        "orders")]
    return [(c, [a for a in args if a]) for c, args in out]


def leaks(text: str, may_see: set[str], table: bool = False) -> list[str]:
    """Full numbers shown that the rule does not allow; in a table (whose cells may fold), also the hidden digits of
    any other number."""
    shown = [p for p in FULL.findall(text) if p not in may_see]
    rest = FULL.sub(" ", text)
    return shown + [p for p in PHONES if table and p not in may_see and middle(p) in rest]


def files_of(cli: Cli, viewer: str, folder: Path) -> dict[str, str]:
    """Every file the viewer may write with customer rows: exports (CSV, XLSX) and the monthly workbook."""
    texts = {}
    for kind in ("leads", "visits", "followups", "defeats", "orders"):
        for suffix in ("csv", "xlsx"):
            path = folder / f"{viewer}-{kind}.{suffix}"
            result = cli.runner.invoke(app, ["--db", str(cli.db), "--as", viewer, "--now", READ_AT, "export", kind,
                                             f"--{suffix}", str(path)])
            if result.exit_code == 0:
                texts[f"export {kind} --{suffix}"] = _text(path)
    path = folder / f"{viewer}-monthly.xlsx"
    result = cli.runner.invoke(app, ["--db", str(cli.db), "--as", viewer, "--now", READ_AT, "report", "monthly",
                                     "--month", "2026-11", "--xlsx", str(path)])
    if result.exit_code == 0:
        texts["report monthly --xlsx"] = _text(path)
    return texts


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    return path.read_text("utf-8-sig")


@pytest.mark.parametrize("viewer", list(ROLES), ids=list(ROLES.values()))
def test_no_listing_report_or_export_shows_a_phone_the_rule_does_not_allow(store, tmp_path, viewer):
    db = tmp_path / "store.db"
    shutil.copy(store.db, db)
    cli = Cli(db)
    found, seen, ran = {}, set(), 0
    for command, args in _listings():
        result = cli.runner.invoke(app, ["--db", str(db), "--as", viewer, "--now", READ_AT, *args])
        assert result.exit_code in (0, ExitCode.PERMISSION), f"{args}: {result.exit_code} {result.stderr}"
        ran += result.exit_code == 0
        may_see = allowed(cli, viewer, command)
        table = not {"--json", "--csv"} & set(args)
        for text in (result.stdout, result.stderr):
            if bad := leaks(text, may_see, table):
                found[" ".join(args)] = bad
            seen |= set(FULL.findall(text))
    for command, text in files_of(cli, viewer, tmp_path).items():
        if bad := leaks(text, allowed(cli, viewer, command.rsplit(" ", 1)[0])):
            found[command] = bad
        seen |= set(FULL.findall(text))
    assert found == {}, f"{viewer} ({ROLES[viewer]}) saw phones the rule does not allow"
    assert ran >= 40  # the listings did run for this role, not only refuse it
    everything = set().union(*(allowed(cli, viewer, command) for command, _ in _listings()))
    assert seen == everything  # and each sees in full what the rule gives them, nothing less
    assert seen == {"manager": set(PHONES), "admin": set(PHONES), "consultant": {A, H} if viewer == "李娜" else {B, G},
                    "direct-sales": {D}, "telesales": {C, E}, "service": {A, B, F},
                    "receptionist": set()}[ROLES[viewer]]


def test_a_manager_sees_full_phones_in_collisions_a_consultant_masked_ones_of_others_in_due(store):
    [collision] = store.json("collisions", actor="王经理", now=READ_AT)
    assert collision["phone"] == B
    rows = {r["lead_id"]: r["phone"] for r in store.json("due", "--all", actor="李娜", now=READ_AT) if r["lead_id"]}
    assert rows and all(FULL.fullmatch(p) is None for lead, p in rows.items() if p not in (A, H))
    assert "139****0003" in rows.values() and C not in rows.values()


def test_the_front_desk_sees_the_number_it_registers_and_no_other(store, tmp_path):
    db = tmp_path / "store.db"
    shutil.copy(store.db, db)
    cli = Cli(db)
    done = cli.json("intake", "--name", "新客", "--phone", "+86 139 9999 0009", actor="张前台", now=READ_AT)
    assert done["phone"] == "13999990009"                      # the visit being registered: in full
    assert cli.json("show", str(done["lead_id"]), actor="张前台", now=READ_AT)["phone"] == "139****0009"
    again = cli.json("intake", "--phone", B, actor="张前台", now=READ_AT)  # a return visit, typed again
    assert again["phone"] == B and cli.json("show", B, actor="张前台", now=READ_AT)["phone"] == "139****0002"


# -- item 6: no identity, no customer data ------------------------------------------------------------------------
READS = [["show", "1", "--json"], ["due", "--all", "--csv"], ["invitations", "--json"], ["handovers", "--json"],
         ["defeat", "list", "--json"], ["order", "list", "--csv"], ["complaint", "list", "--json"],
         ["complaint", "show", "1"], ["collisions", "--json"], ["review", "--json"],
         ["report", "arrivals", "--month", "2026-11", "--json"], ["export", "leads", "--json"]]


@pytest.mark.parametrize("actor", [None, "无名氏", "待离职"], ids=["no identity", "unknown", "deactivated"])
@pytest.mark.parametrize("args", READS, ids=[" ".join(a[:2]) for a in READS])
def test_reading_customer_data_needs_a_known_active_staff_member(store, tmp_path, actor, args):
    db = tmp_path / "store.db"
    shutil.copy(store.db, db)
    cli = Cli(db)
    cli("staff", "add", "待离职", "--role", "consultant", "--team", "showroom", actor="王经理", now=READ_AT)
    cli("staff", "deactivate", "待离职", actor="王经理", now=READ_AT)
    before = cli.scalar("SELECT count(*) FROM events WHERE action = 'denied'")
    result = cli(*args, actor=actor, now=READ_AT, code=ExitCode.PERMISSION)
    assert result.stdout == "" and not FULL.search(result.stderr)
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'denied'") == before + 1  # audited


@pytest.mark.parametrize("args", [["staff", "list"], ["policy", "show"], ["check"], ["grade", "1", "A"]])
def test_an_unknown_or_deactivated_name_is_refused_everywhere(store, tmp_path, args):
    db = tmp_path / "store.db"
    shutil.copy(store.db, db)
    cli = Cli(db)
    cli(*args, actor="无名氏", now=READ_AT, code=ExitCode.PERMISSION)
    cli("staff", "deactivate", "陈刚", "--to", "李娜", actor="王经理", now=READ_AT)
    cli(*args, actor="陈刚", now=READ_AT, code=ExitCode.PERMISSION)


# -- item 8: errors and audit events ----------------------------------------------------------------------------------
@pytest.mark.parametrize("ref", ["139-2222-0002x", "139 2222 0002 #", "139.2222.0002?", "+86 139 2222 0002!",
                                 "１３９２２２２０００２x", "（139）2222-0002x"])
def test_an_error_masks_a_phone_however_it_is_written(store, ref):
    result = store("show", ref, actor="王经理", now=READ_AT, code=ExitCode.DATA)
    assert "2222" not in result.stderr and "２２２２" not in result.stderr, result.stderr
    assert "139****0002" in result.stderr  # masked, not dropped


def test_a_denied_actor_is_kept_short_and_masked(store, tmp_path):
    db = tmp_path / "store.db"
    shutil.copy(store.db, db)
    cli = Cli(db)
    huge = "冒充者" + B + "x" * 131_000
    for args in (["show", "1"], ["intake", "--name", "某", "--phone", F], ["due"]):
        result = cli(*args, actor=huge, now=READ_AT, code=ExitCode.PERMISSION)
        assert len(result.stderr) < 300 and "2222" not in result.stderr
    details = [d for (d,) in cli.query("SELECT detail FROM events WHERE action = 'denied'")]
    assert len(details) == 3
    for detail in details:
        actor = json.loads(detail)["actor"]
        assert len(actor) <= 40 and actor.startswith("冒充者139****0002") and "2222" not in detail


@pytest.mark.parametrize("args", [["due", "--owner"], ["report", "daily", "--owner"], ["export", "leads", "--json",
                                                                                          "--owner"]])
def test_a_staff_name_that_is_not_found_is_echoed_short_and_masked(store, args):
    result = store(*args, "某人" + B + "x" * 100_000, actor="王经理", now=READ_AT, code=ExitCode.NOT_FOUND)
    assert len(result.stderr) < 300 and "2222" not in result.stderr and "某人139****0002" in result.stderr


def test_audit_events_keep_no_text_a_person_typed(store, tmp_path):
    """Reasons, notes, results, names and file names typed on the command line live in their own rows (which purge
    reaches), never in the append-only events."""
    db = tmp_path / "store.db"
    shutil.copy(store.db, db)
    cli = Cli(db)
    secret = "秘密备注"
    cli("grade", H, "A", "--reason", f"{secret}理由", actor="李娜", now=READ_AT)
    cli("transfer", H, "--to", "陈刚", "--reason", f"{secret}调动", actor="王经理", now=READ_AT)
    cli("staff", "add", f"{secret}新人", "--role", "consultant", actor="王经理", now=READ_AT)
    cli("export", "leads", "--json", "--owner", "李娜", actor="王经理", now=READ_AT)
    csv = tmp_path / f"{secret}.csv"
    csv.write_text("客户姓名,手机号码\n新客户,13933334444\n", encoding="utf-8")
    cli("import", str(csv), "--source", "总部下发", actor="王经理", now=READ_AT)
    cli("collisions", "rule", "1", "--to", "陈刚", actor="王经理", now=READ_AT)
    events = " ".join(d for (d,) in cli.query("SELECT detail FROM events"))
    assert secret not in events and "李娜" not in events and "陈刚" not in events
    assert not FULL.search(events)
    assert cli.query("SELECT reason FROM grades WHERE reason LIKE ?", f"{secret}%") == [(f"{secret}理由",)]
