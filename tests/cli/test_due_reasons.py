"""Why a row is due, in the run's language: the rules give a code and its values, the CLI says them in words (a
short phrase in the table, the whole reason in CSV and on the card), and the JSON keeps the code, the values and
the English line scripts read."""

from __future__ import annotations

import csv
import io
import re

import pytest

from leadctl.cli import reasons as shown
from leadctl.rules import reasons
from tests.conftest import SAMPLE_NOW, intake, sample_year

ENGLISH = re.compile(r"\b(every|contact|owner|first|graded|ordered|delivery|review|await|complaint|due|left|late|"
                     r"care|call|planned|card|since|oldest)\b")


@pytest.fixture
def year(sample_year_file, tmp_path):
    return sample_year(sample_year_file, tmp_path / "year.db")


def csv_reasons(done) -> list[str]:
    rows = list(csv.reader(io.StringIO(done.stdout)))
    at = rows[0].index("原因") if "原因" in rows[0] else rows[0].index("Reason")
    return [row[at] for row in rows[1:]]


def test_due_csv_says_the_reasons_in_chinese_under_zh(year, zh):
    said = csv_reasons(year("due", "--all", "--csv", now=SAMPLE_NOW, actor="张建国"))
    assert said and [r for r in said if ENGLISH.search(r)] == []
    assert "C级每30天回访；上次联系 2025年12月30日" in said
    assert any(r.startswith("保有客户关怀：") for r in said) and any("等待批复" in r for r in said)
    assert any(r.startswith("顾问预约；上次联系 ") for r in said)


def test_due_csv_says_them_in_english_under_en(year):
    said = csv_reasons(year("due", "--all", "--csv", now=SAMPLE_NOW, actor="张建国"))
    assert "grade C every 30 days; last contact 2025-12-30" in said
    assert [r for r in said if re.search(r"[\u4e00-\u9fff]", r.replace("批复", "")) and "(" not in r] == []


def test_due_json_keeps_the_english_line_and_adds_the_code_and_its_values(year, zh):
    rows = year.json("due", now=SAMPLE_NOW, actor="李明")
    first = rows[0]
    assert first["reason"] == "C every 30d, last contact 2025-12-30"  # as scripts have always read it
    assert first["reason_code"] == "grade_cadence"
    assert first["reason_values"] == {"grade": "C", "days": 30, "since": "last_contact", "day": "2025-12-30"}
    assert all(r["reason_code"] in reasons.CODES and not re.search(r"[\u4e00-\u9fff]", r["reason"]) for r in rows
               if r["reason_code"] != "review_waiting")  # the JSON never goes through the catalog
    care = next(r for r in rows if r.get("care"))
    assert care["reason_code"] == "owner_care" and care["reason"].startswith("owner care: ")
    assert care["reason_values"]["kind"] == care["care"]


def test_the_table_shows_the_short_phrase_and_the_card_the_whole_reason(year, zh):
    rows = year.json("due", now=SAMPLE_NOW, actor="李明")
    planned = next(r for r in rows if r["reason_code"] == "planned")
    table = year("due", "--wide", now=SAMPLE_NOW, actor="李明").stdout
    assert "预约联系" in table and not ENGLISH.search(table)
    card = year("show", str(planned["lead_id"]), now=SAMPLE_NOW, actor="张建国").stdout
    line = next(line for line in card.splitlines() if "到期原因" in line)
    assert "顾问预约；上次联系 " in line and not ENGLISH.search(line)


def test_a_complaints_reason_reads_in_chinese_in_csv_and_the_table(cli, zh):
    intake(cli, "13800138000", owner="李娜")
    cli.json("complaint", "new", "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "x",
             actor="张前台")
    rows = cli.json("due", "--all", actor="王经理", now="2026-11-26T10:00")
    complaint = next(r for r in rows if r["reason_code"] == "complaint")
    assert complaint["reason"].startswith("complaint 1 (服务): first reply due 2026-11-25 09:00 (")
    assert complaint["reason_values"] == {"complaint_id": 1, "kind": "service", "what": "reply",
                                          "due": "2026-11-25 09:00", "late": True, "minutes": 1500}
    said = csv_reasons(cli("due", "--all", "--csv", actor="王经理", now="2026-11-26T10:00"))
    assert "投诉 1（服务）：首次答复限 11-25 09:00，超时 25小时" in said, said
    table = cli("due", "--all", actor="王经理", now="2026-11-26T10:00").stdout
    assert "投诉时限" in table


def test_every_code_has_its_words():
    assert set(reasons.CODES) == set(shown.SHORT) | {"owner_care"}
    assert set(reasons.CODES) <= set(shown.LONG)
