"""The working lists fit the store's terminals: at 80 and at 120 columns, with Chinese data, no phone number, date,
time or name is split across lines, nothing in the name, phone, grade and due columns is cut to an ellipsis, and no
line is wider than the screen."""

from __future__ import annotations

import re

import pytest

from leadctl.cli import layout, output
from tests.conftest import intake

VIN = "LFV2A21K0G3043210"
NAMES = ("欧阳建国", "司马相如", "诸葛明亮", "上官婉儿")
PHONES = ("13800138000", "13900139001", "13700137002", "13600136003")


@pytest.fixture
def store(cli, zh):
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    for i, (name, phone) in enumerate(zip(NAMES, PHONES, strict=True)):
        intake(cli, phone, name=name, owner="李娜" if i % 2 == 0 else "陈刚", channel="展厅", model="迈腾 330TSI",
               arrived=f"2026-11-{18 + i}T10:00")
    intake(cli, "13500135004", name="慕容复", channel="web", grade="A", actor="赵电销")
    cli.json("grade", "1", "A", actor="李娜")
    cli.json("followup", "1", "--result", "客户在比较凯美瑞和雅阁，周末带家人再来看车并试驾", actor="李娜")
    cli.json("followup", "2", "--result", "报价已发微信", actor="陈刚")
    cli.json("invite", "13500135004", "--on", "2026-11-27T10:00", "--note", "周五上午看车", actor="赵电销")
    cli.json("defeat", "request", "3", "--reason", "竞品", "--lost-to", "丰田/凯美瑞", "--price", "179800",
             "--note", "对比后选了凯美瑞，价格差一万", actor="李娜")
    cli.json("order", "4", "--vin", VIN, "--series", "迈腾", "--model", "330TSI", "--price", "189800", "--deposit",
             "5000", actor="陈刚")
    cli.json("complaint", "new", "--customer", PHONES[0], "--channel", "电话", "--kind", "服务", "--summary",
             "交车等了三个小时，没有人解释原因", "--department", "销售部", actor="张前台")
    intake(cli, "+86 138 0013 8000", name="欧阳建国", owner="陈刚")  # another consultant: a collision
    return cli


LISTS = {
    "due": ("due", "--all"),
    "invitations": ("invitations", "--from", "2026-11-01", "--to", "2026-11-30"),
    "review": ("review",),
    "defeat list": ("defeat", "list"),
    "order list": ("order", "list"),
    "complaint list": ("complaint", "list"),
    "collisions": ("collisions",),
}
PROTECTED = ("name", "phone", "grade", "due_on", "lead_id")  # never cut, never dropped


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", list(LISTS))
def test_each_working_list_fits_without_splitting_a_value(store, monkeypatch, name, width):
    from rich.cells import cell_len

    monkeypatch.setattr(output, "PIPED_WIDTH", width)
    shown = store(*LISTS[name], actor="王经理").stdout
    data = store.json(*LISTS[name], actor="王经理")
    rows = data["invitations"] if name == "invitations" else data
    assert rows, f"{name}: the data set has no rows for it"
    lines = shown.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    assert all(cell_len(line.rstrip()) <= width for line in lines), shown
    assert "…" not in shown, shown
    for row in rows:
        for key in ("name", "phone"):
            if row.get(key):
                assert any(row[key] in line for line in lines), (key, row[key], shown)
        for key, value in row.items():
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?)?", value):
                printed = output.cell(key, value, store_today())
                if name == "due" and key == "due_on" and row["overdue_days"]:  # a late row says how late instead
                    printed = layout.days_late(row["overdue_days"])
                if key in PROTECTED or f" {layout.header(key)} " in header:  # its column is shown
                    assert any(printed in line for line in lines), (key, printed, shown)
    for key in PROTECTED:
        if rows and key in rows[0]:
            assert layout.header(key) in header, (key, shown)


def store_today():
    from datetime import date

    return date(2026, 11, 24)


def test_a_narrow_terminal_drops_the_less_important_columns_first(store, monkeypatch):
    monkeypatch.setattr(output, "PIPED_WIDTH", 80)
    narrow = store("order", "list", actor="王经理").stdout.splitlines()[2]
    monkeypatch.setattr(output, "PIPED_WIDTH", 120)
    wider = store("order", "list", actor="王经理").stdout.splitlines()[2]
    everything = store("order", "list", "--wide", actor="王经理").stdout.splitlines()[2]
    count = [len(line.split("┃")) for line in (narrow, wider, everything)]
    assert count[0] < count[1] < count[2]
    assert all(layout.header(k) in narrow for k in ("id", "lead_id", "name", "phone", "status"))
    assert layout.header("delivered_at") not in narrow  # a secondary timestamp goes before the customer
    assert layout.header("ordered_by") in everything


def test_due_reads_the_chinese_way(store, monkeypatch):
    monkeypatch.setattr(output, "PIPED_WIDTH", 120)
    shown = store("due", "--all", actor="王经理", now="2026-11-26T09:00").stdout
    assert "逾期6天" in shown and "首次联系" in shown and "待定级" in shown
    assert "2026-11-20" not in shown and "first contact" not in shown
    ahead = store("due", "--all", "--on", "2026-11-27", actor="王经理", now="2026-11-26T09:00").stdout
    assert "11月27日 周五" in ahead and "│ 逾期7天 " in ahead  # a day to come as a day, a late one as its lateness


def test_a_screen_narrower_than_the_columns_that_stay_still_gets_no_wider_line(store, monkeypatch):
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "30")
    shown = store("due", "--all", actor="王经理").stdout
    assert shown.count("┏") == 1 and all(cell_len(line.rstrip()) <= 30 for line in shown.splitlines()), shown


def test_a_value_wider_than_its_column_is_folded_inside_the_box(store, monkeypatch):
    """A name written before control characters were refused (here a line break, shown as U+FFFD) measures wider
    than the column the table gave it: it is folded at the column, and every line of the box keeps its width."""
    import sqlite3

    from rich.cells import cell_len

    with sqlite3.connect(store.db) as conn:
        conn.execute("UPDATE leads SET name = '欧阳' || char(10) || '建国欧阳建国欧阳建国' WHERE id = 3")
    monkeypatch.setattr(output, "PIPED_WIDTH", 120)
    shown = store("due", "--all", actor="王经理").stdout
    box = [line for line in shown.splitlines() if line[:1] in "┏┃┡│└"]
    assert len({cell_len(line) for line in box}) == 1, shown  # one width: no line pushed out of the box
    assert "欧阳\ufffd建国" in shown and "\n建国" not in shown and "国欧阳建国" in shown

