"""Property tests of the parsers the CLI feeds (hypothesis): any input gives a value or a LeadctlError.

Anything else (ValueError, OverflowError, KeyError, TypeError...) would reach the user as a traceback.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from leadctl.clock import parse_instant
from leadctl.errors import ExitCode, LeadctlError
from leadctl.models import Channel, Grade, InfoSource
from leadctl.rules import phone
from leadctl.rules.grading import parse_duration
from leadctl.rules.policy import _SHAPE, FACTORS, PRESETS, Policy, merge, preset_data, validate
from leadctl.services.intake import Visit, parse_visit
from tests.reliability.conftest import DESK, MANAGER, NOW_DT, one_line_error, run_cli

PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Years 2..9998: any local timezone can represent these instants (see the xfail test for the edges).
# the years a person may give (clock.EARLIEST..LATEST), a day inside so that any offset stays in them
SAFE = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2999, 12, 30))
OFFSETS = st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59))
AWARE = st.builds(lambda d, o: d.replace(tzinfo=timezone(o)), SAFE, OFFSETS)


def iso_text(moment: st.SearchStrategy[datetime]) -> st.SearchStrategy[str]:
    return st.builds(lambda d, sep, spec, pad: pad + d.isoformat(sep=sep, timespec=spec) + pad, moment,
                     st.sampled_from(["T", " "]), st.sampled_from(["auto", "minutes", "seconds", "milliseconds"]),
                     st.sampled_from(["", " ", "\t"]))


def mutated(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid-looking string with one character replaced, inserted or removed."""
    def mutate(s: str, i: int, ch: str, how: int) -> str:
        i = i % (len(s) + 1)
        return [s[:i] + ch + s[i + 1:], s[:i] + ch + s[i:], s[:i] + s[i + 1:]][how]

    return st.builds(mutate, text, st.integers(0, 40), st.characters(), st.integers(0, 2))


INSTANTS = st.one_of(st.text(), iso_text(SAFE), iso_text(AWARE), mutated(iso_text(SAFE)),
                     st.dates(min_value=datetime(2, 1, 2).date()).map(str))


@PROPERTY
@given(INSTANTS)
def test_parse_instant_gives_a_naive_second_or_a_usage_error(text):
    try:
        value = parse_instant(text, "--at")
    except LeadctlError as exc:
        assert exc.code == ExitCode.USAGE
        event("refused")
        return
    event("accepted")
    assert value.tzinfo is None and value.microsecond == 0


@PROPERTY
@given(SAFE)
def test_parse_instant_round_trips_naive_times(moment):
    assert parse_instant(moment.isoformat()) == moment.replace(microsecond=0)


@PROPERTY
@given(st.one_of(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(1899, 12, 30)),
                 st.datetimes(min_value=datetime(3000, 1, 2), max_value=datetime(9998, 12, 30))))
def test_parse_instant_refuses_years_no_store_lives_in(moment):
    with pytest.raises(LeadctlError) as refused:
        parse_instant(moment.isoformat(), "--now")
    assert refused.value.code == ExitCode.USAGE


@settings(max_examples=1, deadline=None, database=None)
@given(st.just("0001-01-01T00:00+14:00"))
@example("9999-12-31T23:59-12:00")  # at least one of the two leaves the range in any local timezone
def test_parse_instant_at_the_edges_of_the_calendar(text):
    with contextlib.suppress(LeadctlError):  # a LeadctlError is the right answer; OverflowError is the bug
        parse_instant(text, "--now")


# -- durations ---------------------------------------------------------------------------------------------------
UNITS = ["d", "day", "days", "天", "日", "w", "week", "weeks", "周", "星期", "m", "month", "months", "月", "个月",
         "y", "year", "years", "年", "D", "W", "Weeks", "x", "个", "hours", "ｄ"]
DURATIONS = st.one_of(
    st.text(),
    st.builds(lambda n, u, a, b, c: f"{a}{n}{b}{u}{c}", st.integers(0, 10**6), st.sampled_from(UNITS),
              *[st.sampled_from(["", " ", "  ", "\u3000", "\n"])] * 3),
    st.from_regex(r"\s*[0-9٠-٩０-９]{1,5}\s*[a-zA-Z\u4e00-\u9fff]{0,3}\s*", fullmatch=True),
)


@PROPERTY
@given(DURATIONS)
def test_parse_duration_gives_days_or_bad_input(text):
    try:
        days = parse_duration(text)
    except LeadctlError as exc:
        assert exc.code == ExitCode.DATA
        event("refused")
        return
    event("accepted")
    assert isinstance(days, int) and 0 <= days <= 9999 * 365


# -- policy documents ---------------------------------------------------------------------------------------------
def _keys(shape, out: set[str]) -> set[str]:
    if isinstance(shape, dict):
        for key, sub in shape.items():
            out.add(key)
            _keys(sub, out)
    elif isinstance(shape, list):
        _keys(shape[0], out)
    return out


KNOWN_KEYS = sorted(_keys(_SHAPE, set()) | {g.value for g in Grade} | set(FACTORS) | {"preset", "Z", "h"})
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=6))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-3, 400),
                    st.floats(allow_nan=True), st.text(max_size=8),
                    st.sampled_from([g.value for g in Grade] + list(FACTORS) + ["dcc", "manager", "close", "showroom"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)
WORDS = st.one_of(st.sampled_from([g.value for g in Grade] + list(FACTORS) + ["dcc", "manager", "close", "showroom"]),
                  st.text(max_size=6))


def shaped(shape) -> st.SearchStrategy:
    """Documents that follow the policy's shape (keys known, types mostly right), to reach past the shape check."""
    if isinstance(shape, dict):
        known = {k: shaped(v) for k, v in shape.items() if k != "*"}
        if "*" in shape:
            return st.dictionaries(st.one_of(st.sampled_from([g.value for g in Grade]), st.text(max_size=3)),
                                   shaped(shape["*"]), max_size=4)
        return st.fixed_dictionaries({}, optional=known)
    if isinstance(shape, list):
        return st.lists(shaped(shape[0]), max_size=3)
    return {int: st.one_of(st.integers(0, 400), st.integers(-2, 2), st.integers(0, 10**12)), bool: st.booleans(),
            str: WORDS, float: st.floats(), list: st.lists(WORDS, max_size=4)}[shape]


OVERRIDES = st.one_of(st.dictionaries(KEYS, VALUES, max_size=5), shaped(_SHAPE))


@PROPERTY
@given(st.sampled_from(PRESETS), OVERRIDES)
def test_policy_validate_gives_a_policy_or_bad_input(preset, override):
    try:
        policy = validate(merge(preset_data(preset), override), "policy file")
    except LeadctlError as exc:
        assert exc.code == ExitCode.DATA
        event("refused")
        return
    event("accepted")
    assert isinstance(policy, Policy) and policy.grades


# -- visits as the front desk types them ---------------------------------------------------------------------------
def _words(term) -> list[str]:
    return [m.value for m in term] + list(term.labels().values()) + list(term.aliases())


def maybe(strategy):
    return st.one_of(st.none(), strategy)


PHONES = st.one_of(st.text(max_size=20), st.from_regex(r"(\+86|0086)?[ -]?1[3-9]\d{9}", fullmatch=True),
                   st.from_regex(r"0\d{2,3}-?\d{7,8}", fullmatch=True), st.from_regex(r"\+\d{6,16}", fullmatch=True))
TIMES = st.one_of(iso_text(SAFE), iso_text(AWARE), st.text(max_size=20),
                  iso_text(st.datetimes(NOW_DT - timedelta(days=3), NOW_DT + timedelta(hours=3))))
VISITS = st.fixed_dictionaries({}, optional={
    "name": maybe(st.text(max_size=30)),
    "phone_text": maybe(PHONES),
    "channel": st.one_of(st.sampled_from(_words(Channel)), st.text(max_size=10)),
    "arrived": maybe(TIMES),
    "left": maybe(TIMES),
    "party": st.one_of(st.integers(), st.integers(-2, 12)),
    "grade": maybe(st.one_of(st.sampled_from(_words(Grade)), st.text(max_size=4))),
    "info_source": maybe(st.one_of(st.sampled_from(_words(InfoSource)), st.text(max_size=6))),
    "model": maybe(st.text(max_size=20)),
    "test_drive": st.booleans(),
    "trade_in": st.booleans(),
    "no_contact": st.booleans(),
})


@PROPERTY
@given(VISITS)
def test_parse_visit_gives_a_visit_or_a_leadctl_error(kwargs):
    try:
        visit = parse_visit(NOW_DT, **kwargs)
    except LeadctlError as exc:
        assert exc.code in (ExitCode.USAGE, ExitCode.DATA)
        event("refused")
        return
    event("accepted")
    assert isinstance(visit, Visit)
    assert visit.arrived <= NOW_DT and visit.party >= 1
    assert visit.left is None or visit.arrived <= visit.left <= NOW_DT
    assert visit.phone is None or phone.normalize(visit.phone) == visit.phone
    assert visit.phone is not None or visit.grade is Grade.W  # a visitor without a phone is always grade W
    # (the converse, "grade W only without a phone", fails today: see test_grade_w_is_refused_for_a_lead_with_a_phone)


# -- what the parsers accept but the rest of leadctl cannot hold (found while writing the properties) ------------------
def test_grade_w_is_refused_for_a_lead_with_a_phone(store_db):
    """Found by the parse_visit property: {'phone_text': '0010000000', 'grade': '未留档'} gives a Visit with both."""
    result = run_cli(store_db, "intake", "--phone", "13877776666", "--grade", "未留档", "--json")
    assert result.returncode == ExitCode.REFUSED, result.stdout  # as for grade O: "given only by a workflow"
    assert "W" in one_line_error(result)


def test_a_party_too_large_to_store_is_bad_input(store_db):
    result = run_cli(store_db, "intake", "--phone", "13877778888", "--party", str(2**63))
    assert result.returncode == ExitCode.DATA, result.stderr[-300:]
    one_line_error(result)


def test_a_policy_cadence_beyond_the_calendar_is_refused(tmp_path):
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text("[grades.A]\ncadence_days = 999999999\n", encoding="utf-8")
    result = run_cli(tmp_path / "store.db", "init", "--policy-file", str(policy_file), actor=None)
    assert result.returncode == ExitCode.DATA, result.stderr  # refused at validation, nothing created
    assert not (tmp_path / "store.db").exists()


def test_a_stored_policy_beyond_the_calendar_never_makes_a_traceback(tmp_path):
    """A policy row written behind leadctl's back (validation bypassed) is refused when read, not a crash."""
    import json
    import sqlite3

    db = tmp_path / "store.db"
    assert run_cli(db, "init", actor=None).returncode == 0
    assert run_cli(db, "staff", "add", MANAGER, "--role", "manager", actor=None).returncode == 0
    assert run_cli(db, "staff", "add", DESK, "--role", "receptionist", actor=MANAGER).returncode == 0
    assert run_cli(db, "intake", "--phone", "13877778888").returncode == 0
    conn = sqlite3.connect(db)
    body = json.loads(conn.execute("SELECT body FROM policy").fetchone()[0])
    body["grades"]["A"]["cadence_days"] = 999999999
    conn.execute("INSERT INTO policy (set_at, name, body) VALUES ('2026-11-24T09:00:00', 'x', ?)", (json.dumps(body),))
    conn.commit()
    conn.close()
    result = run_cli(db, "followup", "13877778888", "--result", "聊过", "--grade", "A", actor=MANAGER)
    assert "Traceback" not in result.stderr, result.stderr[-200:]
    assert result.returncode in (ExitCode.DATA, ExitCode.REFUSED, ExitCode.CONFIG)
