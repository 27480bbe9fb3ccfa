"""Who may do what: one table, denying by default. An act missing from the table is refused to all."""

from __future__ import annotations

from leadctl.models import Role

_SALES = {Role.CONSULTANT, Role.TELESALES, Role.DIRECT_SALES}
_LEADERS = {Role.MANAGER, Role.ADMIN}

PERMISSIONS: dict[str, frozenset[Role]] = {
    "staff.add": frozenset(_LEADERS),
    "policy.set": frozenset(_LEADERS),
    "intake": frozenset({Role.RECEPTIONIST, *_SALES, *_LEADERS}),
    "grade": frozenset({*_SALES, Role.MANAGER}),
    "followup": frozenset({*_SALES, Role.MANAGER}),
    "replay": frozenset(_LEADERS),
}

# Roles that own leads: a lead registered by one of them is theirs unless another owner is named.
OWNING_ROLES = frozenset(_SALES)


def allowed(act: str, role: Role) -> bool:
    return role in PERMISSIONS.get(act, frozenset())


def roles_for(act: str) -> list[str]:
    return sorted(PERMISSIONS.get(act, frozenset()))
