"""output.draw writes the table's box itself from the widths it settled: it must be the table rich draws, character
for character and, on a terminal, colour for colour (rich is the oracle here, drawn as draw() drew it before)."""

from __future__ import annotations

import io
import sys

import pytest
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from leadctl.cli import layout, output

COLUMNS = ["lead_id", "name", "overdue_days", "result"]
CELLS = [["1", "欧阳建国", "逾期2天", "客户在比较凯美瑞和雅阁，周末带家人再来看车"], ["1024", "Li", "", "ok"],
         ["7", "司马相如😀", "逾期12天", ""]]


class Screen(io.StringIO):
    def isatty(self) -> bool:
        return True


def by_rich(color: bool, width: int, row_styles) -> str:
    """The table as rich draws it: HEAVY_HEAD, bold headers, a column's style on its cells."""
    screen = io.StringIO()
    console = Console(width=width, file=screen, force_terminal=color, color_system="truecolor" if color else None,
                      highlight=False)
    table = Table(highlight=False)
    for key in COLUMNS:
        table.add_column(Text(layout.header(key)), style="red" if key == "overdue_days" else None, overflow="fold",
                         no_wrap=not layout.wraps(key), justify="right" if key == "lead_id" else "left")
    for cells, style in zip(CELLS, row_styles, strict=True):
        table.add_row(*map(Text, cells), style=style)
    console.print(Text("标题", style="italic"), table, sep="\n")
    return screen.getvalue()


def styled(ansi: str) -> list[list[tuple[str, Style]]]:
    """Each line's characters with the style each is shown in."""
    lines = []
    for line in Text.from_ansi(ansi).split("\n"):
        lines.append([(ch, Style.combine([Style(), *(s.style for s in line.spans if s.start <= k < s.end)]))
                      for k, ch in enumerate(line.plain)])
    return lines


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("row_styles", [[None, None, None], ["bold", None, "dim"]])
def test_the_box_is_the_one_rich_draws(monkeypatch, color, row_styles):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "100")  # no pager
    if color:
        monkeypatch.setenv("COLORTERM", "truecolor")
        monkeypatch.setenv("TERM", "xterm-256color")
    screen = Screen() if color else io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    output.draw(CELLS, COLUMNS, "标题", styles={"overdue_days": "red"}, row_styles=row_styles,
                right=frozenset({0}))
    drawn, oracle = screen.getvalue(), by_rich(color, 100, row_styles)
    assert Text.from_ansi(drawn).plain == Text.from_ansi(oracle).plain, drawn
    assert ("\x1b[" in drawn) is color
    assert styled(drawn) == styled(oracle)
