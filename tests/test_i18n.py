"""The interface's language: complete catalogs, the language each run picks, and the same commands in zh and en."""

from __future__ import annotations

import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "leadctl" / "locale" / "zh" / "LC_MESSAGES" / "leadctl.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> list[str]:
    """The placeholders of a format string, with their conversion and format spec: `{lead_id}`, `{value!r}`."""
    return sorted(f"{name}!{conv}:{spec}" for _lit, name, spec, conv in string.Formatter().parse(text)
                  if name is not None)


def _catalog():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return [m for m in read_po(f, locale="zh") if m.id]


def test_every_message_has_a_chinese_translation():
    missing = [m.id for m in _catalog() if not m.string or "fuzzy" in m.flags]
    assert missing == [], "untranslated (fill them in leadctl/locale/zh/LC_MESSAGES/leadctl.po, `make catalogs`)"


def test_translations_keep_every_placeholder():
    wrong = [(m.id, m.string) for m in _catalog() if m.string and _fields(m.id) != _fields(m.string)]
    assert wrong == []


def test_the_catalog_holds_every_string_of_the_source_and_the_compiled_catalog_is_current():
    """A string wrapped in _() (or a help text) that is not in the catalog, or a .mo older than its .po, fails:
    run `make catalogs`, translate, run it again."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogs.py"), "--check"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def _env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LEADCTL_") and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(overrides)
    return env


def _run(db: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leadctl", "--db", str(db), "--now", "2026-11-24T09:00", *args],
                          capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture
def store_db(tmp_path):
    db = tmp_path / "store.db"
    env = _env(LANG="C")
    for args in (["init"], ["staff", "add", "王经理", "--role", "manager"],
                 ["--as", "王经理", "staff", "add", "李娜", "--role", "销售顾问", "--team", "展厅"],
                 ["--as", "王经理", "--now", "2026-11-20T10:00", "intake", "--name", "欧阳晓", "--phone",
                  "13800138000", "--owner", "李娜", "--channel", "展厅", "--json"]):
        done = _run(db, env, *args)
        assert done.returncode == 0, done.stderr
    return db


def test_cron_reads_chinese_and_a_developer_english_the_same_data(store_db):
    """LANG=C (cron) names no language: the store's default, zh. LANG=en_US.UTF-8 is English. Exit codes and JSON
    are the same in both."""
    runs = {}
    for lang in ("C", "en_US.UTF-8"):
        env = _env(LANG=lang)
        runs[lang] = {
            "due": _run(store_db, env, "--as", "王经理", "due", "--all", "--fail-if-overdue"),
            "json": _run(store_db, env, "--as", "王经理", "due", "--all", "--json"),
            "help": _run(store_db, env, "due", "--help"),
            "error": _run(store_db, env, "--as", "王经理", "show", "99"),
        }
    zh, en = runs["C"], runs["en_US.UTF-8"]
    for key in zh:
        assert zh[key].returncode == en[key].returncode, key
    assert zh["due"].returncode == 5 and zh["error"].returncode == 3
    assert json.loads(zh["json"].stdout) == json.loads(en["json"].stdout)
    assert json.loads(zh["json"].stdout)[0]["name"] == "欧阳晓"
    assert "截至" in zh["due"].stdout and "逾期" in zh["due"].stdout and "Due by" not in zh["due"].stdout
    assert "Due by" in en["due"].stdout and "late" in en["due"].stdout
    assert "待联系的线索" in zh["help"].stdout and "Leads due for contact" in en["help"].stdout
    assert "没有编号为 99 的线索" in zh["error"].stderr and "no lead with id 99" in en["error"].stderr
    assert not CJK.search(en["help"].stdout.split("--team")[0])


def test_the_language_is_leadctl_lang_then_the_locale_then_the_store(tmp_path):
    db = tmp_path / "english-store.db"
    assert _run(db, _env(LANG="C"), "init", "--lang", "en").returncode == 0
    assert "unknown staff member" in _run(db, _env(LANG="C"), "--as", "谁", "due").stderr  # the store's default
    assert "未知员工" in _run(db, _env(LANG="zh_CN.UTF-8"), "--as", "谁", "due").stderr  # the locale over it
    assert "未知员工" in _run(db, _env(LANG="en_US.UTF-8", LEADCTL_LANG="zh"), "--as", "谁", "due").stderr
    assert "unknown staff member" in _run(db, _env(LC_ALL="POSIX", LEADCTL_LANG="en"), "--as", "谁", "due").stderr
    refused = _run(tmp_path / "other.db", _env(LANG="C"), "init", "--lang", "fr")
    assert refused.returncode == 2 and not (tmp_path / "other.db").exists()


def test_the_words_shown_are_accepted_back(store_db):
    env = _env(LANG="C")
    shown = _run(store_db, env, "--as", "王经理", "staff", "list")
    assert "销售顾问" in shown.stdout and "展厅" in shown.stdout and "consultant" not in shown.stdout
    for args in (["defeat", "list", "--status", "待核实"], ["order", "list", "--status", "已交车"],
                 ["due", "--team", "展厅"]):
        done = _run(store_db, env, "--as", "王经理", *args)
        assert done.returncode == 0, (args, done.stderr)


def test_the_compiled_catalog_is_sorted_and_reads_like_stdlib_gettext():
    """leadctl.i18n finds messages by a binary search of the .mo's table of originals: it must be sorted, and
    give what stdlib gettext gives for every message."""
    import gettext

    from leadctl import i18n

    mo = PO.with_suffix(".mo")
    fast = i18n.catalog(mo)
    with mo.open("rb") as f:
        stdlib = gettext.GNUTranslations(f)
    assert fast.is_sorted()
    for message in _catalog():
        assert fast.gettext(message.id) == stdlib.gettext(message.id) == message.string
    assert fast.gettext("not in the catalog {x}") == "not in the catalog {x}"
