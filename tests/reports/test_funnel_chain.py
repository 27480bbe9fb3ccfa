"""The funnel's chain [002]: leads x details kept x invited-arrival rate x close rate. A DCC lead arrives only by
an invited arrival, the KPI counts arrivals the same way, and no step of any chain grows (on the demo's year)."""


import pytest

from tests.conftest import SAMPLE_NOW, sample_year

DEMO_NOW = SAMPLE_NOW
MANAGER = "张建国"
MONTHS = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 12)]
CHAINS = {"展厅": ("traffic", "details_kept", "arrived", "ordered", "delivered"),
          "DCC": ("traffic", "details_kept", "invited", "arrived", "ordered", "delivered"),
          "合计": ("traffic", "details_kept", "arrived", "ordered", "delivered")}
# the cohort's DCC leads (non-showroom channel, or invited) and what each reached, straight from the tables
DCC_COHORT = """
    SELECT count(*), sum(l.phone IS NOT NULL AND EXISTS (SELECT 1 FROM invitations i WHERE i.lead_id = l.id
                                                         AND i.status = 'arrived')),
           sum(l.phone IS NOT NULL AND EXISTS (SELECT 1 FROM visits v WHERE v.lead_id = l.id AND v.kind = 'visit'))
    FROM leads l WHERE l.created_at >= ? AND l.created_at < ? AND l.merged_into IS NULL
    AND (l.channel NOT IN ('walk-in', 'show', 'referral', 'repurchase')
         OR EXISTS (SELECT 1 FROM invitations i WHERE i.lead_id = l.id))"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, sample_year_file):
    return sample_year(sample_year_file, tmp_path_factory.mktemp("demo") / "demo.db")


def _funnel(cli, month):
    rows = cli.json("report", "funnel", "--month", month, actor=MANAGER, now=DEMO_NOW)["rows"]
    return {(r["split"], r["stage"]): r["count"] for r in rows}


def _next_month(month: str) -> str:
    year, m = map(int, month.split("-"))
    return f"{year + m // 12}-{m % 12 + 1:02d}-01"


@pytest.mark.parametrize("month", MONTHS)
def test_no_step_grows_on_the_demo_year(demo, month):
    counts = _funnel(demo, month)
    for split, chain in CHAINS.items():
        steps = [counts[(split, stage)] for stage in chain]
        assert steps == sorted(steps, reverse=True), f"{month} {split}: {steps}"
    assert counts[("展厅", "invited")] is None and counts[("合计", "invited")] is None  # not a step of theirs
    leads, invited_arrivals, visited = demo.query(DCC_COHORT, f"{month}-01", _next_month(month))[0]
    assert counts[("DCC", "traffic")] == leads
    assert counts[("DCC", "arrived")] == invited_arrivals


def test_the_demo_october_has_uninvited_walk_ins_that_are_not_arrivals(demo):
    counts = _funnel(demo, "2026-10")
    leads, invited_arrivals, visited = demo.query(DCC_COHORT, "2026-10-01", "2026-11-01")[0]
    assert visited > invited_arrivals  # DCC leads that walked in on their own, or not on their day
    assert counts[("DCC", "invited")] >= counts[("DCC", "arrived")] == invited_arrivals
    assert counts[("合计", "arrived")] == counts[("展厅", "arrived")] + counts[("DCC", "arrived")]


def test_the_kpi_and_the_funnel_count_one_kind_of_arrival(demo):
    rows = demo.json("report", "kpi", "--month", "2026-10", actor=MANAGER, now=DEMO_NOW)["rows"]
    arrival = next(r for r in rows if r["kpi"] == "arrival_rate")
    assert arrival["numerator"] == demo.scalar(
        "SELECT count(*) FROM invitations WHERE status = 'arrived' AND expected_at >= '2026-10-01'"
        " AND expected_at < '2026-11-01'")


def test_an_uninvited_walk_in_of_a_dcc_lead_is_not_an_arrival(shop):
    """客户3 came in by phone (a DCC lead); walking into the showroom later on their own is no invited arrival."""
    shop.json("intake", "--name", "客户3", "--phone", "13800000003", "--arrived", "2026-10-09T11:00",
              actor="张前台", now="2026-10-09T11:05")
    assert shop.scalar("SELECT count(*) FROM visits v JOIN leads l ON l.id = v.lead_id"
                       " WHERE l.phone = '13800000003' AND v.kind = 'visit'") == 1
    rows = shop.json("report", "funnel", "--month", "2026-10", actor="王经理")["rows"]
    got = {(r["split"], r["stage"]): r["count"] for r in rows}
    assert [got[("DCC", s)] for s in CHAINS["DCC"]] == [2, 2, 0, 0, 0, 0]
