"""Working days as `check` reports them: the coming years whose statutory holidays the calendar does not know."""

from __future__ import annotations

from datetime import datetime, timedelta

from leadctl.rules import deadlines

AHEAD = timedelta(days=31)  # deadlines run days ahead: a year is reported from a month before it starts


def unknown_years(now: datetime) -> list[dict]:
    """`check`'s finding: each year from today to a month ahead that the statutory calendar does not know yet
    (working days there count the weekend and the policy's holidays only; no command is refused for it)."""
    years = deadlines.unknown_years(now.date(), (now + AHEAD).date())
    return [{"year": year, "note": deadlines.unknown_note([year])} for year in years]
