"""Phone numbers: the lead's identity key. Normalise every way people write a number; mask for display.

Chinese numbers are kept in national form (mobile `13800138000`, landline `01012345678`); numbers of
other countries in E.164 form (`+85291234567`).
"""

from __future__ import annotations

import re
import unicodedata

from leadctl.errors import BadInput

_SEPARATORS = re.compile(r"[\s\-.()（）/\u2010-\u2015\u2212\u3000]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0[1-9]\d{8,10}")
_FOREIGN = re.compile(r"[1-9]\d{7,14}")
_HINT = "give an 11-digit mobile (13800138000), a landline with area code (010-12345678) or +country code"


def _ascii_digits(text: str) -> str:
    out = []
    for ch in text:
        if ch.isdigit():
            value = unicodedata.decimal(ch, None)
            if value is None:
                raise BadInput("phone number has a character that is not a digit", _HINT)
            out.append(str(value))
        else:
            out.append(ch)
    return "".join(out)


def normalize(raw: str) -> str:
    """The canonical form of a phone number, or BadInput. Idempotent."""
    text = _SEPARATORS.sub("", _ascii_digits(unicodedata.normalize("NFKC", raw or "")))
    international = text.startswith("+")
    if international:
        text = text[1:]
    elif text.startswith("00"):
        international, text = True, text[2:]
    if not text.isdigit() or not text.isascii():
        raise BadInput("phone number may hold only digits, spaces, dashes and a leading +", _HINT)
    if international or (text.startswith("86") and len(text) in (12, 13)):
        if text.startswith("86"):
            national = text[2:]
            if _MOBILE.fullmatch(national):
                return national
            if _LANDLINE.fullmatch("0" + national.lstrip("0")):
                return "0" + national.lstrip("0")
            raise BadInput("not a valid Chinese phone number after +86", _HINT)
        if _FOREIGN.fullmatch(text):
            return "+" + text
        raise BadInput("international number has the wrong length", _HINT)
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return text
    raise BadInput(f"not a phone number ({len(text)} digits)", _HINT)


def mask(phone: str | None) -> str:
    """Hide the middle digits: 138****8000. Shows at most seven digits."""
    if not phone:
        return ""
    head, digits = ("+", phone[1:]) if phone.startswith("+") else ("", phone)
    if len(digits) <= 7:
        return head + "*" * len(digits)
    return head + digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


# a phone as people write it inside text: digits (full-width ones too) with up to three separators between them,
# perhaps a leading +; a date (2026-11-28) or a time (10:00) is never part of one
_JOINED = r"[\s\-.()（）/\u2010-\u2015\u2212\u3000\uff0d\uff0e\uff0f]{0,3}"
_DATE = r"(?<!\d)[12]\d{3}(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep)(?:0?[1-9]|[12]\d|3[01])(?!\d)"
_NOT_DATE = r"(?![12]\d{3}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)|\d{1,2}:\d{2})"
_PHONE_LIKE = re.compile(rf"(?P<date>{_DATE})|(?P<run>[+\uff0b]?\d(?:{_JOINED}{_NOT_DATE}\d)*)")


def _hide(found: re.Match) -> str:
    run = found.group("run")
    if run is None:
        return found.group(0)
    digits = "".join(str(unicodedata.decimal(ch)) for ch in run if ch.isdecimal())
    plus = run[0] in "+\uff0b"
    if plus and digits.startswith("86") and len(digits) == 13:
        return mask(digits[2:])  # a Chinese mobile written +86: 138****8000
    if len(digits) >= 10 or (plus and len(digits) >= 7):
        return mask(("+" if plus else "") + digits)
    return run


def mask_in(text: str) -> str:
    """Mask every phone-like run inside a message: 10 digits or more (7 after a +), however they are written:
    with spaces, dashes, dots or brackets inside, in full-width digits. Dates and times are left as they are."""
    return _PHONE_LIKE.sub(_hide, text)
