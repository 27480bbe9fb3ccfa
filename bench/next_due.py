"""Time the cadence rule alone: `cadence.next_due` for many lead states, as an import or a policy change runs it.

    python bench/next_due.py [--states 100000] [--runs 3]
    PYTHONPATH=/tmp/old python bench/next_due.py    # another commit's leadctl (git archive REV leadctl | tar -x)

The states mix what an import and a store hold: new leads (first contact owed), graded leads followed up once or
twice, and ungraded ones, under the standard policy. Prints the best CPU time of the runs (in-process: no start-up,
no database).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta

from leadctl.models import Grade, LeadState, Status
from leadctl.rules import cadence
from leadctl.rules.policy import preset


def states(count: int) -> list[LeadState]:
    start = datetime(2026, 1, 1, 9)
    grades = (None, Grade.A, Grade.B, Grade.H)
    return [LeadState(grades[i % 4], Status.ACTIVE, start + timedelta(minutes=i),
                      start + timedelta(minutes=i + 5 * (i % 3)), i % 3) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    policy, each = preset("standard"), states(args.states)
    best = float("inf")
    for _ in range(args.runs):
        began = time.process_time()
        for state in each:
            cadence.next_due(policy, state)
        best = min(best, time.process_time() - began)
    print(f"cadence.next_due x {args.states:,}: {best:.3f} s CPU (best of {args.runs}), "
          f"{best / args.states * 1e6:.2f} us each")


if __name__ == "__main__":
    main()
