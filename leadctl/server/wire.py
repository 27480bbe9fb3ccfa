"""The wire between client and store service: JSON lines over a Unix socket, opened by a hello each way.

client -> {"hello": "leadctl", "wire": N}                 service -> {"hello": "leadctl", "wire": N, "version": V}
client -> {"argv": [...], "cwd": ..., "env": {...}, "stdin": text|null}, with the client's own stdin, stdout and
           stderr attached (SCM_RIGHTS): the command reads and writes them itself, so prompts, the terminal's
           size, colour and the pager work as they do at the desk; "stdin" is a PIN the client asked for (or null)
service -> {"exit": code}
A side that receives another wire number says so in one line and ends the exchange with exit 78.
"""

from __future__ import annotations

import json
import socket

from leadctl import __version__

WIRE = 2
STREAMS = 3  # stdin, stdout, stderr: passed with the request
MAX_LINE = 16 * 2**20  # a request (argv, env and a PIN on stdin) is far smaller
# the client's environment the service applies to the request: language, terminal size, and the options' variables
FORWARDED_ENV = ("LEADCTL_LANG", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "COLUMNS", "LINES", "NO_COLOR", "TERM",
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


def send_request(sock: socket.socket, message: dict, streams: list[int]) -> None:
    """The request line with the client's streams attached to its first byte."""
    data = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
    socket.send_fds(sock, [data[:1]], streams)
    sock.sendall(data[1:])


def receive_request(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """The request and the streams that came with it (read straight from the socket: a buffered reader would
    drop the attached descriptors)."""
    first, streams, _flags, _addr = socket.recv_fds(sock, 1, STREAMS)
    if not first:
        return None, streams
    parts, size = [first], 1
    while not parts[-1].endswith(b"\n"):
        chunk = sock.recv(65536)
        size += len(chunk)
        if not chunk or size > MAX_LINE:
            raise ValueError("the request ended early or is longer than the wire allows")
        parts.append(chunk)
    message = json.loads(b"".join(parts))
    if not isinstance(message, dict):
        raise ValueError("a wire message is a JSON object")
    return message, streams
