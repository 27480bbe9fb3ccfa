"""Complaints (客户投诉): register, reply, progress, escalate, resolve, survey, list, show."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import N_, _
from leadctl.services import complaints as service

JSON = typer.Option(False, "--json", help="Print the result as JSON.")
ID = typer.Argument(..., help="Complaint id.")
CONTACTED = typer.Option(False, "--contacted", help="The customer was reached (meets a call-center ticket's "
                                                    "contact deadline).")

complaint = typer.Typer(help="Complaints (客户投诉): deadlines from the policy, escalation supervisor -> department "
                             "manager -> general manager, satisfaction survey after closing.", no_args_is_help=True)


_SAID = {  # what each act says it did, a whole sentence each
    "registered": N_("complaint {id} registered; responsible {responsible} ({level}); next: {value}"),
    "replied": N_("complaint {id} replied to; responsible {responsible} ({level}); next: {value}"),
    "updated": N_("complaint {id} updated; responsible {responsible} ({level}); next: {value}"),
    "escalated": N_("complaint {id} escalated; responsible {responsible} ({level}); next: {value}"),
    "resolved": N_("complaint {id} resolved; responsible {responsible} ({level}); next: {value}"),
    "surveyed": N_("complaint {id} surveyed ({score}/5); responsible {responsible} ({level}); next: {value}"),
}


def _said(done: dict, as_json: bool, what: str, score: int | None = None) -> None:
    from leadctl.cli import layout
    from leadctl.cli.output import _today

    output.done(
        done,
        as_json,
        _(_SAID[what]).format(
            id=done["id"],
            score=score,
            responsible=done["responsible"],
            level=done["level"],
            value=layout.owed(done["next"], _today()) if done["next"] else _("nothing owed"),
        ),
    )


@complaint.command("new")
def complaint_new(
    ctx: typer.Context,
    customer: str = typer.Option(None, "--customer", help="The customer's lead (id or phone)."),
    number: str = typer.Option(None, "--phone", help="The customer's phone, lead or not (linked when a lead has it)."),
    name: str = typer.Option(None, "--name", help="The customer's name, when they are not a lead."),
    channel: str = typer.Option(..., "--channel", help="onsite | phone | callcenter | email | media | letter | fax "
                                "(or 现场/当面 电话 呼叫中心 邮件 媒体 信函 传真)."),
    kind: str = typer.Option(..., "--kind", help="service|product (or 服务 产品)."),
    summary: str = typer.Option(..., "--summary", help="What the customer complains of (投诉内容)."),
    department: str = typer.Option(None, "--department", help="The department responsible (责任部门)."),
    to: str = typer.Option(None, "--to", help=_("Who handles it (负责人: customer service or a manager); by default "
                                                "you if you handle complaints, else your team's manager.")),
    as_json: bool = JSON,
) -> None:
    """Register a complaint; its deadlines start now, and it stays with the person responsible until escalated."""
    done = context.call(ctx, service.new, customer, number, channel, kind, summary, department, name, to)
    _said(done, as_json, "registered")


@complaint.command("reply")
def complaint_reply(
    ctx: typer.Context,
    complaint_id: int = ID,
    answer: str = typer.Option(..., "--text", help="The first reply, or on site the first plan (处理方案)."),
    contacted: bool = CONTACTED,
    as_json: bool = JSON,
) -> None:
    """Record the first reply (on site: the first plan) to the customer."""
    _said(context.call(ctx, service.reply, complaint_id, answer, contacted), as_json, "replied")


@complaint.command("progress")
def complaint_progress(
    ctx: typer.Context,
    complaint_id: int = ID,
    note: str = typer.Option(..., "--note", help="What happened since."),
    contacted: bool = CONTACTED,
    as_json: bool = JSON,
) -> None:
    """Add a progress note; on a call-center ticket it restarts the progress deadline."""
    _said(context.call(ctx, service.progress, complaint_id, note, contacted), as_json, "updated")


@complaint.command("escalate")
def complaint_escalate(
    ctx: typer.Context,
    complaint_id: int = ID,
    to: str = typer.Option(..., "--to", help="The colleague who takes it at the next level (service or manager)."),
    note: str = typer.Option(None, "--note", help="Why, for the record."),
    as_json: bool = JSON,
) -> None:
    """Escalate one level (supervisor -> department manager -> general manager); refused beyond the last."""
    _said(context.call(ctx, service.escalate, complaint_id, to, note), as_json, "escalated")


@complaint.command("resolve")
def complaint_resolve(
    ctx: typer.Context,
    complaint_id: int = ID,
    valid: bool = typer.Option(None, "--valid/--invalid", help="Valid (our fault) or invalid (a misunderstanding); "
                               "required."),
    action: str = typer.Option(..., "--action", help="What was done (处理结果)."),
    category: str = typer.Option(None, "--category", help="Product complaints: the product category (产品类别)."),
    model: str = typer.Option(None, "--model", help="Product complaints: the model (型号)."),
    made: str = typer.Option(None, "--date", help="Product complaints: the date, YYYY-MM-DD (时间)."),
    as_json: bool = JSON,
) -> None:
    """Close a complaint: valid or invalid, what was done, and for a product its category, model and date."""
    _said(context.call(ctx, service.resolve, complaint_id, valid, action, category, model, made), as_json, "resolved")


@complaint.command("survey")
def complaint_survey(
    ctx: typer.Context,
    complaint_id: int = ID,
    score: int = typer.Option(..., "--score", help="Satisfaction, 1 (very dissatisfied) to 5 (very satisfied)."),
    note: str = typer.Option(None, "--note", help="What the customer said."),
    as_json: bool = JSON,
) -> None:
    """Record customer service's satisfaction survey of a resolved complaint (once)."""
    _said(context.call(ctx, service.survey, complaint_id, score, note), as_json, "surveyed", score)


@complaint.command("list")
def complaint_list(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help="Only complaints not yet resolved."),
    as_json: bool = JSON,
    as_csv: bool = typer.Option(False, "--csv", help="Print the list as CSV."),
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """List complaints, oldest first, with who is responsible, what is owed next and deadlines breached."""
    c = context.get(ctx)
    with c.store() as store:
        rows = service.listing(store, c.now, c.actor, open_only)
    output.listing(rows, service.COLUMNS, _("Complaints"), as_json, as_csv, wide, codes)


@complaint.command("show")
def complaint_show(
    ctx: typer.Context,
    complaint_id: int = ID,
    as_json: bool = JSON,
) -> None:
    """Show a complaint: its record, every deadline (met, owed or breached) and every act with who and when."""
    c = context.get(ctx)
    with c.store() as store:
        card = service.show(store, c.now, c.actor, complaint_id)
    if as_json:
        output.emit_json(card)
        return
    from leadctl.cli import layout

    today = layout.shown_year((v for k, v in card.items() if k not in ("deadlines", "acts")), c.now.date())
    fields = {layout.header(k): output.cell(k, v, today) for k, v in card.items()
              if k not in ("deadlines", "acts") and v not in (None, "")}
    output.emit_pairs(fields, title=_("Complaint {id}").format(id=card['id']))
    output.emit_table(card["deadlines"], ("what", "due", "met", "breached"), title=_("Deadlines"))
    output.emit_table(card["acts"], ("at", "act", "by", "text", "contacted", "to_staff", "level"), title=_("Acts"))


def register(app: typer.Typer) -> None:
    app.add_typer(complaint, name="complaint")
