"""The client transport: the CLI's arguments go to the store service, its output and exit code come back."""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

from leadctl.errors import ConfigError, ExitCode, LeadctlError, PermissionDenied
from leadctl.i18n import _
from leadctl.server import wire

ENV = "LEADCTL_SOCKET"  # the service's socket; set but empty: open the database here (embedded)
SYSTEM_CONFIG = Path("/etc/leadctl.toml")
PIN_COMMANDS = (("login",), ("staff", "pin"))  # commands that read a PIN from stdin


def user_config() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "leadctl" / "config.toml"


def configured() -> Path | None:
    """The store service's socket this run talks to: LEADCTL_SOCKET, else `socket = "..."` of the user's config or
    /etc/leadctl.toml when that socket exists; None: the CLI opens the database itself."""
    named = os.environ.get(ENV)
    if named is not None:
        return Path(named) if named else None
    for config in (user_config(), SYSTEM_CONFIG):
        try:
            text = config.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        import tomllib

        try:
            path = tomllib.loads(text).get("socket")
        except tomllib.TOMLDecodeError:
            raise ConfigError(_("{config} is not valid TOML").format(config=config), _("fix the file")) from None
        if isinstance(path, str) and path and Path(path).exists():
            return Path(path)
    return None


def _connect(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise PermissionDenied(_("this OS account may not connect to the store service at {path}").format(
                path=path), _("ask the store's admin to add you to the socket's group")) from None
        if exc.errno in (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTSOCK):
            raise ConfigError(_("no store service is listening at {path}").format(path=path),
                              _("start it (`systemctl start leadctl.socket`), or unset LEADCTL_SOCKET")) from None
        raise ConfigError(_("cannot reach the store service at {path}: {error}").format(
            path=path, error=exc.strerror), _("check LEADCTL_SOCKET")) from None
    return sock


def _stdin(argv: list[str]) -> str | None:
    """A PIN for the commands that read one (asked here, unseen, at a terminal); nothing for the others."""
    from leadctl.cli.context import command_of

    command = command_of(argv)
    rest = argv[argv.index(command):] if command else []
    if not any(tuple(rest[:len(c)]) == c for c in PIN_COMMANDS):
        return None
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(_("PIN: ")) + "\n"
    return sys.stdin.readline()


def request(argv: list[str]) -> dict:
    return {
        "argv": argv, "cwd": os.getcwd(),
        "env": {k: os.environ[k] for k in wire.FORWARDED_ENV if k in os.environ},
        "stdin": _stdin(argv),
    }


def streams() -> list[int]:
    """This process's stdin, stdout and stderr, for the service to read and write; one that is closed (cron may
    close stdin) is passed as /dev/null."""
    out = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            out.append(fd)
        except OSError:
            out.append(os.open(os.devnull, os.O_RDWR))
    return out


def run(path: Path, argv: list[str]) -> int:
    """One command through the service, which reads and writes this process's own streams; its exit code."""
    try:
        sock = _connect(path)
    except LeadctlError as exc:
        return _fail(exc)
    with sock:
        reader = wire.Reader(sock)
        try:
            wire.send(sock, wire.hello())
            theirs = reader.read()
            if theirs is None:
                return _fail(ConfigError(_("the store service at {path} closed the connection").format(path=path),
                                         _("see the service's log")))
            problem = theirs.get("error") or wire.mismatch(theirs)
            if problem:
                return _fail(ConfigError(_("store service refused: {problem}").format(problem=problem),
                                         _("install the same leadctl version as the service")))
            sys.stdout.flush()
            sys.stderr.flush()
            wire.send_request(sock, request(argv), streams())
            while (message := reader.read()) is not None:
                if "exit" in message:
                    return int(message["exit"])
        except KeyboardInterrupt:  # the connection closes: the service ends the request and rolls it back
            sys.stderr.write(_("leadctl: interrupted") + "\n")
            return 130
        except (OSError, ValueError) as exc:
            return _fail(ConfigError(_("the connection to the store service broke: {error}").format(error=exc),
                                     _("retry; if it persists, see the service's log")))
    return _fail(ConfigError(_("the store service ended the request without an exit code"),
                             _("see the service's log")))


def _fail(exc: LeadctlError) -> int:
    sys.stderr.write(f"leadctl: {exc}\n")
    return int(exc.code) if exc.code else int(ExitCode.INTERNAL)
