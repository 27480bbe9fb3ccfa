"""Exit codes and the error types every layer raises; the CLI maps them in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: leadctl itself went wrong
    USAGE = 2  # bad option or argument
    NOT_FOUND = 3  # lead, staff, visit... does not exist
    REFUSED = 4  # a rule of the policy or the workflow says no
    ATTENTION = 5  # a check found something a person must look at (e.g. overdue leads)
    DATA = 65  # bad input data
    NO_INPUT = 66  # input file missing or unreadable
    CANT_CREATE = 73  # an output file cannot be created: it exists, it is the database, no such folder
    IO = 74  # disk full, I/O error, corrupt database
    BUSY = 75  # database busy: retry
    PERMISSION = 77  # the acting staff member may not do this
    CONFIG = 78  # no database, not a leadctl database, unusable location
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT): what was not committed is rolled back


class LeadctlError(Exception):
    """An expected failure: one line for the user, and an exit code."""

    code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class UsageError(LeadctlError):
    code = ExitCode.USAGE


class NotFound(LeadctlError):
    code = ExitCode.NOT_FOUND


class Refused(LeadctlError):
    code = ExitCode.REFUSED


class BadInput(LeadctlError):
    code = ExitCode.DATA


class InputMissing(LeadctlError):
    code = ExitCode.NO_INPUT


class CannotCreate(LeadctlError):
    code = ExitCode.CANT_CREATE


class StorageError(LeadctlError):
    code = ExitCode.IO


class Busy(LeadctlError):
    code = ExitCode.BUSY


class PermissionDenied(LeadctlError):
    code = ExitCode.PERMISSION


class ConfigError(LeadctlError):
    code = ExitCode.CONFIG
