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
from leadctl.i18n import N_, _

VIN_LENGTH = 17
CHECK_POSITION = 9  # 1-based, as the standards count
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
LETTER_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7,
                                                      8, 9), strict=True))
ALPHABET = frozenset("0123456789" + "".join(LETTER_VALUES))
CHECK_DIGIT_REGIONS = {"L": N_("GB 16735 (China)")}
_SPACING = re.compile(r"[\s\-\u00b7\u30fb.]+")  # spaces, dashes, middle dots, full stops
_HINT = N_("a VIN is 17 characters, digits and letters except I, O and Q; copy it from the vehicle's papers")


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
        return _(CHECK_DIGIT_REGIONS[vin[0]])
    return _("the store's policy") if everywhere else None


def validate(text: str, everywhere: bool = False) -> str:
    """The VIN in canonical form (upper case, no spacing), or BadInput saying what is wrong with it."""
    vin = _clean(text)
    shown = vin[:24] + ("..." if len(vin) > 24 else "")
    if not vin:
        raise BadInput(_("the VIN is empty"), _(_HINT))
    confusable = sorted({c for c in vin if c in "IOQ"})
    if confusable:
        raise BadInput(
            _("VIN {shown!r} has {join}, which VINs never use").format(shown=shown, join=", ".join(confusable)),
            _("I is 1, O and Q are 0 in a VIN; check the vehicle's papers"),
        )
    illegal = sorted({c for c in vin if c not in ALPHABET})
    if illegal:
        raise BadInput(
            _("VIN {shown!r} has characters a VIN cannot hold: {join}").format(shown=shown, join=" ".join(illegal)),
            _(_HINT),
        )
    if len(vin) != VIN_LENGTH:
        raise BadInput(
            _("VIN {shown!r} has {len} characters, not {VIN_LENGTH}").format(
                shown=shown, len=len(vin), VIN_LENGTH=VIN_LENGTH
            ),
            _(_HINT),
        )
    standard = check_required(vin, everywhere)
    expected = check_digit(vin)
    if standard and vin[CHECK_POSITION - 1] != expected:
        raise BadInput(
            _(
                "VIN {vin} fails its check digit: position {CHECK_POSITION} is {value}, {standard} makes it {expected}"
            ).format(
                vin=vin,
                CHECK_POSITION=CHECK_POSITION,
                value=vin[CHECK_POSITION - 1],
                standard=standard,
                expected=expected,
            ),
            _("a character is mistyped; check the VIN against the vehicle's papers"),
        )
    return vin


# -- number plates (号牌, GA 36) ------------------------------------------------------------------
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SERIAL = "[A-HJ-NP-Z0-9]"
_PLATE = re.compile(rf"[{PROVINCES}][A-HJ-NP-Z](?:{_SERIAL}{{5,6}}|{_SERIAL}{{4}}[挂学警港澳领试超])")
_PLATE_HINT = N_("write it as on the plate: province, office letter and 5 characters (6 for new energy), "
                 "e.g. 京A12345")


def plate(text: str) -> str:
    """A Chinese plate number in canonical form (京A12345, 粤BD12345), or BadInput."""
    number = _clean(text)
    if not _PLATE.fullmatch(number):
        raise BadInput(_("{value!r} is not a Chinese plate number").format(value=number[:16]), _(_PLATE_HINT))
    return number


# -- what a VIN says of its vehicle -------------------------------------------------------------
# World manufacturer identifiers (positions 1-3, ISO 3780) of makers a Chinese store meets: the maker and the
# brands it builds under that code. A code of one brand names the order's brand; for a code of several (the
# joint ventures), the store's vehicle list says which. Extend the table, not the code.
WMI: dict[str, tuple[str, tuple[str, ...]]] = {
    "LFV": ("一汽-大众", ("大众", "奥迪", "捷达")),
    "LSV": ("上汽大众", ("大众", "斯柯达", "奥迪")),
    "LSG": ("上汽通用", ("别克", "雪佛兰", "凯迪拉克")),
    "LFM": ("一汽丰田", ("丰田",)),
    "LVG": ("广汽丰田", ("丰田",)),
    "LHG": ("广汽本田", ("本田",)),
    "LVH": ("东风本田", ("本田",)),
    "LVS": ("长安福特", ("福特",)),
    "LBV": ("华晨宝马", ("宝马",)),
    "LE4": ("北京奔驰", ("奔驰",)),
    "LRW": ("特斯拉(上海)", ("特斯拉",)),
    "WVW": ("Volkswagen", ("大众",)),
    "WAU": ("Audi", ("奥迪",)),
    "WBA": ("BMW", ("宝马",)),
    "WDD": ("Mercedes-Benz", ("奔驰",)),
    "WP0": ("Porsche", ("保时捷",)),
    "JTD": ("Toyota", ("丰田",)),
    "5YJ": ("Tesla", ("特斯拉",)),
}
PREFIX_MIN = 3  # the manufacturer code: the shortest start of a VIN the store's list may describe
_PREFIX_HINT = N_("a VIN or its first characters (at least the 3 of the manufacturer code), e.g. LFV3A28H")


def maker(number: str) -> tuple[str, tuple[str, ...]] | None:
    """The maker and its brands by the VIN's manufacturer code, or None when the table does not know it."""
    return WMI.get(number[:3])


def prefix(text: str) -> str:
    """A vehicle-list key in canonical form: a whole VIN (validated), or its first 3 to 16 characters."""
    key = _clean(text)
    if len(key) == VIN_LENGTH:
        return validate(key)
    if not PREFIX_MIN <= len(key) < VIN_LENGTH or any(c not in ALPHABET for c in key):
        raise BadInput(_("{value!r} is not the start of a VIN").format(value=key[:24]), _(_PREFIX_HINT))
    return key


def describe(number: str, listed: list[dict]) -> dict:
    """What is known of the vehicle with this VIN: brand, series, model and config from the longest entry of the
    store's list it starts with, else the brand its manufacturer code names (when it names one); `maker` and
    `source` ("list", "wmi" or None) say where it came from."""
    entries = [e for e in listed if number.startswith(e["prefix"])]
    made = maker(number)
    known = {"brand": None, "series": None, "model": None, "config": None, "maker": made[0] if made else None,
             "source": None}
    if entries:
        best = max(entries, key=lambda e: len(e["prefix"]))
        return {**known, **{k: best.get(k) for k in ("brand", "series", "model", "config")}, "source": "list"}
    if made and len(made[1]) == 1:
        return {**known, "brand": made[1][0], "source": "wmi"}
    return known
