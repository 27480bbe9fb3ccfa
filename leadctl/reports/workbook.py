"""The Excel workbook: a summary sheet of KPIs (this period against the previous one), then one sheet per
report, with the stores' Chinese headers, real dates and number formats, and native charts.

openpyxl is imported here only, when a workbook is written. Every cell is written by `_put`: no cell is ever
a formula (text that begins with = stays text), and characters a workbook cannot hold are dropped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from leadctl.reports.base import LABELS, Column, Report
from leadctl.services.files import xlsx_text

FORMATS = {"int": "0", "rate": "0.0%", "money": "#,##0", "date": "yyyy-mm-dd", "decimal": "0.0"}
PASS_FILL, FAIL_FILL, HEAD_FILL = "C6EFCE", "FFC7CE", "DDEBF7"


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _put(ws, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell as data, never as a formula, and only with characters XML allows."""
    value = xlsx_text(value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; data is text
    if number_format:
        cell.number_format = number_format
    return cell


def _kind(column: Column, row: dict) -> str:
    if column.kind == "kpi":
        return "rate" if row.get("unit") == "rate" else "decimal"
    return column.kind


def _value(column: Column, row: dict) -> Any:
    value = row.get(column.key)
    if column.kind == "date" and isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    if column.kind == "mark" and value is not None:
        return "达标" if value else "未达标"
    if column.kind in LABELS and value is not None:
        return LABELS[column.kind].get(value, value)
    return value


def write_sheet(wb, report: Report, rows: list[dict], title: str | None = None):
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet((title or report.title)[:31])
    head = PatternFill("solid", fgColor=HEAD_FILL)
    widths = []
    for col, column in enumerate(report.columns, 1):
        cell = _put(ws, 1, col, column.header)
        cell.font, cell.fill = Font(bold=True), head
        widths.append(_width(column.header))
    for r, row in enumerate(rows, 2):
        for col, column in enumerate(report.columns, 1):
            value = _value(column, row)
            cell = _put(ws, r, col, value, FORMATS.get(_kind(column, row)))
            if column.kind == "mark" and value is not None:
                cell.fill = PatternFill("solid", fgColor=PASS_FILL if row.get(column.key) else FAIL_FILL)
            widths[col - 1] = max(widths[col - 1], min(_width(value if not isinstance(value, date) else "yyyy-mm-dd"),
                                                       60))
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width + 2
    ws.freeze_panes = "A2"
    _printable(ws)
    if rows:
        ws.auto_filter.ref = ws.dimensions
    return ws


def _anchor(ws) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(ws.max_column + 2)}2"


def _col(report: Report, key: str) -> int:
    return [c.key for c in report.columns].index(key) + 1


def add_chart(ws, report: Report, rows: list[dict]) -> None:
    """The native chart a report asks for: funnel bars, traffic lines, defeat-reason pie, grade mix stacks."""
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference

    if not rows or not report.chart:
        return
    n = len(rows) + 1
    if report.name == "funnel":
        chart, first = BarChart(), next(i for i, r in enumerate(rows, 2) if r["split"] == "合计")
        chart.type = "bar"
        chart.add_data(Reference(ws, min_col=_col(report, "count"), min_row=first, max_row=first + 5))
        chart.set_categories(Reference(ws, min_col=_col(report, "stage_name"), min_row=first, max_row=first + 5))
        chart.x_axis.scaling.orientation = "maxMin"
        chart.legend, chart.title = None, "集客转化漏斗(合计)"
    elif report.name == "traffic":
        chart = LineChart()
        for key in ("batches", "calls"):
            chart.add_data(Reference(ws, min_col=_col(report, key), min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=_col(report, "date"), min_row=2, max_row=n))
        chart.title, chart.x_axis.number_format = "每日来店批次与来电", "mm-dd"
    elif report.name == "defeat-reasons":
        chart = PieChart()
        chart.add_data(Reference(ws, min_col=_col(report, "defeats"), min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=_col(report, "reason"), min_row=2, max_row=n))
        chart.title = "战败原因"
    elif report.name == "progress":
        chart, weeks = LineChart(), sum(1 for r in rows if r["split"] == "week")
        for key in ("orders_target", "orders"):
            chart.add_data(Reference(ws, min_col=_col(report, key), min_row=1, max_row=weeks + 1),
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=_col(report, "key"), min_row=2, max_row=weeks + 1))
        chart.title = "订单目标与实际(按周累计)"
    else:  # inventory: grade mix per owner
        chart = BarChart()
        chart.grouping, chart.overlap = "stacked", 100
        chart.add_data(Reference(ws, min_col=_col(report, "H"), max_col=_col(report, "D"), min_row=1, max_row=n),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=_col(report, "owner"), min_row=2, max_row=n))
        chart.title = "各顾问意向级别结构"
    chart.width, chart.height = 18, 9
    ws.add_chart(chart, _anchor(ws))


SUMMARY_HEADERS = ("指标", "员工", "本期", "上期", "变化", "下限", "上限", "达标", "未达标原因")


def _bound_format(fmt: str, sign: str) -> str:
    """A bound's number format with its sign before it: > 40.0, ≤ 60.0, ≥ 25.0%."""
    return f'"{sign} "{fmt}'


def _printable(ws, header_row: int = 1) -> None:
    """Printed (or saved as PDF) landscape, every column on one page wide, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def write_summary(wb, title: str, current: list[dict], previous: list[dict]) -> None:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet("汇总", 0)
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    for col, header in enumerate(SUMMARY_HEADERS, 1):
        cell = _put(ws, 3, col, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEAD_FILL)
    before = {(r["kpi"], r["staff"]): r["value"] for r in previous}
    for r, row in enumerate(current, 4):
        fmt = FORMATS["rate"] if row["unit"] == "rate" else FORMATS["decimal"]
        last = before.get((row["kpi"], row["staff"]))
        change = row["value"] - last if row["value"] is not None and last is not None else None
        values = (row["name"], row["staff"], row["value"], last, change)
        for col, value in enumerate(values, 1):
            _put(ws, r, col, value, fmt if col > 2 else None)
        for col, key, signs in ((6, "minimum", "≥>"), (7, "maximum", "≤<")):
            if row[key] is not None:
                _put(ws, r, col, row[key], _bound_format(fmt, signs[0] if row[f"{key}_inclusive"] else signs[1]))
        mark = _put(ws, r, 8, None if row["passed"] is None else ("达标" if row["passed"] else "未达标"))
        if row["passed"] is not None:
            mark.fill = PatternFill("solid", fgColor=PASS_FILL if row["passed"] else FAIL_FILL)
        _put(ws, r, 9, LABELS["failure"].get(row["failed_because"]))
    for col, width in zip("ABCDEFGHI", (30, 10, 10, 10, 10, 11, 11, 8, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    _printable(ws, header_row=3)
