"""Wall time of leadctl's hot commands against a minimal Typer app, on a store-decade database.

    python bench/startup.py --db bench/data/store-decade.db [--runs 20] [--warmup 2] [--bytecode cached|none]
                            [--owner NAME] [--json-out PATH]

To time a pinned commit rather than the working tree, export it and put it first on PYTHONPATH (for the build too):
    mkdir -p bench/data/leadctl-HEAD && git archive HEAD leadctl | tar -x -C bench/data/leadctl-HEAD
    export PYTHONPATH=$PWD/bench/data/leadctl-HEAD

Every sample is a fresh process. The commands are interleaved (round r runs them all, in an order rotated by r) so
that machine noise hits all of them alike. Reported: median and p90 wall time, and each command's ratio to the floor
(bench/floor_app.py: Typer + sqlite3 + one indexed query + JSON). Then, once per command under `python -X importtime`,
which heavy modules get imported (pandas, openpyxl and sqlite_utils must not be), and EXPLAIN QUERY PLAN of the SQL
that `due` and `show` really run (captured with a trace callback).

All leadctl runs use --now 2026-11-24T09:00. Writes (intake, grade, followup) add rows to the database but leave
the benchmark's selection intact: grade and followup touch leads of the timed owner that are not due and stay not
due; intake registers brand-new phones at the front desk without an owner, so no owner's due list grows from run
to run.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

NOW = "2026-11-24T09:00"
TODAY = NOW[:10]
BANNED = ("pandas", "openpyxl", "sqlite_utils")
HERE = Path(__file__).resolve().parent
GOAL_RATIO = 1.5
GOAL_DUE_SECONDS = 0.3


def leadctl_script() -> list[str]:
    script = Path(sys.executable).parent / "leadctl"
    if not script.exists():
        raise SystemExit(f"no console script at {script}; install leadctl in this interpreter's environment")
    return [str(script)]


BYTECODE = {"mode": "cached"}  # set from --bytecode in main()


def clean_env() -> dict[str, str]:
    """The caller's environment without leadctl's variables, and with the chosen bytecode policy.

    cached (default): like an installed program, every module's bytecode is cached, in bench/data/pycache
    (PYTHONPYCACHEPREFIX) so the source tree stays clean. none: PYTHONDONTWRITEBYTECODE=1 and no cache, so every
    module without a __pycache__ next to it is compiled from source on every run.
    """
    dropped = ("LEADCTL_", "PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    if env.get("PYTHONPATH"):  # the runs start in bench/data (so `python -m` cannot pick up ./leadctl)
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in env["PYTHONPATH"].split(os.pathsep))
    if BYTECODE["mode"] == "cached":
        env["PYTHONPYCACHEPREFIX"] = str(HERE / "data" / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# -- what to run --------------------------------------------------------------------------------------------------
def pick(db: Path, owner: str | None) -> dict:
    """The staff and leads the commands act on, chosen from the database (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = conn.execute
    if owner is None:  # the consultant with the longest due list today: the worst morning
        owner = q("SELECT s.name FROM staff s JOIN leads l ON l.owner_id = s.id AND l.next_due <= ?"
                  " WHERE s.role = 'consultant' GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1",
                  (TODAY,)).fetchone()[0]
    owner_id, team = q("SELECT id, team FROM staff WHERE name = ?", (owner,)).fetchone()
    desk = q("SELECT name FROM staff WHERE role = 'receptionist' ORDER BY id LIMIT 1").fetchone()[0]
    # grade B re-plans to last contact + 15 days; a contact since 2026-11-20 keeps it off today's list. A contact
    # before today: the followup lead (contacted today by every run) must never become the grade lead.
    grade_id = q("SELECT id FROM leads WHERE owner_id = ? AND status = 'active' AND grade IN ('H','A','B','C')"
                 " AND next_due > ? AND last_contact_at >= '2026-11-20' AND last_contact_at < ? ORDER BY id LIMIT 1",
                 (owner_id, TODAY, TODAY)).fetchone()[0]
    # a follow-up now re-plans to today + cadence: never due today
    followup_id = q("SELECT id FROM leads WHERE owner_id = ? AND status = 'active' AND grade IN ('H','A','B','C')"
                    " AND next_due > ? AND id != ? ORDER BY id LIMIT 1", (owner_id, TODAY, grade_id)).fetchone()[0]
    # the owner's active lead with the longest history: the heaviest card they open
    show_id, show_followups = q(
        "SELECT id, followup_count FROM leads WHERE owner_id = ? AND status = 'active' AND next_due IS NOT NULL"
        " AND id NOT IN (?, ?) ORDER BY followup_count DESC, id LIMIT 1", (owner_id, grade_id, followup_id)).fetchone()
    counts = {t: q(f"SELECT max(id) FROM {t}").fetchone()[0] for t in ("leads", "followups", "visits", "grades")}
    due_rows = q("SELECT count(*) FROM leads WHERE owner_id = ? AND next_due <= ?", (owner_id, TODAY)).fetchone()[0]
    all_rows = q("SELECT count(*) FROM leads WHERE next_due <= ?", (TODAY,)).fetchone()[0]
    conn.close()
    return {"owner": owner, "owner_id": owner_id, "team": team, "desk": desk, "show": show_id,
            "show_followups": show_followups, "grade": grade_id, "followup": followup_id, "rows": counts,
            "due_rows": due_rows, "all_due_rows": all_rows}


def new_phones(db: Path, count: int) -> list[str]:
    """Mobile numbers no lead has yet."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rng, out = random.Random(), []
    while len(out) < count:
        phone = f"1{rng.choice('38')}{rng.randrange(10**9):09d}"  # 13x, 18x: prefixes every network uses
        if phone not in out and conn.execute("SELECT 1 FROM leads WHERE phone = ?", (phone,)).fetchone() is None:
            out.append(phone)
    conn.close()
    return out


def commands(db: Path, chosen: dict, phones: list[str]) -> dict[str, callable]:
    """name -> function(round) returning argv. Each leadctl command gets --db and --now."""
    lc, py = leadctl_script(), sys.executable
    base = [*lc, "--db", str(db), "--now", NOW]
    owner, names = chosen["owner"], iter(f"测试{i}号" for i in range(10**6))
    return {
        "python -c pass (interpreter)": lambda r: [py, "-c", "pass"],
        "floor: typer + 1 query": lambda r: [py, str(HERE / "floor_app.py"), "--db", str(db), "--owner-id",
                                              str(chosen["owner_id"]), "--on", TODAY],
        "leadctl --help": lambda r: [*lc, "--help"],
        "python -m leadctl --help": lambda r: [py, "-m", "leadctl", "--help"],
        "due --today --owner X --json": lambda r: [*base, "--as", owner, "due", "--today", "--owner", owner, "--json"],
        "show ID --json": lambda r: [*base, "--as", owner, "show", str(chosen["show"]), "--json"],
        # no --owner: a new lead owned by someone would join their due list (first contact is due the same day)
        "intake (new phone) --json": lambda r: [*base, "--as", chosen["desk"], "intake", "--name", next(names),
                                                 "--phone", phones[r], "--channel", "walk-in", "--model", "卡罗拉",
                                                 "--json"],
        "grade ID B --json": lambda r: [*base, "--as", owner, "grade", str(chosen["grade"]), "B", "--json"],
        "followup ID --result ... --json": lambda r: [*base, "--as", owner, "followup", str(chosen["followup"]),
                                                      "--result", "客户考虑中，下周再联系", "--json"],
    }


REFERENCE = ("python -c pass (interpreter)", "floor: typer + 1 query")
FLOOR = "floor: typer + 1 query"


# -- timing -------------------------------------------------------------------------------------------------------
def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str]) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system) and stdout of one fresh process."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=clean_env(), check=False, cwd=HERE / "data")
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"exit {done.returncode}: {' '.join(argv)}\n{done.stderr.decode(errors='replace')}")
    return elapsed, cpu, done.stdout.decode()


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]  # nearest rank


def measure(cmds: dict, runs: int, warmup: int) -> tuple[dict[str, list[float]], dict[str, list[float]], dict]:
    names, samples, cpu, last_out = list(cmds), {n: [] for n in cmds}, {n: [] for n in cmds}, {}
    for r in range(warmup + runs):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            elapsed, used, out = run_once(cmds[name](r))
            last_out[name] = out
            if r >= warmup:
                samples[name].append(elapsed)
                cpu[name].append(used)
        print(f"  round {r + 1}/{warmup + runs}{' (warm-up)' if r < warmup else ''}", file=sys.stderr, flush=True)
    return samples, cpu, last_out


# -- imports ------------------------------------------------------------------------------------------------------
def imports_of(argv: list[str]) -> dict:
    """Modules imported by one run under -X importtime: banned ones, count, and the heaviest top-level ones."""
    if Path(argv[0]).name == "leadctl":
        argv = [sys.executable, *argv]
    elif argv[0] != sys.executable:
        raise ValueError(argv)
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], capture_output=True, env=clean_env(),
                          check=False, text=True, cwd=HERE / "data")
    if done.returncode != 0:
        raise SystemExit(f"exit {done.returncode} under -X importtime: {' '.join(argv)}\n{done.stderr}")
    modules, top = [], []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line.removeprefix("import time:").split("|", 2)
        modules.append((name.strip(), int(self_us)))
        if not name.removeprefix(" ").startswith(" "):  # nesting is shown by extra indentation
            top.append((int(cumulative), name.strip()))
    roots = {m.split(".")[0] for m, _ in modules}
    top.sort(reverse=True)
    return {"modules": len(modules), "import_ms": round(sum(us for _, us in modules) / 1000, 1),
            "banned": sorted(r for r in roots if r in BANNED), "rich": "rich" in roots,
            "heaviest": [(name, round(us / 1000, 1)) for us, name in top[:5]]}


# -- query plans --------------------------------------------------------------------------------------------------
def plans(db: Path, chosen: dict, phone: str) -> list[dict]:
    """EXPLAIN QUERY PLAN of every query the services behind the timed commands execute (traced in-process).

    Reads are timed in-process (median of 10 calls); writes run once (each call adds its rows, like a timed run).
    """
    from leadctl.services import due as due_service
    from leadctl.services import followups, grading, intake
    from leadctl.services import show as show_service
    from leadctl.store.db import Store

    store = Store.open(db)
    now = datetime.fromisoformat(NOW)
    known = {"store": store, "now": now, "on": date.fromisoformat(TODAY), "actor": chosen["owner"]}

    def bind(function, **given):  # leadctl's service signatures are still moving: pass what each one takes
        params = inspect.signature(function).parameters
        return lambda: function(**{k: v for k, v in {**known, **given}.items() if k in params})

    def registered():
        visit = bind(intake.parse_visit, name="测试", phone_text=phone, channel="walk-in")()
        return bind(intake.intake, actor=chosen["desk"], visit=visit, owner=None)()

    reads = {
        f"due --owner {chosen['owner']}": bind(due_service.due, owner=chosen["owner"]),
        f"due --team {chosen['team']}": bind(due_service.due, team=chosen["team"]),
        "due --all": bind(due_service.due),
        f"show {chosen['show']}": bind(show_service.show, ref=str(chosen["show"]), lead=str(chosen["show"])),
    }
    writes = {
        "intake": registered,
        f"grade {chosen['grade']} B": bind(grading.grade, lead=str(chosen["grade"]), grade="B"),
        f"followup {chosen['followup']}": bind(followups.followup, lead=str(chosen["followup"]),
                                               result="客户考虑中，下周再联系"),
    }
    out = []
    for case, run in {**reads, **writes}.items():
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            started = time.perf_counter()
            result = run()
            times = [time.perf_counter() - started]
        except Exception as exc:  # a moving API: report it, keep the rest of the report
            store.conn.set_trace_callback(None)
            out.append({"case": case, "sql": f"could not run the service in-process: {exc!r}", "plan": [],
                        "rows": 0, "service_ms": None})
            continue
        store.conn.set_trace_callback(None)
        for _ in range(10 if case in reads else 0):
            started = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - started)
        rows = len(result) if isinstance(result, list) else 1
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE")):
                continue
            plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            out.append({"case": case, "sql": " ".join(sql.split()), "plan": plan, "rows": rows,
                        "service_ms": round(statistics.median(times) * 1000, 2)})
    store.close()
    return out


BIG = 10_000  # a scan of a table with more rows than this is a finding


def full_scans(plan: list[str], sql: str, sizes: dict[str, int]) -> list[str]:
    """Plan steps that read a whole big table (SCAN without an index), with the table's row count."""
    aliases = {m.group(2) or m.group(1): m.group(1) for m in
               re.finditer(r"(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|LEFT\b|JOIN\b|ORDER\b)(\w+))?",
                           sql, re.IGNORECASE)}
    out = []
    for step in plan:
        if not step.startswith("SCAN ") or "USING" in step or "CONSTANT" in step:
            continue
        table = aliases.get(step.split()[1], step.split()[1])
        if sizes.get(table, 0) > BIG:
            out.append(f"{step} ({table}: {sizes[table]:,} rows)")
    return out


# -- report -------------------------------------------------------------------------------------------------------
def machine() -> dict:
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    return {"nproc": os.cpu_count(), "memory_gib": round(int(mem) / 2**20, 1), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


def table(samples: dict[str, list[float]], cpu: dict[str, list[float]]) -> tuple[str, dict]:
    """Wall-time table; the goals are judged on the wall-time median. CPU time (user + system of the process) is
    shown beside it: unlike wall time it hardly grows when other work shares the machine."""
    floor = statistics.median(samples[FLOOR])
    floor_p90 = p90(samples[FLOOR])
    floor_cpu = statistics.median(cpu[FLOOR])
    lines = ["| command | min ms | median ms | p90 ms | × floor (median) | × floor (p90) | CPU ms (median) |"
             " × floor (CPU) | goal | met |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    verdicts = {}
    for name, values in samples.items():
        med, high = statistics.median(values), p90(values)
        if name in REFERENCE:
            goal, met = "reference", ""
        else:
            ok = med / floor <= GOAL_RATIO
            goal = f"≤ {GOAL_RATIO}× floor"
            if name.startswith("due"):
                ok = ok and med <= GOAL_DUE_SECONDS
                goal += f" and ≤ {GOAL_DUE_SECONDS * 1000:.0f} ms"
            met = "yes" if ok else "**no**"
            verdicts[name] = ok
        used = statistics.median(cpu[name])
        lines.append(f"| `{name}` | {min(values) * 1000:.0f} | {med * 1000:.0f} | {high * 1000:.0f}"
                     f" | {med / floor:.2f} | {high / floor_p90:.2f} | {used * 1000:.0f} | {used / floor_cpu:.2f}"
                     f" | {goal} | {met} |")
    return "\n".join(lines), verdicts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "data" / "store-decade.db")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--owner", help="consultant whose due list is timed [default: the longest today]")
    parser.add_argument("--bytecode", choices=("cached", "none"), default="cached",
                        help="cached: bytecode cached like an installed program [default]; none: compile every "
                             "module from source on every run (PYTHONDONTWRITEBYTECODE=1)")
    parser.add_argument("--json-out", type=Path, help="also write every sample and finding as JSON here")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no database at {args.db}; build one with bench/build_store_decade.py")
    db = args.db.resolve()
    (HERE / "data").mkdir(exist_ok=True)
    BYTECODE["mode"] = args.bytecode
    chosen = pick(db, args.owner)
    print(f"database {db}: {chosen['rows']}; owner {chosen['owner']} (id {chosen['owner_id']}) has "
          f"{chosen['due_rows']} leads due by {TODAY}, {chosen['all_due_rows']} for everyone", file=sys.stderr)
    first = run_once([*leadctl_script(), "--db", str(db), "--now", NOW, "--as", chosen["owner"], "show",
                      str(chosen["show"]), "--json"])[0]
    print(f"first leadctl run (opens, migrates if the schema is behind, warms the page cache): {first:.2f}s",
          file=sys.stderr)
    phones = new_phones(db, args.warmup + args.runs + 2)  # the timed runs, -X importtime, the traced call
    cmds = commands(db, chosen, phones)
    load_before = os.getloadavg()
    samples, cpu, outputs = measure(cmds, args.runs, args.warmup)
    load_after = os.getloadavg()
    due_rows = len(json.loads(outputs["due --today --owner X --json"]))
    floor_rows = len(json.loads(outputs[FLOOR]))
    markdown, verdicts = table(samples, cpu)
    print("checking imports with -X importtime", file=sys.stderr)
    imports = {name: imports_of(cmds[name](args.warmup + args.runs)) for name in cmds
               if name not in ("python -c pass (interpreter)",)}
    print("capturing query plans", file=sys.stderr)
    found_plans = plans(db, chosen, phones[-1])

    source = subprocess.run([sys.executable, "-c", "import leadctl; print(leadctl.__file__)"], capture_output=True,
                            text=True, env=clean_env(), cwd=HERE / "data", check=True).stdout.strip()
    print(f"\n{json.dumps(machine())}\n\nleadctl imported from {source}\n")
    print(f"bytecode: {args.bytecode}; load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          "(1 min)\n")
    print(f"owner X = {chosen['owner']} (id {chosen['owner_id']}): `due` printed {due_rows} rows, the floor "
          f"{floor_rows}; show lead {chosen['show']} ({chosen['show_followups']} follow-ups); grade lead "
          f"{chosen['grade']}; followup lead {chosen['followup']}; {args.runs} runs after {args.warmup} warm-up "
          "rounds\n")
    print(markdown)
    print("\n| command | modules | import ms (sum of self) | pandas/openpyxl/sqlite_utils | rich | heaviest top-level "
          "imports (cumulative ms) |\n|---|---:|---:|---|---|---|")
    for name, info in imports.items():
        heavy = ", ".join(f"{m} {ms}" for m, ms in info["heaviest"])
        print(f"| `{name}` | {info['modules']} | {info['import_ms']} | {', '.join(info['banned']) or 'none'} |"
              f" {'yes' if info['rich'] else 'no'} | {heavy} |")
    print("\nQuery plans (EXPLAIN QUERY PLAN of the SQL leadctl executed; service time in-process: reads median of"
          " 10, writes one call):\n")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE '%WITHOUT ROWID%'")]
    sizes = {name: conn.execute(f"SELECT coalesce(max(rowid), 0) FROM \"{name}\"").fetchone()[0] for name in tables}
    conn.close()
    for item in found_plans:
        scans = full_scans(item["plan"], item["sql"], sizes)
        item["full_scans"] = scans
        print(f"- {item['case']} ({item['rows']} rows, {item['service_ms']} ms): `{item['sql'][:160]}`")
        print(f"  - plan: {' / '.join(item['plan'])}{'  **full scan: ' + '; '.join(scans) + '**' if scans else ''}")
    banned = {n: i["banned"] for n, i in imports.items() if i["banned"]}
    print(f"\nGoals: {sum(verdicts.values())}/{len(verdicts)} commands met their goal; banned imports: "
          f"{banned or 'none'}")
    if args.json_out:
        args.json_out.write_text(json.dumps({"machine": machine(), "chosen": chosen, "samples": samples, "cpu": cpu,
                                             "imports": imports, "plans": found_plans, "verdicts": verdicts,
                                             "first_run_seconds": first}, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
