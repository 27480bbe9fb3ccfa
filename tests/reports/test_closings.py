"""The figures that need the DCC and closing workflows, on the hand-built month (see conftest.py)."""

import pytest

READER = "张前台"  # the front desk reads every phone of these stores masked: the golden files show no full number

MONTH = ("--month", "2026-10")


def rows(cli, name, actor=READER):
    return cli.json("report", name, *MONTH, actor=actor)["rows"]


def test_defeat_statistics(closings):
    got = {(r["dimension"], r["value"]): r for r in rows(closings, "defeats")}
    assert got[("销售顾问", "李娜")]["defeats"] == 1
    assert got[("战败原因", "竞品")]["share"] == 1.0
    assert got[("竞品", "丰田凯美瑞")]["average_price"] == 180000
    assert got[("价格区间", "15-20万")]["defeats"] == 1
    assert got[("车型", "迈腾")]["defeats"] == 1


def test_defeat_reasons(closings):
    [row] = rows(closings, "defeat-reasons")
    assert (row["reason"], row["defeats"], row["from_a"], row["top_competitors"]) == ("竞品", 1, 1, "丰田凯美瑞")


def test_daily_counts_invitations_arrivals_orders_deliveries(closings):
    by = {r["staff"]: r for r in rows(closings, "daily")}
    assert (by["赵电销"]["invitations"], by["赵电销"]["arrivals"]) == (2, 1)
    assert (by["周直销"]["orders"], by["周直销"]["deliveries"]) == (1, 1)


def test_funnel_dcc_chain(closings):
    got = {(r["split"], r["stage"]): r for r in rows(closings, "funnel")}
    assert [got[("DCC", s)]["count"] for s in ("traffic", "details_kept", "invited", "arrived", "ordered",
                                               "delivered")] == [2, 2, 2, 1, 1, 1]
    assert got[("DCC", "arrived")]["step_rate"] == 0.5 and got[("DCC", "delivered")]["overall_rate"] == 0.5


def test_kpis_of_the_workflows(closings):
    got = {(r["kpi"], r["staff"]): r for r in rows(closings, "kpi")}

    def frac(key, staff=None):
        return got[(key, staff)]["numerator"], got[(key, staff)]["denominator"]

    assert frac("arrival_rate") == (1, 2)           # 10-08 kept; 10-09 missed (still open, its day over)
    assert frac("close_rate") == (1, 1)
    assert frac("dcc_share") == (1, 1)              # the only order came from a call
    assert frac("defeat_share") == (1, 2)           # one defeat against one order
    assert frac("retention_rate") == (4, 5)         # first visits: two shop customers, the batch of three,
    assert frac("receptions_per_day", "周直销") == (1, 1)  # the invited arrival and customer 5
    assert got[("dcc_share", None)]["passed"] is True


def test_a_desk_registration_after_the_invited_day_is_not_an_arrival(closings):
    out = closings.json("intake", "--name", "客户4", "--phone", "13800000004", "--arrived", "2026-10-20T10:00",
                        actor="张前台", now="2026-10-20T10:05")
    assert out["invitation"] is None
    assert closings.scalar("SELECT i.status FROM invitations i JOIN leads l ON l.id = i.lead_id"
                           " WHERE l.phone = '13800000004'") == "open"


@pytest.mark.parametrize("name", ["defeats", "defeat-reasons", "funnel", "kpi", "daily"])
def test_golden_output_with_closings(closings, golden, name):
    golden(f"closings-{name}.json", closings("report", name, *MONTH, "--json", actor=READER).stdout)
