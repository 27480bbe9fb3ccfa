#!/usr/bin/env python3
"""Write the example import files of `leadctl import`, deterministically (fixed seed, fixed timestamps).

    python sample_data/imports/make_examples.py           # (re)writes the files next to this script
    python sample_data/imports/make_examples.py --check   # exits 1 if a file differs from what it would write

The files are what other systems of the store of `sample_data/store_year.jsonl` export (staff names are
that store's: consultants 李明 赵磊 孙浩 周婷, telesales 杨洋 何静); every name and number is invented:

- `lms_leads_gb18030.csv`: the DCC's lead system (LMS) export of November's new leads: GB18030, Chinese
  headers, phones as people type them (`+86 139 ...`, spaces, dashes), one customer twice in two formats.
  `leadctl import lms_leads_gb18030.csv --source LMS`
- `dms_visits.xlsx`: the showroom register from the dealer system (DMS): two merged title rows above the
  header (row 3), real Excel dates, one phone stored as a number, a 序号 column leadctl ignores, and two
  customers who are also in the LMS file (a known customer gets the visit, never a second lead).
  `leadctl import dms_visits.xlsx --kind visits --source DMS`
- `hq_leads_utf8bom.csv`: head office's lead list (总部下发), UTF-8 with BOM, no time column: the channel comes
  from `--source 总部下发`, and the list sent again is received once.
  `leadctl import hq_leads_utf8bom.csv --source 总部下发`
- `dcc_followups_utf16.txt`: the DCC's follow-up log saved by Excel as "Unicode text" (UTF-16 with BOM,
  tab-separated), for customers of the LMS file. `leadctl import dcc_followups_utf16.txt --kind followups`
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261120
FIXED = (2026, 11, 20, 8, 0, 0)  # every zip entry's timestamp, so the XLSX is byte-for-byte reproducible
CONSULTANTS = ("李明", "赵磊", "孙浩", "周婷")
TELESALES = ("杨洋", "何静")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰云飞鹏宇浩然欣怡子涵"
MODELS = ("宝来", "速腾", "迈腾", "探岳", "探歌", "揽境", "ID.4 CROZZ", "高尔夫", "CC", "探影")
LMS_CHANNELS = ("网络", "来电", "400", "网络", "车展", "转介绍")
INFO = ("网络", "亲友", "电话", "路过", "报纸", "其他")
GRADES = ("H", "A", "A", "B", "B", "C", "D")
RESULTS = ("已加微信，发送报价", "约周六到店试驾", "在对比途观L，下周再联系", "预算不够，考虑贷款", "家人还在商量",
           "询问置换补贴", "未接通，改天再打", "对颜色有要求，等到货")


def _name(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _mobile(rnd: random.Random) -> str:
    number = f"1{rnd.choice('3578')}{rnd.randrange(10**9):09d}"
    return number[:2] + "8" + number[3:] if number[:3] in ("154", "174", "179") else number  # no network's prefix


def _spelled(number: str, style: int) -> str:
    return (number, f"+86 {number[:3]} {number[3:7]} {number[7:]}", f"{number[:3]}-{number[3:7]}-{number[7:]}",
            f"{number[:3]} {number[3:7]} {number[7:]}", f"86{number}")[style % 5]


def _csv(rows: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def lms(rnd: random.Random) -> tuple[bytes, list[str]]:
    rows = [["客户姓名", "手机号码", "意向车型", "客户来源", "信息来源", "意向级别", "销售顾问", "创建时间"]]
    numbers = []
    for i in range(30):
        number = _mobile(rnd)
        numbers.append(number)
        day = datetime(2026, 11, 2) + timedelta(days=i * 17 // 30)
        at = day + timedelta(hours=8 + rnd.randrange(13), minutes=rnd.randrange(60))
        rows.append([_name(rnd), _spelled(number, rnd.randrange(5)), rnd.choice(MODELS), rnd.choice(LMS_CHANNELS),
                     rnd.choice(INFO), rnd.choice(GRADES), rnd.choice(TELESALES), f"{at:%Y-%m-%d %H:%M}"])
    again = rows[5][:]  # the fifth customer calls again two days later, the number written another way
    again[1] = _spelled(numbers[4], 2)
    again[7] = f"{datetime.fromisoformat(rows[5][7]) + timedelta(days=2):%Y-%m-%d %H:%M}"
    rows.append(again)
    return _csv(rows).encode("gb18030"), numbers


def dms(rnd: random.Random, lms_numbers: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "展厅客流登记"
    header = ["序号", "客户姓名", "联系电话", "到店时间", "离店时间", "人数", "意向车型", "意向级别", "销售顾问",
              "是否试驾", "客户来源"]
    sheet.append(["一汽-大众 示例4S店 展厅客流登记表"])
    sheet.append(["导出时间：2026-11-20 08:00　　统计区间：2026-11-01 至 2026-11-19"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    start = datetime(2026, 11, 1, 9, 30)
    for i in range(30):
        number = lms_numbers[i * 7 % len(lms_numbers)] if i in (3, 17) else _mobile(rnd)
        arrived = start + timedelta(days=i * 18 // 30, hours=rnd.randrange(8), minutes=rnd.randrange(60))
        left = arrived + timedelta(minutes=20 + rnd.randrange(100))
        phone = int(number) if i == 11 else _spelled(number, rnd.randrange(4))
        sheet.append([i + 1, _name(rnd), phone, arrived, left, rnd.choice((1, 1, 2, 2, 3, 4)), rnd.choice(MODELS),
                      rnd.choice(GRADES), rnd.choice(CONSULTANTS), rnd.choice(("是", "否", "否")),
                      rnd.choice(("展厅", "展厅", "展厅", "转介绍", "车展"))])
        sheet.cell(row=sheet.max_row, column=4).number_format = "yyyy-mm-dd hh:mm"
        sheet.cell(row=sheet.max_row, column=5).number_format = "yyyy-mm-dd hh:mm"
    book.properties.created = book.properties.modified = datetime(*FIXED)
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp and the document's save time fixed: reproducible bytes."""
    out = io.BytesIO()
    saved = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = saved.sub(rb"\g<1>2026-11-20T00:00:00Z\g<2>", body)
            dst.writestr(entry, body)
    return out.getvalue()


def hq(rnd: random.Random, lms_numbers: list[str]) -> bytes:
    rows = [["姓名", "手机", "意向车型", "信息来源", "备注"]]
    numbers = []
    for i in range(20):
        number = lms_numbers[10] if i == 6 else _mobile(rnd)  # one is already in the LMS file
        numbers.append(number)
        rows.append([_name(rnd), _spelled(number, rnd.randrange(5)), rnd.choice(MODELS), "网络",
                     rnd.choice(("官网预约试驾", "厂家活动报名", "懂车帝留资", "汽车之家询价"))])
    rows.append([rows[3][0], _spelled(numbers[2], 1), rows[3][2], "网络", "重复下发"])  # sent twice in one list
    return _csv(rows).encode("utf-8-sig")


def followups(rnd: random.Random, lms_numbers: list[str]) -> bytes:
    rows = [["手机号码", "跟进时间", "跟进方式", "跟进结果", "意向级别", "跟进人"]]
    for i, number in enumerate(lms_numbers[:12]):
        at = datetime(2026, 11, 14, 9, 0) + timedelta(hours=7 * i, minutes=rnd.randrange(60))
        rows.append([number, f"{at:%Y/%m/%d %H:%M}", rnd.choice(("电话", "微信", "短信")), rnd.choice(RESULTS),
                     rnd.choice(("H", "A", "B", "C", "")), rnd.choice(TELESALES)])
    return b"\xff\xfe" + _csv(rows, "\t").encode("utf-16-le")


def build() -> dict[str, bytes]:
    rnd = random.Random(SEED)
    lms_bytes, numbers = lms(rnd)
    return {
        "lms_leads_gb18030.csv": lms_bytes,
        "dms_visits.xlsx": dms(rnd, numbers),
        "hq_leads_utf8bom.csv": hq(rnd, numbers),
        "dcc_followups_utf16.txt": followups(rnd, numbers),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk; write nothing")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write to")
    args = parser.parse_args()
    stale = []
    for name, data in build().items():
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.write_bytes(data)
            print(f"{path}: {len(data):,} bytes")
    if stale:
        print(f"differ from the generator: {', '.join(stale)}; run {Path(__file__).name}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
