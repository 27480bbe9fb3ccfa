"""Time and peak memory of `leadctl report monthly --xlsx` on a benchmark database, and its writing floor.

    .venv/bin/python bench/monthly.py --db bench/data/store-decade.db [--month 2026-10] [--runs 3]

The floor: the same rows (built once by the reports, in this process) written by XlsxWriter in constant-memory
mode with no formats, no widths, no charts; against it, leadctl's own writer (reports/workbook.py) on the same
rows. Both exclude the queries, so the ratio is the cost of the styles and charts alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _rows(db: str, month: str, manager: str):
    from datetime import datetime

    from leadctl.reports.base import parse_period
    from leadctl.reports.catalog import REPORTS
    from leadctl.reports.funnel import KPI
    from leadctl.services import reports, staff
    from leadctl.store.db import Store

    now = datetime.fromisoformat("2026-11-24T09:00")
    store = Store.open(Path(db))
    try:
        with store.read() as conn:
            who = staff.authorize(conn, now, manager, "report.export")
            period = parse_period(now, month, None, None)
            ctx = reports.context(conn, now, who, period, None, None)
            sheets = [(report, report.build(ctx)) for report in REPORTS.values()]
            before = reports.context(conn, now, who, period.previous(), None, None)
            summary = (f"月度报告 {period.label}", KPI.build(ctx), KPI.build(before))
    finally:
        store.close()
    return sheets, summary


def _plain(path: Path, sheets, summary) -> None:
    import xlsxwriter

    from leadctl.reports.workbook import _value

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("汇总")
    for r, row in enumerate(summary[1], 3):
        ws.write_row(r, 0, [row["name"], row["staff"], row["value"]])
    for report, rows in sheets:
        ws = wb.add_worksheet(report.title[:31])
        ws.write_row(0, 0, [c.header for c in report.columns])
        for r, row in enumerate(rows, 1):
            for i, column in enumerate(report.columns):
                value = _value(column, row)
                if isinstance(value, str):
                    ws.write_string(r, i, value)
                elif value is not None:
                    ws.write(r, i, value)
    wb.close()


def _ours(path: Path, sheets, summary) -> None:
    from leadctl.reports.workbook import Book, write_sheet, write_summary

    with Book(path) as book:
        write_summary(book, *summary)
        for report, rows in sheets:
            write_sheet(book, report, rows)


def floor(db: str, month: str, manager: str, runs: int) -> None:
    sheets, summary = _rows(db, month, manager)
    cells = sum(len(rows) * len(report.columns) for report, rows in sheets)
    times: dict[str, list[float]] = {"floor": [], "leadctl": []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            for name, write in (("floor", _plain), ("leadctl", _ours)):
                start = time.process_time()
                write(Path(folder) / f"{name}.xlsx", sheets, summary)
                times[name].append(time.process_time() - start)
    low, ours = statistics.median(times["floor"]), statistics.median(times["leadctl"])
    print(f"| workbook writing ({cells:,} cells) | floor (XlsxWriter, no styles) {low:.2f} s CPU | leadctl writer "
          f"{ours:.2f} s CPU | x{ours / low:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floor", action="store_true", help="also time the writing alone against its floor")
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    manager = conn.execute("SELECT name FROM staff WHERE role = 'manager' AND active LIMIT 1").fetchone()[0]
    conn.close()
    leadctl = Path(sys.executable).parent / "leadctl"
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            target = Path(folder) / f"monthly-{run}.xlsx"
            start = time.perf_counter()
            done = subprocess.run([str(leadctl), "--db", args.db, "--now", "2026-11-24T09:00", "--as", manager,
                                   "report", "monthly", "--month", args.month, "--xlsx", str(target)],
                                  capture_output=True, text=True, check=True)
            walls.append(time.perf_counter() - start)
            peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
            print(f"run {run + 1}: {walls[-1]:.2f} s, {done.stderr.strip()}", file=sys.stderr)
    print(f"| report monthly --month {args.month} --xlsx | median {statistics.median(walls):.2f} s, "
          f"max {max(walls):.2f} s | peak RSS {max(peaks):.0f} MB | load {os.getloadavg()[0]:.1f} |")
    if args.floor:
        floor(args.db, args.month, manager, args.runs)


if __name__ == "__main__":
    main()
