"""Lists as people read them: a period by default where all time is too long, English headers in words, a title
on a line of its own, Chinese sentences in a table broken where a line may break."""

import re

from tests.conftest import intake

PHONE = "13800138000"


def _invited(cli, on, now):
    cli.json("invite", PHONE, "--on", on, actor="赵电销", now=now)


def test_invitations_and_handovers_default_to_this_month(cli):
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    cli.json("intake", "--name", "刘洋", "--phone", PHONE, "--channel", "web", "--grade", "A", actor="赵电销",
             now="2026-10-01T09:00")
    _invited(cli, "2026-10-20T10:00", now="2026-10-02T09:00")
    cli.json("arrive", PHONE, actor="张前台", now="2026-10-20T10:05")
    cli.json("handover", PHONE, "--to", "周直销", actor="赵电销", now="2026-10-20T10:30")
    cli.json("intake", "--name", "王芳", "--phone", "13900139000", "--channel", "web", "--grade", "H",
             actor="赵电销", now="2026-11-02T09:00")
    cli.json("invite", "13900139000", "--on", "2026-11-26T15:00", actor="赵电销", now="2026-11-02T09:10")
    now = "2026-11-24T09:00"  # October's invitation and handover are last month's
    assert [i["expected_at"] for i in cli.json("invitations", actor="王经理", now=now)["invitations"]] == [
        "2026-11-26T15:00:00"]
    assert cli.json("handovers", actor="王经理", now=now) == []
    october = cli.json("invitations", "--from", "2026-10-01", actor="王经理", now=now)["invitations"]
    assert [i["expected_at"] for i in october] == ["2026-10-20T10:00:00", "2026-11-26T15:00:00"]
    assert [h["at"] for h in cli.json("handovers", "--to", "2026-10-31", actor="王经理", now=now)] == [
        "2026-10-20T10:30:00"]
    assert "this month" in cli("handovers", "--help").stdout


def test_english_headers_are_words_and_json_keeps_the_keys(cli, monkeypatch):
    intake(cli, PHONE, grade="A", owner="李娜")
    monkeypatch.setenv("COLUMNS", "120")
    screen = cli("leads", "--owner", "李娜", actor="王经理").stdout
    header = next(line for line in screen.splitlines() if "Name" in line)
    assert "ID" in header and "Phone" in header and "Grade" in header
    assert not re.search(r"\b[a-z]+_[a-z]+\b", screen)  # no `lead_id`, `next_due` keys on the screen
    assert "next_due" in cli.json("leads", "--owner", "李娜", actor="王经理")[0]


def test_a_title_is_its_own_line_whatever_the_table_width(cli, monkeypatch):
    intake(cli, PHONE, channel="web", grade="A", actor="赵电销")
    _invited(cli, "2026-11-26T10:00", now="2026-11-24T09:00")
    monkeypatch.setenv("COLUMNS", "80")
    lines = cli("invitations", actor="王经理").stdout.splitlines()
    assert lines[0] == "Invitations: 1 invited, 0 arrived, 0 no-shows, 1 open; arrival rate -"
    assert lines[1].startswith("┏")
    assert max(len(line) for line in lines) <= 80


def test_a_chinese_result_never_starts_a_line_with_a_closing_mark(cli, zh, monkeypatch):
    cli.json("intake", "--name", "刘洋", "--phone", PHONE, "--grade", "A", "--owner", "李娜", actor="张前台",
             now="2026-11-19T10:00")
    said = "客户家人意见不一，想再比较几家店，月底前会再来店里看看，到时候约试驾"
    cli.json("followup", PHONE, "--result", said, actor="李娜", now="2026-11-20T09:00")
    monkeypatch.setenv("COLUMNS", "80")
    screen = cli("review", actor="王经理", now="2026-11-24T09:00").stdout
    lines = screen.splitlines()
    column = next(line for line in lines if "结果" in line).split("┃")
    column = [c.strip() for c in column].index("结果")
    cells = [line.split("│")[column].strip() for line in lines if line.startswith("│")]
    assert "".join(cells).startswith(said[:10]) and "".join(cells).endswith(said[-6:])
    assert len(cells) > 1  # the sentence wraps in its column
    assert not [c for c in cells if c.startswith(("，", "。", "、", "；", "："))]
    from rich.cells import cell_len

    assert max(cell_len(line) for line in screen.splitlines()) <= 80
