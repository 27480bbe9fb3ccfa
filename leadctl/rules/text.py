"""Text people type or import: what a terminal, a table or a workbook must never receive from it.

Control characters (C0, DEL, C1: ESC sequences that move the cursor, set colours or make links; the NUL and
other bytes a workbook refuses), the bidirectional overrides that reorder what a screen shows, and the line and
paragraph separators. Typed text with any of them is refused (exit 65); imported cells lose them, with a
warning. Text that is not UTF-8 (a terminal in GBK) arrives as lone surrogates and is refused too.
"""

from __future__ import annotations

import re
import unicodedata

from leadctl.errors import BadInput
from leadctl.i18n import _

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")  # in an imported cell they separate words: a space
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def unsafe(text: str) -> str | None:
    """The first character of `text` that must not reach a screen, or None."""
    hit = _UNSAFE.search(text)
    return hit.group(0) if hit else None


def check(text: str | None, what: str) -> str | None:
    """`text` unchanged, or BadInput naming `what` (e.g. `--name`) and the character's code point."""
    if not text:
        return text
    if _SURROGATE.search(text):
        raise BadInput(
            _("{what} is not UTF-8 text").format(what=what),
            _("set the terminal (or the script) to UTF-8 and type it again"),
        )
    bad = unsafe(text)
    if bad is not None:
        where = text.index(bad) + 1
        raise BadInput(
            _("{what} holds the control character U+{ord:04X} (character {where})").format(
                what=what, ord=ord(bad), where=where
            ),
            _("type it again without it, on one line") if bad in "\n\r" else _("type it again without it"),
        )
    return text


def clean(text: str) -> str:
    """An imported cell without the characters `unsafe` finds: line breaks and tabs become a space."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub("", _BREAKS.sub(" ", text))


def shown(text: str) -> str:
    """Text as a screen may show it: what `unsafe` finds (e.g. in a row written before it was refused) becomes
    U+FFFD, visibly, instead of reaching the terminal."""
    return text if _UNSAFE.search(text) is None else _UNSAFE.sub("\ufffd", text)


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def names_differ(recorded: str | None, given: str | None) -> bool:
    """Whether a name given for a known phone is another than the lead's: compared after NFKC (full-width to
    half-width), without spaces and case; never when either is missing. Intake and import both ask this."""
    return bool(recorded and given) and _name_key(recorded) != _name_key(given)


ACRONYMS = {"id": "ID", "vin": "VIN", "ssi": "SSI", "dcc": "DCC", "kpi": "KPI", "sms": "SMS", "ha": "H/A",
            "bc": "B/C"}


def words(key: str) -> str:
    """A key as the words of an English header: `overdue_days` -> `Overdue days`, `lead_id` -> `Lead ID`,
    `proposed.due` -> `Proposed due`."""
    text = " ".join(ACRONYMS.get(w, w) for w in key.replace(".", "_").split("_"))
    return text[:1].upper() + text[1:]
