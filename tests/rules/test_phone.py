import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadctl.errors import BadInput
from leadctl.rules.phone import mask, mask_in, normalize


@pytest.mark.parametrize("raw, canonical", [
    ("13800138000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("86 13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("0086 138 0013 8000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),       # full-width digits
    ("＋８６ １３８ ００１３ ８０００", "13800138000"),
    ("138.0013.8000", "13800138000"),
    ("(138)0013-8000", "13800138000"),
    ("010-12345678", "01012345678"),
    ("01012345678", "01012345678"),
    ("+86 10 1234 5678", "01012345678"),
    ("0755-8765-4321", "075587654321"),
    ("+852 9123 4567", "+85291234567"),
    ("+8613900139000", "13900139000"),
])
def test_every_way_of_writing_a_number_gives_one_key(raw, canonical):
    assert normalize(raw) == canonical


@pytest.mark.parametrize("raw", [
    "", "   ", "12345", "1380013800", "138001380001", "23800138000", "abc", "138-0013-800O", "+86 12345",
    "10086", "٣٨٠٠١٣٨٠٠٠", "+0 123", "13800138000x",
])
def test_what_is_not_a_phone_number_is_refused(raw):
    with pytest.raises(BadInput):
        normalize(raw)


def test_mask_hides_the_middle():
    assert mask("13800138000") == "138****8000"
    assert mask("01012345678") == "010****5678"
    assert mask("+85291234567") == "+852****4567"
    assert mask(None) == ""


def test_mask_in_masks_numbers_inside_messages_but_not_ids():
    assert mask_in("no lead with phone 13800138000 (lead 1234567)") == "no lead with phone 138****8000 (lead 1234567)"


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", "  ", "\u3000", "."])


@st.composite
def written_mobiles(draw):
    number = draw(mobiles)
    sep = draw(separators)
    body = number[:3] + sep + number[3:7] + sep + number[7:]
    prefix = draw(st.sampled_from(["", "+86 ", "86", "0086", "+86-", "＋86"]))
    text = prefix + body
    if draw(st.booleans()):
        text = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)  # full width
    return number, text


@settings(max_examples=500)
@given(written_mobiles())
def test_any_written_form_of_a_mobile_normalises_to_it(pair):
    number, text = pair
    assert normalize(text) == number


@settings(max_examples=500)
@given(st.text(max_size=30))
def test_arbitrary_text_gives_a_number_or_bad_input(text):
    try:
        result = normalize(text)
    except BadInput:
        return
    assert normalize(result) == result  # idempotent
    shown = mask(result)
    assert shown != result
    assert sum(c.isdigit() for c in shown) <= 7


@settings(max_examples=300)
@given(st.from_regex(r"\+?[0-9 \-]{7,20}", fullmatch=True))
def test_phone_like_strings_are_idempotent_when_accepted(text):
    try:
        result = normalize(text)
    except BadInput:
        return
    assert normalize(result) == result
