"""The Excel workbook: a summary sheet of KPIs (this period against the previous one), then one sheet per
report, with the stores' Chinese headers, real dates and number formats, and native charts.

Written by XlsxWriter in constant-memory mode: each row goes to disk as it is written, the formats are a few
shared objects (one per kind of column), so the time is the library's own writing and memory does not grow
with the rows. XlsxWriter is imported here only, when a workbook is written. Every cell is written by `_put`:
text always as a string (never a formula, whatever it begins with; XlsxWriter's own guessing of formulas, URLs
and numbers in strings is off), and only with characters XML allows.

What a sheet shows is driven by the Report's columns (their kind picks the format and the width); the charts
are listed in CHARTS by report name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from leadctl.i18n import N_, _
from leadctl.reports.base import Column, Report, heading, shown_columns, title_of, word
from leadctl.services.files import xlsx_text

FORMATS = {"int": "0", "rate": "0.0%", "money": "#,##0", "date": "yyyy-mm-dd", "decimal": "0.0"}
PASS_FILL, FAIL_FILL, HEAD_FILL = "C6EFCE", "FFC7CE", "DDEBF7"
MAX_WIDTH = 60


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _shown(value: Any, kind: str) -> str:
    """The value as the cell's format displays it, for the column's width (100.0%, not 1.0)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "rate":
            return f"{value:.1%}"
        if kind == "money":
            return f"{value:,.0f}"
        if kind in ("decimal", "kpi"):
            return f"{value:.1f}"
        return f"{value:.0f}" if kind == "int" else str(value)
    if isinstance(value, date):
        return "yyyy-mm-dd"
    return str(value)


def _kind(column: Column, row: dict) -> str:
    if column.kind == "kpi":
        return "rate" if row.get("unit") == "rate" else "decimal"
    return column.kind


def _value(column: Column, row: dict) -> Any:
    value = row.get(column.key)
    if column.kind == "date" and isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    if column.kind == "mark" and value is not None:
        return _("met the goal") if value else _("missed the goal")
    if value is not None:
        return word(column.kind, value)
    return value


class Book:
    """One workbook being written to `path`; `close()` finishes the file (OSError when the disk refuses it)."""

    def __init__(self, path: Path):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "tmpdir": str(Path(path).parent)})
        self._formats: dict[tuple, Any] = {}
        self.sheetnames: list[str] = []

    def fmt(self, **props):
        """A shared format (XlsxWriter wants few): one object per distinct set of properties."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(props) if props else None
        return self._formats[key]

    def number(self, kind: str | None, fill: str | None = None):
        props: dict[str, Any] = {}
        if kind in FORMATS:
            props["num_format"] = FORMATS[kind]
        elif kind and kind.startswith('"'):
            props["num_format"] = kind
        if fill:
            props.update(pattern=1, bg_color=f"#{fill}")
        return self.fmt(**props)

    def header(self):
        return self.fmt(bold=True, pattern=1, bg_color=f"#{HEAD_FILL}", border=1)

    def add(self, title: str):
        ws = self.wb.add_worksheet(title[:31])
        self.sheetnames.append(ws.get_name())
        return ws

    def close(self) -> None:
        from xlsxwriter.exceptions import FileCreateError

        try:
            self.wb.close()
        except FileCreateError as exc:
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            raise (OSError(inner.errno, inner.strerror) if inner else OSError(str(exc))) from None

    def __enter__(self) -> Book:
        return self

    def __exit__(self, kind, *_) -> None:
        if kind is None:
            self.close()


def _put(ws, row: int, col: int, value: Any, fmt=None) -> None:
    """Write one cell as data, never as a formula, and only with characters XML allows (0-based row, col)."""
    value = xlsx_text(value)
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime.combine(value, time()), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _printable(ws, header_row: int = 0) -> None:
    """Printed (or saved as PDF) landscape on A4, every column on one page wide, the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)


def write_sheet(book: Book, report: Report, rows: list[dict], title: str | None = None):
    """A report's rows under its headers: formats and widths from the columns' kinds, frozen header, filter.
    One pass: each value is written and measured; the widths are set after (XlsxWriter writes them at close)."""
    ws = book.add(title or title_of(report))
    columns = shown_columns(report)
    headers = [heading(c) for c in columns]
    widths = [_width(h) + 3 for h in headers]  # the filter's button sits beside the header
    for i, header in enumerate(headers):
        _put(ws, 0, i, header, book.header())
    dynamic = [c.kind in ("kpi", "mark") for c in columns]  # their format depends on the row
    fixed = [book.number(c.kind) for c in columns]
    for r, row in enumerate(rows, 1):
        for i, column in enumerate(columns):
            value = _value(column, row)
            kind = _kind(column, row)
            fmt = fixed[i]
            if dynamic[i]:
                fill = None
                if column.kind == "mark" and value is not None:
                    fill = PASS_FILL if row.get(column.key) else FAIL_FILL
                fmt = book.number(kind, fill)
            _put(ws, r, i, value, fmt)
            shown = _width(_shown(value, kind)) + 2
            if shown > widths[i]:
                widths[i] = min(shown, MAX_WIDTH)
    for i, width in enumerate(widths):
        ws.set_column(i, i, max(width, 6))
    ws.freeze_panes(1, 0)
    _printable(ws)
    if rows:
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
    chart = CHARTS.get(report.name) if report.chart else None
    if chart and rows:
        drawn = chart(book, ws.get_name(), report, rows)
        if drawn is not None:
            drawn.set_size({"width": min(1600, max(760, 22 * len(rows))), "height": 380})  # room for each label
            ws.insert_chart(1, len(columns) + 1, drawn)
    return ws


# -- charts: straight lines, data labels where a reader wants the number, axes titled -------------------------

def _col(report: Report, key: str) -> int:
    return [c.key for c in shown_columns(report)].index(key)


def _ref(sheet: str, first_row: int, col: int, last_row: int, last_col: int | None = None) -> list:
    return [sheet, first_row, col, last_row, col if last_col is None else last_col]


def _axis(name: str, **more) -> dict:
    return {"name": name, "name_font": {"bold": False, "size": 10}, **more}


def _funnel(book: Book, sheet: str, report: Report, rows: list[dict]):
    first = next((i for i, r in enumerate(rows, 1) if r.get("split") == "合计"), None)
    if first is None:
        return None
    last = min(first + 5, len(rows))
    chart = book.wb.add_chart({"type": "bar"})
    chart.add_series({"name": _("People"), "values": _ref(sheet, first, _col(report, "count"), last),
                      "categories": _ref(sheet, first, _col(report, "stage_name"), last),
                      "data_labels": {"value": True}, "fill": {"color": "#5B9BD5"}})
    chart.set_title({"name": _("Sales funnel (total)")})
    chart.set_y_axis(_axis(_("Stage"), reverse=True))
    chart.set_x_axis(_axis(_("People"), min=0, major_gridlines={"visible": True}))
    chart.set_legend({"none": True})
    return chart


def _traffic(book: Book, sheet: str, report: Report, rows: list[dict]):
    chart = book.wb.add_chart({"type": "line"})
    n = len(rows)
    for key in ("batches", "calls"):
        col = _col(report, key)
        chart.add_series({"name": [sheet, 0, col], "values": _ref(sheet, 1, col, n),
                          "categories": _ref(sheet, 1, _col(report, "date"), n), "smooth": False,
                          "marker": {"type": "circle", "size": 4}})
    chart.set_title({"name": _("Showroom visits and calls a day")})
    chart.set_x_axis(_axis(_("Date (day)"), date_axis=True, num_format=_("d"), major_unit=1, major_unit_type="days",
                           num_font={"rotation": 0, "size": 8}))
    chart.set_y_axis(_axis(_("Visits / calls"), min=0, major_gridlines={"visible": True}))
    chart.set_legend({"position": "bottom"})
    return chart


def _defeat_reasons(book: Book, sheet: str, report: Report, rows: list[dict]):
    chart = book.wb.add_chart({"type": "pie"})
    n = len(rows)
    col = _col(report, "defeats")
    chart.add_series({"name": [sheet, 0, col], "values": _ref(sheet, 1, col, n),
                      "categories": _ref(sheet, 1, _col(report, "reason"), n),
                      "data_labels": {"percentage": True, "category": True, "leader_lines": True,
                                      "position": "best_fit", "separator": "\n"}})
    chart.set_title({"name": _("Defeat reasons")})
    chart.set_legend({"position": "right"})
    return chart


def _inventory(book: Book, sheet: str, report: Report, rows: list[dict]):
    chart = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    n = len(rows)
    owner = _col(report, "owner")
    # a few consultants: the number on each part (none on an empty one); forty would bury the bars under labels
    labels = {"value": True, "num_format": "0;-0;;@"} if n <= 12 else None
    for col in range(_col(report, "H"), _col(report, "D") + 1):
        chart.add_series({"name": [sheet, 0, col], "values": _ref(sheet, 1, col, n),
                          "categories": _ref(sheet, 1, owner, n), "gap": 60, "data_labels": labels})
    chart.set_title({"name": _("Prospects by grade, per consultant")})
    chart.set_x_axis(_axis(_("Consultant")))
    chart.set_y_axis(_axis(_("Customers"), min=0, major_gridlines={"visible": True}))
    chart.set_legend({"position": "bottom"})
    return chart


def _progress(book: Book, sheet: str, report: Report, rows: list[dict]):
    weeks = sum(1 for r in rows if r.get("split") == "week")  # the week rows come first
    if not weeks:
        return None
    chart = book.wb.add_chart({"type": "line"})
    for key in ("orders_target", "orders"):
        col = _col(report, key)
        chart.add_series({"name": [sheet, 0, col], "values": _ref(sheet, 1, col, weeks),
                          "categories": _ref(sheet, 1, _col(report, "key"), weeks), "smooth": False,
                          "marker": {"type": "circle", "size": 5}, "data_labels": {"value": True}})
    chart.set_title({"name": _("Orders: target and actual (cumulative by week)")})
    chart.set_x_axis(_axis(_("Week")))
    chart.set_y_axis(_axis(_("Number of orders"), min=0, major_gridlines={"visible": True}))
    chart.set_legend({"position": "bottom"})
    return chart


# the chart a report's sheet gets, by report name: (book, sheet name, report, rows) -> an XlsxWriter chart or None
CHARTS: dict[str, Callable] = {
    "funnel": _funnel, "traffic": _traffic, "defeat-reasons": _defeat_reasons, "inventory": _inventory,
    "progress": _progress,
}


SUMMARY_HEADERS = (N_("KPI"), N_("Staff"), N_("This period"), N_("Previous period"), N_("Change"), N_("Minimum"),
                   N_("Maximum"), N_("Met the goal"), N_("Why missed"))
SUMMARY_WIDTHS = (30, 10, 10, 10, 10, 12, 12, 8, 12)


def _bound_format(fmt: str, sign: str) -> str:
    """A bound's number format with its sign before it: > 40.0, ≤ 60.0, ≥ 25.0%."""
    return f'"{sign} "{fmt}'


def write_summary(book: Book, title: str, current: list[dict], previous: list[dict]) -> None:
    """The KPI summary: written first, so it is the workbook's first sheet."""
    ws = book.add(_("Summary"))
    for col, width in enumerate(SUMMARY_WIDTHS):
        ws.set_column(col, col, width)
    _put(ws, 0, 0, title, book.fmt(bold=True, size=14))
    for col, header in enumerate(SUMMARY_HEADERS):
        _put(ws, 2, col, _(header), book.header())
    before = {(r["kpi"], r["staff"]): r["value"] for r in previous}
    for r, row in enumerate(current, 3):
        kind = "rate" if row["unit"] == "rate" else "decimal"
        last = before.get((row["kpi"], row["staff"]))
        change = row["value"] - last if row["value"] is not None and last is not None else None
        for col, value in enumerate((word("kpi_name", row["name"]), row["staff"], row["value"], last, change)):
            _put(ws, r, col, value, book.number(kind) if col > 1 else None)
        for col, key, signs in ((5, "minimum", "≥>"), (6, "maximum", "≤<")):
            if row[key] is not None:
                sign = signs[0] if row[f"{key}_inclusive"] else signs[1]
                _put(ws, r, col, row[key], book.number(_bound_format(FORMATS[kind], sign)))
        if row["passed"] is not None:
            _put(ws, r, 7, _("met the goal") if row["passed"] else _("missed the goal"),
                 book.number(None, PASS_FILL if row["passed"] else FAIL_FILL))
        _put(ws, r, 8, word("failure", row["failed_because"]))
    ws.freeze_panes(3, 0)
    _printable(ws, header_row=2)
