import sqlite3

import pytest

from tests.conftest import intake


def test_every_change_writes_its_event_with_actor_and_time(cli):
    intake(cli, "13800138000", owner="李娜")
    cli.json("grade", "1", "H", actor="李娜", now="2026-11-24T10:00")
    cli.json("followup", "1", "--result", "ok", actor="李娜", now="2026-11-24T11:00")
    rows = cli.query("SELECT e.at, s.name, e.action FROM events e JOIN staff s ON s.id = e.actor_id"
                     " WHERE e.lead_id = 1 ORDER BY e.id")
    assert rows == [("2026-11-24T09:00:00", "张前台", "intake"), ("2026-11-24T10:00:00", "李娜", "grade"),
                    ("2026-11-24T11:00:00", "李娜", "followup")]


@pytest.mark.parametrize("sql", ["UPDATE events SET action = 'nothing'", "DELETE FROM events"])
def test_events_cannot_be_changed_or_deleted(cli, db_path, sql):
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="audit events cannot be"):
        conn.execute(sql)
    conn.close()


def test_the_schema_rejects_wrong_types_and_values(cli, db_path):
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO leads (phone, channel, created_at, grade) VALUES ('1', 'walk-in', 'x', 'Z')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO leads (phone, channel, created_at, followup_count)"
                     " VALUES ('1', 'walk-in', 'x', 'many')")
    conn.execute("INSERT INTO leads (phone, channel, created_at) VALUES (01012345678, 'walk-in', 'x')")
    assert conn.execute("SELECT typeof(phone), phone FROM leads").fetchone() == ("text", "1012345678")  # B1 control
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO followups (lead_id, at, method, result) VALUES (1, 'x', 'phone', ' ')")
    conn.close()


def test_names_with_quotes_and_sql_are_stored_verbatim(cli):
    name = "张三'); DROP TABLE leads;--"
    intake(cli, "13800138000", name=name)
    cli.json("followup", "1", "--result", "O'Brien 说 %s ? 好", actor="王经理")
    assert cli.scalar("SELECT name FROM leads") == name
    assert cli.scalar("SELECT result FROM followups") == "O'Brien 说 %s ? 好"
