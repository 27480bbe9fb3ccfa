"""The store service: listens on a Unix socket and runs each request in a forked child.

The parent imports everything a command needs before it listens, so a request costs a fork, not a start-up. The
child reads the peer's credentials (SO_PEERCRED: the kernel's word for who connected), and runs the same Typer app
with the acting identity fixed from the peer's uid on the client's own stdin, stdout and stderr (passed with the
request), so prompts, colour, the terminal's width and the pager work as at the desk. It opens its own database
connection (a SQLite connection must not cross a fork). A client that goes away makes its child exit at once:
an open transaction then rolls back, as after any crash.
"""

from __future__ import annotations

import contextlib
import gc
import grp
import importlib
import io
import os
import signal
import socket
import stat
import struct
import sys
import threading
import traceback
from pathlib import Path

from leadctl.errors import CannotCreate, ConfigError
from leadctl.i18n import _
from leadctl.server import wire

SD_LISTEN_FDS_START = 3  # systemd's first passed socket (sd_listen_fds(3))
SOCKET_MODE = 0o660


def peer(conn: socket.socket) -> tuple[int, int, int]:
    """(pid, uid, gid) of the process at the other end, from the kernel."""
    return struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))


def activated() -> socket.socket | None:
    """The socket systemd passed (socket activation), if it passed one to this process."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()) or os.environ.get("LISTEN_FDS") != "1":
        return None
    for name in ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"):
        os.environ.pop(name, None)
    return socket.socket(fileno=SD_LISTEN_FDS_START)


def listen(path: Path, group: str | None) -> socket.socket:
    """A new socket at `path`, mode 0660 and of `group`: its group decides who may connect at all."""
    gid = None
    if group is not None:
        try:
            gid = int(group) if group.isdigit() else grp.getgrnam(group).gr_gid
        except KeyError:
            raise ConfigError(_("no OS group named {group!r}").format(group=group),
                              _("create it (`groupadd leadctl`) or give a numeric gid")) from None
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None:
        if not stat.S_ISSOCK(mode):
            raise CannotCreate(_("{path} exists and is not a socket").format(path=path),
                               _("choose another --socket path"))
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
            raise ConfigError(_("a store service is already listening at {path}").format(path=path),
                              _("stop it first, or choose another --socket"))
        except ConnectionRefusedError:
            path.unlink()  # a socket left by a service that ended
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # never reachable by others, even between bind and chmod
    try:
        sock.bind(str(path))
    except OSError as exc:
        sock.close()
        raise CannotCreate(_("cannot create the socket {path}: {error}").format(path=path, error=exc.strerror),
                           _("check the folder and its permissions")) from None
    finally:
        os.umask(old)
    if gid is not None:
        os.chown(path, -1, gid)
    os.chmod(path, SOCKET_MODE)
    sock.listen(64)
    return sock


def preload() -> None:
    """Everything a command imports, imported once in the parent; each forked child finds it loaded."""
    from leadctl.cli import COMMANDS, app  # noqa: F401

    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"leadctl.cli.{module}")
    for module in ("rich.console", "rich.table", "rich.text", "leadctl.services.intake", "leadctl.services.due",
                   "leadctl.services.show", "leadctl.services.grading", "leadctl.services.followups",
                   "leadctl.services.identity", "leadctl.services.policy"):
        importlib.import_module(module)


def serve(db: Path, sock: socket.socket, log=sys.stderr) -> None:
    """Accept connections until stopped (SIGTERM or SIGINT); each one is handled by a child of its own."""
    preload()
    gc.freeze()  # what the parent loaded stays out of the children's collections: fewer pages copied per fork
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log.write(_("leadctl: serving {db}").format(db=db) + "\n")
    log.flush()
    while True:
        try:
            conn, _addr = sock.accept()
        except InterruptedError:
            continue
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                sock.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                handle(conn, db)
            except BaseException:  # noqa: BLE001 - the child's last word goes to the service's log
                traceback.print_exc(file=log)
                code = 1
            finally:
                os._exit(code)
        conn.close()


def _watch(conn: socket.socket) -> None:
    """The client sends nothing after its request: the end of its side means it has gone, and the request ends
    at once (SQLite rolls an open transaction back)."""
    with contextlib.suppress(OSError):
        conn.recv(1)
    os._exit(70)


def handle(conn: socket.socket, db: Path) -> None:
    """One request: hello, the peer's identity, the command run by the same app the CLI runs on the client's own
    streams, its exit code."""
    reader = wire.Reader(conn)
    theirs = reader.read()
    problem = wire.mismatch(theirs or {})
    if problem:
        wire.send(conn, {**wire.hello(), "error": problem, "exit": 78})
        return
    wire.send(conn, wire.hello())
    req, streams = wire.receive_request(conn)
    if req is None or len(streams) != wire.STREAMS:
        return
    _pid, uid, _gid = peer(conn)
    threading.Thread(target=_watch, args=(conn,), daemon=True).start()
    from leadctl.cli import app, context

    context.serving(db, uid, req.get("env", {}))
    _secure_pager()
    try:
        os.chdir(req.get("cwd") or "/")
    except OSError:
        os.chdir(_nowhere())  # relative output files then fail with "cannot write", never land elsewhere
    argv = [str(a) for a in req.get("argv", [])]
    with _client_streams(streams, req.get("stdin")):
        code = _run(app, argv) if context.command_of(argv) else _admitted(app, argv)
    wire.send(conn, {"exit": code})


def _secure_pager() -> None:
    """A list taller than the client's screen goes through `less` run by the service's account, so in less's
    secure mode (no shell escape, no log file, no other file opened) and never a pager the client names."""
    os.environ.pop("MANPAGER", None)
    os.environ.update(PAGER="less", LESSSECURE="1", LESS="-FRX")


@contextlib.contextmanager
def _client_streams(streams: list[int], pin: str | None):
    """The client's stdin, stdout and stderr as this process's 0, 1 and 2 for one command (what rich, click and
    the pager look at), the service's own put back after it (its log is its stderr). A PIN the client asked for
    is the command's stdin."""
    own = [os.dup(fd) for fd in (0, 1, 2)]
    saved = sys.stdin, sys.stdout, sys.stderr
    try:
        for fd, theirs in enumerate(streams):
            os.dup2(theirs, fd)
            os.close(theirs)
        sys.stdin = io.StringIO(pin) if pin is not None else open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
        for fd, mine in enumerate(own):
            os.dup2(mine, fd)
            os.close(mine)


def _admitted(app, argv: list[str]) -> int:
    from leadctl.cli import context, output
    from leadctl.errors import LeadctlError

    try:
        context.admit()
    except LeadctlError as exc:
        output.say(output.error_line(exc))
        return int(exc.code)
    return _run(app, argv)


def _nowhere() -> str:
    import tempfile

    folder = tempfile.mkdtemp(prefix="leadctl-cwd-")
    os.chmod(folder, 0o500)
    return folder


def _run(app, argv: list[str]) -> int:
    try:
        app(args=argv, prog_name="leadctl", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except Exception:  # noqa: BLE001 - a bug: its traceback goes to the client, as the embedded CLI shows it
        traceback.print_exc()
        return 1
    return 0
