"""`leadctl intake` at the front desk, on a terminal: the real console script with a pseudo-terminal as its stdin,
the receptionist's lines typed into it. What is refused is refused before anyone types; a phone that is not one is
asked again; a known customer's card comes before the name; Ctrl-C or Ctrl-D saves nothing."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leadctl.errors import ExitCode
from tests.conftest import NOW, intake

LEADCTL = Path(sys.executable).parent / "leadctl"


class Desk:
    """One `leadctl intake` with a pseudo-terminal for stdin; stderr (the prompts and notes) is read as it comes."""

    def __init__(self, cli, *args: str, actor: str = "张前台", lang: str = "en"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")}
        env.update(LEADCTL_NOW=NOW, LEADCTL_LANG=lang)
        self.terminal, slave = os.openpty()
        self.proc = subprocess.Popen([str(LEADCTL), "--db", str(cli.db), "--as", actor, "intake", *args],
                                     stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        os.close(slave)
        self.said = ""

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """Stderr up to and including `text` (a prompt or a note), waiting for it at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while text not in self.said:
            left = deadline - time.monotonic()
            assert left > 0 and self.proc.poll() is None or text in self.said, f"never said {text!r}: {self.said!r}"
            if select.select([self.proc.stderr], [], [], min(left, 0.2))[0]:
                chunk = os.read(self.proc.stderr.fileno(), 4096)
                self.said += chunk.decode("utf-8", "replace")
        return self.said

    def type(self, line: str) -> None:
        os.write(self.terminal, (line + "\n").encode())

    def answer(self, prompt: str, line: str) -> str:
        """Wait for `prompt`, type `line`; returns stderr up to the prompt."""
        said = self.wait_for(prompt)
        self.type(line)
        return said

    def end(self, timeout: float = 20) -> tuple[int, str, str]:
        """Exit code, stdout and the whole of stderr."""
        out, rest = self.proc.communicate(timeout=timeout)
        os.close(self.terminal)
        return self.proc.returncode, out.decode(), self.said + rest.decode()


def test_a_phone_that_is_not_one_is_asked_again_and_the_visit_is_registered(cli):
    desk = Desk(cli)
    desk.answer("Phone", "138 0013 800")
    desk.answer("not a phone number", "138 0013 8000")
    desk.answer("Name", "刘洋")
    code, out, said = desk.end()
    assert code == 0, said
    assert said.count("not a phone number") == 1 and "Traceback" not in said
    assert "new lead 1" in said
    assert cli.query("SELECT name, phone FROM leads") == [("刘洋", "13800138000")]


def test_a_known_customer_shows_their_card_before_the_name_and_keeps_their_name(cli):
    intake(cli, "13800138000", name="刘洋", owner="李娜", grade="A")
    desk = Desk(cli)
    desk.answer("Phone", "+86 138-0013-8000")
    asked = desk.answer("Name", "")  # Enter: the name on record
    card = asked.index("known customer: lead 1, owner 李娜, grade A, last contact 11-24 09:00")
    assert card < asked.index("Name [刘洋]")  # the card first: the desk can greet the customer by name
    code, _, said = desk.end()
    assert code == 0, said
    assert "return visit of lead 1" in said and "named" not in said  # no warning about another name
    assert cli.query("SELECT name FROM leads") == [("刘洋",)]
    assert cli.query("SELECT given_name FROM visits ORDER BY id") == [(None,), (None,)]


def test_a_caller_who_gives_no_name_is_registered_by_the_phone_alone(cli):
    desk = Desk(cli, "--channel", "来电")
    desk.answer("Phone", "13900139000")
    desk.answer("Name", "")
    code, _, said = desk.end()
    assert code == 0, said
    assert cli.query("SELECT name, phone, channel FROM leads") == [(None, "13900139000", "call")]


@pytest.mark.parametrize("args, actor, code, message", [
    (["--owner", "张前台"], "张前台", ExitCode.REFUSED, "张前台 is a receptionist and does not own leads"),
    (["--owner", "王经理"], "张前台", ExitCode.REFUSED, "王经理 is a manager and does not own leads"),
    (["--owner", "无名"], "张前台", ExitCode.NOT_FOUND, "no owner named '无名'"),
    ([], "孙客服", ExitCode.PERMISSION, "may not"),
])
def test_what_is_refused_is_refused_before_anyone_types(cli, args, actor, code, message):
    before = cli.query("SELECT count(*) FROM leads"), cli.query("SELECT count(*) FROM visits")
    returned, _, said = Desk(cli, *args, actor=actor).end()
    assert returned == code, said
    assert message in said and "Phone" not in said and len(said.strip().splitlines()) == 1, said
    assert (cli.query("SELECT count(*) FROM leads"), cli.query("SELECT count(*) FROM visits")) == before


def test_an_owner_who_does_not_own_leads_is_refused_without_a_terminal_too(cli):
    before = cli.fingerprint()
    result = cli("intake", "--phone", "13800138000", "--owner", "张前台", actor="张前台", code=ExitCode.REFUSED)
    assert "does not own leads; name a consultant, telesales or direct-sales colleague" in result.stderr
    assert cli.fingerprint() == before


@pytest.mark.parametrize("stop", ["ctrl-d", "ctrl-c"])
def test_ctrl_c_or_ctrl_d_at_a_prompt_saves_nothing_and_exits_130(cli, zh, stop):
    intake(cli, "13800138000", owner="李娜")
    before = cli.fingerprint()
    desk = Desk(cli, lang="zh")
    desk.answer("电话", "13900139000")
    desk.wait_for("姓名")
    if stop == "ctrl-d":
        os.write(desk.terminal, b"\x04")
    else:
        desk.proc.send_signal(signal.SIGINT)
    code, out, said = desk.end()
    assert code == ExitCode.INTERRUPTED, said
    assert said.rstrip().endswith("\n已中断：尚未保存的内容已回滚"), said  # on a line of its own, after the prompt
    assert "Aborted" not in said and "Traceback" not in said and out.strip() == ""
    assert cli.fingerprint() == before
