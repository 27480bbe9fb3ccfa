"""The choice of the workbook's writer: openpyxl `write_only` against XlsxWriter `constant_memory`, each with
and without number formats, on 28,000 rows of six columns like the monthly workbook's (CPU seconds, best of 3).

    .venv/bin/python bench/xlsx_libraries.py
"""

from __future__ import annotations

import datetime
import tempfile
import time
from pathlib import Path

FORMATS = ("yyyy-mm-dd", None, None, "0", "0.0%", "#,##0")
ROWS = [(datetime.date(2026, 10, 1 + i % 30), f"客户{i}", f"138****{i % 10000:04d}", i % 7, i / 100000, i * 13)
        for i in range(28_000)]


def openpyxl_write_only(path: Path, styled: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for row in ROWS:
        if not styled:
            ws.append(row)
            continue
        cells = []
        for value, fmt in zip(row, FORMATS, strict=True):
            cell = WriteOnlyCell(ws, value=value)
            if fmt:
                cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)
    wb.save(path)


def xlsxwriter_constant_memory(path: Path, styled: bool) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("s")
    formats = [wb.add_format({"num_format": f}) if f and styled else None for f in FORMATS]
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value, formats[c])
            elif isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), formats[c])
            else:
                ws.write_number(r, c, value, formats[c])
    wb.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for write in (openpyxl_write_only, xlsxwriter_constant_memory):
            for styled in (False, True):
                best = float("inf")
                for _ in range(3):
                    start = time.process_time()
                    write(Path(folder) / "x.xlsx", styled)
                    best = min(best, time.process_time() - start)
                print(f"| {write.__name__} | {'formats' if styled else 'no formats'} | {best:.2f} s CPU |")


if __name__ == "__main__":
    main()
