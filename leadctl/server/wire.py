"""The wire between client and store service: JSON lines over a Unix socket, opened by a hello each way.

client -> {"hello": "leadctl", "wire": N}                 service -> {"hello": "leadctl", "wire": N, "version": V}
client -> {"argv": [...], "cwd": ..., "env": {...}, "tty": {"stdout": bool, "stderr": bool}, "stdin": text|null}
service -> {"out": text} | {"err": text} ... then {"exit": code}
A side that receives another wire number says so in one line and ends the exchange with exit 78.
"""

from __future__ import annotations

import json
import socket

from leadctl import __version__

WIRE = 1
MAX_LINE = 16 * 2**20  # a request (argv, env and a PIN on stdin) is far smaller
# the client's environment the service applies to the request: language, terminal width, and the options' variables
FORWARDED_ENV = ("LEADCTL_LANG", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "COLUMNS", "LINES", "NO_COLOR",
                 "LEADCTL_USER", "LEADCTL_NOW", "LEADCTL_BUSY_TIMEOUT")


def hello() -> dict:
    return {"hello": "leadctl", "wire": WIRE, "version": __version__}


def mismatch(theirs: dict) -> str | None:
    """The one line that says the other side speaks another wire, or None when it speaks ours."""
    if theirs.get("hello") != "leadctl":
        return "the other end of the socket is not a leadctl store service"
    if theirs.get("wire") != WIRE:
        return (f"wire version {theirs.get('wire')} (leadctl {theirs.get('version', '?')}) on the other end,"
                f" {WIRE} (leadctl {__version__}) here")
    return None


def send(sock: socket.socket, message: dict) -> None:
    sock.sendall((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))


class Reader:
    """Reads one JSON object a line from a socket; None at the end."""

    def __init__(self, sock: socket.socket):
        self.file = sock.makefile("rb")

    def read(self) -> dict | None:
        line = self.file.readline(MAX_LINE + 1)
        if not line:
            return None
        if len(line) > MAX_LINE:
            raise ValueError("a line longer than the wire allows")
        message = json.loads(line)
        if not isinstance(message, dict):
            raise ValueError("a wire message is a JSON object")
        return message
