"""The values a refusal lists, and the card's fields it names, in the run's language: under zh the Chinese word
first with its code in （）, 、 between them, no English field name; under en the code first."""

from __future__ import annotations

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake


@pytest.fixture
def lead(cli):
    return intake(cli, "13800138000", name="刘洋", owner="李娜")["lead_id"]


@pytest.mark.parametrize("args, said", [
    (["--gender", "x"], "leadctl：未知的性别 'x'；可选：男（male）、女（female）\n"),
    (["--payment", "x"], "leadctl：未知的购买方式 'x'；可选：全款（full）、贷款（loan）\n"),
    (["--budget-min", "很多"], "leadctl：购车预算下限 '很多' 不是整数\n"),
    (["--birth-year", "x"], "leadctl：出生年份 'x' 不是整数\n"),
    (["--employer", "单" * 2001], "leadctl：单位超过 2000 个字\n"),
])
def test_a_refused_card_value_names_its_field_in_chinese(cli, zh, lead, args, said):
    before = cli.fingerprint()
    assert cli("edit", str(lead), *args, actor="李娜", code=ExitCode.DATA).stderr == said
    assert cli.fingerprint() == before


def test_a_refused_card_value_under_en(cli, lead):
    said = cli("edit", str(lead), "--payment", "x", actor="李娜", code=ExitCode.DATA).stderr
    assert said == "leadctl: unknown payment 'x'; use one of: full (全款), loan (贷款)\n"
    said = cli("edit", str(lead), "--budget-max", "x", actor="李娜", code=ExitCode.DATA).stderr
    assert said == "leadctl: budget up to 'x' is not a whole number\n"


@pytest.mark.parametrize("args, code, listed", [
    (["leads", "--channel", "x"], ExitCode.DATA, "可选：展厅（walk-in）、来电（call）、网络（web）、400（hotline）、"),
    (["leads", "--status", "x"], ExitCode.DATA, "可选：跟进中（active）、已订车（ordered）、已交车（delivered）、"),
    (["leads", "--grade", "Z"], ExitCode.DATA, "可选：订单（O）、H、A、B、C、D、战败（F）、失控（L）、未留档（W）"),
    (["defeat", "list", "--status", "x"], ExitCode.DATA, "可选：待核实（requested）、已核实（verified）、"),
    (["order", "list", "--status", "x"], ExitCode.DATA, "可选：未结（open）、已取消（cancelled）、已交车（delivered）"),
    (["defeat", "request", "1", "--reason", "x"], ExitCode.DATA, "可选：价格（price）、产品（product）、"),
    (["leads", "--sort", "x"], ExitCode.USAGE, "due、created、last-contact、grade、name"),
])
def test_choice_lists_show_the_chinese_word_first(cli, zh, lead, args, code, listed):
    said = cli(*args, actor="王经理", code=code).stderr
    assert listed in said and ", " not in said and "，" not in said.split("；", 1)[1], said


def test_choice_lists_under_en_show_the_code_first(cli, lead):
    said = cli("leads", "--status", "x", actor="王经理", code=ExitCode.DATA).stderr
    assert "use one of: active (跟进中), ordered (已订车), delivered (已交车)" in said


def test_a_status_is_given_in_the_word_the_list_shows(cli, zh, lead):
    """What the list offers can be typed back: `--status 跟进中` is `--status active`."""
    in_words = cli.json("leads", "--status", "跟进中", actor="李娜")
    assert in_words == cli.json("leads", "--status", "active", actor="李娜")
    assert [row["lead_id"] for row in cli.json("leads", "--status", "跟进中", actor="李娜")] == [lead]
