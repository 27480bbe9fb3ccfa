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


def mask_in(text: str) -> str:
    """Mask every phone-like run of digits inside a message."""
    return re.sub(r"\+\d{7,}|\d{10,}", lambda m: mask(m.group(0)), text)
