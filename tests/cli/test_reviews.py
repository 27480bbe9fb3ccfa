"""Managers' review of follow-ups (批复): due from the hour the limit passes, within the due list's scope; the
comment is shown on the card, in the export and on the owner's next due row; a second review amends or is refused."""

import csv

from leadctl.errors import ExitCode

SHOW_PHONE, DCC_PHONE = "13800000001", "13800000003"


def _two_follow_ups(cli):
    """李娜 (showroom) and 赵电销 (dcc) each record a follow-up on 2026-11-20 at 09:00; review.limit_hours is 48."""
    cli.json("intake", "--name", "客户1", "--phone", SHOW_PHONE, "--owner", "李娜", "--arrived", "2026-11-19T10:00",
             actor="张前台", now="2026-11-19T10:05")
    cli.json("intake", "--name", "客户3", "--phone", DCC_PHONE, "--channel", "来电", "--arrived", "2026-11-19T11:00",
             actor="赵电销", now="2026-11-19T11:05")
    for phone, who in ((SHOW_PHONE, "李娜"), (DCC_PHONE, "赵电销")):
        cli.json("followup", phone, "--result", "报价", "--grade", "A", actor=who, now="2026-11-20T09:00")
    assert cli.scalar("SELECT count(*) FROM followups WHERE reviewed = 0 AND at = '2026-11-20T09:00:00'") == 2


def _reviews(cli, *scope, now):
    return [r for r in cli.json("due", *scope, actor="王经理", now=now) if r["lead_id"] is None
            and "await review" in r["reason"]]


def test_a_review_is_due_from_the_hour_the_limit_passes(cli):
    _two_follow_ups(cli)
    assert _reviews(cli, now="2026-11-22T08:59") == []
    rows = _reviews(cli, now="2026-11-22T09:30")  # 48.5 hours: due now, not tomorrow
    assert [(r["owner"], r["due_on"], r["overdue_days"]) for r in rows] == [("李娜", "2026-11-22", 0),
                                                                            ("赵电销", "2026-11-22", 0)]
    ahead = _reviews(cli, "--on", "2026-11-22", now="2026-11-21T08:00")  # by the end of that day
    assert [r["owner"] for r in ahead] == ["李娜", "赵电销"]


def test_due_owner_and_team_list_only_their_scope_of_reviews(cli):
    _two_follow_ups(cli)
    now = "2026-11-23T09:30"
    assert [r["owner"] for r in _reviews(cli, "--owner", "李娜", now=now)] == ["李娜"]
    assert [r["owner"] for r in _reviews(cli, "--team", "dcc", now=now)] == ["赵电销"]
    assert [r["owner"] for r in _reviews(cli, "--team", "showroom", now=now)] == ["李娜"]
    assert [r["owner"] for r in _reviews(cli, "--all", now=now)] == ["李娜", "赵电销"]


def _followup_id(cli, phone):
    return cli.scalar("SELECT f.id FROM followups f JOIN leads l ON l.id = f.lead_id WHERE l.phone = ?"
                      " ORDER BY f.id DESC LIMIT 1", phone)


def test_the_comment_is_on_the_card_the_export_and_the_owners_next_due_row(cli, tmp_path, zh):
    _two_follow_ups(cli)
    fid = _followup_id(cli, SHOW_PHONE)
    cli.json("review", str(fid), "--comment", "报价后两天内回访，约试驾", actor="王经理", now="2026-11-20T17:00")
    assert cli.query("SELECT comment FROM reviews WHERE followup_id = ?", fid) == [("报价后两天内回访，约试驾",)]
    card = cli.json("show", SHOW_PHONE, actor="王经理")
    assert [f["review"] for f in card["followups"]] == ["王经理: 报价后两天内回访，约试驾"]
    assert [(r["followup_id"], r["by"], r["comment"]) for r in card["reviews"]] == [
        (fid, "王经理", "报价后两天内回访，约试驾")]
    assert "报价后两天内回访" in cli("show", SHOW_PHONE, actor="王经理").stdout
    path = tmp_path / "followups.csv"
    cli("export", "followups", "--csv", str(path), actor="王经理")
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert "批复" in rows[0]
    by_id = {r[0]: r[rows[0].index("批复")] for r in rows[1:]}
    assert by_id[str(fid)] == "王经理: 报价后两天内回访，约试驾" and by_id[str(_followup_id(cli, DCC_PHONE))] == ""
    # 李娜's next due row for the lead carries the comment (her A lead is due 7 days after the follow-up)...
    mine = {r["phone"]: r for r in cli.json("due", "--on", "2026-11-27", actor="李娜", now="2026-11-21T09:00")}
    assert mine[SHOW_PHONE]["review"] == "王经理: 报价后两天内回访，约试驾"
    assert "报价后两天内回访" in cli("due", "--on", "2026-11-27", "--wide", actor="李娜", now="2026-11-21T09:00").stdout
    # ...until she follows up again
    cli.json("followup", SHOW_PHONE, "--result", "约周六试驾", actor="李娜", now="2026-11-21T10:00")
    mine = {r["phone"]: r for r in cli.json("due", "--on", "2026-11-30", actor="李娜", now="2026-11-21T11:00")}
    assert mine[SHOW_PHONE]["review"] is None


def test_a_second_review_is_refused_unless_it_amends(cli):
    _two_follow_ups(cli)
    fid = str(_followup_id(cli, SHOW_PHONE))
    cli.json("review", fid, "--comment", "约试驾", actor="王经理", now="2026-11-20T17:00")
    before = cli.fingerprint()
    result = cli("review", fid, "--comment", "改为报价", actor="王经理", now="2026-11-21T09:00", code=ExitCode.REFUSED)
    assert "reviewed by 王经理" in result.stderr and "--amend" in result.stderr
    assert cli.fingerprint() == before
    other = str(_followup_id(cli, DCC_PHONE))
    cli("review", other, "--comment", "好", "--amend", actor="王经理", code=ExitCode.REFUSED)
    assert cli.fingerprint() == before
    done = cli.json("review", fid, "--comment", "改为先发报价", "--amend", actor="王经理", now="2026-11-21T09:00")
    assert done["amends"] is not None
    assert cli.query("SELECT comment FROM reviews WHERE followup_id = ? ORDER BY id", int(fid)) == [
        ("约试驾",), ("改为先发报价",)]
    card = cli.json("show", SHOW_PHONE, actor="王经理")
    assert card["followups"][0]["review"] == "王经理: 改为先发报价"
    assert [r["comment"] for r in card["reviews"]] == ["约试驾", "改为先发报价"]
