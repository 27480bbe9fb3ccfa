"""Under zh a person reads no English (only codes in JSON, and data); under en no Chinese but data: check's
findings, the command line's own usage errors, care kinds, the due list's dates, the workbook."""

from __future__ import annotations

import itertools
import re

import pytest

from leadctl.errors import ExitCode
from tests.conftest import SAMPLE_NOW, sample_year

WORD = re.compile(r"[A-Za-z][A-Za-z_-]+")
CJK = re.compile(r"[\u4e00-\u9fff]")


def english(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The words of English in `text` (two letters or more; a grade, `--json` and the names in `allowed` are not)."""
    text = re.sub(r"--[a-z][a-z-]*", "", text)
    return [w for w in WORD.findall(text) if w not in allowed]


@pytest.fixture
def year(sample_year_file, tmp_path):
    return sample_year(sample_year_file, tmp_path / "year.db")


def _findings_of_every_kind(year) -> None:
    """The sample year has open collisions and cards missing fields; the rest is made here, row by row."""
    lead = year.scalar("SELECT id FROM leads WHERE status = 'active' AND next_due IS NOT NULL ORDER BY id LIMIT 1")
    other = year.scalar("SELECT id FROM leads WHERE status = 'active' AND next_due IS NOT NULL AND id > ? "
                        "ORDER BY id LIMIT 1", lead)
    visit = year.scalar("SELECT id FROM visits WHERE kind = 'visit' AND left_contact = 1 ORDER BY id LIMIT 1")
    conn = __import__("sqlite3").connect(year.db)
    conn.execute("UPDATE leads SET next_due = NULL WHERE id = ?", (lead,))
    conn.execute("UPDATE leads SET next_due = '2027-06-01' WHERE id = ?", (other,))
    conn.execute("UPDATE visits SET staff_id = NULL WHERE id = ?", (visit,))
    conn.execute("UPDATE orders SET status = 'open', delivered_at = NULL, delivered_by = NULL "
                 "WHERE id = (SELECT min(id) FROM orders WHERE status = 'delivered')")
    conn.commit()
    conn.close()


def test_check_under_zh_reads_as_sentences_naming_people(year, zh):
    _findings_of_every_kind(year)
    found = year.json("check", now=SAMPLE_NOW, code=ExitCode.ATTENTION)
    kinds = {k for k, v in found.items() if v and k not in ("ok", "totals", "cards_missing_required")}
    assert {"collisions_left_open", "no_next_due", "cadence_breaches", "visits_without_consultant",
            "orders_never_delivered"} <= kinds
    said = year("check", now=SAMPLE_NOW, code=ExitCode.ATTENTION).stderr
    assert "{'" not in said and "collision_id" not in said
    collision = found["collisions_left_open"][0]
    owner, claimant = year.query("SELECT o.name, m.name FROM collisions c JOIN staff o ON o.id = c.owner_id "
                                 "JOIN staff m ON m.id = c.claimant_id WHERE c.id = ?", collision["collision_id"])[0]
    assert "超时未裁定的撞单：20" in said
    assert f"撞单 #{collision['collision_id']} 自 1月25日 11:26 未处理，{claimant} 与归属顾问 {owner} 相争" in said
    for title in ("没有下次跟进日期的线索：1", "下次跟进晚于政策规定的线索：1", "未登记接待顾问的来店：1",
                  "超过 60 天未交车的订单："):
        assert title in said
    assert english(said, allowed=("SQLite",)) == []


def test_check_s_sentences_take_no_space_beside_chinese_punctuation(year, zh):
    _findings_of_every_kind(year)
    said = year("check", now=SAMPLE_NOW, code=ExitCode.ATTENTION).stderr
    findings = [line for line in said.splitlines() if line.startswith("  ")]
    assert any("）的来店 #" in line for line in findings) and any("）的订单 #" in line for line in findings)
    assert [line for line in findings if re.search(r"[ \u3000][，。；：（）]|[，。；：（）][ \u3000]", line)] == []


def test_check_s_sentences_keep_their_spaces_in_english(year):
    _findings_of_every_kind(year)
    said = year("check", now=SAMPLE_NOW, code=ExitCode.ATTENTION).stderr
    assert re.search(r"visit #\d+ of lead \d+ \(.+\) on ", said)


def test_check_json_keeps_its_codes_and_en_reads_english(year):
    _findings_of_every_kind(year)
    found = year.json("check", now=SAMPLE_NOW, code=ExitCode.ATTENTION)
    assert found["collisions_left_open"][0] == {"collision_id": 1, "lead_id": 806, "opened_at": "2026-01-25T11:26:00"}
    said = year("check", now=SAMPLE_NOW, code=ExitCode.ATTENTION).stderr
    assert "Collisions left open: 20" in said and "collision #1 open since 01-25 11:26" in said
    assert "Leads without a next follow-up date: 1" in said
    assert not_data(said, year) == []


def not_data(text: str, cli) -> list[str]:
    """The Chinese left in `text` once the names of the store's staff and customers are taken out."""
    names = sorted({n for (n,) in cli.query("SELECT name FROM staff UNION SELECT name FROM leads") if n}, key=len,
                   reverse=True)
    for name in names:
        text = text.replace(name, "")
    return CJK.findall(text)


USAGE_MISTAKES = [
    (("check", "--actor", "x"), "没有选项 --actor", "No such option: --actor", "leadctl check --help"),
    (("chek",), "没有命令 'chek'。您是想输入 'check'", "No such command 'chek'. Did you mean 'check'",
     "leadctl --help"),
    (("show",), "缺少参数 '线索'", "Missing argument 'LEAD'", "leadctl show --help"),
    (("show", "1", "2"), "多余的参数（2）", "Got unexpected extra argument(s) (2)", "leadctl show --help"),
    (("lost", "1", "--attempts", "abc"), "'--attempts' 的值无效：应为整数", "Invalid value for '--attempts'",
     "leadctl lost --help"),
    (("transfer", "1"), "缺少选项 '--to'", "Missing option '--to'", "leadctl transfer"),
    (("due", "--team"), "选项 '--team' 需要一个值", "Option '--team' requires an argument", "--help"),
]


@pytest.mark.parametrize(("args", "chinese", "english_words", "hint"), USAGE_MISTAKES)
def test_a_usage_mistake_is_one_line_in_the_runs_language(cli, args, chinese, english_words, hint):
    said = cli(*args, code=ExitCode.USAGE).stderr
    assert said.startswith("leadctl: ") and len(said.splitlines()) == 1 and english_words in said and hint in said
    from leadctl import i18n

    i18n.use("zh")
    try:
        said = cli(*args, code=ExitCode.USAGE).stderr
    finally:
        i18n.use("en")
    assert said.startswith("leadctl：") and len(said.splitlines()) == 1 and chinese in said and hint in said
    assert english(said, allowed=("leadctl", "check", "chek", "checks", "help", "show", "lost", "transfer",
                                  "due", "abc", "lead", "LEAD")) == []


def test_help_s_usage_line_is_translated(cli, zh):
    assert cli("staff", "--help").stdout.startswith("用法：leadctl staff [选项] 命令 [参数]...")
    assert cli("due", "--help").stdout.startswith("用法：leadctl due [选项]")


def _helps(cli, heading: str) -> dict[str, str]:
    """--help of leadctl, of every command and of every subcommand of a group (listed under `heading`)."""
    from leadctl.cli import COMMANDS

    pages = {"": cli("--help").stdout}
    for name in COMMANDS:
        page = pages[name] = cli(name, "--help").stdout
        if heading in page:
            for line in page.split(heading, 1)[1].splitlines()[1:]:
                if line.startswith("  ") and not line.startswith("   "):
                    pages[f"{name} {line.split()[0]}"] = cli(name, line.split()[0], "--help").stdout
    return pages


@pytest.mark.parametrize("lang, heading", [("zh", "命令:"), ("en", "Commands:")])
def test_every_help_page_fits_80_columns_without_breaking_a_word(cli, monkeypatch, lang, heading):
    """Measured in terminal cells (a Chinese character takes two): no line wider than the screen, no word split at
    its hyphen across two lines (walk-/in), every command listed with its summary (not `...`)."""
    from rich.cells import cell_len

    from leadctl import i18n

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LEADCTL_LANG", lang)
    i18n.use(lang)
    try:
        pages = _helps(cli, heading)
    finally:
        i18n.use("en")
    assert len(pages) > 60
    for name, page in pages.items():
        lines = page.splitlines()
        assert all(cell_len(line) <= 80 for line in lines), (name, [x for x in lines if cell_len(x) > 80])
        split = [(a, b) for a, b in itertools.pairwise(lines) if re.search(r"[a-z]-$", a) and re.match(r"\s*[a-z]", b)]
        assert split == [], (name, split)
    listed = [line.split(maxsplit=1) for line in pages[""].split(heading, 1)[1].splitlines()[1:] if line.strip()]
    assert listed and all(len(each) == 2 and each[1] not in ("...", "…") for each in listed), listed


def test_a_group_called_bare_still_shows_its_help(cli):
    assert "Usage: leadctl staff [OPTIONS] COMMAND [ARGS]..." in cli("staff", code=ExitCode.USAGE).stderr


def test_refusals_are_whole_sentences_with_no_english_verb_inside(cli, zh):
    from tests.conftest import intake

    intake(cli, "13800138000", name="刘洋", owner="李娜")
    cli.json("defeat", "request", "1", "--reason", "竞品", "--lost-to", "丰田/凯美瑞", actor="李娜")
    request = cli.json("defeat", "list", actor="王经理")[0]["id"]
    said = cli("backup", "/tmp/never.db", actor="李娜", code=ExitCode.PERMISSION).stderr
    assert "李娜（销售顾问）无权备份数据库" in said and english(said, allowed=("leadctl",)) == []
    said = cli("lost", "1", "--attempts", "3", actor="李娜", code=ExitCode.REFUSED).stderr
    assert f"有未结的战败申请 {request}，不能标为失控" in said
    said = cli("grade", "1", "A", actor="陈刚", code=ExitCode.PERMISSION).stderr
    assert "陈刚 只能对自己的线索定级" in said and english(said, allowed=("leadctl",)) == []


@pytest.mark.parametrize("args, code, chinese", [
    (["intake", "--phone", "1381234567"], ExitCode.DATA, "请填写 11 位手机号"),
    (["intake", "--phone", "12012345678"], ExitCode.DATA, "没有运营商使用号段 120"),
    (["intake", "--phone", "13800138000", "--owner", "李名"], ExitCode.NOT_FOUND, "没有名为 '李名' 的顾问"),
    (["intake", "--phone", "13800138000", "--channel", "抖音"], ExitCode.DATA, "未知的渠道 '抖音'"),
    (["intake", "--phone", "13800138000", "--grade", "X"], ExitCode.DATA, "未知的级别 'X'"),
    (["intake", "--phone", "13800138000", "--info-source", "传单"], ExitCode.DATA, "未知的信息来源 '传单'"),
])
def test_the_front_desk_s_mistakes_read_in_chinese_with_their_example_unmasked(cli, zh, args, code, chinese):
    said = cli(*args, actor="张前台", code=code).stderr
    assert chinese in said and "*" not in said, said
    assert english(said, allowed=("leadctl", "walk-in", "call", "web", "hotline", "show", "hq", "repurchase",
                                  "referral", "phone", "newspaper", "radio", "magazine", "friends", "passing",
                                  "internet", "other", "staff", "list")) == [], said


def test_a_plan_past_the_cadence_names_the_grade_in_chinese(cli, zh):
    from tests.conftest import intake

    intake(cli, "13800138000", name="刘洋", owner="李娜", grade="A")
    said = cli("followup", "1", "--result", "电话", "--next", "2027-06-01", actor="李娜", code=ExitCode.REFUSED).stderr
    assert "晚于A级允许的日期" in said and english(said, allowed=("leadctl",)) == [], said


def test_a_defeat_request_that_cannot_move_says_so_in_a_sentence(cli):
    from tests.conftest import intake

    intake(cli, "13800138000", name="刘洋", owner="李娜")
    cli.json("defeat", "request", "1", "--reason", "竞品", "--lost-to", "丰田/凯美瑞", actor="李娜")
    cli.json("defeat", "reject", "1", "--note", "再跟一下", actor="王经理")
    said = cli("defeat", "verify", "1", "--result", "属实", actor="王经理", code=ExitCode.REFUSED).stderr
    assert "it cannot be verified now" in said and "verifyd" not in said


def test_care_kinds_read_as_words_and_json_keeps_the_codes(year):
    rows = year.json("due", "--all", now=SAMPLE_NOW, actor="张建国")
    kinds = {r["care"] for r in rows if r.get("care")}
    assert {"service", "ssi"} <= kinds
    english_list = year("due", "--all", now=SAMPLE_NOW, actor="张建国").stdout
    assert "first service" in english_list and "SSI survey" in english_list
    delivered = year.scalar("SELECT lead_id FROM orders WHERE status = 'delivered' ORDER BY delivered_at DESC LIMIT 1")
    card = year("owners", "card", str(delivered), now=SAMPLE_NOW, actor="张建国").stdout
    assert "thank-you call" in card or "SSI survey" in card
    from leadctl import i18n

    i18n.use("zh")
    try:
        chinese_list = year("due", "--all", now=SAMPLE_NOW, actor="张建国").stdout
        card = year("owners", "card", str(delivered), now=SAMPLE_NOW, actor="张建国").stdout
    finally:
        i18n.use("en")
    assert "首保提醒" in chinese_list and "满意度回访" in chinese_list
    assert not re.search(r"\b(service|insurance|birthday|anniversary|thanks|ssi)\b", chinese_list + card)
    assert "交车日" in card and "已交车" in card and "delivered_on" not in card and "感谢回访" in card


def test_the_80_column_due_list_says_how_late_in_its_due_column_and_keeps_the_reason(year, monkeypatch):
    from rich.cells import cell_len

    from leadctl import i18n
    from leadctl.cli import output

    monkeypatch.setattr(output, "PIPED_WIDTH", 80)
    i18n.use("zh")
    try:
        shown = year("due", "--all", now=SAMPLE_NOW, actor="张建国").stdout
        ahead = year("due", "--all", "--on", "2026-11-25", now=SAMPLE_NOW, actor="张建国").stdout
    finally:
        i18n.use("en")
    header = next(line for line in shown.splitlines() if line.startswith("┃"))
    assert "到期" in header and "顾问" in header and "原因" in header  # the manager's list keeps who and why
    assert "│ 逾期363天 " in shown and "│ 逾期21天 " in shown and "2025-" not in shown  # a late row: how late
    assert "│ 11月25日 周三 │" in ahead and "2025-" not in ahead  # every day to come is this year's: no year
    ids = [line.split("│")[1] for line in shown.splitlines() if line.startswith("│")]
    assert any(cell.startswith("  ") for cell in ids)
    assert all(cell.endswith(" ") and cell[-2].isdigit() for cell in ids if cell.strip())
    assert all(cell_len(line) <= 80 for line in shown.splitlines())
    english_80 = year("due", "--all", now=SAMPLE_NOW, actor="张建国").stdout
    assert "Reason" in next(line for line in english_80.splitlines() if line.startswith("┃"))
    assert "│ 363d late " in english_80


def test_a_report_on_the_terminal_reads_in_the_runs_language(year):
    shown = year("report", "owners", now=SAMPLE_NOW, actor="张建国").stdout
    assert shown.startswith("owners 2026-11-01..2026-11-30 whole store")
    assert not_data(shown, year) == []
    from leadctl import i18n

    i18n.use("zh")
    try:
        shown = year("report", "owners", now=SAMPLE_NOW, actor="张建国").stdout
    finally:
        i18n.use("en")
    assert shown.startswith("保有客户分析（owners）2026-11-01..2026-11-30 全店") and "销售顾问" in shown


def test_the_owners_list_is_titled_car_owners_not_ownership(year, zh):
    assert year("owners", now=SAMPLE_NOW, actor="张建国").stdout.startswith("保有客户：619")


@pytest.mark.parametrize("args", [("collisions",), ("duty", "list"), ("policy", "show"), ("checks", "list"),
                                  ("export", "leads", "--csv", "{tmp}/leads.csv"), ("transfer", "sweep", "--dry-run")])
def test_listings_found_english_under_zh_now_read_chinese(year, tmp_path, args):
    from leadctl import i18n

    args = tuple(a.format(tmp=tmp_path) for a in args)
    i18n.use("zh")
    try:
        done = year(*args, now=SAMPLE_NOW, actor="张建国")
    finally:
        i18n.use("en")
    said = (done.stdout + done.stderr).replace(str(tmp_path), "")
    allowed = ("standard", "first_contact", "same_day", "settle_calls", "settle_days", "within_hours", "horizon",
               "beyond", "init", "DCC", "leads", "csv")
    if args[0] == "transfer":  # the offers' commands to type, `leadctl lost 1 --attempts N`, are commands
        allowed += ("leadctl", "lost", "transfer", "STAFF")
        assert "标为失控或转给" in said and "展厅，建档超过 60 天" in said and "DCC 池" in said
    assert english(said, allowed=allowed) == []


def test_write_commands_say_what_they_did_in_chinese(cli, zh):
    from tests.conftest import intake

    intake(cli, "13800138000", name="刘洋", owner="李娜")
    said = [cli("grade", "1", "A", actor="李娜").stderr,
            cli("edit", "1", "--gender", "男", actor="李娜").stderr,
            cli("defeat", "request", "1", "--reason", "竞品", "--lost-to", "丰田", actor="李娜").stderr,
            cli("complaint", "new", "--customer", "1", "--channel", "电话", "--kind", "服务", "--summary", "等太久",
                actor="张前台").stderr,
            cli("staff", "add", "新人", "--role", "consultant", actor="王经理").stderr,
            cli("complaint", "show", "1", actor="王经理").stdout]
    assert "（直接定级）" in said[0] and "线索 1：性别" in said[1] and "（竞品）" in said[2]
    assert "投诉 1 已登记" in said[3] and "首次答复限" in said[3] and "（销售顾问）" in said[4]
    assert english("\n".join(said), allowed=("leadctl",)) == []


def test_the_card_s_history_names_moves_and_states_in_words(year, zh):
    shown = year("show", "806", now=SAMPLE_NOW, actor="张建国").stdout
    assert "陈晓雪 把线索从 - 转给 林佳怡：登记" in shown and "林佳怡：跟进中 -> 已订车（下订单）" in shown
    assert "（流程）" in shown
    assert not [w for w in english(shown) if w not in ("ID", "CROZZ", "Pro")]


def test_lines_about_a_time_say_it_as_a_person_does(cli, zh):
    """Under zh a refused --at names what was timed (定级, 跟进) and both times to the minute; an invitation's
    confirmation says its day and time as a sentence (11月27日 14:00); a refusal lists the roles with 、."""
    from tests.conftest import intake

    intake(cli, "13800138000", owner="李娜")
    before = cli.fingerprint()
    said = cli("grade", "1", "B", "--at", "2020-01-01", actor="李娜", code=65).stderr
    assert said.startswith("leadctl：定级时间 2020-01-01 00:00 早于线索登记时间（2026-11-24 09:00）")
    said = cli("followup", "1", "--result", "x", "--at", "2027-01-01", actor="李娜", code=65).stderr
    assert said.startswith("leadctl：跟进时间 2027-01-01 00:00 晚于现在")
    assert cli.fingerprint() == before
    refused = cli("invite", "1", "--on", "11月27日 14:00", actor="李娜", code=77).stderr
    assert refused.strip().endswith("此操作限于：销售经理、电销员")
    invited = cli("invite", "1", "--on", "11月27日 14:00", actor="王经理").stderr
    assert "11月27日 14:00" in invited and "T14" not in invited
