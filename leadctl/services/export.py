"""Exporting records (leads, visits, follow-ups, defeats, orders) as CSV, Excel or JSON, as the rules allow:
phones as rules/visibility.py shows them to the exporter, salespeople only their own leads, every export audited.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from leadctl.errors import PermissionDenied, UsageError
from leadctl.i18n import _, joined, zh
from leadctl.models import Grade, Team
from leadctl.rules import card as card_rules
from leadctl.rules import visibility
from leadctl.rules.permissions import Scope, scope
from leadctl.rules.phone import mask_in
from leadctl.services import files, reviews, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

_LEAD = "l.name AS name, l.phone AS phone"
# the card's own fields on the leads export, under the forms' Chinese headers (rules/card.py)
_CARD_KEYS = tuple(f.key for f in card_rules.FIELDS if f.key not in ("model", "trade_in"))
_CARD = ", ".join(f"l.{k} AS {k}" for k in _CARD_KEYS) + ", l.complete_at_entry AS complete_at_entry"
_CARD_HEADERS = (*((k, card_rules.BY_KEY[k].header) for k in _CARD_KEYS), ("complete_at_entry", "建档信息完整"))
REVIEW = reviews.LATEST.format(f="f")  # the manager's latest comment (批复), "reviewer: comment"
_WHOSE = ", l.owner_id AS _owner_id, l.pool AS _pool FROM "  # whose lead each row is: who may see its phone
# kind: (date column for --from/--to, SELECT ... FROM ... , [(key, Chinese header)])
KINDS: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "leads": ("l.created_at", """SELECT l.id AS id, l.name AS name, l.phone AS phone, l.channel AS channel,
        l.info_source AS info_source, l.model AS model, l.grade AS grade, l.status AS status, s.name AS owner,
        l.created_at AS created_at, l.last_contact_at AS last_contact_at, l.next_due AS next_due,
        l.trade_in AS trade_in, l.fleet AS fleet, """ + _CARD + """
        FROM leads l LEFT JOIN staff s ON s.id = l.owner_id""",
              (("id", "客户编号"), ("name", "客户姓名"), ("phone", "电话"), ("channel", "客户来源"),
               ("info_source", "信息来源"), ("model", "意向车型"), ("grade", "意向级别"), ("status", "状态"),
               ("owner", "销售顾问"), ("created_at", "建档时间"), ("last_contact_at", "上次联系"),
               ("next_due", "下次跟进"), ("trade_in", "置换"), ("fleet", "大客户"), *_CARD_HEADERS)),
    "visits": ("v.arrived_at", f"""SELECT v.id AS id, v.lead_id AS lead_id, {_LEAD}, v.kind AS kind,
        v.channel AS channel, v.arrived_at AS arrived_at, v.left_at AS left_at, v.party AS party,
        v.first_visit AS first_visit, v.test_drive AS test_drive, v.model AS model, s.name AS staff
        FROM live_visits v JOIN leads l ON l.id = v.lead_id LEFT JOIN staff s ON s.id = v.staff_id""",
               (("id", "编号"), ("lead_id", "客户编号"), ("name", "客户姓名"), ("phone", "电话"), ("kind", "类型"),
                ("channel", "客户来源"), ("arrived_at", "到店时间"), ("left_at", "离店时间"), ("party", "人数"),
                ("first_visit", "首次"), ("test_drive", "试驾"), ("model", "车型"), ("staff", "接待顾问"))),
    "followups": ("f.at", f"""SELECT f.id AS id, f.lead_id AS lead_id, {_LEAD}, f.at AS at, f.method AS method,
        f.result AS result, f.grade AS grade, f.next_on AS next_on, s.name AS by, {REVIEW} AS review
        FROM live_followups f JOIN leads l ON l.id = f.lead_id LEFT JOIN staff s ON s.id = f.by_id""",
                  (("id", "编号"), ("lead_id", "客户编号"), ("name", "客户姓名"), ("phone", "电话"),
                   ("at", "回访时间"), ("method", "回访方式"), ("result", "回访结果"), ("grade", "意向级别"),
                   ("next_on", "计划下次"), ("by", "回访人"), ("review", "批复"))),
    "defeats": ("d.requested_at", f"""SELECT d.id AS id, d.lead_id AS lead_id, {_LEAD},
        d.requested_at AS requested_at, r.name AS requested_by, d.grade AS grade, d.reason AS reason,
        d.lost_to AS lost_to, d.price AS price, d.status AS status, d.verification AS verification,
        d.decided_at AS decided_at, m.name AS decided_by FROM defeats d JOIN leads l ON l.id = d.lead_id
        LEFT JOIN staff r ON r.id = d.requested_by LEFT JOIN staff m ON m.id = d.decided_by""",
                (("id", "编号"), ("lead_id", "客户编号"), ("name", "客户姓名"), ("phone", "电话"),
                 ("requested_at", "申请时间"), ("requested_by", "申请人"), ("grade", "原级别"), ("reason", "战败原因"),
                 ("lost_to", "竞品"), ("price", "价格"), ("status", "状态"), ("verification", "核实结果"),
                 ("decided_at", "审批时间"), ("decided_by", "审批人"))),
    "orders": ("o.ordered_at", f"""SELECT o.id AS id, o.lead_id AS lead_id, {_LEAD}, o.ordered_at AS ordered_at,
        s.name AS ordered_by, o.vin AS vin, o.brand AS brand, o.series AS series, o.model AS model,
        o.config AS config, o.colour AS colour, o.price AS price, o.deposit AS deposit, o.status AS status,
        o.delivered_at AS delivered_at FROM orders o JOIN leads l ON l.id = o.lead_id
        LEFT JOIN staff s ON s.id = o.ordered_by""",
               (("id", "订单号"), ("lead_id", "客户编号"), ("name", "客户姓名"), ("phone", "电话"),
                ("ordered_at", "订单时间"), ("ordered_by", "销售顾问"), ("vin", "VIN"), ("brand", "品牌"),
                ("series", "车系"), ("model", "车型"), ("config", "配置"), ("colour", "颜色"), ("price", "价格"),
                ("deposit", "定金"), ("status", "状态"), ("delivered_at", "交车时间"))),
}
def _where(kind: str, filters: dict, conn) -> tuple[str, list]:
    date_column = KINDS[kind][0]
    clauses, args = [], []
    if filters.get("start"):
        clauses.append(f"{date_column} >= ?")
        args.append(filters["start"])
    if filters.get("end"):
        clauses.append(f"{date_column} < date(?, '+1 day')")
        args.append(filters["end"])
    if filters.get("owner"):
        clauses.append("l.owner_id = ?")
        args.append(staff.get(conn, filters["owner"]).id if filters["owner"] else None)
    if filters.get("team"):
        clauses.append("l.owner_id IN (SELECT id FROM staff WHERE team = ?)")
        args.append(Team.parse(filters["team"]).value)
    if filters.get("grade"):
        clauses.append("l.grade = ?")
        args.append(Grade.parse(filters["grade"]).value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _who(store: Store, now: datetime, actor: str | None, filters: dict):
    """The exporter, and the filters their permission allows (salespeople: their own leads only)."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "export")
        if scope("export", who.role) is Scope.OWN:
            if filters.get("team") or filters.get("owner") not in (None, who.name):
                raise PermissionDenied(
                    _("{name} may export only their own leads").format(name=who.name), _("leave out --owner and --team")
                )
            filters["owner"] = who.name
        return who


def export(store: Store, now: datetime, actor: str | None, kind: str, filters: dict, csv_path: Path | None = None,
           xlsx_path: Path | None = None, to_json: bool = False, force: bool = False,
           header_codes: bool = False) -> dict:
    """Rows of one kind, filtered; written to a file (atomically, 0600, never onto the database, over an existing
    file only with `force`) or returned; audited either way, and a file appears only once its event is recorded."""
    if kind not in KINDS:
        raise UsageError(
            _("cannot export {kind!r}").format(kind=kind), _("export one of: {join}").format(join=joined(KINDS))
        )
    if sum((csv_path is not None, xlsx_path is not None, to_json)) != 1:
        raise UsageError(_("choose one of --csv FILE, --xlsx FILE and --json"), _("an export goes to one place"))
    who = _who(store, now, actor, filters)
    target = csv_path or xlsx_path
    if target is not None:
        files.check_target(target, store.path, force)
    with store.read() as conn:
        where, args = _where(kind, filters, conn)
        columns, __, tables = KINDS[kind][1].rpartition(" FROM ")  # the last FROM: a column's subquery has its own
        select = f"{columns}{_WHOSE}{tables}"
        cur = conn.execute(f"{select}{where} ORDER BY 1", args)
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        codes = _codes(conn, filters)
    masked = 0
    for row in rows if kind == "leads" else ():
        for key in _CARD_KEYS:
            row[key] = card_rules.exported(key, row[key])
    for row in rows:
        number = row["phone"]
        row["phone"] = visibility.shown(who, number, row.pop("_owner_id"), row.pop("_pool"))
        masked += row["phone"] != number

    def audit() -> None:
        with store.write() as conn:
            record(conn, now, who.id, "export", None, kind=kind, filters=codes, rows=len(rows),
                   file=mask_in(str(target)) if target else "-", masked=masked)

    if target is None:
        audit()
    else:
        if csv_path:
            def write(temp, kind, rows):
                return _write_csv(temp, kind, rows, header_codes)
        else:
            write = _write_xlsx
        files.write_output(target, lambda temp: write(temp, kind, rows), store.path, force, then=audit)
    return {"kind": kind, "rows": rows if target is None else len(rows), "file": str(target) if target else None,
            "masked": masked > 0}


def _codes(conn, filters: dict) -> dict:
    """The filters as the audit event keeps them: ids, codes and dates, never the text as typed."""
    out: dict = {}
    for key in ("start", "end"):
        if filters.get(key):
            try:
                out[key] = date.fromisoformat(filters[key]).isoformat()
            except ValueError:
                out[key] = "unreadable"
    if filters.get("owner"):
        out["owner"] = staff.get(conn, filters["owner"]).id
    if filters.get("team"):
        out["team"] = Team.parse(filters["team"]).value
    if filters.get("grade"):
        out["grade"] = Grade.parse(filters["grade"]).value
    return out


def _write_csv(path: Path, kind: str, rows: list[dict], codes: bool = False) -> None:
    """The header row is the forms' Chinese headers under zh, the keys' words under en (`Lead ID`, as every CSV),
    the keys with `codes`."""
    from leadctl.rules.text import words

    columns = KINDS[kind][2]
    head = [key if codes else header if zh() else words(key) for key, header in columns]
    files.write_csv_file(path, head, ([row.get(key) for key, __ in columns] for row in rows))


def _write_xlsx(path: Path, kind: str, rows: list[dict]) -> None:
    from leadctl.reports.base import Column, Report
    from leadctl.reports.workbook import Book, write_sheet

    columns = tuple(Column(key, header) for key, header in KINDS[kind][2])
    with Book(path) as book:
        write_sheet(book, Report(kind, kind, columns, lambda ctx: rows), rows, title=kind)
