import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata

from leadctl.errors import BadInput
from leadctl.rules import phone
from leadctl.rules.phone import mask, mask_in, normalize
from tests.conftest import intake


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
    assert phone.tail(raw) == phone.tail(canonical) == canonical[-8:]  # what an import groups rows by first


@pytest.mark.parametrize("raw", [
    "", "   ", "12345", "1380013800", "138001380001", "23800138000", "abc", "138-0013-800O", "+86 12345",
    "10086", "٣٨٠٠١٣٨٠٠٠", "+0 123", "13800138000x",
    "+86 1380013800",    # a mobile one digit short is not the landline 01380013800
    "14000000000",       # no network uses the prefix 140
    "15412345678",
    "0123-1234567",      # no area code 0123
    "4008123123",        # a 400 number is not a customer's phone
    "01012345",          # a short service number, not a landline
    "+2902123",          # too short for Saint Helena
    "+1 202 555 01",
])
def test_what_is_not_a_phone_number_is_refused(raw):
    with pytest.raises(BadInput):
        normalize(raw)


@pytest.mark.parametrize("raw, canonical", [
    ("+29021234", "+29021234"),               # Saint Helena: 8 digits in E.164
    ("+1 202-555-0143", "+12025550143"),
    ("+44 20 7946 0000", "+442079460000"),
    ("+886 912 345 678", "+886912345678"),
    ("0086 20 1234 5678", "02012345678"),
    ("+86 (0)755 8765 4321", "075587654321"),
    ("0571-8888 6666", "057188886666"),
    ("17400012345", "17400012345"),           # 1740[0-5]: the library knows the sub-range
])
def test_numbers_the_library_accepts_keep_todays_forms(raw, canonical):
    assert normalize(raw) == canonical
    assert normalize(canonical) == canonical


def test_the_fast_mobile_pattern_is_the_librarys():
    assert PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern == phone.CN_MOBILE_PATTERN


def test_a_number_without_country_code_is_read_in_the_policy_region():
    assert normalize("9123 4567", "HK") == "+85291234567"
    assert normalize("+86 138 0013 8000", "HK") == "13800138000"  # Chinese numbers keep their national form
    with pytest.raises(BadInput):
        normalize("9123 4567")


def test_mask_hides_at_least_four_digits_of_a_short_foreign_number():
    assert mask("+29021234") == "+29****34"
    assert mask("+123456789") == "+12****789"
    assert sum(c.isdigit() for c in mask("+29021234")) == 4


def test_mask_hides_the_middle():
    assert mask("13800138000") == "138****8000"
    assert mask("01012345678") == "010****5678"
    assert mask("+85291234567") == "+852****4567"
    assert mask(None) == ""


def test_mask_in_masks_numbers_inside_messages_but_not_ids():
    assert mask_in("no lead with phone 13800138000 (lead 1234567)") == "no lead with phone 138****8000 (lead 1234567)"


# real mobiles: the library's own pattern for them, not ours
mobiles = st.from_regex(re.compile(PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern, re.ASCII),
                        fullmatch=True)
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


@settings(max_examples=500, deadline=None)
@given(written_mobiles())
def test_any_written_form_of_a_mobile_normalises_to_it(pair):
    number, text = pair
    assert normalize(text) == number
    assert phone.tail(text) == number[-8:]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_text_gives_a_number_or_bad_input(text):
    try:
        result = normalize(text)
    except BadInput:
        return
    assert normalize(result) == result  # idempotent
    assert phone.tail(text) == phone.tail(result)  # one number, one tail, however it was written
    shown = mask(result)
    assert shown != result
    assert sum(c.isdigit() for c in shown) <= 7


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\+?[0-9 \-]{7,20}", fullmatch=True))
def test_phone_like_strings_are_idempotent_when_accepted(text):
    try:
        result = normalize(text)
    except BadInput:
        return
    assert normalize(result) == result


# -- through the CLI -------------------------------------------------------------------------------------------------
def test_a_mobile_one_digit_short_is_refused_not_stored_as_a_landline(cli):
    before = cli.fingerprint()
    result = cli("intake", "--name", "刘洋", "--phone", "+86 1380013800", code=65, actor="张前台")
    assert "mobile" in result.stderr and "01380013800" not in result.stderr
    assert cli.fingerprint() == before
    assert cli.scalar("SELECT count(*) FROM leads") == 0


def test_a_landline_needs_a_real_area_code(cli):
    cli("intake", "--name", "刘洋", "--phone", "0123-1234567", code=65, actor="张前台")
    assert intake(cli, "0571-8888 6666")["lead_id"]
    assert cli.query("SELECT phone FROM leads") == [("057188886666",)]


def test_a_foreign_number_is_kept_in_e164(cli):
    intake(cli, "+290 21234")
    assert cli.query("SELECT phone FROM leads") == [("+29021234",)]


def test_the_policy_region_reads_numbers_without_country_code(cli, tmp_path):
    toml = tmp_path / "hk.toml"
    toml.write_text('[phone]\nregion = "HK"\n', encoding="utf-8")
    cli("policy", "set-file", str(toml), actor="王经理")
    done = intake(cli, "9123 4567")
    assert cli.query("SELECT phone FROM leads WHERE id = ?", done["lead_id"]) == [("+85291234567",)]
    assert cli.json("show", "9123-4567", actor="王经理")["id"] == done["lead_id"]


def test_an_unknown_policy_region_is_refused(cli, tmp_path):
    toml = tmp_path / "xx.toml"
    toml.write_text('[phone]\nregion = "XX"\n', encoding="utf-8")
    result = cli("policy", "set-file", str(toml), code=65, actor="王经理")
    assert "phone.region" in result.stderr


def test_a_mobile_is_decided_without_importing_the_library(cli):
    """phonenumbers costs ~20 ms to import: the hot commands given a mobile do not load it."""
    import json
    import subprocess
    import sys

    from tests.test_fast_start import SCRIPT

    db = ["--db", str(cli.db)]
    runs = [[*db, "--as", "张前台", "intake", "--name", "钱多", "--phone", "+86 139-0013-9000", "--json"],
            [*db, "--as", "王经理", "grade", "139 0013 9000", "A", "--json"],
            [*db, "--as", "王经理", "show", "13900139000", "--json"]]
    done = subprocess.run([sys.executable, "-c", SCRIPT.replace("{heavy}", "{'phonenumbers'}"), json.dumps(runs)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_check_lists_stored_phones_the_library_rejects_and_changes_none(cli):
    """Numbers stored by an older leadctl (hand-written patterns) are re-checked by `check`, never rewritten."""
    from leadctl.errors import ExitCode

    kept = intake(cli, "13800138000")["lead_id"]
    old = intake(cli, "13900139000")["lead_id"]
    conn = sqlite3.connect(cli.db)
    with conn:  # as the old patterns accepted it: 146 is no network's prefix
        conn.execute("UPDATE leads SET phone = '14612345678' WHERE id = ?", (old,))
    conn.close()
    assert cli.json("check", code=ExitCode.ATTENTION, actor="王经理")["phones_rejected"] == [
        {"lead_id": old, "phone": "146****5678", "problem": "not a Chinese mobile: no network uses the prefix 146"}]
    assert cli.query("SELECT id, phone FROM leads ORDER BY id") == [(kept, "13800138000"), (old, "14612345678")]
