"""The monthly workbook, opened with openpyxl and checked against the database."""

import re
import stat
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from leadctl.errors import ExitCode

READER = "张前台"  # the front desk reads every phone of these stores masked: the golden files show no full number


@pytest.fixture
def workbook(shop, tmp_path, zh):
    """The store's workbook: under zh, the stores' own sheet names and headers."""
    path = tmp_path / "2026-10.xlsx"
    shop("report", "monthly", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    return path


def test_summary_first_then_a_sheet_per_report(workbook):
    wb = load_workbook(workbook)
    assert wb.sheetnames[0] == "汇总"
    assert wb.sheetnames[1:] == ["展厅流量分析", "工作日报", "客户分析", "战败统计", "战败分析", "展厅来源分析",
                                 "有望客户跟踪进度", "到店客户登记", "销售顾问访问活动日报", "客户意向确度表",
                                 "集客转化漏斗", "关键指标", "客户投诉登记表", "保有客户维系", "保有客户分析",
                                 "年度订单目标规划", "集客进度盘点", "岗位KPI考核", "客服部检核反馈表",
                                 "周计划与周总结"]


def test_summary_has_kpis_thresholds_colours_and_the_previous_month(workbook):
    ws = load_workbook(workbook)["汇总"]
    assert [c.value for c in ws[3]] == ["指标", "员工", "本期", "上期", "变化", "下限", "上限", "达标",
                                   "未达标原因"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    retention = rows["首洽留存率"]
    assert retention[2] == pytest.approx(2 / 3) and retention[3] is None and retention[5] == 0.9
    assert retention[7] == "未达标"
    assert rows["保有客户成交结构比"][5] == 0.12  # [002]
    cell = next(c for c in ws["H"] if c.value == "未达标")
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["C4"].number_format == "0.0%" and ws.freeze_panes == "A4"


def test_sheets_have_chinese_headers_frozen_formats_and_real_dates(workbook, shop):
    wb = load_workbook(workbook)
    traffic = wb["展厅流量分析"]
    assert [c.value for c in traffic[1]][:3] == ["日期", "星期", "来店批次"]
    assert traffic.freeze_panes == "A2"
    assert traffic["A4"].value == datetime(2026, 10, 3) and traffic["A4"].number_format == "yyyy-mm-dd"
    assert traffic["C4"].value == 3
    assert traffic.column_dimensions["A"].width >= 10
    customers = wb["客户分析"]
    assert customers["D2"].number_format == "0.0%"
    # the numbers match the database
    batches = shop.scalar("SELECT count(*) FROM visits WHERE kind = 'visit' AND arrived_at LIKE '2026-10%'")
    assert sum(r[2] for r in traffic.iter_rows(min_row=2, values_only=True)) == batches


def test_native_charts(workbook):
    wb = load_workbook(workbook)
    kinds = {name: [type(c).__name__ for c in wb[name]._charts] for name in wb.sheetnames if wb[name]._charts}
    assert kinds == {"展厅流量分析": ["LineChart"], "客户意向确度表": ["BarChart"], "集客转化漏斗": ["BarChart"]}
    with zipfile.ZipFile(workbook) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3
        assert any(b'grouping val="stacked"' in z.read(n) for n in charts)


def test_file_is_private_and_audited(workbook, shop):
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o600
    event = shop.query("SELECT s.name, json_extract(detail, '$.report'), json_extract(detail, '$.rows'),"
                       " json_extract(detail, '$.masked') FROM events e JOIN staff s ON s.id = e.actor_id"
                       " WHERE action = 'export'")
    assert event[0][:2] == ("王经理", "monthly") and event[0][2] > 0 and event[0][3] == 0
    assert not list(workbook.parent.glob(".*.tmp"))


def test_phones_in_full_for_managers_and_for_the_owner_masked_for_the_rest(shop, tmp_path, workbook):
    def phones(path):
        ws = load_workbook(path)["有望客户跟踪进度"]
        return [r[2] for r in ws.iter_rows(min_row=2, values_only=True)]

    assert "13800000001" in phones(workbook)
    own = tmp_path / "own.xlsx"
    shop("report", "monthly", "--month", "2026-10", "--xlsx", str(own), actor="李娜")
    assert phones(own) == ["13800000001"]                       # a consultant: only their own, in full
    service = tmp_path / "service.xlsx"
    shop("report", "monthly", "--month", "2026-10", "--xlsx", str(service), actor="孙客服")
    assert "138****0001" in phones(service)                      # customer service: the whole store, masked
    with zipfile.ZipFile(service) as z:
        text = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    assert not re.search(rb"1[3-9]\d{9}", text)
    shop("report", "monthly", "--xlsx", str(tmp_path / "x.xlsx"), "--owner", "陈刚", actor="李娜",
         code=ExitCode.PERMISSION)
    shop("report", "monthly", "--xlsx", str(tmp_path / "y.xlsx"), actor="张前台", code=ExitCode.PERMISSION)
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "y.xlsx").exists()


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"y\")", "+86138", "-1+2", "@SUM(1)", "=1+1"])
def test_no_cell_is_ever_a_formula_made_from_data(cli, tmp_path, name, zh):
    cli("intake", "--name", name, "--phone", "13800000009", "--owner", "李娜", "--model", name,
        "--arrived", "2026-10-09T10:00", actor="张前台")
    path = tmp_path / "f.xlsx"
    cli("report", "monthly", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    with zipfile.ZipFile(path) as z:
        for sheet in (n for n in z.namelist() if n.startswith("xl/worksheets/")):
            assert b"<f>" not in z.read(sheet) and b"<f " not in z.read(sheet)
    ws = load_workbook(path)["到店客户登记"]
    assert ws["B2"].value == name and ws["B2"].data_type == "s"


def test_the_monthly_report_needs_a_file_and_a_folder(shop, tmp_path):
    shop("report", "monthly", actor="王经理", code=ExitCode.USAGE)
    shop("report", "monthly", "--xlsx", str(tmp_path / "no" / "m.xlsx"), actor="王经理", code=ExitCode.CANT_CREATE)
    shop("report", "monthly", "--xlsx", str(tmp_path / "m.xlsx"), code=ExitCode.PERMISSION, actor=READER)


def test_a_single_report_to_excel(shop, tmp_path, zh):
    path = tmp_path / "funnel.xlsx"
    out = shop.json("report", "funnel", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    assert out["sheets"] == ["集客转化漏斗"] and out["rows"] == 18


def test_defeat_reasons_get_their_pie(closings, tmp_path, zh):
    path = tmp_path / "m.xlsx"
    closings("report", "monthly", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    wb = load_workbook(path)
    assert [type(c).__name__ for c in wb["战败分析"]._charts] == ["PieChart"]
    assert wb["战败分析"]["A2"].value == "竞品" and wb["战败分析"]["D2"].number_format == "#,##0"


def _chart_xml(path) -> dict[str, bytes]:
    """Each chart's XML by the sheet it is drawn on."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    with zipfile.ZipFile(path) as z:
        charts = {n: z.read(n) for n in z.namelist() if n.startswith("xl/charts/chart")}
    out = {}
    for name in wb.sheetnames:
        for chart in wb[name]._charts:
            title = "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))
            out[name] = next(x for x in charts.values() if title.encode() in x)
    return out


def test_charts_read_as_a_manager_needs(closings, tmp_path, zh):
    """Straight lines, day labels (日), the number on bars and the share on the pie, every axis titled."""
    path = tmp_path / "m.xlsx"
    closings("report", "monthly", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    charts = _chart_xml(path)
    traffic = charts["展厅流量分析"]
    assert b'<c:smooth val="1"/>' not in traffic and "d\"日\"".encode() in traffic.replace(b"&quot;", b'"')
    assert "日期".encode() in traffic and "来电数".encode() in traffic
    assert b'<c:showVal val="1"/>' in charts["集客转化漏斗"] and "人数".encode() in charts["集客转化漏斗"]
    assert b'<c:showPercent val="1"/>' in charts["战败分析"]
    assert "客户数".encode() in charts["客户意向确度表"] and "销售顾问".encode() in charts["客户意向确度表"]


def test_every_sheet_prints_and_its_columns_fit_their_values(closings, tmp_path, zh):
    path = tmp_path / "m.xlsx"
    closings("report", "monthly", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    wb = load_workbook(path)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)  # 1: the default
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows
    reasons = wb["战败分析"]
    share = [c.value for c in reasons[1]].index("占比") + 1
    assert reasons.cell(2, share).value == 1 and reasons.cell(2, share).number_format == "0.0%"
    letter = reasons.cell(2, share).column_letter
    assert reasons.column_dimensions[letter].width >= len("100.0%") + 2     # not ### when printed


def test_under_en_the_workbook_is_english_but_for_the_data(closings, tmp_path):
    """LEADCTL_LANG=en: sheets named by the reports' names, headers in words (`First visits`), charts titled in English;
    the Chinese left is the store's data (names, models, reasons as typed)."""
    path = tmp_path / "en.xlsx"
    closings("report", "monthly", "--month", "2026-10", "--xlsx", str(path), actor="王经理")
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["Summary", "traffic", "daily", "customers"]
    assert [c.value for c in wb["Summary"][3]] == ["KPI", "Staff", "This period", "Previous period", "Change",
                                                  "Minimum", "Maximum", "Met the goal", "Why missed"]
    assert wb["Summary"]["A1"].value == "Monthly report 2026-10-01..2026-10-31 whole store"
    assert wb["Summary"]["A4"].value == "First-visit retention rate"  # the KPI's name in the run's language
    assert [c.value for c in wb["traffic"][1]][:3] == ["Date", "Weekday", "Batches"]
    charts = _chart_xml(path)
    assert b"Showroom visits and calls a day" in charts["traffic"] and b"Date (day)" in charts["traffic"]
    assert b"Sales funnel (total)" in charts["funnel"] and b"Defeat reasons" in charts["defeat-reasons"]
    headers = [c.value for ws in wb for c in ws[1 if ws.title != "Summary" else 3] if c.value]
    assert not [h for h in headers if re.search(r"[\u4e00-\u9fff]", str(h))]


def test_the_traffic_weekday_reads_in_the_run_language(cli):
    from leadctl.reports.base import word

    cli("intake", "--name", "客户", "--phone", "13900000051", actor="张前台")
    rows = cli.json("report", "traffic", "--month", "2026-11", actor="王经理")["rows"]
    assert rows[0]["weekday"] == "周日"  # 2026-11-01: the JSON value is the form's, in either language
    assert word("weekday", "周日") == "Sun"  # the suite runs in English
    shown = cli("report", "traffic", "--month", "2026-11", actor="王经理").stdout
    assert "Sun" in shown and "周日" not in shown
