"""Identifying a vehicle: the VIN (ISO 3779, GB 16735) and the Chinese number plate (GA 36). Pure.

A VIN is 17 characters from 0-9 and A-Z without I, O and Q (they read as 1 and 0). Position 9 may be a
check digit, computed as in 49 CFR 565 (the "North-American" scheme): each character's value (digits as
themselves, letters by the table below) times the weight of its position, summed, modulo 11; a remainder
of 10 is written X. ISO 3779 itself does not require a check digit (many European VINs carry a letter or
a plain digit there), so it is checked:

- always for Chinese VINs (world manufacturer identifier starting with L): GB 16735 makes position 9 the
  check digit, computed this way;
- for every VIN when `everywhere` is set (a policy that wants the North-American rule for all cars).
"""

from __future__ import annotations

import re
import unicodedata

from leadctl.errors import BadInput

VIN_LENGTH = 17
CHECK_POSITION = 9  # 1-based, as the standards count
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
LETTER_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7,
                                                      8, 9), strict=True))
ALPHABET = frozenset("0123456789" + "".join(LETTER_VALUES))
CHECK_DIGIT_REGIONS = {"L": "GB 16735 (China)"}
_SPACING = re.compile(r"[\s\-\u00b7\u30fb.]+")  # spaces, dashes, middle dots, full stops
_HINT = "a VIN is 17 characters, digits and letters except I, O and Q; copy it from the vehicle's papers"


def _clean(text: str) -> str:
    return _SPACING.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def value(char: str) -> int:
    """A VIN character's value in the check-digit sum."""
    return int(char) if char.isdigit() else LETTER_VALUES[char]


def check_digit(vin: str) -> str:
    """The check digit (0-9 or X) a 17-character VIN of legal characters should carry at position 9."""
    remainder = sum(value(c) * w for c, w in zip(vin, WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def check_required(vin: str, everywhere: bool = False) -> str | None:
    """Why this VIN must carry a valid check digit (the standard), or None when it need not."""
    if vin[:1] in CHECK_DIGIT_REGIONS:
        return CHECK_DIGIT_REGIONS[vin[0]]
    return "the store's policy" if everywhere else None


def validate(text: str, everywhere: bool = False) -> str:
    """The VIN in canonical form (upper case, no spacing), or BadInput saying what is wrong with it."""
    vin = _clean(text)
    shown = vin[:24] + ("..." if len(vin) > 24 else "")
    if not vin:
        raise BadInput("the VIN is empty", _HINT)
    confusable = sorted({c for c in vin if c in "IOQ"})
    if confusable:
        raise BadInput(f"VIN {shown!r} has {', '.join(confusable)}, which VINs never use",
                       "I is 1, O and Q are 0 in a VIN; check the vehicle's papers")
    illegal = sorted({c for c in vin if c not in ALPHABET})
    if illegal:
        raise BadInput(f"VIN {shown!r} has characters a VIN cannot hold: {' '.join(illegal)}", _HINT)
    if len(vin) != VIN_LENGTH:
        raise BadInput(f"VIN {shown!r} has {len(vin)} characters, not {VIN_LENGTH}", _HINT)
    standard = check_required(vin, everywhere)
    expected = check_digit(vin)
    if standard and vin[CHECK_POSITION - 1] != expected:
        raise BadInput(f"VIN {vin} fails its check digit: position {CHECK_POSITION} is "
                       f"{vin[CHECK_POSITION - 1]}, {standard} makes it {expected}",
                       "a character is mistyped; check the VIN against the vehicle's papers")
    return vin


# -- number plates (号牌, GA 36) ------------------------------------------------------------------
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SERIAL = "[A-HJ-NP-Z0-9]"
_PLATE = re.compile(rf"[{PROVINCES}][A-HJ-NP-Z](?:{_SERIAL}{{5,6}}|{_SERIAL}{{4}}[挂学警港澳领试超])")
_PLATE_HINT = "write it as on the plate: province, office letter and 5 characters (6 for new energy), e.g. 京A12345"


def plate(text: str) -> str:
    """A Chinese plate number in canonical form (京A12345, 粤BD12345), or BadInput."""
    number = _clean(text)
    if not _PLATE.fullmatch(number):
        raise BadInput(f"{number[:16]!r} is not a Chinese plate number", _PLATE_HINT)
    return number
