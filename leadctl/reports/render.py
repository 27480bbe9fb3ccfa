"""Rendering a report for people (a rich table, with bars where they help) and for scripts (JSON, CSV)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from leadctl.i18n import _
from leadctl.reports.base import EN_LABELS, Column, Period, Report, heading, shown_columns, shows_words, title_of, word


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def document(report: Report, period: Period, scope: str, rows: list[dict]) -> dict:
    return {"report": report.name, "title": report.title, "from": period.start.isoformat(),
            "to": period.end.isoformat(), "scope": scope,
            "rows": [{c.key: _plain(row.get(c.key)) for c in report.columns} for row in rows]}


def emit_json(doc: dict) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def emit_csv(report: Report, rows: list[dict], codes: bool = False) -> None:
    """CSV on stdout through the tool's one CSV writer (text Excel would run as a formula stays text). The header
    row is the columns' headings in the run's language (the forms' Chinese headers under zh, words under en), the
    keys (the JSON's) with `codes`. Under en a value with English words (a KPI's name, a weekday) is given in them,
    unless `codes`."""
    from leadctl.i18n import zh
    from leadctl.services.files import write_csv

    worded = [] if codes or zh() else [c for c in report.columns if c.kind in EN_LABELS]

    def value(c: Column, row: dict):
        return word(c.kind, row.get(c.key)) if c in worded else _plain(row.get(c.key))

    write_csv(sys.stdout, [c.key if codes else heading(c) for c in report.columns],
              ([value(c, row) for c in report.columns] for row in rows), lineterminator="\n")


def cell(kind: str, value: Any, row: dict | None = None) -> str:
    if value is None:
        return ""
    if kind == "kpi":
        kind = "rate" if (row or {}).get("unit") == "rate" else "decimal"
    if kind == "mark":
        return "✓" if value else "✗"
    if shows_words(kind):
        return str(word(kind, value))
    if kind == "decimal":
        return f"{value:.1f}"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "money":
        return f"{value:,.0f}"
    return str(_plain(value))


def _scope(label: str) -> str:
    """The scope of a report's title under en: the whole store, a team's code, or a person's name."""
    from leadctl.reports.base import Scope

    return Scope(None, label).shown


def bar(value: float, top: float, width: int = 24) -> str:
    if not top or not value:
        return ""
    filled = max(1, round(width * value / top)) if value > 0 else 0
    return "█" * filled


NUMERIC = frozenset(("int", "rate", "money", "kpi", "decimal"))  # kinds of columns whose values align right
BAR = Column("", "", "bar")  # the bar beside a report's figures (no header in either language)


def table(report: Report, period: Period, scope: str, rows: list[dict]) -> tuple[str, list[Column], list[list[str]],
                                                                               list[str | None]]:
    """A report as a terminal table: its title, its columns (shown_columns; the bar last, where the report has
    one), each row's cells as text, each row's style."""
    from leadctl.i18n import zh

    shown = (_("{title} ({name}) {label} {scope}").format(title=title_of(report), name=report.name, label=period.label,
                                                          scope=scope) if zh() else
             _("{name} {label} {scope}").format(name=report.name, label=period.label, scope=_scope(scope)))
    columns = shown_columns(report)
    bars = report.bars
    top = max((abs(r.get(bars) or 0) for r in rows), default=0) if bars else 0
    cells = []
    for row in rows:
        line = [cell(c.kind, row.get(c.key), row) for c in columns]
        if bars:
            line.append(bar(row.get("_bar") or 0, 1.0) if bars == "_bar" else bar(row.get(bars) or 0, top))
        cells.append(line)
    return shown, columns + [BAR] if bars else columns, cells, [row.get("_style") for row in rows]
