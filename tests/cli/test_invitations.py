import json
from datetime import datetime

import pytest

from leadctl.errors import ExitCode
from leadctl.services import invitations
from leadctl.store.db import Store
from tests.conftest import intake

PHONE = "13800138000"


@pytest.fixture
def dcc(cli):
    """A web lead owned by telesales, and a direct-sales colleague to hand it to."""
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    intake(cli, PHONE, channel="web", model="迈腾", grade="A", actor="赵电销")
    return cli


def events(cli, action):
    return [json.loads(d) for (d,) in cli.query("SELECT detail FROM events WHERE action = ? ORDER BY id", action)]


def test_invite_arrive_handover_end_to_end(dcc):
    cli = dcc
    cli.json("followup", PHONE, "--result", "约周五到店", actor="赵电销")
    invited = cli.json("invite", "138-0013-8000", "--on", "2026-11-27T10:00", "--note", "周五上午看车",
                       actor="赵电销")
    assert invited == {"invitation_id": 1, "lead_id": 1, "invited_by": "赵电销", "invited_at": "2026-11-24T09:00:00",
                       "expected_at": "2026-11-27T10:00:00", "note": "周五上午看车", "replaces": None,
                       "replaced_as": None}
    arrived = cli.json("arrive", PHONE, actor="张前台", now="2026-11-27T10:12")
    assert arrived == {"invitation_id": 1, "lead_id": 1, "visit_id": 2, "first_visit": True,
                       "arrived_at": "2026-11-27T10:12:00", "next_due": "2026-12-04"}
    assert cli.query("SELECT kind, channel, first_visit, left_contact, model, staff_id, registered_by FROM visits"
                     " WHERE id = 2") == [("visit", "web", 1, 1, "迈腾", 5, 4)]
    assert cli.query("SELECT status, visit_id, closed_by FROM invitations") == [("arrived", 2, 4)]
    assert cli.scalar("SELECT last_contact_at FROM leads") == "2026-11-27T10:12:00"
    form = cli.json("handover", "1", "--to", "周直销", "--expected", "2026-12-15", actor="赵电销",
                    now="2026-11-27T10:40")
    assert form == {"id": 1, "at": "2026-11-27T10:40:00", "lead_id": 1, "name": "刘洋", "phone": PHONE,
                    "model": "迈腾", "channel": "web", "expected_on": "2026-12-15", "grade": "A", "status": "active",
                    "by": "赵电销", "from_owner": "赵电销", "to": "周直销"}
    assert cli.query("SELECT s.name, l.pool FROM leads l JOIN staff s ON s.id = l.owner_id") == [("周直销", None)]
    assert cli.query("SELECT reason, from_id, to_id FROM owners ORDER BY id DESC LIMIT 1") == [("handover", 5, 7)]
    assert cli.json("handovers", "--from", "2026-11-27", "--to", "2026-11-27", actor="王经理") == [form]
    assert cli.json("handovers", "--from", "2026-11-28", actor="王经理") == []
    assert [e["phone"] for e in events(cli, "handover")] == ["138****8000"]
    assert [a for (a,) in cli.query("SELECT action FROM events WHERE lead_id = 1 ORDER BY id")] == [
        "intake", "followup", "invite", "arrive", "handover"]


def test_a_new_invitation_reschedules_the_open_one(dcc):
    cli = dcc
    cli.json("invite", PHONE, "--on", "2026-11-26T10:00", actor="赵电销")
    again = cli.json("invite", PHONE, "--on", "2026-11-29", actor="赵电销", now="2026-11-25T15:00")
    assert (again["replaces"], again["replaced_as"]) == (1, "rescheduled")
    assert cli.query("SELECT id, status, closed_at, replaces FROM invitations ORDER BY id") == [
        (1, "rescheduled", "2026-11-25T15:00:00", None), (2, "open", None, 1)]
    listed = cli.json("invitations", actor="王经理")
    assert [r["status"] for r in listed["invitations"]] == ["rescheduled", "open"]
    assert listed["summary"] == {"invited": 1, "arrived": 0, "no_shows": 0, "open": 1, "arrival_rate": None}


def test_reinviting_after_the_day_passed_records_a_no_show(dcc):
    cli = dcc
    cli.json("invite", PHONE, "--on", "2026-11-25T10:00", actor="赵电销")
    again = cli.json("invite", PHONE, "--on", "2026-11-28T10:00", actor="赵电销", now="2026-11-26T09:00")
    assert again["replaced_as"] == "no-show"


def test_no_shows_are_recorded_once_and_audited(dcc):
    cli = dcc
    cli.json("invite", PHONE, "--on", "2026-11-25T16:00", actor="赵电销")
    on_the_day = cli.json("invitations", "--close-no-shows", actor="赵电销", now="2026-11-25T23:59")
    assert on_the_day["no_shows_recorded"] == []
    done = cli.json("invitations", "--close-no-shows", actor="赵电销", now="2026-11-26T00:01")
    assert done["no_shows_recorded"] == [1]
    assert done["summary"] == {"invited": 1, "arrived": 0, "no_shows": 1, "open": 0, "arrival_rate": 0.0}
    before = cli.fingerprint()
    assert cli.json("invitations", "--close-no-shows", actor="赵电销", now="2026-11-27T08:00")[
        "no_shows_recorded"] == []
    assert cli.fingerprint() == before
    assert cli.query("SELECT status, closed_at FROM invitations") == [("no-show", "2026-11-26T00:01:00")]
    assert events(cli, "no-show") == [{"invitation_id": 1, "expected_at": "2026-11-25T16:00:00"}]
    cli("arrive", PHONE, actor="张前台", code=ExitCode.REFUSED)


def test_arrival_rate_counts_arrivals_over_arrivals_and_no_shows(dcc):
    cli = dcc
    for i, phone in enumerate(["13900000001", "13900000002", "13900000003", "13900000004"]):
        intake(cli, phone, channel="web", actor="赵电销")
        cli.json("invite", phone, "--on", f"2026-11-2{5 + (i == 3)}T10:00", actor="赵电销")
    cli.json("arrive", "13900000001", actor="张前台", now="2026-11-25T10:30")
    cli.json("invite", PHONE, "--on", "2026-12-10T10:00", actor="赵电销")  # outside the period
    out = cli.json("invitations", "--from", "2026-11-25", "--to", "2026-11-26", "--close-no-shows",
                   actor="王经理", now="2026-11-26T09:00")
    assert out["no_shows_recorded"] == [2, 3]
    assert out["summary"] == {"invited": 4, "arrived": 1, "no_shows": 2, "open": 1, "arrival_rate": 0.3333}
    csv = cli("invitations", "--from", "2026-11-25", "--to", "2026-11-26", "--csv", actor="王经理").stdout.splitlines()
    assert csv[0].startswith("ID,Lead ID,Name,Phone,Invited by") and len(csv) == 5
    coded = cli("invitations", "--from", "2026-11-25", "--to", "2026-11-26", "--csv", "--codes", actor="王经理")
    assert coded.stdout.startswith("id,lead_id,name,phone,invited_by")
    assert invitations.summary([]) == {"invited": 0, "arrived": 0, "no_shows": 0, "open": 0, "arrival_rate": None}


def test_the_sweep_records_no_shows_too(dcc):
    cli = dcc
    cli.json("invite", PHONE, "--on", "2026-11-24T18:00", actor="赵电销")
    assert cli.json("transfer", "sweep", actor="王经理", now="2026-11-25T01:00")["no_shows"] == [1]
    assert cli.scalar("SELECT status FROM invitations") == "no-show"


def mark_arrived(db_path, at, lead_id, visit_id):
    store = Store.open(db_path)
    try:
        with store.write() as conn:
            return invitations.mark_arrived(conn, at, 4, lead_id, visit_id)
    finally:
        store.close()


def test_mark_arrived_closes_the_open_invitation_for_intake(dcc, db_path):
    assert mark_arrived(db_path, datetime(2026, 11, 24, 11), 1, 1) is None
    dcc.json("invite", PHONE, "--on", "2026-11-24T15:00", actor="赵电销")
    assert mark_arrived(db_path, datetime(2026, 11, 24, 15, 5), 1, 1) == 1
    assert dcc.query("SELECT status, visit_id, closed_at FROM invitations") == [("arrived", 1, "2026-11-24T15:05:00")]
    assert events(dcc, "arrive") == [{"invitation_id": 1, "visit_id": 1}]


@pytest.mark.parametrize("args, actor, code, message", [
    (["invite", "99", "--on", "2026-11-27"], "赵电销", ExitCode.NOT_FOUND, "no lead with id 99"),
    (["invite", "13911112222", "--on", "2026-11-27"], "赵电销", ExitCode.NOT_FOUND, "139****2222"),
    (["invite", PHONE, "--on", "next friday"], "赵电销", ExitCode.DATA, "is not a date"),
    (["invite", PHONE, "--on", "2026-11-23T10:00"], "赵电销", ExitCode.DATA, "in the past"),
    (["invite", PHONE], "赵电销", ExitCode.USAGE, "Missing option"),
    (["arrive", PHONE], "张前台", ExitCode.REFUSED, "has no open invitation"),
    (["arrive", "99"], "张前台", ExitCode.NOT_FOUND, "no lead with id 99"),
    (["handover", PHONE, "--to", "周直销"], "赵电销", ExitCode.REFUSED, "no arrived invitation"),
    (["invitations", "--from", "2026-13-01"], None, ExitCode.DATA, "is not a date"),
    (["invitations", "--from", "2026-12-01", "--to", "2026-11-01"], None, ExitCode.USAGE, "is after --to"),
    (["handovers", "--to", "yesterday"], None, ExitCode.DATA, "is not a date"),
    (["invitations", "--close-no-shows"], "张前台", ExitCode.PERMISSION, "may not invite"),
])
def test_bad_input_changes_nothing(dcc, args, actor, code, message):
    before = dcc.fingerprint()
    result = dcc(*args, actor=actor, code=code)
    assert message in result.stderr
    if code != ExitCode.PERMISSION:  # a refusal by the permission table leaves its trace
        assert dcc.fingerprint() == before


@pytest.fixture
def arrived(dcc):
    dcc.json("invite", PHONE, "--on", "2026-11-24T15:00", actor="赵电销")
    dcc.json("arrive", PHONE, actor="张前台", now="2026-11-24T15:10")
    return dcc


@pytest.mark.parametrize("args, code, message", [
    (["--to", "张前台"], ExitCode.REFUSED, "is a receptionist; a handover goes to direct sales or a consultant"),
    (["--to", "赵电销"], ExitCode.REFUSED, "is a telesales"),
    (["--to", "无此人"], ExitCode.NOT_FOUND, "no receiving staff member named '无此人'"),
    (["--to", "周直销", "--expected", "2026-11-01"], ExitCode.DATA, "in the past"),
    (["--to", "周直销", "--expected", "soon"], ExitCode.DATA, "is not a date"),
])
def test_bad_handovers_change_nothing(arrived, args, code, message):
    before = arrived.fingerprint()
    result = arrived("handover", PHONE, *args, actor="赵电销", now="2026-11-24T15:30", code=code)
    assert message in result.stderr
    assert arrived.fingerprint() == before


def test_a_consultant_may_receive_a_handover_once(arrived):
    arrived.json("handover", PHONE, "--to", "李娜", actor="王经理", now="2026-11-24T15:30")
    assert arrived.scalar("SELECT owner_id FROM leads") == 2
    arrived("handover", PHONE, "--to", "周直销", actor="王经理", now="2026-11-24T16:00", code=ExitCode.REFUSED)


def test_telesales_cannot_invite_a_showroom_consultants_lead(cli):
    intake(cli, "13700137000", owner="李娜")
    before = cli.scalar("SELECT count(*) FROM invitations")
    result = cli("invite", "13700137000", "--on", "2026-11-27", actor="赵电销", code=ExitCode.PERMISSION)
    assert "only their own leads" in result.stderr
    assert cli.scalar("SELECT count(*) FROM invitations") == before == 0
    assert events(cli, "denied") == [{"act": "invite", "lead_id": 1}]
    cli("arrive", "13700137000", actor="李娜", code=ExitCode.PERMISSION)
    cli("handover", "13700137000", "--to", "陈刚", actor="李娜", code=ExitCode.PERMISSION)


def test_telesales_may_invite_a_lead_waiting_in_the_dcc_pool(cli):
    intake(cli, "13700137000", owner="李娜")
    cli.json("transfer", "sweep", actor="王经理", now="2026-11-30T22:00")  # no grade: stays
    cli.json("grade", "1", "B", actor="李娜", now="2026-11-30T22:10")
    moved = cli.json("transfer", "sweep", actor="王经理", now="2026-11-30T22:30")["moves"]
    assert [(m["rule"], m["to"]) for m in moved] == [("month-end-showroom", "dcc")]
    out = cli.json("invite", "13700137000", "--on", "2026-12-02T10:00", actor="赵电销", now="2026-12-01T09:00")
    assert out["invited_by"] == "赵电销"


def test_a_collision_settled_for_a_third_colleague_names_them(dcc):
    """The handover may go to someone who is neither side of the collision: the listing names who it was ruled for."""
    dcc.json("invite", PHONE, "--on", "2026-11-24T15:00", actor="赵电销")
    dcc.json("intake", "--phone", PHONE, "--owner", "李娜", actor="张前台", now="2026-11-24T15:10")
    dcc.json("handover", PHONE, "--to", "陈刚", actor="赵电销", now="2026-11-24T15:40")
    [ruled] = dcc.json("collisions", "--all", actor="王经理")
    assert (ruled["ruled_to"], ruled["ruling"]) == ("陈刚", "settled by handover 1")


def test_a_handover_settles_the_collision_in_the_receivers_favour(dcc):
    """The desk registered the invited customer for a consultant (a collision with the DCC's owner); the handover to
    that consultant settles it, and following the recommendation can no longer give the customer back."""
    dcc.json("invite", PHONE, "--on", "2026-11-24T15:00", actor="赵电销")
    came = dcc.json("intake", "--phone", PHONE, "--owner", "李娜", actor="张前台", now="2026-11-24T15:10")
    assert (came["collision"], came["invitation"]) == (1, 1)
    dcc.json("handover", PHONE, "--to", "李娜", actor="赵电销", now="2026-11-24T15:40")
    assert dcc.query("SELECT c.status, s.name, c.ruled_at, c.ruling FROM collisions c JOIN staff s ON s.id = c.ruled_to"
                     ) == [("ruled", "李娜", "2026-11-24T15:40:00", "settled by handover 1")]
    assert events(dcc, "collisions.settle") == [{"collision": 1, "to": 2, "handover_id": 1}]
    assert dcc.json("collisions", actor="王经理") == []
    [ruled] = dcc.json("collisions", "--all", actor="王经理")
    assert ruled["recommended"] == "李娜" and ruled["dcc_invited"]
    dcc("collisions", "rule", "1", "--to", "赵电销", actor="王经理", code=ExitCode.REFUSED)
    assert dcc.query("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id") == [("李娜",)]


def test_the_recommendation_never_points_back_to_the_handing_over_telesales(dcc):
    dcc.json("invite", PHONE, "--on", "2026-11-24T15:00", actor="赵电销")
    dcc.json("arrive", PHONE, actor="张前台", now="2026-11-24T15:10")
    dcc.json("handover", PHONE, "--to", "周直销", actor="赵电销", now="2026-11-24T15:40")
    again = dcc.json("intake", "--phone", PHONE, "--channel", "call", actor="赵电销", now="2026-11-26T10:00")
    assert again["collision"] == 1
    [row] = dcc.json("collisions", actor="王经理")
    assert row["recommended"] == "周直销" and "赵电销 handed this customer over" in row["reasons"][0]
    out = dcc.json("collisions", "rule", "1", "--to", "周直销", actor="王经理")
    assert out["ruling"] == "as recommended"
    assert dcc.query("SELECT s.name FROM leads l JOIN staff s ON s.id = l.owner_id") == [("周直销",)]


def test_a_no_show_is_due_for_the_telesales_call_back_the_next_working_day(dcc):
    dcc.json("followup", PHONE, "--result", "想再比较", "--grade", "B", actor="赵电销")   # B: due in 15 days
    dcc.json("invite", PHONE, "--on", "2026-11-27T10:00", actor="赵电销")             # a Friday
    assert dcc.scalar("SELECT next_due FROM leads") == "2026-12-09"
    assert dcc.json("transfer", "sweep", actor="王经理", now="2026-11-28T01:00")["no_shows"] == [1]
    assert dcc.scalar("SELECT next_due FROM leads") == "2026-11-30"                  # Monday, the next working day
    [row] = dcc.json("due", "--on", "2026-11-30", actor="赵电销")
    assert (row["lead_id"], row["due_on"], row["reason"]) == (1, "2026-11-30", "no-show on 2026-11-27")
    done = dcc.json("followup", PHONE, "--result", "客户临时有事,改天再约", actor="赵电销", now="2026-11-30T10:00")
    assert done["next_due"] == "2026-12-15"                                          # the call-back is made
    assert dcc.json("due", "--on", "2026-11-30", actor="赵电销") == []


def test_a_new_invitation_answers_the_no_show(dcc):
    dcc.json("followup", PHONE, "--result", "想再比较", "--grade", "B", actor="赵电销")
    dcc.json("invite", PHONE, "--on", "2026-11-25T10:00", actor="赵电销")
    dcc.json("invitations", "--close-no-shows", actor="赵电销", now="2026-11-26T08:00")
    assert dcc.scalar("SELECT next_due FROM leads") == "2026-11-26"
    dcc.json("invite", PHONE, "--on", "2026-11-28T10:00", actor="赵电销", now="2026-11-26T09:00")
    assert dcc.scalar("SELECT next_due FROM leads") == "2026-12-09"


def test_without_a_period_the_lists_cover_this_month(sample_year_file, tmp_path):
    from tests.conftest import SAMPLE_NOW, sample_year

    year = sample_year(sample_year_file, tmp_path / "year.db")
    month = year.json("invitations", now=SAMPLE_NOW, actor="张建国")["invitations"]
    earlier = year.json("invitations", "--from", "2026-01-01", now=SAMPLE_NOW, actor="张建国")["invitations"]
    assert month and {r["expected_at"][:7] for r in month} == {"2026-11"}
    assert len(earlier) > len(month)
    handovers = year.json("handovers", now=SAMPLE_NOW, actor="张建国")
    rows = handovers["handovers"] if isinstance(handovers, dict) else handovers
    assert rows and {r["at"][:7] for r in rows} == {"2026-11"}
