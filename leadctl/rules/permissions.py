"""Who may do what: one table, denying by default.

Each act maps the roles allowed to it to a scope: ANY lead, OWN leads only (the actor is the owner), or
POOL (own leads, plus leads without an owner waiting in the DCC pool). An act or role missing from the
table is refused.
"""

from __future__ import annotations

from enum import StrEnum

from leadctl.models import Role


class Scope(StrEnum):
    ANY = "any"
    OWN = "own"
    POOL = "pool"


R, C, T, D, M, S, A = (Role.RECEPTIONIST, Role.CONSULTANT, Role.TELESALES, Role.DIRECT_SALES, Role.MANAGER,
                       Role.SERVICE, Role.ADMIN)
Y = Role.SYSTEM  # cron's account: what the README's cron script does, nothing else
ANY, OWN, POOL = Scope.ANY, Scope.OWN, Scope.POOL

PERMISSIONS: dict[str, dict[Role, Scope]] = {
    # the store's set-up
    "staff.add": {M: ANY, A: ANY},
    "staff.deactivate": {M: ANY, A: ANY},
    "staff.bind": {A: ANY},  # which OS account acts as whom (the store service)
    "staff.pin": {A: ANY},  # another person's PIN; one's own needs no permission
    "policy.set": {M: ANY, A: ANY},
    "replay": {M: ANY, A: ANY},
    "vehicle.set": {M: ANY, A: ANY},
    # the daily loop
    "intake": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY},
    "grade": {C: OWN, D: OWN, T: POOL, M: ANY},
    "followup": {C: OWN, D: OWN, T: POOL, M: ANY},
    # invitations and handover (DCC)
    "invite": {T: POOL, M: ANY},
    "arrive": {R: ANY, T: POOL, M: ANY},
    "handover": {T: POOL, M: ANY},
    # moving leads
    "transfer": {M: ANY},
    "transfer.sweep": {M: ANY, A: ANY, Y: ANY},
    # the DCC pool: distribution, the duty roster, a policy tried on the past
    "assign": {M: ANY, A: ANY, Y: ANY},
    "duty.set": {M: ANY, A: ANY},
    "policy.simulate": {M: ANY, A: ANY},
    "collisions.rule": {M: ANY},
    "merge": {M: ANY},
    "fleet": {M: ANY},
    "review": {M: ANY},
    # closing leads
    "defeat.request": {C: OWN, D: OWN, T: POOL, M: ANY},
    "defeat.verify": {S: ANY, M: ANY},
    "defeat.approve": {M: ANY},
    "defeat.reject": {M: ANY},
    "lost": {C: OWN, D: OWN, T: POOL, M: ANY},
    "reactivate": {T: POOL, M: ANY},
    "order": {C: OWN, D: OWN, M: ANY},
    "order.cancel": {C: OWN, D: OWN, M: ANY},
    "order.delivery_on": {C: OWN, D: OWN, M: ANY},
    "deliver": {C: OWN, D: OWN, M: ANY},
    # reports and exports (which phones are shown in full: rules/visibility.py)
    "report.export": {C: OWN, T: OWN, D: OWN, S: ANY, M: ANY, A: ANY},
    "export": {C: OWN, T: OWN, D: OWN, S: ANY, M: ANY, A: ANY},
    # complaints (客户投诉): anyone who meets customers registers them; customer service and managers handle them
    "complaint.new": {R: ANY, C: ANY, T: ANY, D: ANY, S: ANY, M: ANY},
    "complaint.handle": {S: ANY, M: ANY},
    "complaint.survey": {S: ANY, M: ANY},
    # targets [004] and the supervision forms [003]
    "plan.set": {M: ANY, A: ANY},
    "plan.confirm": {C: OWN, D: OWN},
    "week.form": {C: OWN, D: OWN, T: OWN},
    "week.sign": {M: ANY},
    "checks.sample": {S: ANY, M: ANY},
    "checks.record": {S: ANY, M: ANY},
    "checks.correct": {C: OWN, D: OWN, T: OWN, M: ANY},
    # data in, and the file itself
    "import": {M: ANY, A: ANY},
    "backup": {M: ANY, A: ANY, Y: ANY},
    "restore": {A: ANY, M: ANY},
    "purge": {M: ANY},
    # reading customer data: any active staff member may look; rules/visibility.py decides which phones they see
    # in full. The manager's tools (the collision evidence, the review queue) are the manager's and the admin's.
    "show": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "due": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY, Y: ANY},
    "invitations": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "handovers": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "defeat.list": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "order.list": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "owners": {C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "complaint.list": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "complaint.show": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "report": {R: ANY, C: ANY, T: ANY, D: ANY, M: ANY, S: ANY, A: ANY},
    "collisions": {M: ANY, A: ANY},
    "review.queue": {M: ANY, A: ANY},
}

# Roles that own leads: a lead registered by one of them is theirs unless another owner is named.
OWNING_ROLES = frozenset({C, T, D})


def scope(act: str, role: Role) -> Scope | None:
    """The scope `role` has for `act`, or None when it may not do it at all."""
    return PERMISSIONS.get(act, {}).get(role)


def reaches(scope_: Scope, actor_id: int, owner_id: int | None, pool: str | None) -> bool:
    """Whether an actor with this scope may act on a lead with this owner and pool."""
    if scope_ is Scope.ANY or owner_id == actor_id:
        return True
    return scope_ is Scope.POOL and owner_id is None and pool == "dcc"


def roles_for(act: str) -> list[str]:
    return sorted(PERMISSIONS.get(act, {}))
