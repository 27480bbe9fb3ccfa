import pytest

from leadctl.errors import ExitCode


def test_the_first_staff_member_needs_no_actor_but_must_lead(bare):
    bare("init")
    assert bare("staff", "list").stdout == "Staff: 0\n"  # nobody yet: the title and its count, not an empty frame
    result = bare("staff", "add", "李娜", "--role", "consultant", code=ExitCode.REFUSED)
    assert "first staff member must be a manager or an admin" in result.stderr
    bare("staff", "add", "王经理", "--role", "销售经理")  # Chinese role names work
    assert bare.query("SELECT name, role FROM staff") == [("王经理", "manager")]
    assert bare.scalar("SELECT json_extract(detail, '$.bootstrap') FROM events WHERE action = 'staff.add'") == 1


def test_after_the_bootstrap_an_actor_is_needed(cli):
    result = cli("staff", "add", "周新", "--role", "consultant", code=ExitCode.PERMISSION)
    assert "--as" in result.stderr
    assert cli.scalar("SELECT count(*) FROM staff WHERE name = '周新'") == 0
    assert cli.query("SELECT actor_id, json_extract(detail, '$.act') FROM events WHERE action = 'denied'") == [
        (None, "staff.add")]


def test_only_managers_and_admins_add_staff_and_refusals_are_audited(cli):
    result = cli("staff", "add", "周新", "--role", "consultant", actor="李娜", code=ExitCode.PERMISSION)
    assert "李娜 (consultant) may not staff.add" in result.stderr
    assert cli.scalar("SELECT count(*) FROM staff WHERE name = '周新'") == 0
    denied = cli.query("SELECT s.name, json_extract(e.detail, '$.act') FROM events e JOIN staff s ON s.id = e.actor_id"
                       " WHERE e.action = 'denied'")
    assert denied == [("李娜", "staff.add")]


def test_unknown_actors_are_denied(cli):
    result = cli("staff", "add", "周新", "--role", "consultant", actor="路人", code=ExitCode.PERMISSION)
    assert "unknown staff member '路人'" in result.stderr


def test_duplicate_names_and_unknown_roles(cli):
    before = cli.fingerprint()
    cli("staff", "add", "李娜", "--role", "consultant", actor="王经理", code=ExitCode.REFUSED)
    result = cli("staff", "add", "周新", "--role", "boss", actor="王经理", code=ExitCode.DATA)
    assert "unknown role 'boss'" in result.stderr and "receptionist" in result.stderr
    cli("staff", "add", "周新", "--role", "consultant", "--team", "moon", actor="王经理", code=ExitCode.DATA)
    assert cli.fingerprint() == before


def test_staff_list_in_every_form(cli):
    rows = cli.json("staff", "list")
    assert [r["name"] for r in rows][:2] == ["王经理", "李娜"]
    assert rows[1] == {**rows[1], "role": "consultant", "team": "showroom", "active": True}
    csv_out = cli("staff", "list", "--csv").stdout.splitlines()
    assert csv_out[0] == "ID,Name,Role,Team,Active,Created at"
    shown = cli("staff", "list").stdout
    assert "李娜" in shown and shown.startswith(f"Staff: {len(rows)}\n")


@pytest.mark.parametrize("name", ["", "   ", "\t", "王" * 41, "王\x07经理", "李\u200b娜"])
def test_a_staff_name_that_cannot_be_one_is_bad_input_not_a_database_error(cli, name):
    before = cli.fingerprint()
    result = cli("staff", "add", name, "--role", "consultant", actor="王经理", code=ExitCode.DATA)
    assert "database" not in result.stderr and "constraint" not in result.stderr.casefold()
    assert cli.fingerprint() == before


def test_a_staff_name_of_the_longest_allowed_length_and_with_spaces_around_it(cli):
    cli("staff", "add", " " + "周" * 40 + " ", "--role", "consultant", actor="王经理")
    assert cli.scalar("SELECT name FROM staff WHERE name LIKE '周%'") == "周" * 40
