"""Collisions (撞单): two staff claim one customer. The evidence of DOMAIN section 6 and a recommended
ruling with its reasons. Pure: the service gathers the evidence, the manager's ruling is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Side:
    """One claimant's record of the customer."""

    staff_id: int
    name: str
    team: str | None
    recorded_at: datetime  # when their record of the customer was made (reception)
    entered_at: datetime  # when it reached the system
    followups: int  # follow-ups with a result they recorded on this lead
    last_followup: datetime | None


@dataclass(frozen=True)
class Evidence:
    owner: Side
    claimant: Side
    dcc_inviter: int | None  # a DCC staff member who invited the customer, if any
    handed_over: frozenset[int] = frozenset()  # staff who handed this customer over (DCC -> direct sales)


@dataclass(frozen=True)
class Ruling:
    staff_id: int
    reasons: tuple[str, ...]


def card_counts(side: Side, entry_days: int) -> bool:
    """A card counts only if entered into the system within the policy's window of the reception [003]."""
    return side.entered_at - side.recorded_at <= timedelta(days=entry_days)


def recommend(evidence: Evidence, entry_days: int) -> Ruling:
    """First valid record, then quality follow-up; a customer the DCC invited stays the DCC's [001][003]. A
    customer is never recommended back to whoever handed them over: the handover gave them away."""
    ruling = _recommend(evidence, entry_days)
    if ruling.staff_id not in evidence.handed_over:
        return ruling
    gave = evidence.owner if ruling.staff_id == evidence.owner.staff_id else evidence.claimant
    other = evidence.claimant if gave is evidence.owner else evidence.owner
    if other.staff_id in evidence.handed_over:
        return ruling
    return Ruling(other.staff_id, (f"{gave.name} handed this customer over: they are not theirs to take back [001]",
                                   *ruling.reasons))


def _recommend(evidence: Evidence, entry_days: int) -> Ruling:
    owner, claimant = evidence.owner, evidence.claimant
    if evidence.dcc_inviter in (owner.staff_id, claimant.staff_id):
        side = owner if evidence.dcc_inviter == owner.staff_id else claimant
        return Ruling(side.staff_id, (f"the DCC ({side.name}) invited this customer: it stays the DCC's [001]",))
    valid = {s.staff_id: card_counts(s, entry_days) for s in (owner, claimant)}
    first, second = sorted((owner, claimant), key=lambda s: s.recorded_at)
    reasons = [f"{s.name}'s card was entered {'within' if valid[s.staff_id] else 'after'} {entry_days} days"
               for s in (first, second)]
    if valid[first.staff_id]:
        return Ruling(first.staff_id, (f"{first.name} has the first valid record ({first.recorded_at:%Y-%m-%d})",
                                       *reasons))
    if valid[second.staff_id]:
        return Ruling(second.staff_id, (f"{first.name}'s earlier card does not count", *reasons))
    busier = max((owner, claimant), key=lambda s: (s.followups, s.last_followup or datetime.min))
    return Ruling(busier.staff_id, (*reasons, f"{busier.name} followed up more ({busier.followups})"))
