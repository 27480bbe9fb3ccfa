"""Owners (保有客户): owner care per consultant and model (保有客户维系), and what each consultant's owner base
brings (保有客户分析): owners kept, care contacts on time, referrals and re-purchases."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from leadctl.reports.base import Column, Context, Report
from leadctl.reports.funnel import OWNER_ORDER
from leadctl.rules import care
from leadctl.services.care import DELIVERED

TOTAL = "合计"


def _owners(ctx: Context) -> list[tuple[str, str, care.Owner]]:
    """(consultant, model, Owner) of the delivered customers in scope."""
    where, args = ctx.scope.sql("l.owner_id")
    rows = ctx.conn.execute(f"""
        SELECT l.id, coalesce(s.name, '(未分配)'), l.birthday, l.birthday_calendar, {DELIVERED.format(l="l")},
               (SELECT o.model FROM orders o WHERE o.lead_id = l.id AND o.status = 'delivered' ORDER BY o.id DESC
                LIMIT 1)
        FROM leads l LEFT JOIN staff s ON s.id = l.owner_id WHERE l.status = 'delivered' AND {where}""",
                            args).fetchall()
    return [(owner, model or "-", care.Owner(i, date.fromisoformat(day), born, kind))
            for i, owner, born, kind, day, model in rows if day]


def _made(ctx: Context) -> dict[tuple[int, str, str], str]:
    """(lead_id, kind, due_on) -> the day the contact was made, for the period's contacts."""
    rows = ctx.conn.execute("SELECT cc.lead_id, cc.kind, cc.due_on, substr(f.at, 1, 10) FROM care_contacts cc"
                            " JOIN followups f ON f.id = cc.followup_id WHERE cc.due_on >= ? AND cc.due_on < ?",
                            [ctx.period.lo, ctx.period.hi]).fetchall()
    return {(lead, kind, due): at for lead, kind, due, at in rows}


def _counts(ctx: Context) -> dict[tuple[str, str], list[int]]:
    """(consultant, model) -> [contacts due, made, made on time, late] in the period, as of today: a contact is
    late when it was made after its day, or its day is past and it is not made."""
    the_rules = care.rules_of(ctx.policy.data)
    today = ctx.now.date()
    end = min(ctx.period.end, today)
    made = _made(ctx)
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for owner, model, who in _owners(ctx):
        for c in care.contacts(the_rules, who, ctx.period.start, end) if end >= ctx.period.start else []:
            at = made.get((who.lead_id, c.kind, c.due_on.isoformat()))
            on_time = at is not None and at <= c.due_on.isoformat()
            late = (at is not None and not on_time) or (at is None and c.due_on < today)
            for key in ((owner, model), (owner, TOTAL)):
                row = out[key]
                row[0], row[1], row[2], row[3] = row[0] + 1, row[1] + (at is not None), row[2] + on_time, row[3] + late
    return out


def _ssi(ctx: Context) -> dict[tuple[str, str], tuple[float, int]]:
    """(consultant, model) -> (SSI average, scores) of the SSI calls made in the period."""
    where, args = ctx.scope.sql("l.owner_id")
    rows = ctx.conn.execute(f"""
        SELECT coalesce(s.name, '(未分配)'), coalesce((SELECT o.model FROM orders o WHERE o.lead_id = l.id
               AND o.status = 'delivered' ORDER BY o.id DESC LIMIT 1), '-'), cc.score
        FROM care_contacts cc JOIN followups f ON f.id = cc.followup_id JOIN leads l ON l.id = cc.lead_id
        LEFT JOIN staff s ON s.id = l.owner_id
        WHERE cc.score IS NOT NULL AND f.at >= ? AND f.at < ? AND {where}""",
                            [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    scores: dict[tuple[str, str], list[int]] = defaultdict(list)
    for owner, model, score in rows:
        scores[(owner, model)].append(score)
        scores[(owner, TOTAL)].append(score)
    return {k: (sum(v) / len(v), len(v)) for k, v in scores.items()}


def owner_care(ctx: Context) -> list[dict]:
    counts, ssi = _counts(ctx), _ssi(ctx)
    keys = sorted(set(counts) | set(ssi), key=lambda k: (k[0], k[1] == TOTAL, k[1]))
    out = []
    for owner, model in keys:
        due, done, on_time, late = counts.get((owner, model), [0, 0, 0, 0])
        average, scored = ssi.get((owner, model), (None, 0))
        out.append({"owner": owner, "model": model, "due": due, "done": done, "on_time": on_time, "late": late,
                    "on_time_rate": on_time / due if due else None, "ssi_average": average, "ssi_calls": scored})
    return out


OWNER_CARE = Report("owner-care", "保有客户维系", (
    Column("owner", "销售顾问"), Column("model", "车型"), Column("due", "应回访", "int"),
    Column("done", "已回访", "int"), Column("on_time", "按时", "int"), Column("late", "逾期", "int"),
    Column("on_time_rate", "按时率", "rate"), Column("ssi_average", "SSI均分", "decimal"),
    Column("ssi_calls", "SSI回访数", "int"),
), owner_care)


def owners(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("l.owner_id")
    kept = dict(ctx.conn.execute(f"""
        SELECT coalesce(s.name, '(未分配)'), count(*) FROM leads l LEFT JOIN staff s ON s.id = l.owner_id
        WHERE l.status = 'delivered' AND {where} GROUP BY 1""", args).fetchall())
    # referrals: customers registered in the period whom an owner of this consultant referred
    referred = {name: (n, won) for name, n, won in ctx.conn.execute(f"""
        SELECT coalesce(s.name, '(未分配)'), count(*), sum(EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = r.id
               AND o.status != 'cancelled'))
        FROM leads r JOIN leads l ON l.id = r.referred_by LEFT JOIN staff s ON s.id = l.owner_id
        WHERE r.created_at >= ? AND r.created_at < ? AND {where} GROUP BY 1""",
                                                                      [ctx.period.lo, ctx.period.hi, *args])}
    again = dict(ctx.conn.execute(f"""
        SELECT coalesce(s.name, '(未分配)'), count(*) FROM orders o JOIN leads l ON l.id = o.lead_id
        LEFT JOIN staff s ON s.id = l.owner_id
        WHERE o.ordered_at >= ? AND o.ordered_at < ? AND o.status != 'cancelled' AND {where}
        AND EXISTS (SELECT 1 FROM orders p WHERE p.lead_id = o.lead_id AND p.status = 'delivered' AND p.id < o.id)
        GROUP BY 1""", [ctx.period.lo, ctx.period.hi, *args]).fetchall())
    share = dict(ctx.conn.execute(f"""
        SELECT coalesce(s.name, '(未分配)'), sum({OWNER_ORDER}) FROM orders o JOIN leads l ON l.id = o.lead_id
        LEFT JOIN staff s ON s.id = l.owner_id
        WHERE o.ordered_at >= ? AND o.ordered_at < ? AND o.status != 'cancelled' AND {where} GROUP BY 1""",
                                  [ctx.period.lo, ctx.period.hi, *args]).fetchall())
    counts = {owner: row for (owner, model), row in _counts(ctx).items() if model == TOTAL}
    out = []
    for owner in sorted(set(kept) | set(referred) | set(again) | set(counts)):
        due, _done, on_time, late = counts.get(owner, [0, 0, 0, 0])
        n, won = referred.get(owner, (0, 0))
        out.append({"owner": owner, "owners": kept.get(owner, 0), "care_due": due, "care_on_time": on_time,
                    "care_late": late, "on_time_rate": on_time / due if due else None, "referrals": n,
                    "referral_orders": won or 0, "repurchases": again.get(owner, 0),
                    "owner_orders": share.get(owner) or 0})
    return out


OWNERS = Report("owners", "保有客户分析", (
    Column("owner", "销售顾问"), Column("owners", "保有客户", "int"), Column("care_due", "应回访", "int"),
    Column("care_on_time", "按时回访", "int"), Column("care_late", "逾期", "int"),
    Column("on_time_rate", "按时率", "rate"), Column("referrals", "转介绍", "int"),
    Column("referral_orders", "转介绍成交", "int"), Column("repurchases", "续购", "int"),
    Column("owner_orders", "保有客户成交", "int"),
), owners)
