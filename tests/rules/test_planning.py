"""Planning's pure rules: largest remainder keeps the sum, overrides keep it too, weights and shares are checked."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.rules.planning import (
    MONTH_DAYS,
    Rate,
    expected,
    largest_remainder,
    needed,
    score,
    seasonal_shares,
    share_problems,
    spread,
    weight_problems,
)


@given(st.integers(0, 10_000), st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=24))
def test_largest_remainder_sums_to_the_total_and_stays_within_one_of_the_quota(total, weights):
    out = largest_remainder(total, weights)
    assert sum(out) == total and all(v >= 0 for v in out)
    if sum(weights) > 0:
        for value, weight in zip(out, weights, strict=True):
            assert abs(value - total * weight / sum(weights)) < 1 + 1e-9


def test_largest_remainder_gives_the_units_left_to_the_largest_remainders():
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(7, [0.5, 0.3, 0.2]) == [4, 2, 1]
    assert largest_remainder(5, [0, 0]) == [3, 2]  # no weight at all: even


def test_spread_keeps_the_overridden_cells_and_the_sum():
    assert spread(10, {"a": 1, "b": 1, "c": 2}, {"a": 6}) == {"a": 6, "b": 1, "c": 3}
    with pytest.raises(ValueError):
        spread(10, {"a": 1, "b": 1}, {"a": 11})


def test_needed_and_expected_from_a_rate():
    assert needed(12, Rate(1, 8, "w")) == 96 and needed(10, Rate(3, 10, "w")) == 34
    assert needed(5, Rate(0, 0, "w")) is None and expected(40, Rate(1, 4, "w")) == 10


@pytest.mark.parametrize("table, ok", [({"a": 0.5, "b": 0.5}, True), ({"a": 0.5, "b": 0.4}, False),
                                        ({"a": 1.5}, False), ({}, False)])
def test_a_share_table_sums_to_one(table, ok):
    assert (share_problems(table, "t") == []) is ok


def test_scorecard_weights_sum_to_one_hundred():
    good = {"consultant": [{"kpi": "order_attainment", "weight": 70, "target": 1},
                           {"kpi": "visit_plan", "weight": 30, "target": 1}]}
    assert weight_problems(good) == []
    bad = {"consultant": [{"kpi": "order_attainment", "weight": 70, "target": 1},
                          {"kpi": "nonsense", "weight": 20, "target": 1}]}
    problems = weight_problems(bad)
    assert any("90%, not 100%" in p for p in problems) and any("nonsense" in p for p in problems)


def test_a_lower_is_better_kpi_scores_full_marks_under_its_target():
    assert score("churn_rate", 0.05, 0.1, 10) == 10 and score("churn_rate", 0.2, 0.1, 10) == 5
    assert score("order_attainment", 0.5, 1.0, 30) == 15 and score("visit_plan", None, 1, 20) is None


def test_a_month_on_record_in_part_weighs_as_a_whole_one():
    """Orders per day on record times the month's days: ten days of November with 10 orders count as a November
    of 30; the same daily pace everywhere gives each month its length's share."""
    days = list(MONTH_DAYS)
    days[10] = 10
    orders = list(MONTH_DAYS)
    orders[10] = 10
    shares = seasonal_shares(orders, days)
    assert shares is not None and abs(sum(shares) - 1) < 1e-9
    assert shares == pytest.approx([d / 365 for d in MONTH_DAYS])


@pytest.mark.parametrize("orders, days", [
    ([5] * 12, [31] * 11 + [0]),  # December never on record: its index is unknown
    ([0] * 12, [30] * 12),  # no order at all
    ([5] * 11, [30] * 11),  # not twelve months
])
def test_no_shares_without_every_month_on_record(orders, days):
    assert seasonal_shares(orders, days) is None
