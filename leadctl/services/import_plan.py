"""The plan of an import: what each checked row makes of the store, and how it is written.

Identity and idempotency. A row's customer is its normalised phone: a known phone (also one merged into
another lead) gets the visit, channel or follow-up attached to its lead, never a second lead; rows of one
phone within the file fold into one lead. A row with a time is recognised by what it records: the lead
already has a visit arriving at that time (or a follow-up at that time), from an earlier import or from the
front desk; it is skipped as a duplicate. A row without a time (an HQ list) is keyed in `import_rows` by the
lead row holding its phone, the record and `--source`, so the same list sent twice is received once; and a row
without a time from a file imported before (the same sha256) is recognised whatever `--source` says this time.
Importing the same file again therefore changes nothing at all (no row, no log entry, no audit event) and
the summary says so, naming the earlier import of the same sha256.

What an import leaves: leads, visits or follow-ups; grade history (`grades`, reason `imported`, detail naming
the import and the file's row) and owner history (`owners`); a collision (撞单) when a row names another
consultant than the lead's owner (the claimant's card entered at the row's time, as the exporting system
recorded it: `collisions.entered_at`); a name other than a known lead's (text.names_differ, as intake asks): the
lead keeps its name, the visit keeps the one given (`visits.given_name`), and `name_differs` counts such rows
(follow-up rows too, which have no visit to keep it on: counted and warned about only); an invited customer's
open invitation closed as arrived by an in-person visit (as intake does); every touched lead's `next_due` from
the cadence rules on its final state.
Audit: one `import` event (who, file, sha256, source, counts) and one `imports` row, in the same transaction;
no event per row (rows carry `registered_by` / `by_id`, grade history names the import).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from leadctl.errors import BadInput, LeadctlError
from leadctl.i18n import _
from leadctl.models import Channel, Grade, LeadState, Status
from leadctl.rules import cadence, columns, grading, text
from leadctl.rules.phone import tail as tail_of
from leadctl.rules.policy import Policy
from leadctl.services import collisions
from leadctl.services.import_rows import Checker, Problem, Row
from leadctl.store.audit import record
from leadctl.store.bulk import Insert, Stage, Update, Writer

CHUNK = 900  # bound parameters per lookup query
FLUSH_ROWS = 10_000  # file rows read, checked and planned per batch handed to the writer
REBUILD_ROWS = 50_000  # a file of at least this many rows (and the store's leads) builds the leads' indexes at the end
LOOKUP_INDEXES = ("leads_phone",)  # what the plan finds leads by while they are written: kept up to date throughout
_LEAD = ("l.id, l.name, l.model, l.info_source, l.trade_in, l.grade, l.grade_basis, l.owner_id, l.pool, l.status,"
         " l.created_at, l.last_contact_at, l.followup_count, l.planned_on")
_CHANNEL = {c: (c.contact_kind, c.value) for c in Channel}
_GRADE = {g.value: g for g in Grade}
_STATUS = {s.value: s for s in Status}


@dataclass(slots=True)
class Lead:
    """A lead as the import changes it, in memory; written once: a new one with its batch, a known one at the end."""

    id: int
    name: str | None
    model: str | None
    info_source: str | None
    trade_in: int
    grade: str | None
    grade_basis: str | None
    owner_id: int | None
    pool: str | None
    status: str
    created_at: str
    last_contact_at: str | None
    followup_count: int
    planned_on: str | None
    new: bool = False
    phone: str | None = None
    channel: str | None = None
    created: datetime | None = None  # created_at, parsed
    last: datetime | None = None  # last_contact_at, parsed
    first: tuple = ()  # a new lead's first row, as _FIRST names it: written with the lead (_FROM_NEW_LEAD)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# what an import appends, in the order it is written (a row's references come before it)
_APPENDS = {
    "leads": "id, name, phone, channel, info_source, model, trade_in, grade, grade_basis, owner_id, registered_by,"
             " created_at, last_contact_at, planned_on, next_due",
    "visits": "id, lead_id, kind, channel, arrived_at, left_at, party, first_visit, left_contact, test_drive, model,"
              " staff_id, registered_by, given_name",
    "followups": "id, lead_id, at, by_id, method, result, grade, next_on",
    "grades": "lead_id, at, by_id, grade, previous, basis, detail, reason",
    "owners": "lead_id, at, by_id, from_id, to_id, reason",
    "collisions": "lead_id, visit_id, owner_id, claimant_id, opened_at, entered_at",
}
# a new lead and what its first row records, staged as one row: the lead, its first visit, grade and owner
_FIRST = ("visit_id", "kind", "left_at", "party", "test_drive", "visit_model", "first_owner", "first_grade",
          "grade_detail")  # Lead.first, in this order
_NEW_LEAD = _APPENDS["leads"] + ", " + ", ".join(_FIRST)
_FIRST_OWNER, _FIRST_GRADE = _FIRST.index("first_owner"), _FIRST.index("first_grade")
# a lead of the store that a batch's rows changed: its new state, written with the batch (a later batch that
# reaches it through another phone, merged into it, reads it back from the transaction)
_STATE = ("name, model, info_source, trade_in, grade, grade_basis, owner_id, pool, last_contact_at, followup_count,"
          " planned_on, next_due")
_KNOWN = Stage("id, " + _STATE, [], (Update("leads", _STATE),))
_TIMELESS = "holder_id, record, source, import_id"
_FROM_NEW_LEAD = (
    Insert("leads", _APPENDS["leads"], _APPENDS["leads"]),
    Insert("visits", _APPENDS["visits"], "visit_id, id, kind, channel, created_at, left_at, party, 1, 1, test_drive,"
                                         " visit_model, first_owner, registered_by, NULL"),
    Insert("grades", _APPENDS["grades"], "id, created_at, registered_by, first_grade, NULL, 'stated', grade_detail,"
                                         " 'imported'", "first_grade IS NOT NULL"),
    Insert("owners", _APPENDS["owners"], "id, created_at, registered_by, NULL, first_owner, 'imported'",
           "first_owner IS NOT NULL"),
)


class Plan:
    """Rows -> the inserts and updates they make, checked against the store; problems collected."""

    def __init__(self, conn: sqlite3.Connection, now: datetime, by_id: int, rules: Policy, kind: str,
                 source: str, cols: columns.ColumnMap, skip_bad: bool, progress=None, digest: str | None = None):
        self.conn, self.now, self.by_id, self.rules, self.kind, self.cols = conn, now, by_id, rules, kind, cols
        self.skip_bad, self.progress = skip_bad, progress
        self.checker: Checker | None = None
        self.source = source.casefold()  # the key of rows without a time: LMS and lms are one source
        self.digest = digest  # the file's sha256: its rows without a time, imported before, whatever the source
        self.same_file: set[tuple[int, str]] = set()  # (holder, record) of those rows
        self.staff = {n: (i, bool(a)) for n, i, a in conn.execute("SELECT name, id, active FROM staff")}
        self.import_id, self.ids = self._next("imports"), {t: self._next(t) for t in ("leads", "visits", "followups")}
        self.problems: list[Problem] = []
        # of the batch being planned (emptied for each batch):
        self.holders: dict[str, tuple[int, Lead]] = {}  # phone -> (the lead row holding it, the lead it means)
        self.keys: set[tuple] = set()
        self.counts = {"new": 0, "merged": 0, "skipped_duplicates": 0, "name_differs": 0}
        self.pending: dict[str, list] = {t: [] for t in _APPENDS if t != "leads"}  # planned, not yet written
        self.created: list[Lead] = []  # new leads not yet handed to the writer (final once their phone is planned)
        self.written = dict.fromkeys(_APPENDS, 0)
        self.timeless: list[tuple] = []  # import_rows of the batch
        self.invited: dict[int, tuple[int, str]] = {}  # lead id -> its open invitation (id, invited_at)
        self.arrivals: list[tuple] = []  # (lead id, invitation id, visit id): invited customers who came (few)
        self.closed: set[int] = set()  # the invitations in arrivals (closed at the end)
        self.known: dict[int, Lead] = {}  # leads already written that the batch's rows changed (updated with it)
        self.claims: set[tuple[int, int]] = set()  # (lead id, claimant id) with an open collision: one a claim
        self.planned = 0  # file rows planned so far (progress)

    def _next(self, table: str) -> int:
        return self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def load(self, phones: list[str]) -> None:
        """The known leads of these phones, and the keys of what they already have."""
        found: dict[int, Lead] = {}
        for part in _chunks(phones):
            for phone, holder, *row in self.conn.execute(
                    f"SELECT h.phone, h.id, {_LEAD} FROM leads h JOIN leads l ON l.id = coalesce(h.merged_into, h.id)"
                    f" WHERE h.phone IN ({','.join('?' * len(part))})", part):
                lead = found.get(row[0]) or found.setdefault(row[0], Lead(*row))
                self.holders[phone] = (holder, lead)
        table, column = ("followups", "at") if self.kind == "followups" else ("visits", "arrived_at")
        record_ = "followup" if self.kind == "followups" else "visit"
        for part in _chunks(list(found)):
            marks = ",".join("?" * len(part))
            self.keys.update(("at", lead_id, record_, at) for lead_id, at in self.conn.execute(
                f"SELECT lead_id, {column} FROM {table} WHERE lead_id IN ({marks})", part))
            self.claims.update(collisions.open_claims(self.conn, part))
            self.invited.update((lead_id, (inv, at)) for lead_id, inv, at in self.conn.execute(
                f"SELECT lead_id, id, invited_at FROM invitations WHERE status = 'open' AND lead_id IN ({marks})",
                part) if inv not in self.closed)
        for part in _chunks([h for h, __ in self.holders.values()]):
            marks = ",".join("?" * len(part))
            for holder, record_, source, digest in self.conn.execute(
                    "SELECT r.holder_id, r.record, r.source, i.sha256 FROM import_rows r LEFT JOIN imports i"
                    f" ON i.id = r.import_id WHERE r.holder_id IN ({marks})", part):
                self.keys.add(("source", holder, record_, source))
                if digest == self.digest:
                    self.same_file.add((holder, record_))
        for lead in found.values():
            lead.created = datetime.fromisoformat(lead.created_at)
            lead.last = datetime.fromisoformat(lead.last_contact_at) if lead.last_contact_at else None

    # -- rows ----------------------------------------------------------------------------------------------------
    def _problem(self, row: Row, field: str, value, message: str) -> None:
        self.problems.append(Problem(row.row, self.cols.header(field), columns.shown(field, value), message))

    def checks(self) -> dict:
        """The cell checks that need the store, for the Checker: staff names and the policy's grades as this
        transaction sees them. A row that reaches the plan has passed them."""
        def owner(name: str) -> str:
            _active_staff(self.staff, name)
            return name

        return {"owner": owner, "grade": lambda grade: grading.check_assignable(self.rules, grade)}

    def _staff_id(self, row: Row) -> int | None:
        """The owner column's staff id (known and active: checked); None when the cell is empty."""
        return self.staff[row.owner][0] if row.owner else None

    def _key(self, lead: Lead | None, holder: int | None, record_: str, at: str | None) -> tuple | None:
        """What recognises a row imported before: its lead and time; or, without a time, its phone and source."""
        if at is not None:
            return ("at", lead.id, record_, at) if lead else None
        return ("source", holder, record_, self.source) if holder else None

    def _detail(self, row: Row) -> str:
        return f'{{"import": {self.import_id}, "row": {row.row}}}'

    def _regrade(self, lead: Lead, at: str, by_id: int, grade: Grade, row: Row, reason: str) -> None:
        if grade != lead.grade:
            self.pending["grades"].append((lead.id, at, by_id, str(grade), lead.grade, "stated", self._detail(row),
                                           reason))
            lead.grade, lead.grade_basis = str(grade), "stated"

    def spread(self, checker: Checker, rows, batch_rows: int = FLUSH_ROWS) -> dict[str, int]:
        """A first reading of the file's phones (`rows`: the file read again): phone tail (phone.tail) -> the
        last batch it is in, for the tails in more than one batch. Counted in a private temporary database on
        disk (SQLite sorts it in bounded memory; the store's connection sees no change from it); what is kept is
        those tails."""
        side = sqlite3.connect("", isolation_level=None)  # "": a temporary file of its own, deleted when closed
        try:
            side.execute("PRAGMA journal_mode = OFF")  # scratch: nothing to recover, each insert its own statement
            side.execute("PRAGMA synchronous = OFF")
            side.execute("CREATE TABLE phones (phone TEXT NOT NULL, batch INTEGER NOT NULL)")
            for batch, phones in enumerate(checker.phones(rows, batch_rows)):
                side.executemany("INSERT INTO phones VALUES (?, ?)", ((p, batch) for p in phones))
            return dict(side.execute("SELECT phone, max(batch) FROM phones GROUP BY phone"
                                     " HAVING min(batch) < max(batch)"))
        finally:
            side.close()

    def add(self, checker: Checker, writer: Writer | None, spread: dict[str, int], total: int = 0,
            batch_rows: int = FLUSH_ROWS) -> None:
        """Plan every row, batch_rows file rows at a time. A phone is planned once all its rows are read: in
        its batch, or (a phone whose tail is in `spread`: its rows may lie in several batches) in the tail's last
        batch, its earlier rows held until then; its rows by time, so that a newest-first export makes the lead
        from the earliest visit. The checker reads and checks the next batch while the writer (None: a dry run) writes
        the last one; nothing of a batch is held once it is written, but the rows of phones still to come."""
        self.checker = checker
        step = self._followup if self.kind == "followups" else self._visit
        held: dict[str, dict[str, list[Row | None]]] = {}  # tail -> phone -> its rows read so far
        releases: dict[int, list[str]] = {}  # batch -> the tails whose last batch it is
        for number, batch in enumerate(checker.batches(batch_rows)):
            groups: dict[str, list[Row | None]] = {}
            for phone, row in batch:
                if phone is not None:
                    groups.setdefault(phone, []).append(row)
            ready: dict[str, list[Row | None]] = {}
            for phone, rows in groups.items():
                last = spread.get(tail := tail_of(phone)) if spread else None
                if last is not None and last > number:
                    if tail not in held:
                        releases.setdefault(last, []).append(tail)
                    held.setdefault(tail, {}).setdefault(phone, []).extend(rows)
                else:
                    ready[phone] = rows
            for tail in releases.pop(number, ()):  # every phone of the tail, whether or not it is in this batch
                for phone, rows in held.pop(tail).items():
                    ready[phone] = rows + ready.get(phone, [])
            if writer is not None:
                writer.wait()  # the connection is free to read the batch's leads
            self.holders, self.keys, self.same_file, self.invited = {}, set(), set(), {}
            self.load(list(ready))
            for phone, rows in ready.items():
                group = [row for row in rows if row is not None]
                if len(group) > 1:
                    group.sort(key=lambda r: r.at or self.now)
                for row in group:
                    step(phone, row)
                self.planned += len(rows)
            self._flush(writer)
            if self.progress:
                self.progress("importing", self.planned, max(total, self.planned))
        if writer is not None:
            writer.wait()  # all written before the connection is used again
        self.holders, self.keys, self.same_file, self.invited = {}, set(), set(), {}

    def _visit(self, phone: str, row: Row) -> None:
        holder, lead = self.holders.get(phone, (None, None))
        when = row.at or self.now
        at = when.isoformat()
        timed = at if row.at is not None else None
        if (key := self._key(lead, holder, "visit", timed)) in self.keys or (
                timed is None and (holder, "visit") in self.same_file):
            self.counts["skipped_duplicates"] += 1
            return
        owner_id = self._staff_id(row)
        first = lead is None
        if first:
            lead = self._new_lead(phone, row, at, when)
            holder = lead.id
            self.holders[phone] = (holder, lead)
            key = self._key(lead, holder, "visit", timed)
        else:
            self.counts["merged"] += 1
            given = self._given_name(lead, row)
            lead.name = lead.name or row.name
            lead.model = row.model or lead.model
            lead.info_source = lead.info_source or (str(row.info_source) if row.info_source else None)
            lead.trade_in = int(lead.trade_in or row.trade_in)
        self.keys.add(key)
        if row.at is None:
            self.timeless.append((holder, "visit", self.source, self.import_id))
        visit_id = self.ids["visits"]
        self.ids["visits"] += 1
        left = row.left.isoformat() if row.left else None
        if first:  # written with the lead from one staged row (_FROM_NEW_LEAD): 3.9 -> 2.5 million values bound
            grade = str(row.grade) if row.grade is not None else None
            lead.first = (visit_id, _CHANNEL[row.channel][0], left, row.party, int(row.test_drive), row.model,
                          owner_id or None, grade, self._detail(row) if grade else None)
            lead.grade, lead.grade_basis, lead.owner_id = grade, "stated" if grade else None, owner_id or None
        else:
            self.pending["visits"].append((visit_id, lead.id, *_CHANNEL[row.channel], at, left, row.party, 0, 1,
                                           int(row.test_drive), row.model, owner_id or lead.owner_id, self.by_id,
                                           given))
            if row.grade is not None:
                self._regrade(lead, at, self.by_id, row.grade, row, "imported")
            if owner_id and lead.owner_id is None:
                self.pending["owners"].append((lead.id, at, self.by_id, None, owner_id, "imported"))
                lead.owner_id, lead.pool = owner_id, None
            elif owner_id and owner_id != lead.owner_id and (lead.id, owner_id) not in self.claims:
                self.claims.add((lead.id, owner_id))
                self.pending["collisions"].append((lead.id, visit_id, lead.owner_id, owner_id, self.now.isoformat(),
                                                 at))  # the claim's record time: its export's (entered_at)
        invitation = self.invited.get(lead.id)
        if invitation and row.channel.contact_kind == "visit" and at >= invitation[1]:
            self.arrivals.append((lead.id, invitation[0], visit_id))  # as intake does: the invited customer came
            self.closed.add(invitation[0])
            del self.invited[lead.id]
        if lead.last is None or when > lead.last:
            lead.last_contact_at, lead.last = at, when
        if not lead.new:
            self.known[lead.id] = lead

    def _given_name(self, lead: Lead, row: Row) -> str | None:
        """The row's name when it is another than its known lead's (text.names_differ, as intake asks), counted:
        the lead keeps its name, the visit keeps the one given; None otherwise."""
        if row.name is None or row.name == lead.name or not text.names_differ(lead.name, row.name):
            return None
        self.counts["name_differs"] += 1
        return row.name

    def _new_lead(self, phone: str, row: Row, at: str, when: datetime) -> Lead:
        lead = Lead(self.ids["leads"], row.name, row.model, str(row.info_source) if row.info_source else None,
                     int(row.trade_in), None, None, None, None, "active", at, at, 0, None, True, phone,
                     str(row.channel), when, when)
        self.ids["leads"] += 1
        self.counts["new"] += 1
        self.created.append(lead)
        return lead

    def _followup(self, phone: str, row: Row) -> None:
        holder, lead = self.holders.get(phone, (None, None))
        if lead is None:
            self._problem(row, "phone", row.phone, _("no lead with this phone; import or register the lead first"))
            return
        at = row.at.isoformat()
        if (key := self._key(lead, holder, "followup", at)) in self.keys:
            self.counts["skipped_duplicates"] += 1
            return
        if row.at < lead.created:
            self._problem(row, "at", row.at, _("before the lead was registered ({at})").format(at=lead.created_at))
            return
        by_id = self._staff_id(row)
        if row.next_on is not None and not self._plan_ok(lead, row):
            return
        self.counts["merged"] += 1
        self._given_name(lead, row)  # counted and warned about; a follow-up has no visit to keep it on
        self.keys.add(key)
        followup_id = self.ids["followups"]
        self.ids["followups"] += 1
        by_id = by_id or self.by_id
        next_on = row.next_on.isoformat() if row.next_on else None
        self.pending["followups"].append((followup_id, lead.id, at, by_id, str(row.method), row.result,
                                          str(row.grade) if row.grade else None, next_on))
        if row.grade is not None:
            self._regrade(lead, at, by_id, row.grade, row, f"follow-up {followup_id}")
        if lead.last is None or row.at >= lead.last:
            lead.planned_on, lead.last_contact_at, lead.last = next_on, at, row.at
        lead.followup_count += 1
        self.known[lead.id] = lead  # follow-ups come only to leads the store has

    def _plan_ok(self, lead: Lead, row: Row) -> bool:
        effective = row.grade or (Grade(lead.grade) if lead.grade else None)
        try:
            cadence.check_planned(self.rules, effective, row.at, row.next_on)
            return True
        except LeadctlError as exc:
            self._problem(row, "next", row.next_on.isoformat(), exc.message)
            return False

    # -- writing -------------------------------------------------------------------------------------------------
    def _due(self, lead: Lead) -> str | None:
        state = LeadState(_GRADE.get(lead.grade), _STATUS[lead.status], lead.created, lead.last,
                          lead.followup_count, date.fromisoformat(lead.planned_on) if lead.planned_on else None)
        due = cadence.next_due(self.rules, state)
        return due.due_on.isoformat() if due else None

    def _flush(self, writer: Writer | None) -> None:
        """Hand the batch's plan to the writer: new leads (with their due dates and first rows) first, then what
        refers to them, then the new state of the known leads it changed. Nothing is written in a dry run, nor
        once a row is rejected without --skip-bad (the import will fail)."""
        firsts = [lead.first for lead in self.created]
        if writer is not None and (self.skip_bad or not (self.problems or self.checker.rejected)):
            leads = [(lead.id, lead.name, lead.phone, lead.channel, lead.info_source, lead.model, lead.trade_in,
                      lead.grade, lead.grade_basis, lead.owner_id, self.by_id, lead.created_at, lead.last_contact_at,
                      lead.planned_on, self._due(lead), *lead.first) for lead in self.created]
            known = [(lead.id, lead.name, lead.model, lead.info_source, lead.trade_in, lead.grade, lead.grade_basis,
                      lead.owner_id, lead.pool, lead.last_contact_at, lead.followup_count, lead.planned_on,
                      self._due(lead)) for lead in self.known.values()]
            writer.write([Stage(_NEW_LEAD, leads, _FROM_NEW_LEAD),
                          *(Stage.of(table, _APPENDS[table], rows) for table, rows in self.pending.items()),
                          Stage.of("import_rows", _TIMELESS, self.timeless),
                          Stage(_KNOWN.names, known, _KNOWN.inserts)])
        self.written["leads"] += len(firsts)
        self.written["visits"] += len(firsts)
        self.written["owners"] += sum(1 for first in firsts if first[_FIRST_OWNER] is not None)
        self.written["grades"] += sum(1 for first in firsts if first[_FIRST_GRADE] is not None)
        self.created, self.known, self.timeless = [], {}, []
        for table, rows in self.pending.items():
            self.written[table] += len(rows)
            self.pending[table] = []

    def finish(self, header: tuple) -> None:
        """After the last batch: the import's record (its import_rows, written with their batches, refer to it:
        foreign keys are checked at the commit), what answers invitations."""
        conn = self.conn
        conn.execute("INSERT INTO imports (id, at, by_id, file, sha256, source, kind, read, new, merged, skipped,"
                     " rejected) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (self.import_id, *header))
        for lead_id, invitation_id, visit_id in self.arrivals:
            conn.execute("UPDATE invitations SET status = 'arrived', closed_at = ?, closed_by = ?, visit_id = ?"
                         " WHERE id = ?", (self.now.isoformat(), self.by_id, visit_id, invitation_id))
            record(conn, self.now, self.by_id, "arrive", lead_id, invitation_id=invitation_id, visit_id=visit_id,
                   import_id=self.import_id)

    @property
    def tallies(self) -> dict:
        return {**{t: self.written[t] for t in ("visits", "followups", "grades", "owners", "collisions")},
                "arrivals": len(self.arrivals)}


def _active_staff(known: dict[str, tuple[int, bool]], name: str) -> int:
    found = known.get(name)
    if found is None or not found[1]:
        state = "no staff member named" if found is None else "no longer active:"
        raise BadInput(_("{state} {name} (see `leadctl staff list`)").format(state=state, name=name))
    return found[0]
