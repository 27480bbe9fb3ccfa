"""What the store service's socket adds to a hot command.

    python bench/service.py [--runs 30] [--leads 2000] [--json-out PATH]

Builds a small store in a temp folder (a manager bound to this OS account), starts `leadctl serve` on a temp socket
and times, interleaved round by round:
- `show LEAD --json` and `due --json` as fresh processes, embedded (the CLI opens the file) and through the service
  (LEADCTL_SOCKET): the difference is what a desk feels;
- the command run warm in this process, and the same request sent over the wire from this process (connect,
  hello, request, output, exit code), without a process start: the difference is what the socket and the fork
  add (accept, fork, identity from the peer, the stream back).
Reported: median and p90 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEADCTL = str(Path(sys.executable).parent / "leadctl")
NOW = "2026-11-24T09:00"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def embedded(db: Path, *args: str) -> None:
    subprocess.run([LEADCTL, "--db", str(db), *args], check=True, capture_output=True,
                   env={**os.environ, "LEADCTL_SOCKET": "", "LEADCTL_NOW": NOW})


def build(folder: Path, leads: int) -> Path:
    db = folder / "store.db"
    embedded(db, "init")
    embedded(db, "staff", "add", "管理员", "--role", "admin")
    embedded(db, "--as", "管理员", "staff", "add", "王经理", "--role", "manager")
    embedded(db, "--as", "管理员", "staff", "bind", "王经理", "--os-user", str(os.getuid()))
    csv = folder / "leads.csv"
    csv.write_text("姓名,手机,意向车型\n" + "".join(f"客户{i},139{i:08d},探岳\n" for i in range(leads)), "utf-8")
    embedded(db, "--as", "王经理", "import", str(csv), "--source", "hq")
    return db


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def over_the_wire(path: Path, argv: list[str]) -> float:
    from leadctl.server import wire

    start = time.perf_counter()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        reader = wire.Reader(sock)
        wire.send(sock, wire.hello())
        reader.read()
        wire.send(sock, {"argv": argv, "cwd": "/", "env": {}, "tty": {}, "stdin": None})
        while (message := reader.read()) is not None and "exit" not in message:
            pass
    assert message and message["exit"] == 0, message
    return time.perf_counter() - start


def in_process(db: Path, argv: list[str]) -> float:
    """The command run by the app in this process, warm (as the service's child finds it), output discarded."""
    import contextlib
    import io

    from leadctl.cli import app

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            app(args=["--db", str(db), "--as", "王经理", *argv], prog_name="leadctl")
        except SystemExit as done:
            assert not done.code, done.code
    return time.perf_counter() - start


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1] * 1000, 1), "runs": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--json-out", type=Path)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="leadctl-bench-service-"))
    db = build(folder, options.leads)
    sock = folder / "leadctl.sock"
    service = subprocess.Popen([LEADCTL, "--db", str(db), "serve", "--socket", str(sock)],
                               env={**os.environ, "LEADCTL_SOCKET": "", "LEADCTL_NOW": NOW},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not sock.exists():
            if time.monotonic() > deadline:
                raise SystemExit("the service did not start")
            time.sleep(0.05)
        hot = {"show": ["show", "13900000007", "--json"], "due": ["due", "--json"]}
        os.environ["LEADCTL_SOCKET"], os.environ["LEADCTL_NOW"] = "", NOW  # for the in-process runs
        plain = {**os.environ, "LEADCTL_SOCKET": "", "LEADCTL_NOW": NOW}
        served = {**os.environ, "LEADCTL_SOCKET": str(sock)}
        served.pop("LEADCTL_NOW", None)
        samples: dict[str, list[float]] = {}
        for _ in range(options.runs + 2):  # the first two rounds warm the caches and are dropped below
            for name, args in hot.items():
                samples.setdefault(f"{name} embedded", []).append(
                    timed([LEADCTL, "--db", str(db), "--as", "王经理", *args], plain))
                samples.setdefault(f"{name} through the service", []).append(timed([LEADCTL, *args], served))
                samples.setdefault(f"{name} over the wire (no process start)", []).append(over_the_wire(sock, args))
                samples.setdefault(f"{name} in this process (no socket, no fork)", []).append(in_process(db, args))
        report = {name: summary(values[2:]) for name, values in samples.items()}
        for name in hot:
            report[f"{name}: a desk's run, service minus embedded (median ms)"] = round(
                report[f"{name} through the service"]["median_ms"] - report[f"{name} embedded"]["median_ms"], 1)
            report[f"{name}: what the socket and fork add to the command (median ms)"] = round(
                report[f"{name} over the wire (no process start)"]["median_ms"]
                - report[f"{name} in this process (no socket, no fork)"]["median_ms"], 1)
        print(json.dumps(report, ensure_ascii=False, indent=2))
        if options.json_out:
            options.json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    finally:
        service.terminate()
        service.wait(timeout=30)


if __name__ == "__main__":
    main()
