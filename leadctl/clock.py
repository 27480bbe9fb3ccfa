"""The only reader of the wall clock. Everything else receives `now` as a parameter."""

from __future__ import annotations

import os
from datetime import datetime

from leadctl.errors import UsageError
from leadctl.rules import dates

ENV = "LEADCTL_NOW"


def parse_instant(text: str, what: str = "time") -> datetime:
    """The clock's own setting (--now, LEADCTL_NOW): ISO 8601, a usage error (2) otherwise. A command's date
    and time options are read by rules/dates.py (exit 65)."""
    return dates.parse_moment(text, what, None, error=UsageError)


def read(override: str | None = None) -> datetime:
    """One reading per run: --now, else LEADCTL_NOW, else the wall clock (local time)."""
    text = override or os.environ.get(ENV)
    if text:
        return parse_instant(text, "--now / LEADCTL_NOW")
    return datetime.now().replace(microsecond=0)
