"""The store's own vehicle list: what a VIN, or the start of one, is (brand, series, model, configuration).

A manager keeps it (`leadctl vehicle add`, or `vehicle import` of a CSV); an order by VIN takes the vehicle's
description from it, or the brand from the VIN's manufacturer code (rules/vin.py), and asks for --model when
neither knows the model.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import sqlite3
import unicodedata
from datetime import datetime
from pathlib import Path

from leadctl.errors import BadInput, InputMissing, Refused, UsageError
from leadctl.i18n import _
from leadctl.rules import columns, vin
from leadctl.rules.phone import mask_in
from leadctl.services import files, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("prefix", "brand", "series", "model", "config", "set_at", "set_by")
FIELDS = ("prefix", "brand", "series", "model", "config")
MAX_TEXT = 60  # characters of a brand, series, model or configuration
MAX_FILE = 1_000_000  # bytes: a store's list is a few hundred lines
HEADERS = {  # a CSV's headers for each field, compared as the import's are (columns.header_key)
    "prefix": ("vin", "vin码", "vin前缀", "车架号", "车辆识别代号", "前缀", "prefix"),
    "brand": ("品牌", "brand"),
    "series": ("车系", "series"),
    "model": ("车型", "model"),
    "config": ("配置", "config", "configuration"),
}
_KEYS = {columns.header_key(h): field for field, names in HEADERS.items() for h in names}
_SELECT = ("SELECT v.prefix, v.brand, v.series, v.model, v.config, v.set_at, s.name FROM vehicles v"
           " LEFT JOIN staff s ON s.id = v.set_by")


def _text(value: str | None, what: str, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise BadInput(_("the vehicle's {what} is empty").format(what=what), _("give its {what}").format(what=what))
        return None
    if len(text) > MAX_TEXT:
        raise BadInput(
            _("a {what} of {len} characters; at most {MAX_TEXT}").format(what=what, len=len(text), MAX_TEXT=MAX_TEXT),
            _("shorten the {what}").format(what=what),
        )
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise BadInput(
            _("the {what} holds a control character").format(what=what), _("type the {what} again").format(what=what)
        )
    return text


def entry(prefix: str, brand: str, series: str, model: str, config: str | None = None) -> dict:
    """One line of the list, checked: the VIN or its start, brand, series, model, and a configuration."""
    return {"prefix": vin.prefix(prefix), "brand": _text(brand, "brand"), "series": _text(series, "series"),
            "model": _text(model, "model"), "config": _text(config, "config", required=False)}


def _current(conn: sqlite3.Connection, key: str) -> dict | None:
    row = conn.execute("SELECT prefix, brand, series, model, config FROM vehicles WHERE prefix = ?", (key,)).fetchone()
    return dict(zip(FIELDS, row, strict=True)) if row else None


def _put(conn: sqlite3.Connection, now: datetime, by_id: int, line: dict, exists: bool) -> None:
    values = (line["brand"], line["series"], line["model"], line["config"], now.isoformat(), by_id, line["prefix"])
    if exists:
        conn.execute("UPDATE vehicles SET brand = ?, series = ?, model = ?, config = ?, set_at = ?, set_by = ?"
                     " WHERE prefix = ?", values)
    else:
        conn.execute("INSERT INTO vehicles (brand, series, model, config, set_at, set_by, prefix)"
                     " VALUES (?,?,?,?,?,?,?)", values)


def add(store: Store, now: datetime, actor: str | None, line: dict, replace: bool = False) -> dict:
    """Add a line to the list (manager); a prefix already listed is refused unless `replace`, which records
    what it replaced in the audit event."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "vehicle.set")
        before = _current(conn, line["prefix"])
        if before is not None and not replace:
            raise Refused(
                _("{prefix} is already listed as {brand} {series} {model}").format(
                    prefix=line["prefix"], brand=before["brand"], series=before["series"], model=before["model"]
                ),
                _("pass --replace to change it"),
            )
        _put(conn, now, who.id, line, before is not None)
        record(conn, now, who.id, "vehicle.add", **line, replaced=before)
        return {**line, "replaced": before}


def listing(store: Store) -> list[dict]:
    with store.read() as conn:
        rows = conn.execute(f"{_SELECT} ORDER BY v.prefix").fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def _decode(data: bytes, where: str) -> str:
    for encoding in ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadInput(
        _("{where} is neither UTF-8 nor GB18030 nor UTF-16").format(where=where), _("save it as CSV UTF-8 from Excel")
    )


def read_csv(path: Path) -> list[dict]:
    """The lines of a vehicle-list CSV, each checked; BadInput naming the first bad line, and how many."""
    with files.opened(Path(path), _("give the vehicle list's CSV file")) as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise InputMissing(_("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror),
                               _("check the path and its permissions")) from None
    if len(data) > MAX_FILE:
        raise BadInput(
            _("{path} has {len:,} bytes; a vehicle list is at most {MAX_FILE:,}").format(
                path=path, len=len(data), MAX_FILE=MAX_FILE
            ),
            _("split it"),
        )
    reader = csv.reader(io.StringIO(_decode(data, str(path)), newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise BadInput(
            _("{path} is not a well-formed CSV near line {line_num}: {exc}").format(
                path=path, line_num=reader.line_num, exc=exc
            ),
            _("save it again as CSV from Excel"),
        ) from None
    fields = [_KEYS.get(columns.header_key(h)) for h in (rows[0] if rows else [])]
    missing = [HEADERS[f][0] for f in FIELDS[:4] if f not in fields]
    if missing:
        raise BadInput(
            _("{path}: no column for {join}").format(path=path, join=", ".join(missing)),
            _("the header names VIN, 品牌, 车系, 车型 (配置)"),
        )
    lines, problems, seen = [], [], set()
    for number, cells in enumerate(rows[1:], start=2):
        cells_ = {f: c for f, c in zip(fields, cells, strict=False) if f}
        if not any(c.strip() for c in cells):
            continue
        try:
            line = entry(*(cells_.get(f) for f in FIELDS))
        except BadInput as exc:
            problems.append(f"line {number}: {exc.message}")
            continue
        if line["prefix"] in seen:
            problems.append(f"line {number}: {line['prefix']} is listed twice")
        seen.add(line["prefix"])
        lines.append(line)
    if problems:
        raise BadInput(
            _("{path}: {len} bad line(s), first {value}").format(path=path, len=len(problems), value=problems[0]),
            _("nothing was imported: fix them"),
        )
    return lines


def import_file(store: Store, now: datetime, actor: str | None, path: Path) -> dict:
    """Import the list from a CSV, all or nothing: new prefixes added, listed ones updated where they differ."""
    with store.write() as conn:
        staff.authorize(conn, now, actor, "vehicle.set")
    lines = read_csv(path)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "vehicle.set")
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        for line in lines:
            before = _current(conn, line["prefix"])
            state = "new" if before is None else "unchanged" if before == line else "updated"
            counts[state] += 1
            if state != "unchanged":
                _put(conn, now, who.id, line, before is not None)
        if counts["new"] or counts["updated"]:
            record(conn, now, who.id, "vehicle.import", file=mask_in(Path(path).name), read=len(lines), **counts)
        return {"file": str(path), "read": len(lines), **counts}


def fill(conn: sqlite3.Connection, car, number: str):
    """The order's vehicle with what the store's list or the VIN's manufacturer code knows filled in where the
    order left it out; UsageError when the model is still unknown."""
    listed = [dict(zip(FIELDS, row, strict=True)) for row in conn.execute(
        "SELECT prefix, brand, series, model, config FROM vehicles WHERE prefix = substr(?, 1, length(prefix))",
        (number,))]
    known = vin.describe(number, listed)
    filled = dataclasses.replace(car, **{k: getattr(car, k) or known[k] for k in ("brand", "series", "model",
                                                                                   "config")})
    if filled.model is None:
        made = known["maker"]
        said = (_("{maker} makes {brands}").format(maker=made, brands="/".join(vin.maker(number)[1])) if made
                else _("its manufacturer code is not known"))
        raise UsageError(
            _("VIN {number}: {said}, and the store's vehicle list does not have it, so the model is not known").format(
                number=number, said=said
            ),
            _("give --model (and --series), or list it with `leadctl vehicle add`"),
        )
    return filled
