"""`policy simulate` on the sample year: a policy asking more contacts shows more due, per person, and nothing is
written (the database and the policy file byte-for-byte unchanged)."""

import hashlib

import pytest

from leadctl.errors import ExitCode
from tests.conftest import SAMPLE_NOW, sample_year

DEMO_NOW = SAMPLE_NOW
MANAGER = "张建国"


@pytest.fixture(scope="module")
def year(tmp_path_factory, sample_year_file):
    return sample_year(sample_year_file, tmp_path_factory.mktemp("year") / "year.db")


def test_h_every_day_asks_more_contacts_of_everyone(year, tmp_path):
    proposed = tmp_path / "h-daily.toml"
    proposed.write_text('name = "h-daily"\n[grades.H]\ncadence_days = 1\n', encoding="utf-8")
    digest = hashlib.sha256(proposed.read_bytes()).hexdigest()
    before = year.fingerprint()
    out = year.json("policy", "simulate", str(proposed), actor=MANAGER, now=DEMO_NOW)
    assert year.fingerprint() == before
    assert hashlib.sha256(proposed.read_bytes()).hexdigest() == digest
    assert (out["from"], out["to"], out["proposed"], out["current"]) == ("2025-11-20", "2026-11-19", "h-daily",
                                                                          "standard")
    people = [p for p in out["people"] if p["person"] != "(pool)"]
    assert len(people) >= 10
    for p in people:
        assert p["proposed"]["due"] > p["current"]["due"], p
    summary = out["summary"]
    assert summary["proposed"]["due"] > summary["current"]["due"]
    assert set(summary["overloaded_people"]) <= {p["person"] for p in people}
    day = out["days"][0]
    assert set(day) == {"day", "person", "proposed", "current"}
    assert set(day["proposed"]) == {"due", "overdue", "escalated", "workload"}


def test_the_same_policy_changes_nothing_and_a_period(year, tmp_path):
    same = tmp_path / "same.toml"
    same.write_text("", encoding="utf-8")
    out = year.json("policy", "simulate", str(same), "--from", "2026-10-01", "--to", "2026-10-31", actor=MANAGER,
                    now=DEMO_NOW)
    assert {d["day"] for d in out["days"]} <= {f"2026-10-{d:02d}" for d in range(1, 32)}
    assert all(p["proposed"] == p["current"] for p in out["people"])
    assert out["summary"]["overloaded_people"] == [] and out["summary"]["overloaded_days"] == []
    table = year("policy", "simulate", str(same), "--from", "2026-10-01", "--to", "2026-10-31", actor=MANAGER,
                 now=DEMO_NOW)
    assert "Proposed due" in table.stdout


def test_bad_requests(year, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[grades.H]\ncadence_days = 0\n", encoding="utf-8")
    year("policy", "simulate", str(bad), actor=MANAGER, now=DEMO_NOW, code=ExitCode.DATA)
    year("policy", "simulate", str(tmp_path / "none.toml"), actor=MANAGER, now=DEMO_NOW, code=ExitCode.NO_INPUT)
    year("policy", "simulate", str(bad), "--from", "2026-10-02", "--to", "2026-10-01", actor=MANAGER, now=DEMO_NOW,
         code=ExitCode.USAGE)
    seller = year.scalar("SELECT name FROM staff WHERE role = 'consultant' LIMIT 1")
    year("policy", "simulate", str(bad), actor=seller, now=DEMO_NOW, code=ExitCode.PERMISSION)
