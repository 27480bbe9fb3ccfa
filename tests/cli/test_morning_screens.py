"""The morning screens at 80 columns, as a consultant and a manager open them: their own due list keeps the reason
(a column that reads the same on every row, such as the owner of one's own list, goes first), the collisions keep
the recommended owner and its basis, and stderr says how many columns were left out and how to see them."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.conftest import SAMPLE_NOW, sample_year


@pytest.fixture
def year(sample_year_file, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    return sample_year(sample_year_file, tmp_path / "year.db")


def header(shown: str) -> str:
    return next(line for line in shown.splitlines() if line.startswith("┃"))


def test_a_consultants_own_due_list_at_80_columns_shows_the_short_reason_not_the_owner(year, zh):
    done = year("due", now=SAMPLE_NOW, actor="李明")
    top = header(done.stdout)
    assert "原因" in top and "顾问" not in top and "到期" in top and "电话" in top
    assert "│ C级每30天  │" in done.stdout and "every" not in done.stdout
    assert all(cell_len(line.rstrip()) <= 80 for line in done.stdout.splitlines())
    hidden = re.fullmatch(r"另有 (\d+) 列未显示，加宽终端或用 --wide 查看；--csv 保留全部列\n", done.stderr)
    assert hidden, done.stderr
    wide = year("due", "--wide", now=SAMPLE_NOW, actor="李明")
    everything = header(wide.stdout).count("┃") - header(done.stdout).count("┃")
    assert everything == int(hidden[1]) + 2  # the owner and the empty review column tell nothing: not counted
    assert "顾问" in header(wide.stdout) and wide.stderr == ""


def test_a_list_that_fits_says_nothing_and_keeps_its_constant_columns(year, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    done = year("due", now=SAMPLE_NOW, actor="李明")
    assert "Owner" in header(done.stdout) and done.stderr == ""


def test_the_hidden_column_notice_reads_english_under_en(year):
    done = year("due", now=SAMPLE_NOW, actor="李明")
    assert "owner" not in header(done.stdout)  # the English headers are the JSON keys, wider than 原因: no reason
    assert re.fullmatch(r"\d+ more column\(s\) not shown: widen the terminal or use --wide; --csv keeps them all\n",
                        done.stderr), done.stderr


def test_collisions_at_80_columns_keep_the_recommended_owner_and_its_basis(year, zh):
    done = year("collisions", now=SAMPLE_NOW, actor="张建国")
    top = header(done.stdout)
    assert "建议归属" in top and "依据" in top and "编号" in top and "线索" in top
    assert all(cell_len(line.rstrip()) <= 80 for line in done.stdout.splitlines())
    assert "2026-01-15" not in done.stdout and "（1月15日）" in re.sub(r"[│\s]", "", done.stdout)
    assert re.fullmatch(r"另有 \d+ 列未显示，加宽终端或用 --wide 查看；--json 保留全部列\n", done.stderr), done.stderr
    wide = year("collisions", "--wide", now=SAMPLE_NOW, actor="张建国")
    assert "申诉人" in header(wide.stdout) and wide.stderr == ""


def test_a_report_at_80_columns_says_the_same_through_the_one_notice(year):
    done = year("report", "traffic", now=SAMPLE_NOW, actor="张建国")
    assert re.fullmatch(r"\d+ more column\(s\) not shown: widen the terminal or use --wide; --xlsx or --csv keeps "
                        r"them all\n", done.stderr), done.stderr


def test_a_wrapped_basis_keeps_its_dates_amounts_and_names_on_one_line(year, zh):
    shown = year("collisions", now=SAMPLE_NOW, actor="张建国").stdout
    lines = [line.split("│")[-2].strip() for line in shown.splitlines() if line.startswith("│")]
    names = "|".join(s["name"] for s in year.json("staff", "list", now=SAMPLE_NOW, actor="张建国"))
    wholes = re.findall(rf"(?:\d{{4}}年)?\d+月\d+日|\d+ 天|{names}", "".join(lines))  # the lines joined again
    assert len(wholes) > 20 and any("月" in w for w in wholes) and any("天" in w for w in wholes), shown
    for whole in wholes:
        assert any(whole in line for line in lines), (whole, shown)
    assert not any(line.startswith(tuple("，。）、")) for line in lines), shown
