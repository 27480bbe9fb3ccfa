"""The store service end to end: a real `leadctl serve`, the real CLI as other OS users, asserted in the file."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import threading

from rich.cells import cell_len

from leadctl.errors import ExitCode
from tests.conftest import NOW
from tests.server.conftest import (
    ADMIN_UID,
    CHEN_UID,
    CRON_UID,
    DESK_UID,
    GROUP,
    LEADCTL,
    LINA_UID,
    MANAGER_UID,
    OTHER_GROUP,
    UNBOUND_UID,
    wait_until,
)

P = ExitCode.PERMISSION


def staff_id(service, name: str) -> int:
    return service.query("SELECT id FROM staff WHERE name = ?", name)[0][0]


def test_an_unbound_uid_gets_77_for_everything(service):
    staff_before = service.query("SELECT count(*) FROM staff")
    for args in [("staff", "list"), ("due",), ("intake", "--name", "新", "--phone", "13900000001"), ("show", "1"),
                 ("--help",), (), ("login", "张前台"), ("--as", "管理员", "staff", "add", "我", "--role", "admin"),
                 ("staff", "bind", "管理员", "--os-user", str(UNBOUND_UID))]:
        done = service.run(UNBOUND_UID, *args, code=P)
        assert done.stdout == "" and "not bound to a staff member" in done.stderr, args
        assert len(done.stderr.splitlines()) == 1
    assert service.query("SELECT count(*) FROM leads") == [(0,)]
    assert service.query("SELECT count(*) FROM staff") == staff_before
    assert service.query("SELECT count(*) FROM staff_os WHERE os_uid = ?", UNBOUND_UID) == [(0,)]
    denied = service.query("SELECT json_extract(detail, '$.os_uid') FROM events WHERE action = 'denied'")
    assert set(denied) == {(UNBOUND_UID,)}


def test_a_bound_consultant_cannot_act_as_the_manager_nor_read_others_phones(service):
    service.run(MANAGER_UID, "intake", "--name", "陈的客户", "--phone", "13900000002", "--owner", "陈刚")
    service.run(LINA_UID, "intake", "--name", "李的客户", "--phone", "13900000003")
    for args in [("--as", "王经理", "due", "--all"), ("--as", "王经理", "staff", "add", "新经理", "--role", "admin"),
                 ("staff", "add", "新经理", "--role", "admin"), ("staff", "bind", "李娜", "--os-user", "5100"),
                 ("staff", "deactivate", "王经理"), ("--as", "陈刚", "show", "13900000002", "--json"),
                 ("--as", "管理员", "export", "leads", "--json")]:
        assert service.run(LINA_UID, *args, code=P).stdout == "", args
    assert service.query("SELECT name FROM staff WHERE name = '新经理'") == []
    assert service.query("SELECT count(*) FROM staff_os WHERE os_uid = 5100") == [(0,)]
    other = service.run(LINA_UID, "show", "13900000002", "--json").stdout
    assert "13900000002" not in other and "139****0002" in other
    assert "13900000003" in service.run(LINA_UID, "show", "13900000003", "--json").stdout
    everything = service.run(LINA_UID, "export", "leads", "--json").stdout
    assert "13900000002" not in everything
    # the file itself is out of her reach: 0600 in a 0700 folder of the service's account
    assert subprocess.run(["setpriv", f"--reuid={LINA_UID}", f"--regid={GROUP}", "--clear-groups", "cat",
                           str(service.db)], capture_output=True).returncode != 0
    # her own name is fine; so is her own clock within five minutes of the service's, but not a backdated one
    service.run(LINA_UID, "--as", "李娜", "--now", "2026-11-24T09:03", "followup", "13900000003", "--result", "聊了")
    done = service.run(LINA_UID, "--now", "2020-01-01T09:00", "followup", "13900000003", "--result", "补录", code=P)
    assert "more than 5 minutes" in done.stderr
    assert service.query("SELECT count(*) FROM followups") == [(1,)]


def test_an_admin_acts_for_someone_recorded_as_admin_for_them(service):
    service.run(ADMIN_UID, "--as", "李娜", "intake", "--name", "代录", "--phone", "13900000004")
    actor, detail = service.query("SELECT actor_id, detail FROM events WHERE action = 'intake'")[0]
    assert actor == staff_id(service, "李娜")
    assert json.loads(detail)["acting"] == {"admin": "管理员", "for": "李娜"}
    assert service.query("SELECT registered_by FROM leads") == [(staff_id(service, "李娜"),)]
    # an admin may give another time: the event carries it and the service's own clock
    service.run(ADMIN_UID, "--as", "李娜", "--now", "2026-11-25T15:00", "followup", "13900000004", "--result", "补录")
    at, detail = service.query("SELECT at, detail FROM events WHERE action = 'followup'")[0]
    assert at == "2026-11-25T15:00:00"
    assert json.loads(detail)["acting"] == {"admin": "管理员", "for": "李娜", "clock": NOW}
    # nobody else acts for anyone: the manager is not an admin; and an admin only for someone who works here
    service.run(MANAGER_UID, "--as", "李娜", "due", code=P)
    assert "unknown staff member" in service.run(ADMIN_UID, "--as", "谁", "staff", "list", code=P).stderr


def test_a_shared_desk_account_needs_its_pin(service):
    done = service.run(DESK_UID, "intake", "--name", "前台", "--phone", "13900000005", code=P)
    assert "shared by 2 staff" in done.stderr
    assert "no PIN" in service.run(DESK_UID, "login", "张前台", input="2468\n", code=ExitCode.REFUSED).stderr
    service.run(ADMIN_UID, "--as", "管理员", "staff", "pin", "张前台", input="2468\n")
    service.run(LINA_UID, "staff", "pin", "张前台", input="1357\n", code=P)  # nobody else's PIN but an admin's
    service.run(DESK_UID, "login", "张前台", input="1111\n", code=P)
    service.run(DESK_UID, "login", "李娜", input="2468\n", code=P)  # not one of this desk's staff
    assert "张前台 signed in until 2026-11-24T19:00" in service.run(DESK_UID, "login", "张前台", input="2468\n").stderr
    service.run(DESK_UID, "intake", "--name", "前台", "--phone", "13900000005")
    assert service.query("SELECT registered_by FROM leads") == [(staff_id(service, "张前台"),)]
    service.run(DESK_UID, "--as", "赵电销", "due", code=P)  # signed in as one, it cannot claim to be the other
    salt_hash = service.query("SELECT length(salt), length(hash) FROM staff_pins")
    assert salt_hash == [(16, 32)]
    # nowhere in the file as a value; inside the audit chain's hex digests those four digits turn up by chance
    assert re.search(rb"(?<![0-9a-f])2468(?![0-9a-f])", service.db.read_bytes()) is None
    # five wrong PINs lock it for 15 minutes, against the right one too; each try is audited
    for _ in range(5):
        service.run(DESK_UID, "login", "张前台", input="0000\n", code=P)
    assert "locked until 09:15" in service.run(DESK_UID, "login", "张前台", input="2468\n", code=P).stderr
    service.run(DESK_UID, "--now", "2026-11-24T09:20", "login", "张前台", input="2468\n", code=P)  # no way round it
    assert service.query("SELECT count(*) FROM events WHERE action = 'login.failed'") == [(6,)]
    assert service.query("SELECT locked_until FROM staff_pins") == [("2026-11-24T09:15:00",)]


def test_the_sockets_group_decides_who_may_connect(service):
    done = service.run(LINA_UID, "due", gid=OTHER_GROUP, code=P)
    assert "may not connect to the store service" in done.stderr
    assert service.socket.stat().st_mode & 0o777 == 0o660 and service.socket.stat().st_gid == GROUP
    service.run(LINA_UID, "due", gid=GROUP)
    assert service.query("SELECT count(*) FROM events WHERE action = 'denied'") == [(0,)]  # it never got in


def test_cron_runs_as_the_system_account_for_the_cron_script_only(service):
    service.run(MANAGER_UID, "intake", "--name", "客户", "--phone", "13900000006", "--owner", "陈刚")
    assert "13900000006" in service.run(CRON_UID, "due", "--all", "--csv").stdout
    service.run(CRON_UID, "transfer", "sweep", "--dry-run")
    service.run(CRON_UID, "backup", "backup.db")  # relative to the client's folder, the client's own file, 0600
    made = (service.work / "backup.db").stat()
    assert made.st_mode & 0o777 == 0o600 and made.st_uid == CRON_UID
    assert "already exists" in service.run(CRON_UID, "backup", "backup.db", code=ExitCode.CANT_CREATE).stderr
    private = service.base / "root-only"
    private.mkdir(mode=0o755)  # root's: the client may not write there
    done = service.run(CRON_UID, "backup", str(private / "b.db"), code=ExitCode.CANT_CREATE)
    assert "Permission denied" in done.stderr and not (private / "b.db").exists()
    assert list((service.base / "data").iterdir()) == [service.db]  # nothing left in the service's own folder
    for args in [("intake", "--name", "x", "--phone", "13900000007"), ("export", "leads", "--json"),
                 ("staff", "add", "x", "--role", "admin"), ("show", "13900000006")]:
        service.run(CRON_UID, *args, code=P)


def test_the_same_messages_and_exit_codes_as_embedded(service):
    done = service.run(CHEN_UID, "show", "404", code=ExitCode.NOT_FOUND)
    assert done.stderr.startswith("leadctl: ") and len(done.stderr.splitlines()) == 1
    assert "No such option" in service.run(CHEN_UID, "due", "--nope", code=ExitCode.USAGE).stderr
    assert service.run(CHEN_UID, "--db", "/tmp/other.db", "due", code=ExitCode.USAGE).stderr
    assert json.loads(service.run(CHEN_UID, "due", "--json").stdout) == []


def _hello(path, message: dict) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        sock.sendall((json.dumps(message) + "\n").encode())
        return json.loads(sock.makefile("rb").readline())


def test_another_wire_version_is_refused_both_ways(service):
    answer = _hello(service.socket, {"hello": "leadctl", "wire": 999, "version": "9.9"})
    assert answer["exit"] == 78 and "wire version 999" in answer["error"]
    # a service of another version: the client refuses it, exit 78, one line
    fake = service.base / "run" / "old.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(fake))
    server.listen(1)

    def old_service():
        conn, _ = server.accept()
        with conn:
            conn.makefile("rb").readline()
            conn.sendall(b'{"hello": "leadctl", "wire": 0, "version": "0.0.1"}\n')

    thread = threading.Thread(target=old_service, daemon=True)
    thread.start()
    done = subprocess.run([str(LEADCTL), "due"], env=service.env(LEADCTL_SOCKET=str(fake)), capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    server.close()
    assert done.returncode == 78 and "wire version 0 (leadctl 0.0.1)" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def _writing(db) -> bool:
    """Whether someone holds the database's write lock now."""
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def test_a_client_killed_mid_request_rolls_back_and_the_service_goes_on(service):
    rows = 300_000
    big = service.work / "big.csv"
    big.write_text("姓名,手机,意向车型\n" + "".join(f"客户{i},139{i:08d},探岳\n" for i in range(rows)), "utf-8")
    os.chmod(big, 0o644)
    client = subprocess.Popen(service.command(MANAGER_UID, ("import", str(big), "--source", "hq")),
                              env=service.env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    wait_until(lambda: _writing(service.db) or client.poll() is not None, 300, "the import's write transaction")
    assert client.poll() is None, "the import ended before it could be interrupted: give it more rows"
    client.kill()
    client.wait(timeout=30)
    wait_until(lambda: not service.children(), 120, "the request's child to end")
    assert service.query("SELECT count(*) FROM leads") == [(0,)]
    assert service.query("SELECT count(*) FROM events WHERE action = 'import'") == [(0,)]
    assert service.query("PRAGMA integrity_check") == [("ok",)]
    service.run(LINA_UID, "intake", "--name", "之后", "--phone", "13900000008")
    assert service.query("SELECT count(*) FROM leads") == [(1,)]


SHELL = """
    for i in $(seq 1 "$4"); do
        printf -v phone '136%02d%06d' "$3" "$i"
        setpriv --reuid="$2" --regid="$5" --clear-groups "$1" intake --name "终端$3-$i" --phone "$phone" --json \
            > /dev/null < /dev/null
        echo "exit $? $3 $i"
    done
"""


def test_eight_clients_at_once_200_intakes_all_exit_0(service):
    shells = [subprocess.Popen(["bash", "-c", SHELL, "bash", str(LEADCTL), str(uid), str(w), "25", str(GROUP)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=service.env(),
                               cwd=service.work, stdin=subprocess.DEVNULL)
              for w, uid in enumerate([LINA_UID, CHEN_UID] * 4)]
    outputs = [shell.communicate(timeout=600) for shell in shells]
    exits = [line.split() for out, _ in outputs for line in out.splitlines()]
    assert len(exits) == 200 and [e for e in exits if e[1] != "0"] == []
    assert [err for _, err in outputs if err] == []
    assert service.query("SELECT count(*) FROM leads") == [(200,)]
    assert service.query("SELECT count(*) FROM events WHERE action = 'intake'") == [(200,)]
    assert service.query("SELECT registered_by, count(*) FROM leads GROUP BY 1 ORDER BY 1") == [
        (staff_id(service, "李娜"), 100), (staff_id(service, "陈刚"), 100)]
    assert service.query("PRAGMA integrity_check") == [("ok",)]


def test_socket_activation_serves_the_socket_systemd_passes(service):
    path = service.base / "run" / "activated.sock"
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening.bind(str(path))
    os.chown(path, -1, GROUP)
    os.chmod(path, 0o660)
    listening.listen(8)
    fd = listening.fileno()
    env = {**service.env(LEADCTL_SOCKET="", LEADCTL_NOW=NOW), "LISTEN_FDS": "1"}
    activated = subprocess.Popen(["bash", "-c", 'LISTEN_PID=$$ exec "$0" --db "$1" serve', str(LEADCTL),
                                  str(service.db)], env=env, preexec_fn=lambda: os.dup2(fd, 3), close_fds=False,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        done = service.run(LINA_UID, "due", "--json", env=service.env(LEADCTL_SOCKET=str(path)))
        assert json.loads(done.stdout) == []
    finally:
        activated.terminate()
        activated.wait(timeout=30)
        listening.close()
    assert path.exists()  # systemd's socket: the service leaves it in place


class Terminal:
    """A client run in a pseudo-terminal of `columns` x 24, as at a desk: what it shows, and keys typed into it."""

    def __init__(self, service, uid: int, *args: str, columns: int = 80, rows: int = 24, **env: str):
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in service.env(TERM="xterm", **env).items() if k not in ("COLUMNS", "LINES")}
        self.process = subprocess.Popen(service.command(uid, args), stdin=slave, stdout=slave, stderr=slave, env=env,
                                        cwd=service.work, start_new_session=True)
        os.close(slave)
        self.shown = ""

    def wait_for(self, text: str) -> str:
        import select

        def arrived():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.shown += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the terminal closed: the client ended
                    return True
            return text in self.shown
        wait_until(arrived, what=f"{text!r} on the terminal")
        assert text in self.shown, self.shown
        return self.shown

    def type(self, keys: str, enter: bool = True) -> None:
        os.write(self.master, (keys + ("\r" if enter else "")).encode("utf-8"))

    def close(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


def test_the_front_desk_answers_intakes_prompts_through_the_service(service):
    """The command reads and writes the client's own terminal: intake asks for what was not given."""
    desk = Terminal(service, LINA_UID, "intake", "--model", "迈腾")
    desk.wait_for("Phone")
    desk.type("139 0000 0011")
    desk.wait_for("Name")
    desk.type("王先生")
    desk.wait_for("lead")
    assert desk.close() == 0
    assert service.query("SELECT name, phone, model FROM leads") == [("王先生", "13900000011", "迈腾")]


def test_a_list_fits_the_clients_terminal_through_the_service(service):
    for i in range(3):
        service.run(LINA_UID, "intake", "--name", f"客户{i}", "--phone", f"1390000002{i}")
    widths = []
    for columns in (80, 120):
        screen = Terminal(service, LINA_UID, "due", columns=columns)
        shown = screen.wait_for("客户2")
        assert screen.close() == 0
        plain = re.sub(r"\x1b\[[0-9;]*m", "", shown.replace("\r", ""))  # colour: the client's terminal is one
        lines = [line for line in plain.splitlines() if "│" in line or "┃" in line]
        assert lines and all(cell_len(line) <= columns for line in lines)
        widths.append(max(map(cell_len, lines)))
        assert "13900000020" in shown  # a phone whole
        # the same reason on every row reads the same everywhere: at 80 it leaves with the other constant columns
        assert ("first contact" in plain) is (columns == 120)
    assert widths[1] > 80  # drawn to the client's terminal, not to a default width


def test_a_tall_list_pages_in_less_secure_mode_never_the_clients_pager(service):
    """The pager runs as the store's account: the client's PAGER is not run, and less refuses a shell escape."""
    for i in range(3):
        service.run(LINA_UID, "intake", "--name", f"客户{i}", "--phone", f"1390000003{i}")
    mark = service.work / "pager-ran"
    screen = Terminal(service, LINA_UID, "due", rows=5, PAGER=f"touch {mark}; cat")
    screen.wait_for("Due by")  # the first lines of the list, in less (5 rows)
    screen.type("!", enter=False)  # a shell escape
    screen.wait_for("not available")  # less's secure mode refuses it
    screen.type("q", enter=False)
    assert screen.close() == 0
    assert not mark.exists()


def test_a_file_a_command_writes_is_the_clients_own_in_its_own_folder(service):
    """The service cannot enter a consultant's private folder; the consultant gets the export as their own file."""
    service.run(LINA_UID, "intake", "--name", "客户", "--phone", "13900000041")
    home = service.base / "lina"
    home.mkdir(mode=0o700)
    os.chown(home, LINA_UID, GROUP)
    service.run(LINA_UID, "export", "leads", "--csv", str(home / "mine.csv"))
    made = (home / "mine.csv").stat()
    assert made.st_uid == LINA_UID and made.st_mode & 0o777 == 0o600
    shown = subprocess.run(service.command(LINA_UID, ())[:4] + ["cat", str(home / "mine.csv")], capture_output=True,
                           text=True, check=True).stdout
    assert "13900000041" in shown
    assert [p.name for p in home.iterdir()] == ["mine.csv"]  # no temp file left beside it
    again = service.run(LINA_UID, "export", "leads", "--csv", str(home / "mine.csv"), code=ExitCode.CANT_CREATE)
    assert "already exists" in again.stderr
    assert service.query("SELECT count(*) FROM events WHERE action = 'export'") == [(1,)]  # the refusal wrote none
