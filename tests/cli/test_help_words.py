"""The words of --help pages as a person reads them at 80 columns, in both languages: the command list's shortened
lines, the options' environment variables and defaults, the usage line's arguments."""

from __future__ import annotations

import re

import pytest

from leadctl.errors import ExitCode

LANGS = [("zh", "命令:"), ("en", "Commands:")]


@pytest.fixture
def speak(monkeypatch):
    """Run the CLI in a language at 80 columns."""
    from leadctl import i18n

    def use(lang: str) -> None:
        monkeypatch.setenv("COLUMNS", "80")
        monkeypatch.setenv("LEADCTL_LANG", lang)
        i18n.use(lang)

    yield use
    i18n.use("en")


def _listed(page: str, heading: str) -> dict[str, str]:
    rows = [line.split(maxsplit=1) for line in page.split(heading, 1)[1].splitlines()[1:] if line.strip()]
    return {name: text for name, text in rows}


@pytest.mark.parametrize("lang, heading", LANGS)
def test_the_command_list_cuts_no_word_and_no_code_span(cli, speak, lang, heading):
    """A summary too long for its line ends with `…` after a whole word, never inside `code`."""
    speak(lang)
    listed = _listed(cli("--help").stdout, heading)
    cut = {name: text for name, text in listed.items() if text.endswith("…")}
    assert cut, "some summaries are long enough to be shortened"
    for name, text in listed.items():
        assert text.count("`") % 2 == 0, (name, text)
    page = {name: " ".join(cli(name, "--help").stdout.split()) for name in cut}
    for name, text in cut.items():
        head = text[:-1]
        assert not re.search(r"[\s,;:，、；：]$", head), (name, text)
        word = re.search(r"[A-Za-z0-9_-]+$", head)
        if word:  # the word before `…` is a whole word of the command's own help
            assert re.search(rf"(?<![A-Za-z0-9_-]){re.escape(word.group())}(?![A-Za-z0-9_-])", page[name]), (name, text)


def test_a_summary_starting_with_code_says_what_the_command_does(cli, speak):
    speak("en")
    assert _listed(cli("--help").stdout, "Commands:")["order"] == "Orders: sign one (grade O) with…"
    assert _listed(cli("--help").stdout, "Commands:")["grade"] == "Grade a lead by grade, purchase horizon or…"


@pytest.mark.parametrize("lang, args, said", [
    ("zh", ["gradee"], "leadctl：没有命令 'gradee'。您是想输入 'grade' 吗？请看 `leadctl --help`\n"),
    ("zh", ["staff", "ad"], "leadctl：没有命令 'ad'。您是想输入 'add' 吗？请看 `leadctl staff --help`\n"),
    ("en", ["gradee"], "leadctl: No such command 'gradee'. Did you mean 'grade'? See `leadctl --help`\n"),
])
def test_a_question_ends_its_sentence_before_the_hint(cli, speak, lang, args, said):
    """`吗？；` read as two stops: after a question the hint is a sentence of its own."""
    speak(lang)
    assert cli(*args, code=ExitCode.USAGE).stderr == said


@pytest.mark.parametrize("lang, env, sep, default", [
    ("zh", "环境变量：", "；", "默认："), ("en", "env var: ", "; ", "default: "),
])
def test_environment_variables_and_defaults_read_whole(cli, speak, lang, env, sep, default):
    """What Typer appends to an option's help (its variable, its default) is kept in items a line never splits,
    `;` between them under en and `；` under zh; the database's default path is one of them."""
    from rich.cells import cell_len

    speak(lang)
    page = cli("--help").stdout
    lines = page.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    for name in ("LEADCTL_DB", "LEADCTL_USER", "LEADCTL_NOW", "LEADCTL_BUSY_TIMEOUT"):
        assert any(f"[{env}{name}" in line for line in lines), (name, page)
    assert f"[{env}LEADCTL_BUSY_TIMEOUT{sep}{default}5.0]" in page
    db = [i for i, line in enumerate(lines) if line.lstrip().startswith("--db")][0]
    assert lines[db + 1].strip().startswith(default) and lines[db + 1].strip().endswith("leadctl.db]"), page
    assert "(" not in lines[db + 1]
    if lang == "zh":
        assert "; " not in page and "变\n" not in page


def test_no_help_page_splits_what_typer_appends(cli, speak):
    """Every page, both languages: `[必填]`, `[默认：...]`, `[环境变量：...]` break only between their items."""
    from tests.cli.test_zh_words import _helps

    for lang, heading in LANGS:
        speak(lang)
        for name, page in _helps(cli, heading).items():
            for line in page.splitlines():
                opened = line.rfind("[")
                if opened > line.rfind("]") and re.match(r"\[(环境变量|默认|必填|env var|required)",
                                                         line[opened:]):
                    assert line.endswith(("；", ";")), (lang, name, line)


@pytest.mark.parametrize("lang, usage, grade, word", [
    ("zh", "用法：leadctl followup [选项] {线索} [编号]", "{线索} [级别]", "编号"),
    ("en", "Usage: leadctl followup [OPTIONS] {LEAD} [ID]", "{LEAD} [GRADE]", "ID"),
])
def test_followup_names_its_arguments_as_its_usage_line_does(cli, speak, lang, usage, grade, word):
    """The usage line names the arguments by what they are, in the run's language (as `grade` says its own); the
    text names the corrections with the same word, and the arguments' rows show that word alone."""
    speak(lang)
    page = cli("followup", "--help").stdout
    assert page.splitlines()[0] == usage
    text = " ".join(page.split())
    assert f"`followup amend {word} --reason" in text and f"`followup void {word} --reason" in text
    assert re.search(rf"^  {word} +\S", page, re.M), page
    assert "followup_id" not in page
    assert cli("grade", "--help").stdout.splitlines()[0].endswith(grade)


TYPE_NAME = re.compile(r"<\w+(\[\w+\])?>")  # what Typer shows for a parameter nobody named: <str>, <list[str]>


@pytest.mark.parametrize("lang, heading", LANGS)
def test_every_value_is_named_by_what_it_is_never_by_its_python_type(cli, speak, lang, heading):
    """Every option and argument that takes a value shows a placeholder from cli/placeholders.py (`--phone 电话`,
    `--on 日期`), never `<str>`; under zh the placeholders are Chinese words (VIN aside: it is what the plate
    says)."""
    from tests.cli.test_zh_words import _helps

    speak(lang)
    pages = _helps(cli, heading)
    pages.update({f"{group} 5": cli(group, "5", "--help").stdout for group in ("transfer", "order")})  # defaults
    for name, page in pages.items():
        assert not TYPE_NAME.search(page), (name, TYPE_NAME.search(page).group())
        if lang == "zh":
            for line in page.splitlines():
                value = re.match(r"  --[\w-]+ (\S+)", line)
                if value and value.group(1) != "/":
                    assert re.search(r"[\u4e00-\u9fff]", value.group(1)) or value.group(1) == "VIN", (name, line)


def test_one_name_for_two_values_is_told_apart_by_its_command(cli, speak):
    """`--on` is a day for `due` and a time for `invite`; `--to` a day for `report` and a colleague for
    `handover` and `transfer 5` (its group's default command, typed without its name)."""
    speak("zh")
    commands = (("due",), ("invite",), ("report",), ("handover",), ("transfer", "5"))
    lines = {(cmd, line.split()[0]): line.split()[1] for cmd in commands
             for line in cli(*cmd, "--help").stdout.splitlines() if re.match(r"  --(on|to) \S+  ", line)}
    assert lines == {(("due",), "--on"): "日期", (("invite",), "--on"): "时间", (("report",), "--to"): "日期",
                     (("handover",), "--to"): "员工", (("transfer", "5"), "--to"): "员工"}
    assert cli("transfer", "5", "--help").stdout.splitlines()[0] == "用法：leadctl transfer [选项] {线索}"
    merge = cli("merge", "--help").stdout
    assert merge.splitlines()[0] == "用法：leadctl merge [选项] {保留线索} {重复线索}"  # which lead is which


def test_no_space_between_a_chinese_mark_and_what_typer_appends(cli, speak):
    """A Chinese sentence carries its own space after `。`: `批次人数。[默认：1]`, never `批次人数。 [默认：1]`; an
    English one keeps its space (`People in the batch (批次). [default: 1]`)."""
    from tests.cli.test_zh_words import _helps

    speak("zh")
    assert "批次人数。[默认：1]" in cli("intake", "--help").stdout
    for name, page in _helps(cli, LANGS[0][1]).items():
        assert not re.search(r"[。，；：）] \[", page), (name, page)
    speak("en")
    assert "(批次). [default: 1]" in cli("intake", "--help").stdout


def test_a_default_reads_as_the_word_a_person_would_type_under_zh(cli, speak):
    """A default that is a term with a Chinese word (a channel) shows the word, `[默认：展厅]`, as the choices
    before it do; a flag pair's default names its flag, `[默认：--invited]`, not a bare `invited`."""
    from leadctl import models
    from tests.cli.test_zh_words import _helps

    terms = [t for t in vars(models).values() if isinstance(t, type) and issubclass(t, models.Term) and t.labels()]
    worded = {code for term in terms for code, label in term.labels().items() if label != code}
    speak("zh")
    pages = _helps(cli, LANGS[0][1])
    for name, page in pages.items():
        flat = re.sub(r"\s+", "", page.replace("│", ""))
        for default in re.findall(r"\[默认：([^]]+)\]", flat):
            assert default not in worded, (name, default)
            assert default not in {"invited", "not-invited"}, (name, default)
    assert "[默认：展厅]" in re.sub(r"\s+", "", pages["intake"])
    speak("en")
    page = re.sub(r"\s+", " ", cli("intake", "--help").stdout)
    assert "[default: walk-in]" in page and "[default: --invited]" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_help_names_every_report_the_catalog_has(cli, speak, lang):
    """`report --help` lists every name `report` accepts (the catalog's, and monthly), as the refusal of an
    unknown name does."""
    from leadctl.reports.catalog import REPORTS

    speak(lang)
    page = re.sub(r"\s+", " ", cli("report", "--help").stdout.replace("│", ""))
    said = cli("report", "nosuch", code=ExitCode.USAGE).stderr
    for name in [*REPORTS, "monthly"]:
        assert re.search(rf"(^|[^a-z-]){re.escape(name)}([^a-z-]|$)", page), name
        assert re.search(rf"(^|[^a-z-]){re.escape(name)}([^a-z-]|$)", said), name
