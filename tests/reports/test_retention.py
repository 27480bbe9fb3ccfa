"""The first-visit retention rate reproduces the case in [000]: 1,143 of 1,682 is 68.0%, 1,689 of 1,787 is 94.5%."""

import pytest

from tests.conftest import journal

READER = "经理"


def store_month(tmp_path, month: str, kept: int, batches: int) -> list[dict]:
    entries = [
        {"at": f"{month}-01T08:00", "as": None, "cmd": "staff.add", "args": {"name": "经理", "role": "manager"}},
        {"at": f"{month}-01T08:01", "as": "经理", "cmd": "staff.add",
         "args": {"name": "信息员", "role": "receptionist"}},
    ]
    for i in range(batches):
        day, minute = 1 + i % 28, i // 28
        at = f"{month}-{day:02d}T{9 + minute // 60:02d}:{minute % 60:02d}"
        args = {"name": f"客户{i}", "phone": f"139{i:08d}"} if i < kept else {"no_contact": True, "party": 2}
        entries.append({"at": at, "as": "信息员", "cmd": "intake", "args": {**args, "arrived": at}})
    entries.sort(key=lambda e: e["at"])
    return entries


@pytest.mark.parametrize("kept, batches, shown", [(1143, 1682, "68.0%"), (1689, 1787, "94.5%")])
def test_first_visit_retention_rate_of_the_case(bare, tmp_path, kept, batches, shown):
    bare("init")
    bare("replay", str(journal(tmp_path / "month.jsonl", store_month(tmp_path, "2026-10", kept, batches))),
         now="2026-11-24T09:00")
    rows = {r["kpi"]: r for r in bare.json("report", "kpi", "--month", "2026-10", actor=READER)["rows"]}
    retention = rows["retention_rate"]
    assert (retention["numerator"], retention["denominator"]) == (kept, batches)
    assert retention["value"] == pytest.approx(kept / batches)
    assert f"{retention['value']:.1%}" == shown
    assert retention["passed"] is (kept / batches >= 0.90)
    assert shown in bare("report", "kpi", "--month", "2026-10", actor=READER).stdout
