"""The only reader of the wall clock. Everything else receives `now` as a parameter."""

from __future__ import annotations

import os
from datetime import datetime

from leadctl.errors import UsageError

ENV = "LEADCTL_NOW"


def parse_instant(text: str, what: str = "time") -> datetime:
    """ISO 8601 date or date-time -> naive local datetime (offsets converted to local time)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{what} {text!r} is not an ISO date or time", "write it as 2026-11-24 or 2026-11-24T09:30"
        ) from None
    if value.tzinfo is not None:
        try:
            value = value.astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise UsageError(f"{what} {text!r} is out of range", "give a time between years 1 and 9999") from None
    return value.replace(microsecond=0)


def read(override: str | None = None) -> datetime:
    """One reading per run: --now, else LEADCTL_NOW, else the wall clock (local time)."""
    text = override or os.environ.get(ENV)
    if text:
        return parse_instant(text, "--now / LEADCTL_NOW")
    return datetime.now().replace(microsecond=0)
