import json

from leadctl.errors import ExitCode


def journal(tmp_path, entries):
    path = tmp_path / "journal.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8")
    return path


ENTRIES = [
    {"at": "2026-11-01T09:00", "as": None, "cmd": "staff.add", "args": {"name": "王经理", "role": "manager"}},
    {"at": "2026-11-01T09:01", "as": "王经理", "cmd": "staff.add",
     "args": {"name": "李娜", "role": "consultant", "team": "showroom"}},
    {"at": "2026-11-02T10:00", "as": "李娜", "cmd": "intake",
     "args": {"name": "刘洋", "phone": "138-0013-8000", "channel": "展厅", "arrived": "2026-11-02T09:40"}},
    {"at": "2026-11-02T16:00", "as": "李娜", "cmd": "followup",
     "args": {"lead": "13800138000", "result": "首次回访", "grade": "A"}},
    {"at": "2026-11-03T10:00", "as": "李娜", "cmd": "grade", "args": {"lead": "13800138000", "within": "2w"}},
]


def test_a_journal_replays_each_line_at_its_own_time(bare, tmp_path):
    bare("init")
    out = bare.json("replay", str(journal(tmp_path, ENTRIES)))
    assert out["applied"] == 5
    assert bare.query("SELECT grade, created_at, next_due FROM leads") == [("A", "2026-11-02T09:40:00", "2026-11-09")]
    assert bare.scalar("SELECT at FROM followups") == "2026-11-02T16:00:00"


def test_one_bad_line_and_nothing_is_applied(bare, tmp_path):
    bare("init")
    before = bare.fingerprint()
    bad = [*ENTRIES[:4], {"at": "2026-11-03T10:00", "as": "李娜", "cmd": "followup",
                          "args": {"lead": "13800138000", "result": "x", "next": "2027-01-01"}}]
    result = bare("replay", str(journal(tmp_path, bad)), code=ExitCode.REFUSED)
    assert "line 5: next contact 2027-01-01 is later than grade A allows" in result.stderr
    assert bare.fingerprint() == before


def test_journals_out_of_order_or_malformed(bare, tmp_path):
    bare("init")
    swapped = [*ENTRIES[:3], ENTRIES[4], ENTRIES[3]]
    assert "line 5: time 2026-11-02 16:00:00 goes back" in bare("replay", str(journal(tmp_path, swapped)),
                                                                  code=ExitCode.DATA).stderr
    path = tmp_path / "junk.jsonl"
    path.write_text("{not json\n")
    assert "line 1: not a journal entry" in bare("replay", str(path), code=ExitCode.DATA).stderr
    bare("replay", str(tmp_path / "missing.jsonl"), code=ExitCode.NO_INPUT)
    assert bare.scalar("SELECT count(*) FROM staff") == 0


def test_closings_replay_by_lead_as_well_as_by_id(bare, tmp_path):
    bare("init")
    lines = [*ENTRIES, {"at": "2026-11-03T11:00", "as": "王经理", "cmd": "staff.add",
                        "args": {"name": "孙客服", "role": "service"}}]
    lines += [
        {"at": "2026-11-05T10:00", "as": "李娜", "cmd": "defeat.request",
         "args": {"lead": "13800138000", "reason": "竞品", "lost_to": "丰田凯美瑞", "price": 180000}},
        {"at": "2026-11-05T15:00", "as": "孙客服", "cmd": "defeat.verify", "args": {"lead": "13800138000",
                                                                               "result": "确认已购凯美瑞"}},
        {"at": "2026-11-06T09:00", "as": "王经理", "cmd": "defeat.approve", "args": {"lead": "13800138000"}},
    ]
    assert bare.json("replay", str(journal(tmp_path, lines)))["applied"] == 9
    assert bare.query("SELECT status, grade FROM leads") == [("defeated", "F")]
    assert bare.query("SELECT status, lost_to FROM defeats") == [("approved", "丰田凯美瑞")]
