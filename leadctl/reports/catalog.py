"""Every report by name, in the order the monthly workbook shows them."""

from __future__ import annotations

from leadctl.planning.reports import CHECKS, PLAN, PROGRESS, SCORECARD, WEEK
from leadctl.reports.base import Report
from leadctl.reports.complaints import COMPLAINTS
from leadctl.reports.customers import CUSTOMERS, INVENTORY, PROSPECTS, SOURCES
from leadctl.reports.defeats import DEFEAT_REASONS, DEFEATS
from leadctl.reports.funnel import FUNNEL, KPI
from leadctl.reports.owners import OWNER_CARE, OWNERS
from leadctl.reports.visits import ARRIVALS, TRAFFIC
from leadctl.reports.work import ACTIVITY, DAILY

REPORTS: dict[str, Report] = {r.name: r for r in (
    TRAFFIC, DAILY, CUSTOMERS, DEFEATS, DEFEAT_REASONS, SOURCES, PROSPECTS, ARRIVALS, ACTIVITY, INVENTORY, FUNNEL,
    KPI, COMPLAINTS, OWNER_CARE, OWNERS,
    PLAN, PROGRESS, SCORECARD, CHECKS, WEEK,
)}
