"""Complaint deadlines at their edges: minutes, hours, working days across weekends and listed holidays."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.errors import BadInput, Refused
from leadctl.rules import deadlines
from leadctl.rules.deadlines import ComplaintChannel, ComplaintKind, Deadline, Facts
from leadctl.rules.policy import preset

RULES = deadlines.rules_of(preset("standard").data["complaints"])
SECOND = timedelta(seconds=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("start, days, expected", [
    ("2026-11-24T10:00", 1, "2026-11-25T10:00"),   # Tuesday -> Wednesday
    ("2026-11-27T16:00", 1, "2026-11-30T16:00"),   # Friday -> Monday: the weekend does not count
    ("2026-11-27T16:00", 2, "2026-12-01T16:00"),
    ("2026-11-28T10:00", 1, "2026-12-01T00:00"),   # received Saturday: due at the end of Monday
    ("2026-11-29T23:59", 2, "2026-12-02T00:00"),   # received Sunday: the end of Tuesday
    ("2026-11-24T00:00", 1, "2026-11-25T00:00"),   # from the start of a working day: its end
    ("2026-09-24T16:00", 1, "2026-09-28T16:00"),   # Thursday; Friday 09-25 a listed holiday, then the weekend
    ("2026-09-30T09:00", 1, "2026-10-08T09:00"),   # the National Day week: 10-01..10-07 off
    ("2026-09-30T09:00", 2, "2026-10-09T09:00"),
    ("2026-10-03T09:00", 1, "2026-10-09T00:00"),   # received inside the holiday: the end of the first day back
    ("2026-11-24T10:00", 0, "2026-11-24T10:00"),
])
def test_working_days(start, days, expected):
    assert deadlines.add_working_days(at(start), days, RULES) == at(expected)


def test_a_listed_holiday_on_a_weekday_alone():
    rules = replace(RULES, holidays=frozenset({date(2026, 11, 25)}))
    assert deadlines.add_working_days(at("2026-11-24T10:00"), 1, rules) == at("2026-11-26T10:00")
    # ending at the start of a holiday is the end of the day before: the holiday does not push it
    assert deadlines.add_working_days(at("2026-11-24T00:00"), 1, rules) == at("2026-11-25T00:00")


def test_midnight_deadlines_are_the_end_of_the_day_before():
    end_of_monday = at("2026-12-01T00:00")
    assert deadlines.due_date(end_of_monday) == date(2026, 11, 30)
    assert deadlines.stamp(end_of_monday) == "2026-11-30 24:00"
    assert deadlines.stamp(at("2026-11-30T16:05")) == "2026-11-30 16:05"


def _working_seconds(start: datetime, end: datetime, rules) -> float:
    total, cursor = 0.0, start
    while cursor < end:
        step = min(end, datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time()))
        if rules.working(cursor.date()):
            total += (step - cursor).total_seconds()
        cursor = step
    return total


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20)), st.integers(1, 6))
def test_n_working_days_are_n_times_24_working_hours(start, days):
    start = start.replace(microsecond=0)
    end = deadlines.add_working_days(start, days, RULES)
    assert _working_seconds(start, end, RULES) == days * 86400
    assert end > start


def facts(channel, received="2026-11-24T09:00", **more):
    more = {k: (tuple(at(x) for x in v) if k == "progress" else at(v)) for k, v in more.items()}
    return Facts(ComplaintChannel(channel), at(received), **more)


def first(items, what):
    return next(d for d in items if d.what == what)


@pytest.mark.parametrize("channel, what, limit", [
    ("onsite", "plan", timedelta(minutes=10)),
    ("phone", "reply", timedelta(hours=24)),
    ("email", "reply", timedelta(hours=24)),
    ("letter", "reply", timedelta(hours=24)),
    ("callcenter", "reply", timedelta(hours=2)),
    ("phone", "result", timedelta(days=7)),
])
def test_each_deadline_at_its_edge(channel, what, limit):
    received = at("2026-11-24T09:00")
    on_time = facts(channel, replied=(received + limit).isoformat(), resolved=(received + limit).isoformat())
    late = facts(channel, replied=(received + limit + SECOND).isoformat(),
                 resolved=(received + limit + SECOND).isoformat())
    deadline = first(deadlines.deadlines(RULES, on_time), what)
    assert deadline.due == received + limit
    assert not deadline.breached(received + timedelta(days=30))          # met exactly at the deadline
    assert first(deadlines.deadlines(RULES, late), what).breached(received)  # met one second late
    owed = first(deadlines.deadlines(RULES, facts(channel)), what)
    assert owed.met is None and not owed.breached(received + limit) and owed.breached(received + limit + SECOND)


def test_which_deadlines_each_channel_has():
    def whats(channel):
        return [d.what for d in deadlines.deadlines(RULES, facts(channel))]

    assert whats("onsite") == ["plan"]
    assert whats("phone") == whats("fax") == whats("media") == ["reply", "result"]
    assert whats("callcenter") == ["reply", "contact", "progress"]


def test_call_center_contact_within_a_working_day_across_weekend_and_holiday():
    friday = facts("callcenter", "2026-11-27T16:00")
    assert first(deadlines.deadlines(RULES, friday), "contact").due == at("2026-11-30T16:00")
    ok = facts("callcenter", "2026-11-27T16:00", contacted="2026-11-30T16:00")
    late = facts("callcenter", "2026-11-27T16:00", contacted="2026-11-30T16:01")
    assert not first(deadlines.deadlines(RULES, ok), "contact").breached(at("2026-12-31T00:00"))
    assert first(deadlines.deadlines(RULES, late), "contact").breached(at("2026-12-31T00:00"))
    before_holiday = facts("callcenter", "2026-09-24T16:00")
    assert first(deadlines.deadlines(RULES, before_holiday), "contact").due == at("2026-09-28T16:00")


def test_progress_every_two_working_days_restarted_by_each_note():
    ticket = facts("callcenter", "2026-11-23T10:00", replied="2026-11-23T11:00", contacted="2026-11-23T11:00",
                   progress=("2026-11-25T09:00", "2026-11-27T10:00"))
    progress = [d for d in deadlines.deadlines(RULES, ticket) if d.what == "progress"]
    assert [(d.due, d.met) for d in progress] == [
        (at("2026-11-25T10:00"), at("2026-11-25T09:00")),  # on time
        (at("2026-11-27T09:00"), at("2026-11-27T10:00")),  # an hour late
        (at("2026-12-01T10:00"), None),                    # Friday 10:00 + 2 working days, over the weekend
    ]
    assert [d.breached(at("2026-11-30T12:00")) for d in progress] == [False, True, False]
    assert deadlines.next_open(deadlines.deadlines(RULES, ticket)).due == at("2026-12-01T10:00")


def test_closing_meets_what_is_owed_and_ends_the_progress_windows():
    in_time = facts("callcenter", "2026-11-23T10:00", resolved="2026-11-23T11:00")
    assert [(d.what, d.breached(at("2027-01-01T00:00"))) for d in deadlines.deadlines(RULES, in_time)] == [
        ("reply", False), ("contact", False)]
    late = facts("callcenter", "2026-11-23T10:00", resolved="2026-11-26T10:00")
    items = deadlines.deadlines(RULES, late)
    assert deadlines.next_open(items) is None
    assert deadlines.breaches(items, at("2027-01-01T00:00")) == 3  # reply, contact and the first progress window


def test_next_open_is_the_earliest_owed():
    items = [Deadline("reply", at("2026-11-25T09:00"), at("2026-11-24T10:00")),
             Deadline("result", at("2026-12-01T09:00")), Deadline("contact", at("2026-11-25T12:00"))]
    assert deadlines.next_open(items).what == "contact"
    assert deadlines.next_open([Deadline("plan", at("2026-11-24T09:10"), at("2026-11-24T09:05"))]) is None


@pytest.mark.parametrize("now, text", [
    ("2026-11-24T10:15", "complaint 3 (服务): first reply due 2026-11-24 11:00 (45 min left)"),
    ("2026-11-24T11:00", "complaint 3 (服务): first reply due 2026-11-24 11:00 (0 min left)"),
    ("2026-11-24T13:00", "complaint 3 (服务): first reply due 2026-11-24 11:00 (2 h late)"),
    ("2026-11-24T13:30", "complaint 3 (服务): first reply due 2026-11-24 11:00 (2 h 30 min late)"),
    ("2026-11-27T15:00", "complaint 3 (服务): first reply due 2026-11-24 11:00 (3 d 4 h late)"),
])
def test_the_due_lists_words(now, text):
    deadline = Deadline("reply", at("2026-11-24T11:00"))
    from leadctl.rules import reasons

    assert reasons.english(reasons.complaint(3, ComplaintKind.SERVICE.value, deadline, at(now))) == text


@pytest.mark.parametrize("due, now, on, days", [
    ("2026-11-24T17:00", "2026-11-24T09:00", "2026-11-24", 0),   # due later today
    ("2026-11-24T07:00", "2026-11-24T09:00", "2026-11-24", 1),   # two hours late: a started day
    ("2026-11-21T10:00", "2026-11-24T09:00", "2026-11-24", 3),
    ("2026-11-24T17:00", "2026-11-24T09:00", "2026-11-26", 2),   # as of a later day
])
def test_overdue_days(due, now, on, days):
    assert deadlines.overdue_days(at(due), at(now), date.fromisoformat(on)) == days


def test_escalation_climbs_the_policys_levels_and_stops_at_the_last():
    assert RULES.levels == ("主管", "部门经理", "总经理")
    assert deadlines.escalate(RULES, 0) == 1 and deadlines.escalate(RULES, 1) == 2
    with pytest.raises(Refused, match="already at the last level \\(总经理\\)"):
        deadlines.escalate(RULES, 2)
    with pytest.raises(Refused):
        deadlines.escalate(replace(RULES, levels=()), 0)


@pytest.mark.parametrize("text, channel", [
    ("onsite", "onsite"), ("现场", "onsite"), ("当面", "onsite"), ("电话", "phone"), ("呼叫中心", "callcenter"),
    ("call-center", "callcenter"), ("call_center", "callcenter"), ("邮件", "email"), ("e-mail", "email"),
    ("媒体", "media"), ("信函", "letter"), ("传真", "fax"), (" FAX ", "fax"),
])
def test_channels_in_english_and_chinese(text, channel):
    assert ComplaintChannel.parse(text) is ComplaintChannel(channel)


def test_kinds_and_bad_terms():
    assert ComplaintKind.parse("服务") is ComplaintKind.SERVICE and ComplaintKind.parse("产品") is ComplaintKind.PRODUCT
    with pytest.raises(BadInput, match="unknown complaint channel 'pigeon'; use one of: onsite \\(现场\\)"):
        ComplaintChannel.parse("pigeon")
    with pytest.raises(BadInput, match="unknown complaint kind '价格'"):
        ComplaintKind.parse("价格")


def test_rules_from_the_policy_or_the_defaults():
    assert RULES.onsite_plan == timedelta(minutes=10) and RULES.callcenter_reply == timedelta(hours=2)
    assert RULES.contact_days == 1 and RULES.progress_days == 2 and RULES.weekend == frozenset({6, 7})
    assert RULES.holidays == frozenset() and not RULES.working(date(2026, 10, 1))  # the law's, not a hand list
    assert deadlines.rules_of(None).first_reply == timedelta(hours=24)
    assert deadlines.rules_of({"first_reply_hours": 12}).first_reply == timedelta(hours=12)
