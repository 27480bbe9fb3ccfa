"""How a lead closes, as allowed transitions. Pure: states in, the next state (or Refused) out.

A lead is worked while `active`. It leaves the loop by an order (`ordered`, then `delivered`), by a
manager-approved defeat (`defeated`, grade F) or by lost control (`lost`, grade L); a defeated or lost
lead may be reactivated, and a cancelled order puts the lead back to `active`.

A defeat request (战败申请) [003] goes requested -> verified (customer service's call-back) -> approved or
rejected (the manager). Under a policy with `verification_required`, approval waits for verification; a
rejection never does. One request at a time is open per lead, and while it is open the lead is neither
ordered nor marked lost: the manager rejects the request first, so no decision is taken twice.
"""

from __future__ import annotations

from datetime import date

from leadctl import i18n
from leadctl.errors import BadInput, Refused
from leadctl.i18n import N_, _
from leadctl.models import Grade, Status
from leadctl.rules.card import MAX_BUDGET
from leadctl.rules.policy import DefeatRules

# Chinese terms (and a few English words) for the defeat reason codes of the presets.
REASON_TERMS = {
    "价格": "price", "太贵": "price", "产品": "product", "竞品": "competitor", "竞争": "competitor",
    "贷款": "financing", "金融": "financing", "finance": "financing", "loan": "financing",
    "不买了": "no-longer-buying", "不买": "no-longer-buying", "放弃": "no-longer-buying",
    "联系不上": "unreachable", "失联": "unreachable", "其他": "other", "其它": "other",
}
REASON_LABELS = {"price": "价格", "product": "产品", "competitor": "竞品", "financing": "贷款/金融",
                 "no-longer-buying": "不买了", "unreachable": "联系不上", "other": "其他"}

DEFEAT_OPEN = ("requested", "verified")
DEFEAT_STATUSES = (*DEFEAT_OPEN, "approved", "rejected")
ORDER_STATUSES = ("open", "cancelled", "delivered")

# act -> (the lead statuses it starts from, the status it leaves the lead in)
LEAD_MOVES: dict[str, tuple[frozenset[Status], Status]] = {
    "defeat.approve": (frozenset({Status.ACTIVE}), Status.DEFEATED),
    "lost": (frozenset({Status.ACTIVE}), Status.LOST),
    "reactivate": (frozenset({Status.DEFEATED, Status.LOST}), Status.ACTIVE),
    "order": (frozenset({Status.ACTIVE}), Status.ORDERED),
    "order.cancel": (frozenset({Status.ORDERED}), Status.ACTIVE),
    "deliver": (frozenset({Status.ORDERED}), Status.DELIVERED),
}
_DOING = {"defeat.request": "put up for defeat", "defeat.approve": "defeated", "lost": "marked lost",
          "reactivate": "reactivated", "order": "ordered", "order.cancel": "put back to active",
          "deliver": "delivered"}
_CANNOT = {  # lead_move's refusal, a whole sentence for each act
    "defeat.request": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be put up for defeat"),
    "defeat.approve": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be defeated"),
    "lost": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be marked lost"),
    "reactivate": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be reactivated"),
    "order": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be ordered"),
    "order.cancel": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be put back to active"),
    "deliver": N_("lead {lead_id} is {status}; only a lead that is {allowed} can be delivered"),
}

# request status, act -> new status
DEFEAT_MOVES = {
    ("requested", "verify"): "verified",
    ("requested", "approve"): "approved",
    ("verified", "approve"): "approved",
    ("requested", "reject"): "rejected",
    ("verified", "reject"): "rejected",
}
ORDER_MOVES = {("open", "cancel"): "cancelled", ("open", "deliver"): "delivered"}


def defeat_reason(rules: DefeatRules, text: str) -> str:
    """A defeat reason code of the policy, from its code or a Chinese term; BadInput otherwise."""
    key = (text or "").strip().lower().replace("_", "-").replace(" ", "-")
    code = REASON_TERMS.get(key, key)
    if code in rules.reasons:
        return code
    choices = i18n.choices((r, REASON_LABELS.get(r)) for r in rules.reasons)
    if not key:
        raise BadInput(
            _("a defeat request needs its reason"), _("give --reason, one of: {choices}").format(choices=choices)
        )
    raise BadInput(
        _("unknown defeat reason {strip!r}").format(strip=text.strip()),
        _("use one of: {choices}").format(choices=choices),
    )


def lead_move(act: str, lead_id: int, status: Status) -> Status:
    """The status `act` leaves a lead in, or Refused when the lead's status does not allow it."""
    starts, ends = LEAD_MOVES[act]
    if status not in starts:
        allowed = _(" or ").join(Status(s).word for s in sorted(starts))
        template = _CANNOT.get(act, N_("lead {lead_id} is {status}; only a lead that is {allowed} can be {value}"))
        raise Refused(
            _(template).format(lead_id=lead_id, status=Status(status).word, allowed=allowed, value=_DOING[act]),
            _(_NEXT.get(status, N_("see `leadctl show` for its state"))),
        )
    return ends


_NEXT = {
    Status.ORDERED: N_("it has an open order: deliver it, or cancel it with `leadctl order cancel`"),
    Status.DELIVERED: N_("it is delivered: the customer is an owner now"),
    Status.DEFEATED: N_("bring it back first with `leadctl reactivate`"),
    Status.LOST: N_("bring it back first with `leadctl reactivate`"),
    Status.CLOSED: N_("its card is closed"),
    Status.ACTIVE: N_("it is being worked"),
}


FOLLOWED_UP = frozenset({Status.ACTIVE, Status.ORDERED, Status.DELIVERED})


def check_followup(lead_id: int, status: Status, regrade: bool) -> None:
    """Follow-up does not stop at the order [003]: an ordered customer is followed up until delivery, a delivered
    one after it (SSI, owner care [001]); their grade stays O. Defeated, lost and closed leads are not worked."""
    if status not in FOLLOWED_UP:
        raise Refused(
            _("lead {lead_id} is {status}; it cannot be followed up").format(
                lead_id=lead_id, status=Status(status).word
            ),
            _NEXT.get(status, ""),
        )
    if regrade and status is not Status.ACTIVE:
        raise Refused(
            _("lead {lead_id} is {status}; its grade stays O").format(lead_id=lead_id, status=Status(status).word),
            _("record the follow-up without --grade"),
        )


def check_defeat_request(rules: DefeatRules, lead_id: int, status: Status, grade: Grade | None,
                         open_request: int | None) -> None:
    """A lead may be put up for defeat when active, not of a forbidden grade, with no request open."""
    if status is not Status.ACTIVE:
        raise Refused(
            _("lead {lead_id} is {status}; only an active lead can be put up for defeat").format(
                lead_id=lead_id, status=status
            ),
            _NEXT.get(status, ""),
        )
    if open_request is not None:
        raise Refused(
            _("lead {lead_id} already has defeat request {open_request} open").format(
                lead_id=lead_id, open_request=open_request
            ),
            _("wait for it to be verified and decided (`leadctl defeat list`)"),
        )
    if grade in rules.forbidden_grades:
        forbidden = i18n.joined(sorted(rules.forbidden_grades))
        raise Refused(
            _("lead {lead_id} is graded {grade}; a lead graded {forbidden} cannot go straight to defeat").format(
                lead_id=lead_id, grade=grade, forbidden=forbidden
            ),
            _("a customer goes to defeat from H: follow the lead up and re-grade it first [003]"),
        )


def check_no_effect_wait(rules: DefeatRules, lead_id: int, reason: str, since: date, until: date | None,
                         today: date) -> None:
    """[003] a customer unreachable or refusing calls may have the card closed after half a year without effect:
    a defeat for one of the policy's `no_effect_reasons` is refused before then, with the day it may be filed."""
    if until is None or reason not in rules.no_effect_reasons or today >= until:
        return
    raise Refused(
        _(
            "lead {lead_id} has had no effect only since {since}; a defeat for {reason!r} may be filed from "
            "{until} ({no_effect_months} months without effect [003])"
        ).format(lead_id=lead_id, since=since, reason=reason, until=until, no_effect_months=rules.no_effect_months),
        _("keep following it up, or mark it lost with `leadctl lost LEAD --attempts N`"),
    )


_PENDING = {  # what an open defeat request holds back, a whole sentence each
    "marked lost": N_("lead {lead_id} has defeat request {open_request} open; it cannot be marked lost"),
    "ordered": N_("lead {lead_id} has defeat request {open_request} open; it cannot be ordered"),
}
_MOVES = {  # a defeat request or an order that cannot move so, a whole sentence each
    "verify": N_("defeat request {request_id} is {status}; it cannot be verified now"),
    "approve": N_("defeat request {request_id} is {status}; it cannot be approved now"),
    "reject": N_("defeat request {request_id} is {status}; it cannot be rejected now"),
    "cancel": N_("order {order_id} is {status}; only an open order can be cancelled"),
    "deliver": N_("order {order_id} is {status}; only an open order can be delivered"),
}


_STATES = {"requested": N_("requested"), "verified": N_("verified"), "approved": N_("approved"),
           "rejected": N_("rejected"), "open": N_("open"), "cancelled": N_("cancelled"), "delivered": N_("delivered")}


def _status_word(status: str) -> str:
    """A defeat request's or an order's state in the run's language."""
    return _(_STATES[status]) if status in _STATES else status


def check_not_pending(lead_id: int, open_request: int | None, doing: str) -> None:
    """While a defeat request is open the lead waits for the manager's decision."""
    if open_request is not None:
        raise Refused(
            _(_PENDING.get(doing, N_("lead {lead_id} has defeat request {open_request} open; it cannot be {doing}"))
              ).format(
                lead_id=lead_id, open_request=open_request, doing=doing
            ),
            _("a manager rejects it first: `leadctl defeat reject {open_request}`").format(open_request=open_request),
        )


def defeat_move(rules: DefeatRules, request_id: int, status: str, act: str) -> str:
    """The new status of a defeat request after verify, approve or reject; Refused when not allowed."""
    if (status, act) not in DEFEAT_MOVES:
        raise Refused(
            _(_MOVES.get(act, N_("defeat request {request_id} is {status}; it cannot be {act}d now"))).format(
                request_id=request_id, status=_status_word(status), act=act
            ),
            _("only requested or verified requests are open") if status not in DEFEAT_OPEN
            else _("it is verified already"),
        )
    if act == "approve" and status == "requested" and rules.verification_required:
        raise Refused(_("defeat request {request_id} is not verified yet").format(request_id=request_id),
                      _("the policy wants customer service's call-back first: `leadctl defeat verify ID --result`"))
    return DEFEAT_MOVES[(status, act)]


def order_move(order_id: int, status: str, act: str) -> str:
    """The new status of an order after cancel or deliver; Refused when it is not open."""
    if (status, act) not in ORDER_MOVES:
        raise Refused(
            _(_MOVES.get(act, N_("order {order_id} is {status}; only an open order can be {act}ed"))).format(
                order_id=order_id, status=_status_word(status), act=act
            ),
            _("see `leadctl order list`"),
        )
    return ORDER_MOVES[(status, act)]


def check_orderable(lead_id: int, grade: Grade | None, has_phone: bool) -> None:
    """An order needs a customer on record: a visitor who left no details (W) cannot order."""
    if grade is Grade.W or not has_phone:
        raise Refused(
            _("lead {lead_id} left no contact details (W); an order needs a customer on record").format(
                lead_id=lead_id
            ),
            _("register the customer with `leadctl intake --phone` and order on that lead"),
        )


def reactivation_grade(grade: Grade | None) -> Grade | None:
    """The grade a reactivated lead restarts with: none (due at once), or a working grade H A B C D."""
    if grade in (Grade.O, Grade.F, Grade.L, Grade.W):
        raise Refused(
            _("a reactivated lead cannot be graded {grade}").format(grade=grade), _("give H, A, B, C or D, or no grade")
        )
    return grade


def check_attempts(attempts: int) -> int:
    """Lost control is declared after failed attempts to reach the customer: at least one."""
    if attempts < 1:
        raise BadInput(
            _("--attempts {attempts}").format(attempts=attempts),
            _("lost control needs at least one failed attempt to reach them"),
        )
    return attempts


def check_amounts(price: int | None, deposit: int | None) -> None:
    """Prices and deposits are whole yuan, not negative nor beyond a typing mistake (MAX_BUDGET); a deposit is no
    more than the price."""
    for flag, amount in (("--price", price), ("--deposit", deposit)):
        if amount is not None and amount < 0:
            raise BadInput(
                _("{flag} {amount} is negative").format(flag=flag, amount=amount),
                _("give the amount in yuan, e.g. 189800"),
            )
        if amount is not None and amount > MAX_BUDGET:
            raise BadInput(_("{flag} {amount} is out of range (0 to {top} yuan)").format(
                flag=flag, amount=amount, top=MAX_BUDGET), _("give the amount in yuan, e.g. 189800"))
    if price is not None and deposit is not None and deposit > price:
        raise BadInput(
            _("deposit {deposit} is more than the price {price}").format(deposit=deposit, price=price),
            _("check --deposit and --price"),
        )
