"""Phone numbers: the lead's identity key. Normalise every way people write a number; mask for display.

Chinese numbers are kept in national form (mobile `13800138000`, landline `01012345678`); numbers of
other countries in E.164 form (`+85291234567`). Validity is the `phonenumbers` library's (Google's
libphonenumber metadata): a landline needs a real area code, a mobile a real prefix. The library takes
about 20 ms to import, so a plain Chinese mobile is decided by its mobile pattern (the library's own,
copied; tests/rules/test_phone.py keeps it equal) and the library is imported only for anything else.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from leadctl.errors import BadInput
from leadctl.i18n import N_, _

DEFAULT_REGION = "CN"
_SEPARATORS = re.compile(r"[\s\-.()（）/\u2010-\u2015\u2212\u3000]+")
# phonenumbers' metadata for CN, mobile.national_number_pattern (a test compares it with the installed library)
CN_MOBILE_PATTERN = r"1(?:610\d|740[0-5])\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}"
_CN_MOBILE = re.compile(CN_MOBILE_PATTERN, re.ASCII)
_CN_KINDS = ("FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE")  # a customer's phone: not 400/800 or service numbers
_CN_LANDLINE_DIGITS = range(9, 12)  # area code and subscriber, without the trunk 0: 010-1234567 .. 0755-87654321
_HINT = N_("give an 11-digit mobile, a landline with its area code (010, 0755...) or a + and the country code")


def _ascii_digits(text: str) -> str:
    out = []
    for ch in text:
        if ch.isdigit():
            value = unicodedata.decimal(ch, None)
            if value is None:
                raise BadInput(_("phone number has a character that is not a digit"), _(_HINT))
            out.append(str(value))
        else:
            out.append(ch)
    return "".join(out)


def _digits(raw: str) -> tuple[bool, str]:
    """(written with a country code, the digits): separators, full-width forms, `+` and `00` read."""
    text = _SEPARATORS.sub("", _ascii_digits(unicodedata.normalize("NFKC", raw or "")))
    international = text.startswith("+")
    if international:
        text = text[1:]
    elif text.startswith("00"):
        international, text = True, text[2:]
    if not text.isdigit() or not text.isascii():
        raise BadInput(_("phone number may hold only digits, spaces, dashes and a leading +"), _(_HINT))
    if not international and text.startswith("86") and len(text) in (12, 13):
        international = True  # 8613800138000: +86 written without its plus
    return international, text


def fast(text: str) -> str | None:
    """The canonical form of a plainly written Chinese mobile (13800138000, +86 138 0013 8000), without the
    library; None when the library must decide."""
    if text.isascii():
        quick = text.replace(" ", "").replace("-", "")
        if quick[:3] == "+86":
            quick = quick[3:]
        elif quick[:2] == "86" and len(quick) == 13:
            quick = quick[2:]
        if len(quick) == 11 and _CN_MOBILE.fullmatch(quick):
            return quick
    return None


_NOT_DIGIT = re.compile(r"\D")
TAIL_DIGITS = 8


def tail(raw: str) -> str:
    """The last TAIL_DIGITS digits of a number as written: normalize only drops characters and a leading country
    code or trunk prefix, so two writings of one number always share it (`tail(normalize(x)) == tail(x)`);
    cheap (no validation), for grouping rows before they are read in full. Distinct numbers may share it."""
    if not raw.isascii():
        try:
            raw = _ascii_digits(unicodedata.normalize("NFKC", raw))  # as normalize reads digits
        except BadInput:
            return ""  # a digit normalize refuses too: the row is rejected, its tail groups nothing
    return _NOT_DIGIT.sub("", raw)[-TAIL_DIGITS:]


def normalize(raw: str, region: str = DEFAULT_REGION) -> str:
    """The canonical form of a phone number, or BadInput. Idempotent. `region` is where a number written
    without a country code is dialled (the policy's `phone.region`)."""
    if region == DEFAULT_REGION and raw and (quick := fast(raw)) is not None:
        return quick
    international, digits = _digits(raw)
    if region == DEFAULT_REGION or international:
        national = digits[2:] if international and digits[:2] == "86" else None if international else digits
        if national is not None and len(national) == 11 and _CN_MOBILE.fullmatch(national):
            return national
    return _checked(("+" if international else "") + digits, region)


@lru_cache(maxsize=65536)
def _checked(number: str, region: str) -> str:
    import phonenumbers

    digits = len(number.lstrip("+"))
    if digits < 7 or (region == DEFAULT_REGION and number[0] != "+" and digits not in (
            (10, 11, 12) if number[0] == "0" else (11,))):
        raise BadInput(_("not a phone number ({digits} digits)").format(digits=digits), _(_HINT))
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        raise BadInput(_("not a phone number: no country has that code"), _(_HINT)) from None
    national = phonenumbers.national_significant_number(parsed)
    if parsed.country_code != 86:
        if not phonenumbers.is_valid_number(parsed):
            raise BadInput(
                _("not a valid number of country code +{country_code} ({len} digits after it)").format(
                    country_code=parsed.country_code, len=len(national)
                ),
                _(_HINT),
            )
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(parsed):
        if national[:1] == "1" and national[:2] != "10":
            problem = (_("not a Chinese mobile: no network uses the prefix {prefix}").format(prefix=national[:3])
                       if len(national) == 11 else
                       _("not a Chinese mobile ({len} digits; a mobile has 11)").format(len=len(national)))
            raise BadInput(problem, _(_HINT))
        raise BadInput(
            _(
                "not a valid Chinese landline (no such area code, or the wrong length: {len} digits without "
                "the leading 0)"
            ).format(len=len(national)),
            _(_HINT),
        )
    kind = phonenumbers.PhoneNumberType.to_string(phonenumbers.number_type(parsed))
    if kind not in _CN_KINDS:
        raise BadInput(
            _("not a customer's mobile or landline (a {replace} number)").format(
                replace=kind.lower().replace("_", " ")
            ),
            _(_HINT),
        )
    if kind == "MOBILE" or (kind == "FIXED_LINE_OR_MOBILE" and national[:1] == "1" and len(national) == 11):
        return national
    if number[:1] not in "+0":  # 1012345678: without its trunk 0 (or +86) a landline may have lost digits
        raise BadInput(
            _("not a phone number ({len} digits): a landline starts with its area code's 0").format(len=len(number)),
            _(_HINT),
        )
    if len(national) not in _CN_LANDLINE_DIGITS:
        raise BadInput(
            _("not a landline with area code ({len} digits after the trunk 0)").format(len=len(national)), _(_HINT)
        )
    return "0" + national


def check_region(region: str) -> bool:
    """Whether phonenumbers knows a region code (the policy's `phone.region`)."""
    if region == DEFAULT_REGION:
        return True
    import phonenumbers

    return region in phonenumbers.SUPPORTED_REGIONS


def mask(phone: str | None) -> str:
    """Hide the middle digits: 138****8000. Shows at most seven digits, and hides at least four."""
    if not phone:
        return ""
    head, digits = ("+", phone[1:]) if phone.startswith("+") else ("", phone)
    if len(digits) <= 7:
        return head + "*" * len(digits)
    shown = min(7, len(digits) - 4)
    tail = min(4, (shown + 1) // 2)
    return head + digits[:shown - tail] + "*" * (len(digits) - shown) + digits[-tail:]


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
