"""The whole command x role matrix: every act is refused (exit 77, nothing changed but the audited refusal) to
every role the permission table does not name, and never refused for permission to a role it names."""

import json
import shutil

import pytest

from leadctl.errors import ExitCode
from leadctl.models import Role
from leadctl.rules.permissions import PERMISSIONS, scope
from tests.conftest import Cli

ROLES = {Role.MANAGER: "王经理", Role.CONSULTANT: "李娜", Role.RECEPTIONIST: "张前台", Role.TELESALES: "赵电销",
         Role.SERVICE: "孙客服", Role.DIRECT_SALES: "周直销", Role.ADMIN: "管理员",
         Role.SYSTEM: "定时任务"}
OWN_LEAD = {"李娜": "13800000001", "赵电销": "13800000002", "周直销": "13800000003"}
OTHER = "13800000004"  # 陈刚's


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store where every command has something to act on."""
    cli = Cli(tmp_path_factory.mktemp("matrix") / "store.db")
    cli("init")
    cli("staff", "add", "王经理", "--role", "manager")
    for name, role, team in [("李娜", "consultant", "showroom"), ("陈刚", "consultant", "showroom"),
                             ("张前台", "receptionist", None), ("赵电销", "telesales", "dcc"),
                             ("孙客服", "service", None), ("周直销", "direct-sales", "dcc"), ("管理员", "admin", None),
                             ("待离职", "consultant", "showroom"), ("定时任务", "system", None)]:
        cli("staff", "add", name, "--role", role, *(["--team", team] if team else []), actor="王经理")
    for owner, phone in [*OWN_LEAD.items(), ("陈刚", OTHER)]:
        cli("intake", "--name", f"客户{phone[-1]}", "--phone", phone, "--owner", owner, "--grade", "H",
            actor="张前台", now="2026-11-20T10:00")
        cli("followup", phone, "--result", "回访", actor=owner, now="2026-11-20T15:00")
        cli("invite", phone, "--on", "2026-11-24T10:00", actor="王经理", now="2026-11-21T09:00")
    cli("intake", "--name", "撞单", "--phone", OTHER, "--owner", "李娜", actor="张前台", now="2026-11-22T10:00")
    cli("defeat", "request", OTHER, "--reason", "price", actor="陈刚", now="2026-11-22T11:00")
    cli("order", "13800000001", "--brand", "大众", "--series", "迈腾", "--model", "330TSI", actor="李娜",
        now="2026-11-22T12:00")
    cli("order", "13800000003", "--brand", "大众", "--series", "探岳", "--model", "380TSI", actor="周直销",
        now="2026-11-22T12:30")
    cli("backup", str(cli.db.parent / "backup.db"), actor="王经理", now="2026-11-22T13:00")
    cli("complaint", "new", "--customer", OTHER, "--channel", "phone", "--kind", "service", "--summary", "等太久",
        actor="张前台", now="2026-11-22T14:00")
    cli("complaint", "new", "--customer", OTHER, "--channel", "phone", "--kind", "service", "--summary", "已解决",
        actor="张前台", now="2026-11-22T14:10")
    cli("complaint", "resolve", "2", "--valid", "--action", "道歉并赔付", actor="孙客服", now="2026-11-22T15:00")
    return cli


def invocation(act: str, actor: str, folder) -> list[str]:
    lead = OWN_LEAD.get(actor, OTHER)
    order = "2" if actor == "周直销" else "1"  # each salesperson's own order
    policy = folder / "p.toml"
    policy.write_text("[grades.H]\ncadence_days = 2\n")
    csv = folder / "hq.csv"
    csv.write_text("客户姓名,手机号码\n新客户,13933334444\n", encoding="utf-8")
    journal = folder / "j.jsonl"
    journal.write_text(json.dumps({"at": "2026-11-23T09:00", "as": "张前台", "cmd": "intake",
                                   "args": {"name": "新", "phone": "13911112222"}}) + "\n")
    return {
        "staff.add": ["staff", "add", "新人", "--role", "consultant"],
        "staff.deactivate": ["staff", "deactivate", "待离职"],
        "staff.bind": ["staff", "bind", "陈刚", "--os-user", "4321"],
        "staff.pin": ["staff", "pin", "陈刚"],
        "policy.set": ["policy", "set-file", str(policy)],
        "replay": ["replay", str(journal)],
        "vehicle.set": ["vehicle", "add", "LFV3A28H", "--brand", "大众", "--series", "迈腾", "--model", "330TSI"],
        "intake": ["intake", "--name", "新", "--phone", "13911113333"],
        "grade": ["grade", lead, "A"],
        "followup": ["followup", lead, "--result", "又聊了"],
        "invite": ["invite", lead, "--on", "2026-11-30T10:00"],
        "arrive": ["arrive", lead],
        "handover": ["handover", lead, "--to", "周直销"],
        "transfer": ["transfer", lead, "--to", "陈刚"],
        "transfer.sweep": ["transfer", "sweep"],
        "assign": ["assign"],
        "duty.set": ["duty", "set", "赵电销", "--days", "周一..周五"],
        "policy.simulate": ["policy", "simulate", str(policy)],
        "collisions.rule": ["collisions", "rule", "1", "--to", "李娜"],
        "merge": ["merge", lead, "13800000002" if lead != "13800000002" else OTHER],
        "fleet": ["fleet", lead],
        "review": ["review", "1", "--comment", "好"],
        "defeat.request": ["defeat", "request", lead, "--reason", "price"],
        "defeat.verify": ["defeat", "verify", "1", "--result", "核实"],
        "defeat.approve": ["defeat", "approve", "1"],
        "defeat.reject": ["defeat", "reject", "1"],
        "lost": ["lost", lead, "--attempts", "3"],
        "reactivate": ["reactivate", lead],
        "order": ["order", lead, "--brand", "大众", "--series", "探岳", "--model", "380TSI"],
        "order.cancel": ["order", "cancel", order, "--reason", "换车"],
        "order.delivery_on": ["order", "delivery-on", order, "2026-12-20"],
        "deliver": ["deliver", order],
        "report.export": ["report", "monthly", "--xlsx", str(folder / "m.xlsx")],
        "export": ["export", "leads", "--json"],
        "backup": ["backup", str(folder / "b.db")],
        "restore": ["restore", str(folder / "template" / "backup.db"), "--yes"],
        "purge": ["purge", lead],
        "import": ["import", str(csv)],
        "complaint.new": ["complaint", "new", "--phone", "13922223333", "--channel", "onsite", "--kind", "service",
                          "--summary", "不满意"],
        "complaint.handle": ["complaint", "reply", "1", "--text", "已联系"],
        "complaint.survey": ["complaint", "survey", "2", "--score", "5"],
        "show": ["show", lead, "--json"],
        "due": ["due", "--json"],
        "invitations": ["invitations", "--json"],
        "handovers": ["handovers", "--json"],
        "defeat.list": ["defeat", "list", "--json"],
        "order.list": ["order", "list", "--json"],
        "owners": ["owners", "--json"],
        "complaint.list": ["complaint", "list", "--json"],
        "complaint.show": ["complaint", "show", "1", "--json"],
        "report": ["report", "arrivals", "--json"],
        "collisions": ["collisions", "--json"],
        "review.queue": ["review", "--json"],
        "plan.set": ["plan", "year", "2026", "--orders", "10"],
        "plan.confirm": ["plan", "confirm", "2026-11"],
        "week.form": ["week", "summary", "--text", "本周"],
        "week.sign": ["week", "sign", "李娜"],
        "checks.sample": ["checks", "sample"],
        "checks.record": ["checks", "record", "1", "--field", "name=true"],
        "checks.correct": ["checks", "correct", "1"],
    }[act]


CASES = [(act, role) for act in PERMISSIONS for role in ROLES]


@pytest.mark.parametrize("act, role", CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_command_by_role(template, tmp_path, act, role):
    args = invocation(act, ROLES[role], tmp_path)
    (tmp_path / "template").mkdir()
    shutil.copy(template.db.parent / "backup.db", tmp_path / "template" / "backup.db")
    db = tmp_path / "store.db"
    shutil.copy(template.db, db)
    cli = Cli(db)
    result = cli.runner.invoke(__import__("leadctl.cli", fromlist=["app"]).app,
                               ["--db", str(db), "--as", ROLES[role], *args], catch_exceptions=False)
    allowed = scope(act, role) is not None
    if allowed:
        assert result.exit_code != ExitCode.PERMISSION, f"{ROLES[role]} ({role}) refused {act}: {result.stderr}"
    else:
        assert result.exit_code == ExitCode.PERMISSION, f"{ROLES[role]} ({role}) did {act}: {result.exit_code}"
        denied = cli.query("SELECT json_extract(detail, '$.act') FROM events WHERE action = 'denied'")
        assert (act,) in denied or act in ("report.export", "export") and denied


ON_ONE_LEAD = ("grade", "followup", "defeat.request", "lost", "order")


@pytest.mark.parametrize("act", ON_ONE_LEAD)
def test_own_scope_stops_at_other_peoples_leads(template, tmp_path, act):
    """A consultant may work their own leads only: 陈刚's lead is refused to 李娜 with exit 77."""
    assert scope(act, Role.CONSULTANT).value == "own"
    args = [OTHER if a == OWN_LEAD["李娜"] else a for a in invocation(act, "李娜", tmp_path)]
    db = tmp_path / "store.db"
    shutil.copy(template.db, db)
    cli = Cli(db)
    cli("collisions", "rule", "1", "--to", "陈刚", actor="王经理")  # while it was open, 李娜 could sign (撞单 [001])
    cli(*args, actor="李娜", code=ExitCode.PERMISSION)
