"""What --help shows for the value a parameter takes (`--phone 电话`, `show 线索`), in the run's language.

One vocabulary of placeholders, chosen by the parameter's name, or by the command and the name where one name
takes different values (`invite --on` a time, `due --on` a date; the command as typed, `transfer` for `transfer 5
--to 李明`, or with its group, `staff deactivate`). Typer would show the Python type (`<str>`,
`<list[str]>`), which says nothing to the people at the desk. tests/cli/test_help_words.py walks every command and
fails on a value-taking parameter this table does not name.
"""

from __future__ import annotations

from leadctl.i18n import N_, _

TEXT, N, DATE, TIME, FILE, STAFF, LEAD, ID = (N_("TEXT"), N_("N"), N_("DATE"), N_("TIME"), N_("FILE"), N_("STAFF"),
                                              N_("LEAD"), N_("ID"))
YUAN, MODEL, GRADE, PHONE, KIND = N_("YUAN"), N_("MODEL"), N_("GRADE"), N_("PHONE"), N_("KIND")

OPTIONS = {  # an option's longest name -> its placeholder
    "--as": STAFF, "--by": STAFF, "--owner": STAFF, "--db": N_("DATABASE"), "--busy-timeout": N_("SECONDS"),
    "--now": TIME, "--arrived": TIME, "--left": TIME, "--at": TIME,
    "--on": DATE, "--from": DATE, "--to": DATE, "--since": DATE, "--date": DATE, "--next": DATE,
    "--birthday": DATE, "--delivered-from": DATE, "--delivered-to": DATE, "--delivery-on": DATE,
    "--expected": DATE, "--plate-date": DATE, "--off": DATE, "--back": DATE,
    "--month": N_("MONTH"), "--week": N_("WEEK"), "--birth-year": N_("YEAR"), "--from-history": N_("YEARS"),
    "--days": N_("WEEKDAYS"), "--within": N_("SPAN"),
    "--name": N_("NAME"), "--phone": PHONE, "--landline": PHONE, "--customer": LEAD, "--referred-by": LEAD,
    "--team": N_("TEAM"), "--role": N_("ROLE"), "--grade": GRADE, "--channel": N_("CHANNEL"),
    "--info-source": N_("SOURCE"), "--source": N_("SOURCE"), "--status": N_("STATUS"), "--kind": KIND,
    "--care": KIND, "--model": MODEL, "--brand": N_("BRAND"), "--series": N_("SERIES"), "--config": N_("CONFIG"),
    "--colour": N_("COLOUR"), "--competitors": MODEL, "--gender": N_("GENDER"), "--payment": N_("PAYMENT"),
    "--method": N_("METHOD"), "--sort": N_("ORDER"), "--birthday-calendar": N_("CALENDAR"),
    "--policy": N_("PRESET"), "--lang": N_("LANGUAGE"), "--encoding": N_("ENCODING"),
    "--budget-min": YUAN, "--budget-max": YUAN, "--price": YUAN, "--deposit": YUAN,
    "--attempts": N, "--limit": N, "--party": N, "--deliveries": N, "--orders": N, "--score": N_("SCORE"),
    "--vin": N_("VIN"), "--plate": N_("PLATE"), "--id-number": N_("ID-NUMBER"), "--wechat": N_("WECHAT"),
    "--os-user": N_("USER"), "--group": N_("GROUP"), "--socket": N_("SOCKET"),
    "--csv": FILE, "--xlsx": FILE, "--rejects": FILE, "--policy-file": FILE,
    "--map": N_("COLUMN=FIELD"), "--field": N_("FIELD=VALUE"), "--numbers": N_("NAME=N"),
    "--model-share": N_("MODEL=SHARE"), "--set": N_("DIMENSION:KEY=N"),
    **dict.fromkeys(("--accessories", "--action", "--address", "--category", "--comment", "--cover",
                     "--current-vehicle", "--department", "--employer", "--favourable", "--industry", "--insurer",
                     "--lost-to", "--note", "--objections", "--purpose", "--reason", "--resources", "--result",
                     "--story", "--summary", "--text", "--unfavourable"), TEXT),
}

ARGUMENTS = {  # an argument's name -> its placeholder
    "lead": LEAD, "keep": N_("KEPT"), "other": N_("DUPLICATE"), "refs": LEAD, "person": STAFF, "name": STAFF,
    "grade": GRADE, "kind": KIND, "text": TEXT, "prefix": N_("VIN"), "day": DATE, "month": N_("MONTH"),
    "year": N_("YEAR"), "file": FILE, "path": FILE, "journal": FILE, "source": FILE, "target": FILE,
    **dict.fromkeys(("check_id", "collision", "complaint_id", "followup", "followup_id", "order_id", "request",
                     "visit_id"), ID),
}

COMMANDS = {  # (command, parameter) -> its placeholder, where the name alone says another value
    ("invite", "--on"): TIME,
    **dict.fromkeys((("handover", "--to"), ("staff deactivate", "--to"), ("transfer", "--to"),
                     ("complaint escalate", "--to"), ("complaint new", "--to"), ("collisions rule", "--to"),
                     ("assign", "--to")), STAFF),
    ("report", "name"): N_("REPORT"), ("staff add", "name"): N_("NAME"),
}


def placeholder(path: str, param) -> str | None:
    """The placeholder `param` of the command at `path` (`followup`, `staff add`) shows, in the run's language; None
    for a flag, which takes no value."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    argument = param.param_type_name == "argument"
    key = param.name if argument else max(param.opts, key=len)
    words = path.split()
    word = next((COMMANDS[found] for n in range(len(words), 0, -1)
                 if (found := (" ".join(words[:n]), key)) in COMMANDS), None)
    word = word or (ARGUMENTS if argument else OPTIONS).get(key)
    return _(word) if word else None


def name(path: str, param) -> None:
    """Give `param` its placeholder: an option shows it after its name; an argument shows it alone, as its name in
    the usage line and in its help row (not followed by a type)."""
    word = placeholder(path, param)
    if word is None:
        return
    param.metavar = word
    if param.param_type_name == "argument":
        param.display_type_rich = lambda ctx: None  # the row is the placeholder alone, not `线索 <str>`
