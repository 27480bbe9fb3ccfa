"""What every report shares: the period, the scope, the columns (with the stores' Chinese headers)."""

from __future__ import annotations

import calendar
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from leadctl.errors import BadInput, UsageError
from leadctl.i18n import _
from leadctl.models import Channel, InfoSource, Method, Role, Status, Team
from leadctl.rules import dates, visibility
from leadctl.rules.deadlines import ComplaintChannel, ComplaintKind
from leadctl.rules.funnel import KPIS
from leadctl.rules.lifecycle import REASON_LABELS
from leadctl.rules.planning import SCORECARD_KPIS, WEEK_FORMS
from leadctl.rules.policy import Policy
from leadctl.rules.text import words


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start}..{self.end}"

    @property
    def lo(self) -> str:
        """Lower bound for ISO timestamps (inclusive)."""
        return self.start.isoformat()

    @property
    def hi(self) -> str:
        """Upper bound for ISO timestamps (exclusive): the day after the end."""
        return (self.end + timedelta(days=1)).isoformat()

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def previous(self) -> Period:
        """The month before (for a month), or the same length just before."""
        if self.start.day == 1 and self.end == month_of(self.start).end:
            last = self.start - timedelta(days=1)
            return month_of(last)
        length = self.end - self.start + timedelta(days=1)
        return Period(self.start - length, self.start - timedelta(days=1))


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))


def week_of(text: str) -> Period:
    """An ISO week, YYYY-Www (2026-W48): Monday to Sunday."""
    found = re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", text.strip())
    try:
        monday = date.fromisocalendar(int(found[1]), int(found[2]), 1) if found else None
    except ValueError:
        monday = None
    if monday is None:
        raise BadInput(
            _("cannot read the week {text!r}").format(text=text),
            _("write --week YYYY-Www, e.g. 2026-W48 (Monday to Sunday)"),
        )
    dates.within(monday, "--week", text)
    return Period(monday, monday + timedelta(days=6))


def parse_period(now: datetime, month: str | None, start: str | None, end: str | None,
                 week: str | None = None) -> Period:
    if week:
        if month or start or end:
            raise UsageError(
                _("give --week, --month or --from/--to, only one"), _("--week 2026-W48 is Monday to Sunday")
            )
        return week_of(week)
    if month and (start or end):
        raise UsageError(
            _("give --month or --from/--to, not both"), _("--month 2026-11, or --from 2026-11-01 --to ...")
        )
    try:
        if month:
            return month_of(dates.parse_month(month, "--month", now.date()))
        if start or end:
            lo = dates.parse_day(start, "--from", now.date()) if start else now.date().replace(day=1)
            hi = dates.parse_day(end, "--to", now.date()) if end else now.date()
        else:
            return month_of(now.date())
    except ValueError:
        raise BadInput(_("cannot read the period {value!r}").format(value=month or start or end),
                       _("write --month YYYY-MM or --from/--to YYYY-MM-DD")) from None
    if hi < lo:
        raise BadInput(
            _("the period ends ({hi}) before it starts ({lo})").format(hi=hi, lo=lo), _("swap --from and --to")
        )
    return Period(lo, hi)


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key (snake_case English)
    header: str  # the store's form header (Chinese)
    kind: str = "text"  # text | int | rate | date | datetime | money | kpi | mark | code, or a kind of LABELS


# Codes in the JSON, words in the table and the workbook. The one table of the Chinese words shown for codes: the
# terms' own labels (models.py, which input parses back) and the states of the records; a terminal table under zh
# shows a column named by a key here (or by COLUMN_LABELS) in these words (cli/output.py).
LABELS = {
    "inclusive": {True: "含", False: "不含"},
    "failure": {"below_minimum": "低于下限", "above_maximum": "高于上限"},
    "status": {**Status.labels(), "requested": "待核实", "verified": "已核实", "approved": "已批准",
               "rejected": "已驳回", "open": "未结", "cancelled": "已取消", "arrived": "已到店", "no-show": "未到店",
               "rescheduled": "已改约", "resolved": "已结案", "ruled": "已裁定"},
    "channel": {**Channel.labels(), **ComplaintChannel.labels()},
    "kind": {**ComplaintKind.labels(), "visit": "来店", "call": "来电", "list": "名单"},
    "role": Role.labels(),
    "team": Team.labels(),
    "method": Method.labels(),
    "info_source": InfoSource.labels(),
    "basis": {"stated": "直接定级", "horizon": "购车时间", "assessment": "评估", "workflow": "流程"},
    # why a lead changed owner or status (the owner history's reason, a status change's act)
    "move": {"registered": "登记", "handover": "交接", "transfer": "转移", "received on return visit": "再次来店接待",
             "sweep": "清理", "collision": "撞单裁定", "deactivate": "员工离职", "defeat.approve": "批准战败",
             "order": "下订单", "deliver": "交车", "lost": "标为失控", "order.cancel": "取消订单", "repurchase": "续购",
             "reactivate": "恢复跟进", "assign": "分配"},
    "defeat_reason": REASON_LABELS,
    "target": {"dcc": "DCC 池", "manager": "经理再分配", "close": "关闭", "offer": "经理决定"},
    # the card's coded fields (rules/card.py accepts these words back)
    "gender": {"male": "男", "female": "女"},
    "payment": {"full": "全款", "loan": "贷款"},
    "birthday_calendar": {"solar": "阳历", "lunar": "阴历"},
    "customer_type": {"new": "新客户", "returning": "老客户"},
    # owner care (rules/care.py KINDS) and where a care contact stands (services/owners.py)
    "unit": {"rate": "比率", "per_day": "日均"},
    "care": {"thanks": "感谢回访", "ssi": "满意度回访", "service": "首保提醒", "insurance": "续保提醒",
             "birthday": "生日关怀", "anniversary": "购车周年"},
    "state": {"made": "已完成", "overdue": "已逾期", "due": "今天到期", "planned": "未到期"},
    # a complaint's deadlines and acts (rules/deadlines.py, services/complaints.py)
    "what": {"plan": "首次处理方案", "reply": "首次答复", "result": "处理结果", "contact": "联系客户",
             "progress": "进展更新"},
    "act": {"new": "登记", "reply": "答复", "progress": "进展", "escalate": "升级", "resolve": "结案",
            "survey": "满意度回访"},
    # what a permission lets a person do (rules/permissions.py), as a refusal names it under zh
    "permission": {
        "staff.add": "添加员工", "staff.deactivate": "停用员工", "staff.bind": "绑定系统账户",
        "staff.pin": "设置他人的 PIN", "policy.set": "修改政策", "replay": "回放命令日志",
        "vehicle.set": "维护车型库", "intake": "登记来访", "grade": "定级", "followup": "跟进", "edit": "修改卡片",
        "visit.correct": "更正来访", "followup.correct": "更正跟进", "invite": "邀约", "arrive": "确认到店",
        "handover": "填写交接单", "transfer": "转移线索", "transfer.sweep": "运行每日清理", "assign": "分配线索",
        "duty.set": "排值班表", "policy.simulate": "模拟政策", "collisions.rule": "裁定撞单", "merge": "合并线索",
        "fleet": "升为大客户", "review": "批复跟进", "defeat.request": "申请战败", "defeat.verify": "核实战败",
        "defeat.approve": "批准战败", "defeat.reject": "驳回战败", "lost": "标为失控", "reactivate": "恢复线索",
        "order": "下订单", "order.cancel": "取消订单", "order.delivery_on": "安排交车日", "deliver": "交车",
        "report.export": "导出报表", "export": "导出记录", "complaint.new": "登记投诉",
        "complaint.handle": "处理投诉", "complaint.survey": "做满意度回访", "plan.set": "制定目标",
        "plan.confirm": "确认月度目标", "week.form": "填写周计划和周总结", "week.sign": "签字确认周报",
        "checks.sample": "抽检卡片", "checks.record": "记录检核结果", "checks.correct": "更正检核退回的卡片",
        "import": "导入数据", "backup": "备份数据库", "restore": "恢复数据库", "purge": "清除客户个人数据",
        "show": "查看线索", "due": "查看待跟进列表", "invitations": "查看邀约", "handovers": "查看交接单",
        "defeat.list": "查看战败申请", "order.list": "查看订单", "owners": "查看保有客户",
        "complaint.list": "查看投诉", "complaint.show": "查看投诉详情", "report": "查看报表",
        "collisions": "查看撞单", "review.queue": "查看待批复的跟进", "find": "查找客户", "leads": "查看线索列表",
        "identify": "确认身份",
    },
    # the plans [004]: how a year's plan was made, what a month's cell splits by (and the progress report's
    # rows), the customer type of a cell, the rates a cell's leads come from, and where each rate is measured
    "plan_kind": {"year": "年度制定", "roll": "X+Y 滚动"},
    "week_form": WEEK_FORMS,
    "dimension": {"model": "车型", "type": "客户类型", "channel": "渠道", "person": "人员", "week": "周",
                  "total": "合计"},
    "order_type": {"retail/new": "零售新客户", "retail/repurchase": "零售老客户再购", "fleet/new": "大客户新客户",
                   "fleet/repurchase": "大客户再购"},
    "rate_name": {"lead_to_order": "集客订单转化率", "ha_to_order": "H/A成交率", "bc_to_ha": "B/C转H/A率"},
    "rate_from": {"model": "本车型", "store": "全店", "none": "无历史"},
    "model": {"*": "全部车型"},
}
# a KPI's name under en (the store's own name, rules/funnel.py and rules/planning.py, under zh and in the JSON)
KPI_WORDS = {
    "retention_rate": "First-visit retention rate", "dcc_share": "DCC share of orders",
    "arrival_rate": "Invited arrival rate", "close_rate": "Close rate of invited arrivals",
    "downgrade_rate": "Downgrade rate", "defeat_share": "Defeated or lost share", "overdue_rate": "Overdue rate",
    "owner_share": "Owners' share of orders", "calls_per_day": "Telesales calls per day",
    "receptions_per_day": "Direct-sales receptions per day", "info_accuracy": "Cards complete at entry",
    "order_attainment": "Order target attainment", "new_leads": "New leads", "ha_share": "New H/A share",
    "accuracy": "Customer information accuracy", "visit_plan": "Visit plan completion",
    "ha_conversion": "H/A conversion", "bc_conversion": "B/C conversion", "churn_rate": "Churn rate",
}
# the few codes an English reader would not read as words, shown in these under en (JSON keeps the codes)
EN_LABELS = {
    "weekday": dict(zip((f"周{d}" for d in "一二三四五六日"), ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                        strict=True)),
    "target": {"dcc": "DCC pool", "manager": "manager's queue", "close": "closed", "offer": "manager decides"},
    "kpi_name": {**{name: KPI_WORDS[key] for key, name, _about in KPIS},
                 **{name: {"retention_rate": "Details-kept rate"}.get(key, KPI_WORDS[key])
                    for key, (name, _higher) in SCORECARD_KPIS.items()}, "合计": "Total"},
    "plan_kind": {"year": "yearly plan", "roll": "X+Y roll"},
    "week_form": {"plan": "weekly plan", "summary": "weekly summary"},
    "rate_name": {"lead_to_order": "lead to order", "ha_to_order": "H/A to order", "bc_to_ha": "B/C to H/A"},
    "rate_from": {"model": "the model", "store": "whole store", "none": "no history"},
    "model": {"*": "all models"},
    "care": {"thanks": "thank-you call", "ssi": "SSI survey", "service": "first service",
             "insurance": "insurance renewal", "birthday": "birthday", "anniversary": "purchase anniversary"},
}


def word(kind: str, value):
    """A code as the run's language shows it: LABELS under zh, EN_LABELS (or the code itself) under en."""
    from leadctl.i18n import zh

    table = LABELS if zh() else EN_LABELS
    return table.get(kind, {}).get(value, value)


def shows_words(kind: str) -> bool:
    """Whether a column of this kind shows words for its values (in either language)."""
    return kind in LABELS or kind in EN_LABELS


def shown_columns(report: Report) -> list[Column]:
    """The columns a person reads, on the terminal and in the workbook: a code column beside its words only under en
    and only where those words are Chinese (a KPI's name is English under en: its code is left out too). JSON and
    CSV keep every column."""
    from leadctl.i18n import zh

    columns = report.columns
    return [c for i, c in enumerate(columns) if c.kind != "code" or not zh() and not (
        i + 1 < len(columns) and columns[i + 1].kind in EN_LABELS)]


# a column's header under en where its key, read as words, would not say it (`h08_10`, `kpi`, `sms`)
EN_HEADERS = {
    **{f"h{h:02d}_{h + 2}": f"{h:02d}-{h + 2}h" for h in range(8, 20, 2)},
    "kpi": "KPI code", "name": "Name", "sms": "SMS", "wechat": "WeChat", "followups": "Follow-ups", "lead_id": "Lead",
    "list_leads": "Listed leads", "trade_in": "Trade-in", "grade_24h": "Grade at 24h", "from_h": "From H",
    "from_a": "From A", "from_b": "From B", "hot": "H/A", "ssi_average": "SSI average", "ssi_calls": "SSI calls",
    "on_time": "On time", "on_time_rate": "On-time rate", "reply_on_time": "Replied on time",
    "weight": "Weight %", "at": "Submitted at", "failed_because": "Failed because",
}


def english(key: str) -> str:
    """A report column's English header: its own (EN_HEADERS) or its key's words (`Arrival rate`)."""
    return EN_HEADERS.get(key) or words(key)


def minute(at: datetime | str | None) -> str | None:
    """A time as a report's cell writes it, to the minute: 2026-11-20 08:30 (from a datetime or its ISO text)."""
    if not at:
        return None
    return f"{at:%Y-%m-%d %H:%M}" if isinstance(at, datetime) else at[:16].replace("T", " ")


def heading(column: Column) -> str:
    """A column's header as the run's language shows it: the store's form header under zh, words under en
    (`Arrival rate`; english()). JSON, and CSV with --codes, keep the keys."""
    from leadctl.i18n import zh

    if zh():
        return column.header
    return "KPI" if column.kind == "kpi_name" else english(column.key)


def title_of(report: Report) -> str:
    """A report's name for people: the store's own under zh, the report's name (`leadctl report NAME`) under en."""
    from leadctl.i18n import _, zh

    return _(report.title) if zh() else report.name


# other columns whose values are codes of a kind above
COLUMN_LABELS = {"lead_status": "status", "pool": "team", "from_pool": "team", "grade_basis": "basis", "to": "target",
                 "split": "dimension", "rate": "rate_name"}


def code(kind: str, word: str | None) -> str | None:
    """The code a word of LABELS[kind] shows (已批准 -> approved): what a table shows can be typed back."""
    if word is None:
        return None
    text = word.strip()
    return next((key for key, label in LABELS[kind].items() if label == text), text)


def statuses(codes) -> str:
    """Record states a person may give (`--status`), each with the word a table shows for it (which is typed back)."""
    from leadctl.i18n import choices

    return choices((c, LABELS["status"].get(c)) for c in codes)


@dataclass(frozen=True)
class Scope:
    """Whose data: staff ids (None = everyone) and a label for titles."""

    staff_ids: tuple[int, ...] | None = None
    label: str = "全店"

    @property
    def shown(self) -> str:
        """The label as the run's language shows it (全店 / whole store; a team's word or code; a person's name)."""
        from leadctl.i18n import _, zh

        if zh():
            return self.label
        if self.label == "全店":
            return _("whole store")
        return next((code for code, word in Team.labels().items() if word == self.label), self.label)

    def sql(self, column: str) -> tuple[str, list]:
        """An SQL condition on `column` (a staff id column) and its parameters."""
        if self.staff_ids is None:
            return "1", []
        return f"{column} IN ({','.join('?' * len(self.staff_ids))})", list(self.staff_ids)


@dataclass(frozen=True)
class Context:
    conn: sqlite3.Connection
    period: Period
    scope: Scope
    now: datetime
    policy: Policy
    viewer: visibility.Viewer  # who reads the report: rules/visibility.py decides which phones they see in full

    def phone(self, number: str | None, owner_id: int | None, pool: str | None) -> str | None:
        """A lead's phone as the report's reader may see it."""
        return visibility.shown(self.viewer, number, owner_id, pool)


@dataclass(frozen=True)
class Report:
    name: str
    title: str  # the store's name for it
    columns: tuple[Column, ...]
    build: Callable[[Context], list[dict]] = field(repr=False)
    chart: str | None = None  # the chart the workbook draws for it, if any
    bars: str | None = None  # the column the terminal draws as bars, if any
