"""Time `leadctl import` of a 100k-row CSV against `sqlite-utils insert --csv` and the sqlite3 shell's `.import`.

    python bench/import_100k.py [--rows 100000] [--runs 3] [--dir bench/data/import] [--json-out PATH]

The CSV is generated deterministically (fixed seed): Chinese headers as an LMS exports them, phones written
in mixed formats (`13812345678`, `+86 138 1234 5678`, `138-1234-5678`, `86 13812345678`, landlines
`010-12345678`), and about 2% of the rows a second visit of an earlier customer written another way.
Every sample is a fresh process on a fresh database; its own CPU time and peak RSS are read with os.wait4, and
the load average is printed beside them. leadctl's figure is end to end (process start, decode,
checking every row, dedupe, grade and owner history, due dates, one transaction, fsync); the other two load
the raw text into a table and check nothing. The comparison says what leadctl's checks cost over a raw load.
Goals: leadctl under 3 s for 100,000 rows on a 2-core machine; at least 3x faster than sqlite-utils and within
10x of .import (issue 19); a 1,000,000-row file within 1.5x the peak RSS of a 100,000-row one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = "2026-11-24T09:00"
MANAGER = "王经理"
CONSULTANTS = ("李明", "赵磊", "孙浩", "周婷")
HEADERS = ("客户姓名", "手机号码", "意向车型", "客户来源", "信息来源", "意向级别", "销售顾问", "到店时间", "离店时间",
           "人数")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
MODELS = ("迈腾", "速腾", "宝来", "探岳", "探歌", "高尔夫", "揽境", "ID.4 CROZZ", "CC", "捷达VS5")
CHANNELS = ("展厅", "来电", "网络", "400", "车展", "转介绍", "总部下发")
INFO = ("网络", "亲友", "路过", "电话", "报纸", "其他", "")
GRADES = ("H", "A", "B", "C", "D", "A级", "")
GOAL_SECONDS = 3.0
VALID_MOBILE = re.compile(r"1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])")  # the 3-digit prefixes in use


def _phone_text(number: str, rnd: random.Random) -> str:
    if number.startswith("0"):
        return f"{number[:3]}-{number[3:]}"
    style = rnd.randrange(5)
    return (number, f"+86 {number[:3]} {number[3:7]} {number[7:]}", f"{number[:3]}-{number[3:7]}-{number[7:]}",
            f"86 {number}", f"+86{number}")[style]


def generate(path: Path, rows: int, seed: int = 20261124) -> dict:
    """A deterministic LMS-style export of `rows` data rows; returns what it holds."""
    rnd = random.Random(seed)
    numbers: list[str] = []
    repeats = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        for i in range(rows):
            if numbers and rnd.random() < 0.02:
                number, repeats = rnd.choice(numbers), repeats + 1
            elif rnd.random() < 0.03:
                number = f"010{60000000 + i:08d}"
                numbers.append(number)
            else:
                number = f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"
                if not VALID_MOBILE.match(number):  # a prefix no network has (phonenumbers): the same draw, as 13x
                    number = "13" + number[2:]
                numbers.append(number)
            day = 1 + (i * 7) % 28
            month = 1 + (i // 9000) % 10
            hour, minute = 9 + rnd.randrange(9), rnd.randrange(60)
            arrived = f"2026-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
            left = f"2026-{month:02d}-{day:02d} {hour + 1:02d}:{minute:02d}" if rnd.random() < 0.6 else ""
            out.writerow((rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(("", *GIVEN))[:1],
                          _phone_text(number, rnd), rnd.choice(MODELS), rnd.choice(CHANNELS), rnd.choice(INFO),
                          rnd.choice(GRADES), rnd.choice((*CONSULTANTS, "")), arrived, left, rnd.choice("1112234")))
    return {"rows": rows, "distinct_phones": len(set(numbers)), "repeat_rows": repeats}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")}
    env["LEADCTL_NOW"] = NOW
    return env


def _leadctl() -> str:
    script = Path(sys.executable).parent / "leadctl"
    if not script.exists():
        raise SystemExit(f"no console script at {script}; install leadctl in this interpreter's environment")
    return str(script)


def _fresh_store(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    run = [_leadctl(), "--db", str(db)]
    subprocess.run([*run, "init"], check=True, capture_output=True, env=_env())
    subprocess.run([*run, "staff", "add", MANAGER, "--role", "manager"], check=True, capture_output=True, env=_env())
    for name in CONSULTANTS:
        subprocess.run([*run, "--as", MANAGER, "staff", "add", name, "--role", "consultant", "--team", "showroom"],
                       check=True, capture_output=True, env=_env())


def _fresh_empty(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


CPU: dict[str, list[float]] = {}  # tool -> CPU seconds (user + system) of each sample, less noisy than wall time
RSS: dict[str, list[float]] = {}  # tool -> peak resident set of each sample's process, MB
LOAD: dict[str, list[float]] = {}  # tool -> the 1-minute load average as each sample ended


def _timed(cmd: list[str], tool: str) -> tuple[float, subprocess.CompletedProcess]:
    """One sample: wall time, and the child's own CPU and peak RSS (os.wait4: that process alone)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=_env())
        __, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())
    CPU.setdefault(tool, []).append(usage.ru_utime + usage.ru_stime)
    RSS.setdefault(tool, []).append(usage.ru_maxrss / 1024)
    LOAD.setdefault(tool, []).append(os.getloadavg()[0])
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])}... failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return elapsed, done


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def bench(csv_path: Path, work: Path, runs: int) -> dict:
    tools: dict[str, dict] = {}
    db = work / "bench.db"
    samples = []
    for _ in range(runs):
        _fresh_store(db)
        seconds, done = _timed([_leadctl(), "--db", str(db), "--as", MANAGER, "import", str(csv_path), "--json"],
                               "leadctl import")
        samples.append(seconds)
        summary = json.loads(done.stdout)
    tools["leadctl import"] = {"seconds": samples, "leads": _count(db, "leads"), "visits": _count(db, "visits"),
                               "summary": {k: summary[k] for k in ("read", "new", "merged", "rejected")}}
    sqlite_utils = Path(sys.executable).parent / "sqlite-utils"
    if sqlite_utils.exists():
        samples = []
        for _ in range(runs):
            _fresh_empty(db)
            seconds, _ = _timed([str(sqlite_utils), "insert", str(db), "leads", str(csv_path), "--csv"],
                                "sqlite-utils insert --csv")
            samples.append(seconds)
        tools["sqlite-utils insert --csv"] = {"seconds": samples, "leads": _count(db, "leads")}
    shell = shutil.which("sqlite3")
    if shell:
        samples = []
        for _ in range(runs):
            _fresh_empty(db)
            seconds, _ = _timed([shell, str(db), f".import --csv {csv_path} leads"], "sqlite3 .import --csv")
            samples.append(seconds)
        tools["sqlite3 .import --csv"] = {"seconds": samples, "leads": _count(db, "leads")}
    else:
        print("sqlite3 shell not found: skipping its comparison (apt-get install -y sqlite3)", file=sys.stderr)
    return tools


def report(tools: dict, rows: int) -> None:
    base = statistics.median(tools["leadctl import"]["seconds"])
    print(f"{'tool':<28}{'median s':>10}{'min s':>9}{'cpu s':>8}{'peak MB':>9}{'load':>6}{'rows/s':>11}"
          f"{'x leadctl':>11}  rows in table")
    for name, t in tools.items():
        med = statistics.median(t["seconds"])
        t["cpu_seconds"], t["peak_rss_mb"], t["load"] = CPU.get(name, []), RSS.get(name, []), LOAD.get(name, [])
        cpu = statistics.median(t["cpu_seconds"]) if t["cpu_seconds"] else float("nan")
        rss = max(t["peak_rss_mb"]) if t["peak_rss_mb"] else float("nan")
        load = statistics.median(t["load"]) if t["load"] else float("nan")
        print(f"{name:<28}{med:>10.2f}{min(t['seconds']):>9.2f}{cpu:>8.2f}{rss:>9.0f}{load:>6.1f}{rows / med:>11,.0f}"
              f"{med / base:>11.2f}  {t['leads']:,}")
    if len(tools) == 3:
        anchors = (statistics.median(tools["sqlite-utils insert --csv"]["seconds"]),
                   statistics.median(tools["sqlite3 .import --csv"]["seconds"]))
        print(f"sqlite-utils / leadctl: {anchors[0] / base:.2f} (goal >= 3); leadctl / .import: "
              f"{base / anchors[1]:.2f} (goal <= 10)")
    verdict = "PASS" if base < GOAL_SECONDS else "FAIL"
    print(f"goal: leadctl import of {rows:,} rows < {GOAL_SECONDS:.0f} s end to end: {verdict} ({base:.2f} s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=HERE / "data" / "import")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    csv_path = args.dir / f"leads-{args.rows}.csv"
    made = generate(csv_path, args.rows)
    print(f"{csv_path}: {made['rows']:,} rows, {made['distinct_phones']:,} distinct phones, "
          f"{made['repeat_rows']:,} repeat visits, {csv_path.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} cores")
    tools = bench(csv_path, args.dir, args.runs)
    report(tools, args.rows)
    if args.json_out:
        args.json_out.write_text(json.dumps({"rows": args.rows, **made, "tools": tools}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
