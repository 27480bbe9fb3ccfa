"""The only reader of the wall clock. Everything else receives `now` as a parameter."""

from __future__ import annotations

import os
from datetime import date, datetime

from leadctl.errors import BadInput, UsageError
from leadctl.i18n import _

ENV = "LEADCTL_NOW"
# Every date a person gives lies in these years: far enough apart for any store's records and plans, and far
# enough from date's own limits (years 1 and 9999) that adding a cadence or a month never overflows.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
_RANGE = f"give a date between {EARLIEST} and {LATEST}"


def within(day: date, what: str, text: str, error: type = BadInput) -> None:
    """`error` unless `day` lies between EARLIEST and LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise error(f"{what} {text.strip()!r} is out of range", _RANGE)


def parse_day(text: str, what: str) -> date:
    """An ISO date (YYYY-MM-DD) a person typed, or BadInput naming the option `what`."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            _("{what} {strip!r} is not a date").format(what=what, strip=text.strip()),
            _("write it as YYYY-MM-DD, e.g. 2026-11-30"),
        ) from None
    within(day, what, text)
    return day


def parse_instant(text: str, what: str = "time") -> datetime:
    """ISO 8601 date or date-time -> naive local datetime (offsets converted to local time)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _("{what} {text!r} is not an ISO date or time").format(what=what, text=text),
            _("write it as 2026-11-24 or 2026-11-24T09:30"),
        ) from None
    if value.tzinfo is not None:
        try:
            value = value.astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise UsageError(_("{what} {text!r} is out of range").format(what=what, text=text), _RANGE) from None
    within(value.date(), what, text, UsageError)
    return value.replace(microsecond=0)


def read(override: str | None = None) -> datetime:
    """One reading per run: --now, else LEADCTL_NOW, else the wall clock (local time)."""
    text = override or os.environ.get(ENV)
    if text:
        return parse_instant(text, "--now / LEADCTL_NOW")
    return datetime.now().replace(microsecond=0)
