"""Who sees a customer's full phone number: one rule, used by every listing, report, export and message.

- Managers and admins see every phone in full.
- Salespeople (consultant, direct sales, telesales) see the phones of their own leads in full; telesales also
  those of leads waiting without an owner in the DCC pool. Every other phone is masked for them.
- The front desk sees a full phone only on what it is registering (the result of its own intake or complaint):
  the number it has just typed. Every other phone is masked for a receptionist.
- Customer service sees masked phones, except on the call-back queues it works: a defeat request waiting for
  its verification call (`defeat.verify`), an open complaint it is responsible for (`complaint.handle`), and a
  resolved complaint waiting for its satisfaction survey (`complaint.survey`).

A row that is part of such work carries a Task naming the act of the permission table it is for; the roles
that do the act come from that table, so the rule and the table cannot disagree. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from leadctl.models import Role
from leadctl.rules import permissions
from leadctl.rules.permissions import Scope
from leadctl.rules.phone import mask

FULL_VIEW = frozenset({Role.MANAGER, Role.ADMIN, Role.SYSTEM})  # system: the due lists cron mails to managers
# salespeople: whose leads are "their own" (permissions.reaches decides with this scope)
OWN_LEADS = {Role.CONSULTANT: Scope.OWN, Role.DIRECT_SALES: Scope.OWN, Role.TELESALES: Scope.POOL}


class Viewer(Protocol):
    """The staff member looking: their id and role (services.staff.Staff is one)."""

    id: int
    role: Role


@dataclass(frozen=True)
class Task:
    """The work a row is part of: an act of the permission table, and who must do it (None: anyone whose role
    does the act)."""

    act: str
    worker_id: int | None = None


INTAKE = "intake"  # the visit being registered, shown to whoever registers it
REGISTER = "complaint.new"  # the complaint being registered, shown to whoever registers it
VERIFY = "defeat.verify"  # a defeat request waiting for its call-back
HANDLE = "complaint.handle"  # an open complaint, for the one responsible
SURVEY = "complaint.survey"  # a resolved complaint waiting for its satisfaction survey


def sees_phone(viewer: Viewer | None, owner_id: int | None, pool: str | None, task: Task | None = None) -> bool:
    """Whether `viewer` sees in full the phone of a lead with this owner and pool, on a row of this task."""
    if viewer is None:
        return False
    if viewer.role in FULL_VIEW:
        return True
    own = OWN_LEADS.get(viewer.role)
    if own is not None and permissions.reaches(own, viewer.id, owner_id, pool):
        return True
    if task is not None and permissions.scope(task.act, viewer.role) is not None:
        return task.worker_id is None or task.worker_id == viewer.id
    return False


def shown(viewer: Viewer | None, number: str | None, owner_id: int | None, pool: str | None,
          task: Task | None = None) -> str | None:
    """The phone as `viewer` may see it: in full, or masked (138****8000); None stays None."""
    if not number:
        return number
    return number if sees_phone(viewer, owner_id, pool, task) else mask(number)


def sees_all(viewer: Viewer | None) -> bool:
    """Whether every phone is shown to `viewer` in full, whatever the lead."""
    return viewer is not None and viewer.role in FULL_VIEW


def complaint_task(status: str, responsible_id: int | None, surveyed_at: str | None) -> Task | None:
    """The call-back a complaint row is for: handling it while open, the survey once resolved (until surveyed)."""
    if status == "open":
        return Task(HANDLE, responsible_id)
    if status == "resolved" and not surveyed_at:
        return Task(SURVEY)
    return None


def defeat_task(status: str) -> Task | None:
    """A defeat request waiting for customer service's verification call."""
    return Task(VERIFY) if status == "requested" else None


def shown_rows(viewer: Viewer | None, keys: tuple[str, ...], rows) -> list[dict]:
    """Rows as `viewer` may see them: each row is its `keys`' values then the lead's owner_id and pool; the
    "phone" key is shown by `shown`."""
    out = []
    for *values, owner_id, pool in rows:
        row = dict(zip(keys, values, strict=True))
        row["phone"] = shown(viewer, row["phone"], owner_id, pool)
        out.append(row)
    return out


def shown_id_number(viewer: Viewer | None, number: str | None) -> str | None:
    """A customer's ID number (身份证号) as `viewer` may see it: in full for managers only, masked for everyone else
    (first 3 and last 4 characters)."""
    if not number or (viewer is not None and viewer.role is Role.MANAGER):
        return number
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"
