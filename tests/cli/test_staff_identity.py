"""Identity in embedded mode: bindings and PINs are the admin's, the last admin or manager stays, a system role,
and the migration that made room for it."""

import sqlite3

from leadctl.errors import ExitCode


def test_the_last_active_manager_or_admin_cannot_be_deactivated(cli):
    result = cli("staff", "deactivate", "王经理", actor="王经理", code=ExitCode.REFUSED)
    assert "王经理 is the last active manager" in result.stderr
    cli("staff", "add", "管理员", "--role", "admin", actor="王经理")
    cli("staff", "deactivate", "管理员", actor="王经理", code=ExitCode.REFUSED)
    cli("staff", "add", "新经理", "--role", "manager", actor="王经理")
    cli("staff", "deactivate", "王经理", actor="新经理")
    cli("staff", "deactivate", "新经理", actor="管理员", code=ExitCode.REFUSED)
    assert cli.query("SELECT name FROM staff WHERE active = 1 AND role IN ('manager', 'admin') ORDER BY id") == [
        ("管理员",), ("新经理",)]


def test_binding_an_os_account_is_the_admins_and_audited(cli):
    cli("staff", "bind", "李娜", "--os-user", "5003", actor="王经理", code=ExitCode.PERMISSION)
    cli("staff", "add", "管理员", "--role", "admin", actor="王经理")
    assert cli.json("staff", "bind", "李娜", "--os-user", "5003", actor="管理员") == {
        "name": "李娜", "os_uid": 5003, "os_name": None, "shared": False}
    assert cli.json("staff", "bind", "陈刚", "--os-user", "root", actor="管理员")["os_uid"] == 0
    assert cli.json("staff", "bind", "张前台", "--os-user", "5003", actor="管理员")["shared"] is True
    cli("staff", "bind", "李娜", "--os-user", "5003", actor="管理员", code=ExitCode.REFUSED)
    cli("staff", "bind", "李娜", "--os-user", "no-such-login-here", actor="管理员", code=ExitCode.NOT_FOUND)
    assert cli.query("SELECT os_uid, staff_id FROM staff_os ORDER BY 1, 2") == [(0, 3), (5003, 2), (5003, 4)]
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'staff.bind'") == 3


def test_a_pin_is_ones_own_or_an_admins_to_set_and_never_stored_as_typed(cli):
    cli("staff", "pin", input="24680\n", actor="李娜")
    cli("staff", "pin", "陈刚", input="1234\n", actor="李娜", code=ExitCode.PERMISSION)
    cli("staff", "pin", input="12\n", actor="陈刚", code=ExitCode.DATA)
    cli("staff", "pin", input="abcd\n", actor="陈刚", code=ExitCode.DATA)
    assert cli.query("SELECT staff_id FROM staff_pins") == [(2,)]
    assert b"24680" not in cli.db.read_bytes()


def test_login_is_for_the_store_service(cli):
    result = cli("login", "李娜", input="1234\n", actor="李娜", code=ExitCode.CONFIG)
    assert "store service" in result.stderr


def test_a_system_member_for_cron_reads_the_due_list_and_nothing_of_the_daily_work(cli):
    cli("staff", "add", "定时任务", "--role", "system", actor="王经理")
    cli("intake", "--name", "客户", "--phone", "13900000009", "--owner", "李娜", actor="张前台")
    assert "13900000009" in cli("due", "--all", "--csv", actor="定时任务").stdout
    cli("intake", "--name", "x", "--phone", "13900000010", actor="定时任务", code=ExitCode.PERMISSION)
    cli("staff", "add", "x", "--role", "admin", actor="定时任务", code=ExitCode.PERMISSION)


def test_the_role_migration_keeps_the_staff_table_and_its_foreign_keys(cli):
    conn = sqlite3.connect(cli.db)
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'staff'").fetchone()[0]
        assert "role = 'system')" in sql and " IN " not in sql
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        refs = conn.execute("SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
                            " WHERE m.type = 'table' AND f.\"table\" = 'staff'").fetchone()[0]
        assert refs >= 30
    finally:
        conn.close()
