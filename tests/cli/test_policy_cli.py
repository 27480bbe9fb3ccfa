from leadctl.errors import ExitCode
from tests.conftest import intake


def test_policy_show(cli):
    data = cli.json("policy", "show")
    assert data["name"] == "standard" and data["grades"]["H"]["cadence_days"] == 2
    assert data["set_by"] is None
    table = cli("policy", "show").stdout
    assert "buys within 1 week" in table


def test_set_file_is_a_managers_act_audited_and_replans(cli, tmp_path):
    intake(cli, "13800138000", owner="李娜")
    cli.json("followup", "1", "--result", "ok", "--grade", "A", actor="李娜")
    assert cli.scalar("SELECT next_due FROM leads") == "2026-12-01"
    faster = tmp_path / "faster.toml"
    faster.write_text("[grades.A]\ncadence_days = 3\n")
    cli("policy", "set-file", str(faster), actor="李娜", code=ExitCode.PERMISSION)
    cli("policy", "set-file", str(faster), actor="王经理")
    assert cli.scalar("SELECT next_due FROM leads") == "2026-11-27"
    data = cli.json("policy", "show")
    assert data["set_by"] == "王经理" and data["grades"]["A"]["cadence_days"] == 3
    assert data["grades"]["H"]["cadence_days"] == 2  # the rest of the policy in force is kept
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'policy.set'") == 2


def test_a_bad_policy_file_changes_nothing(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    for text, message in [("[grades.H]\ncadense_days = 1\n", "unknown key"),
                          ("[grades.H]\ncadence_days = -1\n", "must not be negative"),
                          ("[grades.X]\nmeaning = 'x'\n", "unknown grade 'X'"),
                          ("grades = [", "not valid TOML")]:
        bad.write_text(text)
        before = cli.fingerprint()
        result = cli("policy", "set-file", str(bad), actor="王经理", code=ExitCode.DATA)
        assert message in result.stderr
        assert cli.fingerprint() == before
