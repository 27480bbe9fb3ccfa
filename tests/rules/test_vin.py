import contextlib
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from leadctl.errors import BadInput
from leadctl.rules import vin

LEGAL = sorted(vin.ALPHABET)


def with_check_digit(stem: str) -> str:
    """A 17-character VIN with position 9 set to its check digit."""
    blank = stem[:8] + "0" + stem[9:]
    return blank[:8] + vin.check_digit(blank) + blank[9:]


def test_the_check_digit_by_hand():
    # LFV2A21K?G3043210 (FAW-Volkswagen's WMI LFV): values x weights, position 9 weighs 0
    #   L3x8 F6x7 V5x6 2x5 A1x4 2x3 1x2 K2x10 | G7x9 3x8 0x7 4x6 3x5 2x4 1x3 0x2
    #   = 24+42+30+10+4+6+2+20 + 63+24+0+24+15+8+3+0 = 275 = 25 x 11, remainder 0
    assert vin.check_digit("LFV2A21K0G3043210") == "0"


@pytest.mark.parametrize("number", [
    "LFV2A21K0G3043210",   # FAW-Volkswagen (China)
    "LSVNV2189N2123456",   # SAIC Volkswagen (China)
    "LRW3E7EK3NC123456",   # Tesla Shanghai (China)
    "LGBH52E07KY012345",   # Dongfeng Nissan (China)
    "1M8GDM9AXKP042788",   # North America, check digit X (remainder 10)
    "1HGCM82633A004352",   # Honda, North America
    "5YJSA1DG9DFP14705",   # Tesla, North America
    "JHMCM56557C404453",   # Honda, Japan
])
def test_real_format_vins_with_their_check_digit_pass_everywhere(number):
    assert vin.validate(number) == number
    assert vin.validate(number, everywhere=True) == number


@pytest.mark.parametrize("number", [
    "WP0ZZZ99ZTS392124",   # Porsche for Europe: position 9 is Z, no check digit (ISO 3779 does not ask for one)
    "WVWZZZ1JZXW000001",   # Volkswagen for Europe
    "1M8GDM9A1KP042788",   # North-American VIN with a wrong check digit: only the policy makes it mandatory
])
def test_outside_china_the_check_digit_is_required_only_by_the_policy(number):
    assert vin.validate(number) == number
    with pytest.raises(BadInput, match="fails its check digit"):
        vin.validate(number, everywhere=True)


@pytest.mark.parametrize("number, message", [
    ("LFV2A21K1G3043210", "fails its check digit: position 9 is 1, GB 16735 (China) makes it 0"),
    ("LFV2A21K0G3043211", "fails its check digit"),            # a mistyped last digit
    ("LFV2A21KXG3043210", "fails its check digit"),
    ("LFV2A21K0G304321", "has 16 characters, not 17"),
    ("LFV2A21K0G30432100", "has 18 characters, not 17"),
    ("LFV2A21K0G3O43210", "has O, which VINs never use"),
    ("IFV2A21K0G3043210", "has I, which VINs never use"),
    ("LFV2A21K0G3Q43210", "has Q, which VINs never use"),
    ("LFV2A21K0G304321*", "cannot hold: *"),
    ("LFV2A21K0G30432中", "cannot hold: 中"),
    ("", "the VIN is empty"),
    ("   ", "the VIN is empty"),
])
def test_bad_vins_are_refused_with_the_reason(number, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        vin.validate(number)


@pytest.mark.parametrize("typed", [
    "lfv2a21k0g3043210", " LFV2A21K0G3043210 ", "LFV 2A21K0 G3043210", "LFV-2A21K0-G3043210",
    "ＬＦＶ２Ａ２１Ｋ０Ｇ３０４３２１０",  # full-width, as typed with a Chinese input method
])
def test_vins_are_read_as_people_type_them(typed):
    assert vin.validate(typed) == "LFV2A21K0G3043210"


@given(st.text(max_size=40))
def test_any_text_is_a_vin_or_bad_input(text):
    try:
        number = vin.validate(text)
    except BadInput:
        return
    assert len(number) == 17 and set(number) <= vin.ALPHABET


@given(st.text(alphabet=LEGAL + list("IOQioq -*中"), min_size=15, max_size=19), st.booleans())
def test_near_vins_are_a_vin_or_bad_input(text, everywhere):
    try:
        number = vin.validate(text, everywhere)
    except BadInput:
        return
    assert vin.validate(number, everywhere) == number  # canonical form is stable


chinese_vins = st.text(alphabet=LEGAL, min_size=16, max_size=16).map(lambda s: with_check_digit("L" + s))


@given(chinese_vins)
def test_a_chinese_vin_with_its_check_digit_passes(number):
    assert vin.validate(number) == number
    assert vin.validate(number.lower()) == number


@given(chinese_vins, st.integers(1, 16), st.sampled_from(LEGAL))
def test_one_mistyped_character_is_caught_in_a_chinese_vin(number, index, typo):
    # every weight but the check digit's own is 1-10 and 11 is prime, so a character of another value is caught;
    # letters sharing a value (A, J and 1) are not, as in every VIN. The first character (L) stays Chinese.
    assume(vin.value(typo) != vin.value(number[index]) or index == 8)
    assume(typo != number[index])
    typed = number[:index] + typo + number[index + 1:]
    with pytest.raises(BadInput, match="check digit"):
        vin.validate(typed)


@pytest.mark.parametrize("typed, plate", [
    ("京A12345", "京A12345"),
    ("粤B·D12345", "粤BD12345"),     # new energy: six characters after the office letter
    ("沪a 1234学", "沪A1234学"),      # driving school
    ("苏E-88888", "苏E88888"),
])
def test_plates(typed, plate):
    assert vin.plate(typed) == plate


@pytest.mark.parametrize("typed", ["A12345", "京12345", "京AI2345", "京A1234", "京A1234567", "XX京A12345", ""])
def test_bad_plates(typed):
    with pytest.raises(BadInput, match="not a Chinese plate number"):
        vin.plate(typed)


@given(st.text(max_size=12))
def test_any_text_is_a_plate_or_bad_input(text):
    with contextlib.suppress(BadInput):
        assert vin.plate(text)[0] in vin.PROVINCES
