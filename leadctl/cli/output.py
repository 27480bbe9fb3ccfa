"""stdout is data, stderr is talk. JSON never goes through rich; tables' columns match the JSON keys."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from leadctl.errors import LeadctlError
from leadctl.i18n import _
from leadctl.rules.phone import mask_in


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_csv(rows: Iterable[dict], columns: Sequence[str], codes: bool = False) -> None:
    """CSV on stdout through the tool's one CSV writer (text Excel would run as a formula stays text). The header
    row is in the run's language (layout.header: words under en too), or the stable codes (the JSON keys) with
    `codes`; the values are the same codes and ISO dates either way."""
    from leadctl.cli import layout
    from leadctl.services.files import write_csv

    header = list(columns) if codes else [layout.header(c) for c in columns]
    write_csv(sys.stdout, header, ([row.get(c) for c in columns] for row in rows), lineterminator="\n")


def wide_option():
    import typer

    return typer.Option(False, "--wide", help="Show every column, however wide the table gets.")


def codes_option():
    import typer

    return typer.Option(False, "--codes", help="With --csv: a header row of the stable codes (the JSON keys), "
                        "not the words of the language.")


Style = str | Sequence[str | None] | None  # a column's style: one for all its cells, or one a row
PIPED_WIDTH = 120  # a table sent to a file or a pipe is drawn this wide, the same table as on a terminal


def _columns() -> int | None:
    """COLUMNS, when set to a width, wins over the pipe's default (a script or a terminal multiplexer says how wide)."""
    import os

    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and 20 <= int(value) <= 1000 else None


def _console(width: int | None = None, file=None, piped: int | None = None):
    """Tables fit the terminal (its size, or COLUMNS when set); piped, COLUMNS or `piped` (PIPED_WIDTH) wide."""
    from rich.console import Console

    if width is None and not sys.stdout.isatty():
        width = _columns() or piped or PIPED_WIDTH
    return Console(highlight=False, width=width, file=file)


def _text(value: Any, style: str = ""):
    """A value as rich shows it: plain text, never markup (a customer named `[/]` or `[link=...]` is a name)."""
    from rich.text import Text

    from leadctl.rules.text import shown

    return Text("" if value is None else shown(str(value)), style=style)


def cell(key: str, value: Any, today=None) -> str:
    """A value as a person reads it in a table: a timestamp `12-07 14:00`, a date `12月7日 周一`, a code as the
    store's word under zh, days late as `逾期2天`."""
    from leadctl.cli import layout
    from leadctl.i18n import _, zh

    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "overdue_days" and isinstance(value, int):
        return layout.days_late(value)
    if key == "waiting_hours" and isinstance(value, int | float):
        return layout.waited(value)
    if isinstance(value, str):
        when = layout.stamp(value, today)
        if when is not None:
            return when
        if len(value) == 10 and layout._DATE.fullmatch(value):
            from datetime import date

            try:
                return layout.day(date.fromisoformat(value), today, table=True)
            except ValueError:
                return value
        if key == "next":
            return layout.owed(value, today)
        if key == "reason":  # a defeat's reason; the due list's reasons are written by cli/reasons.py
            if zh():
                from leadctl.reports.base import LABELS

                if value in LABELS["defeat_reason"]:
                    return LABELS["defeat_reason"][value]
            return value
        from leadctl.reports.base import COLUMN_LABELS, EN_LABELS, LABELS, word

        kind = COLUMN_LABELS.get(key, key)
        if kind in (LABELS if zh() else EN_LABELS):
            return word(kind, value)
    return str(value)


def same(rows: list[list[str]], i: int) -> bool:
    """Whether column `i` reads the same on every row of two or more (the owner on one's own list, a column left
    empty): on a narrow screen it tells nothing a row needs."""
    return len(rows) > 1 and all(r[i] == rows[0][i] for r in rows)


def whole_widths(rows: list[list[str]], headers: Sequence[str]) -> list[int]:
    """Each column's whole width in terminal cells: its header's or its longest line's, the wider."""
    from rich.cells import cell_len

    return [max([cell_len(header)] + [max(map(cell_len, r[i].split("\n"))) for r in rows])
            for i, header in enumerate(headers)]


def fit(rows: list[list[str]], columns: Sequence[str], width: int, wide: bool = False,
        headers: Sequence[str] | None = None, ranks: Sequence[int] | None = None, drop_same: bool = False,
        whole: Sequence[int] | None = None) -> list[int]:
    """Which columns (their indexes) a table of these cells shows at `width` terminal columns: with `drop_same`, the
    columns that read the same on every row (same(); never rank 1) drop out first, then the less important ones
    (`ranks`, by default layout.PRIORITY of each key: the highest first, the rightmost first among equals; rank 1
    never) until every unbreakable value keeps its whole width (`whole`: whole_widths(), when already measured)."""
    from leadctl.cli import layout

    headers = headers if headers is not None else [layout.header(key) for key in columns]
    ranks = ranks if ranks is not None else [layout.priority(key) for key in columns]
    whole = whole if whole is not None else whole_widths(rows, headers)
    natural = [min(whole[i], 12) if layout.wraps(key) else whole[i] for i, key in enumerate(columns)]
    shown = list(range(len(columns)))
    if wide:
        return shown

    def needed(keep):
        return sum(natural[i] for i in keep) + 3 * len(keep) + 1  # rich's box: a bar and a space each side

    if drop_same and needed(shown) > width:
        shown = [i for i in shown if ranks[i] == 1 or not same(rows, i)]
    by_priority = sorted(shown, key=lambda i: (ranks[i], i))
    while needed(shown) > width and len(shown) > 1 and ranks[by_priority[-1]] > 1:
        shown.remove(by_priority.pop())
    return shown


def _today():
    """The run's day (--now / LEADCTL_NOW or the clock), for dates that leave out this year."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj.now.date() if getattr(obj, "now", None) is not None else None


def emit_table(rows: list[dict], columns: Sequence[str], title: str | None = None,
               styles: dict[str, Style] | None = None, wide: bool = False, ranks: Sequence[int] | None = None,
               whole: str | None = None) -> int:
    """A table of these rows' values (cell() says how each reads) that fits the screen; see draw(). A column that
    reads the same on every row goes first. With `whole` (the options that show every column, e.g. `--csv`),
    stderr says how many columns were left out (say_hidden). Returns that count."""
    from leadctl.cli import layout

    today = _today()
    years = {c: layout.shown_year((row.get(c) for row in rows), today) for c in columns}  # one style a column
    right = frozenset(i for i, c in enumerate(columns) if numeric(row.get(c) for row in rows))
    places = {c: decimals([row.get(c) for row in rows]) for i, c in enumerate(columns) if i in right}

    def shown(c: str, value: Any) -> str:
        d = places.get(c)
        return f"{value:.{d}f}" if d is not None and value is not None else cell(c, value, years[c])

    hidden = draw([[shown(c, row.get(c)) for c in columns] for row in rows], columns, title, styles=styles,
                  wide=wide, ranks=ranks, right=right, drop_same=True)
    if whole is not None:
        say_hidden(hidden, whole)
    return hidden


def numeric(values) -> bool:
    """Whether a column holds numbers (and blanks): drawn right-aligned, so that their places line up (ids, counts,
    scores, days late), as the reports draw their figures."""
    seen = False
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        seen = True
    return seen


def decimals(values: list, most: int = 6) -> int | None:
    """The decimals a numeric column is written with when it holds fractions: as many as its longest needs (at
    most `most`), so that the points line up (`0.0` above `331.25` reads `0.00`); None for whole numbers."""
    if not any(isinstance(v, float) for v in values):
        return None
    return min(most, max((len(repr(float(v)).partition(".")[2].rstrip("0")) for v in values if v is not None),
                         default=0)) or 1


def say_hidden(count: int, whole: str) -> None:
    """On stderr, when a table on the screen left columns out: how many, and how to see them (a wider terminal or
    --wide; `whole`: the options that keep every column, in the run's language)."""
    if count:
        say(_("{count} more column(s) not shown: widen the terminal or use --wide; {whole} keeps them all")
            .format(count=count, whole=whole))


def draw(cells: list[list[str]], columns: Sequence[str], title: str | None = None, *,
         headers: Sequence[str] | None = None, ranks: Sequence[int] | None = None, right: frozenset[int] = frozenset(),
         styles: dict[str, Style] | None = None, row_styles: Sequence[str | None] | None = None, wide: bool = False,
         piped: int | None = None, drop_same: bool = False) -> int:
    """A table of these cells (text, never markup) that fits the screen (fit() says which columns stay; `right`:
    the indexes of right-aligned ones), through a pager when it is taller than the screen; piped, `piped` columns
    (PIPED_WIDTH) wide unless COLUMNS says otherwise. Returns how many columns it left out that say something (a
    column reading the same on every row, left out by `drop_same`, is not counted)."""


    from leadctl.cli import layout

    console = _console(piped=piped)
    width = console.width
    headers = headers if headers is not None else [layout.header(key) for key in columns]
    whole = whole_widths(cells, headers)
    keep = fit(cells, columns, width, wide, headers, ranks, drop_same, whole)
    hidden = sum(1 for i in range(len(columns)) if i not in keep and not (drop_same and same(cells, i)))
    widths = {} if wide else _free_widths(columns, keep, whole, headers, width)
    final = [widths.get(i, whole[i]) for i in keep]
    drawn = sum(final) + 3 * len(keep) + 1
    if wide or drawn <= width:  # what fit() and _free_widths() settled, drawn here
        color = console._color_system if sys.stdout.isatty() else None
        text = _boxed([headers[i] for i in keep], [[r[i] for i in keep] for r in cells], final,
                      [keep.index(i) for i in right if i in keep], [(styles or {}).get(columns[i]) for i in keep],
                      row_styles, [i in widths for i in keep], color)
        width = max(width, drawn)
    else:  # a screen narrower than the columns that always stay: rich squeezes them all
        text = _squeezed(console, cells, columns, keep, headers, widths, right, styles, row_styles)
    if title:  # a line of its own: one wider than the table wraps at the screen's width
        text = _rendered(console, width, _text(title, "table.title")) + text
    if sys.stdout.isatty() and text.count("\n") > console.height:
        page(text)
    else:
        sys.stdout.write(text)
    return hidden


def _rendered(console, width: int, renderable) -> str:
    """What rich prints of `renderable` at `width`, in the colours of `console` when stdout is a terminal."""
    import io

    buffer = io.StringIO()
    drawn = _console(width=width, file=buffer)
    if sys.stdout.isatty():
        drawn._force_terminal = True
        drawn._color_system = console._color_system
    drawn.print(renderable)
    return buffer.getvalue()


def _squeezed(console, cells, columns, keep, headers, widths, right, styles, row_styles) -> str:
    """The table drawn by rich, which narrows every column in proportion until the table fits the screen."""
    from rich.table import Table
    from rich.text import Text

    from leadctl.cli import layout

    table = Table(highlight=False)
    for i in keep:
        key = columns[i]
        table.add_column(_text(headers[i]), overflow="fold", width=widths.get(i),
                         no_wrap=not layout.wraps(key), justify="right" if i in right else "left")
    for n, r in enumerate(cells):
        texts = [Text("\n".join(_lines(r[i], widths[i], True))) if i in widths else _text(r[i]) for i in keep]
        for text, i in zip(texts, keep, strict=True):
            style = _cell_style((styles or {}).get(columns[i]), n)
            if style:
                text.stylize(style)
        table.add_row(*texts, style=row_styles[n] if row_styles else None)
    return _rendered(console, console.width, table)


def _boxed(headers: Sequence[str], rows: list[list[str]], widths: Sequence[int], right: Sequence[int],
           styles: Sequence[Style], row_styles: Sequence[str | None] | None, wrapping: Sequence[bool],
           color) -> str:
    """The table as rich draws it (its HEAVY_HEAD box, a space either side of each cell, bold headers), from the
    widths already settled: rich measured and laid out every cell again, 1.5 ms a row of `due --all`. A free-text
    cell wraps at its width (_lines); any other fits its column whole, or is folded at it if it does not."""
    from rich.style import Style

    from leadctl.cli.helptext import cells

    painted: dict[str, Style] = {}

    def paint(text: str, style: str | None) -> str:
        if color is None or not style:
            return text
        if style not in painted:
            painted[style] = Style.parse(style)
        return painted[style].render(text, color_system=color)

    def rule(left: str, fill: str, middle: str, end: str) -> str:
        return left + middle.join(fill * (w + 2) for w in widths) + end + "\n"

    def row(values: Sequence[str], edge: str, cell_styles: Sequence[str | None], wrap: Sequence[bool]) -> str:
        columns = [_lines(v, w, free) for v, w, free in zip(values, widths, wrap, strict=True)]
        out = []
        for n in range(max(map(len, columns))):
            parts = []
            for j, lines in enumerate(columns):
                line = lines[n] if n < len(lines) else ""
                pad = " " * (widths[j] - cells(line))
                parts.append(paint(f" {pad}{line} " if j in right else f" {line}{pad} ", cell_styles[j]))
            out.append(edge + edge.join(parts) + edge + "\n")
        return "".join(out)

    heads = ["bold"] * len(widths)  # as rich: a column's style is its cells', not its header's
    body = []
    for n, values in enumerate(rows):
        extra = row_styles[n] if row_styles else None
        body.append(row(values, "│", [" ".join(filter(None, (_cell_style(s, n), extra))) or None for s in styles],
                        wrapping))
    return (rule("┏", "━", "┳", "┓") + row(headers, "┃", heads, [False] * len(widths)) + rule("┡", "━", "╇", "┩")
            + "".join(body) + rule("└", "─", "┴", "┘"))


def _cell_style(style: Style, n: int) -> str | None:
    """Row `n`'s style in a column styled `style`: the column's one style, or its own in a sequence of one a row
    (the due list's date column is red only where it says how late)."""
    return style if style is None or isinstance(style, str) else style[n]


def _lines(value: str, width: int, free: bool) -> list[str]:
    """A cell's lines at its column's width: free text wrapped where a line may break (helptext.wrap), anything
    else whole, or folded at the width when wider (a row written before today's rules)."""
    from leadctl.cli import layout
    from leadctl.cli.helptext import cells, fitting, wrap
    from leadctl.rules.text import shown

    text = shown(value)
    if len(text) * 2 <= width or cells(text) <= width:  # the first test spares measuring most cells
        return [text]
    if free:
        return [shown(line) for line in wrap(value, width, keep=layout.UNBROKEN)]
    out = []
    while text:
        cut = fitting(text, width)
        out.append(text[:cut])
        text = text[cut:]
    return out


def _free_widths(columns: Sequence[str], keep: list[int], whole: Sequence[int], headers: Sequence[str],
                 width: int) -> dict[int, int]:
    """The width of each free-text column (layout.wraps) when they must wrap to fit `width`: what the other columns
    leave, shared equally, a column needing less than its share keeping its whole width; none when all fit whole."""
    from rich.cells import cell_len

    from leadctl.cli import layout

    free = [i for i in keep if layout.wraps(columns[i])]
    room = width - 3 * len(keep) - 1 - sum(whole[i] for i in keep if i not in free)
    if sum(whole[i] for i in free) <= room:
        return {}
    least = {i: max(8, cell_len(headers[i])) for i in free}
    widths, left = {}, room  # an equal share each; a column narrower than its share stays whole, its rest shared
    for n, i in enumerate(sorted(free, key=whole.__getitem__)):
        widths[i] = min(whole[i], max(left // (len(free) - n), least[i]))
        left -= widths[i]
    while sum(widths.values()) > room and any(widths[i] > least[i] for i in free):  # the floors took too much
        widest = max((i for i in free if widths[i] > least[i]), key=widths.get)
        widths[widest] -= 1
    return widths


def page(text: str) -> None:
    """Text taller than the screen through the pager (PAGER, else less; LESS as set, else -FRX)."""
    import os
    import pydoc

    os.environ.setdefault("LESS", "-FRX")
    pydoc.pager(text)


def emit_pairs(pairs: dict[str, Any], title: str | None = None) -> None:
    from rich.table import Table

    table = Table(title=_text(title) if title else None, title_justify="left", show_header=False, highlight=False,
                  box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in pairs.items():
        table.add_row(_text(key), _text(value))
    _console().print(table)


def done(result: dict, as_json: bool, message: str) -> None:
    """A command's result: JSON for scripts, or one line for people."""
    if as_json:
        emit_json(result)
    else:
        say(message)


def listing(rows: list[dict], columns: Sequence[str], title: str, as_json: bool, as_csv: bool,
            wide: bool = False, codes: bool = False, ranks: dict[str, int] | None = None) -> None:
    """A list in the form asked for: JSON, CSV, or a table titled with its count (an empty list: the title alone,
    not a frame of headers; `ranks`: the list's own column ranks, before layout.PRIORITY's)."""
    if as_json:
        emit_json(rows)
    elif as_csv:
        emit_csv(rows, columns, codes)
    elif not rows:
        sys.stdout.write(_("{title}: {len}").format(title=title, len=0) + "\n")
    else:
        from leadctl.cli import layout

        emit_table(rows, columns, title=_("{title}: {len}").format(title=title, len=len(rows)), wide=wide,
                   ranks=[ranks.get(c) or layout.priority(c) for c in columns] if ranks else None)


def width() -> int:
    """How wide stdout's lines may be: the terminal's, else COLUMNS, else PIPED_WIDTH (as tables are drawn)."""
    return _console().width


def say_section(title: str, lines: Sequence[str]) -> None:
    """A titled section of a card on stdout: one sentence a line."""
    from leadctl.rules.text import shown

    sys.stdout.write("\n" + shown(title) + "\n" + "".join(f"  {shown(line)}\n" for line in lines))


def say(message: str) -> None:
    """A human note on stderr (never mixed into data on stdout)."""
    sys.stderr.write(message + "\n")


def error_line(exc: LeadctlError) -> str:
    """`leadctl: what went wrong; what to do next`, in the run's language."""
    from leadctl.i18n import _

    line = _("{message}; {hint}").format(message=exc.message, hint=exc.hint) if exc.hint else exc.message
    return mask_in(_("leadctl: {line}").format(line=line))
