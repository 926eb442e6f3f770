"""Exit codes and the exception family that the CLI turns into one-line errors."""

from __future__ import annotations

from enum import IntEnum
from typing import TypeVar


class ExitCode(IntEnum):
    """Every status fanpin exits with; docs/exit-codes.md lists them."""

    OK = 0
    FINDINGS = 1  # a failed check; a missed target under --fail-on-miss
    NO_MATCH = 1  # well-formed filters or ids that select no record (said on stderr)
    USAGE = 2  # bad arguments, unknown ids
    DATA = 3  # unreadable or invalid data file
    OUTPUT = 74  # the output cannot be written: disk full, permission, I/O error (EX_IOERR)
    INTERRUPTED = 130  # Ctrl-C
    HANGUP = 129  # SIGHUP: the terminal went away (128 + the signal's number, as shells say)
    TERMINATED = 143  # SIGTERM: `kill`, a supervisor stopping the run
    INTERNAL = 70  # a bug in fanpin (EX_SOFTWARE); please report it


class FanpinError(Exception):
    """Base of every error fanpin reports itself; carries the file and line it concerns."""

    exit_code = ExitCode.DATA

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        reason: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.reason = reason  # (code, *args) of labels.MESSAGES: `message` in any language

    @classmethod
    def said(
        cls: type[E], *reasons: tuple[str, ...], path: str | None = None, line: int | None = None
    ) -> E:
        """The error whose message is labels.MESSAGES[code] (English until shown), for each
        (code, *args) of `reasons` in turn, joined by "+" (an empty one is left out)."""
        from fanpin_cli.core.labels import message

        said = [r for r in reasons if r]
        reason = ("+".join(r[0] for r in said), *(arg for r in said for arg in r[1:]))
        return cls(message(reason[0], reason[1:], "en"), path=path, line=line, reason=reason)

    def __reduce__(self) -> tuple[object, ...]:
        # keep path, line and reason when an error crosses a process boundary (parallel loading)
        return (_rebuild, (type(self), self.message, self.path, self.line, self.reason))

    def text(self, lang: str) -> str:
        """The error's line in `lang` (a message without a reason is English)."""
        if not self.reason:
            return str(self)
        from fanpin_cli.core.labels import message

        return self.location() + message(self.reason[0], self.reason[1:], lang)

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "

    def __str__(self) -> str:
        return self.location() + self.message


E = TypeVar("E", bound=FanpinError)


def _rebuild(
    cls: type[FanpinError],
    message: str,
    path: str | None,
    line: int | None,
    reason: tuple[str, ...],
) -> object:
    return cls(message, path=path, line=line, reason=reason)


class DataError(FanpinError):
    """A data file cannot be read, parsed or validated (exit 3)."""

    exit_code = ExitCode.DATA


class UsageError(FanpinError):
    """The command line asks for something that does not exist or does not fit (exit 2)."""

    exit_code = ExitCode.USAGE


class NothingMatched(FanpinError):
    """A well-formed request, naming only what exists, selected nothing (exit 1, a message
    on stderr, nothing on stdout); the rule for every command is in fanpin_cli.analysis.filters."""

    exit_code = ExitCode.NO_MATCH


class OutputError(FanpinError):
    """The output cannot be written: disk full, permission, I/O error (exit 74)."""

    exit_code = ExitCode.OUTPUT

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        reason: tuple[str, ...] = (),
        stdout: bool = False,
    ) -> None:
        super().__init__(message, path=path, line=line, reason=reason)
        self.stdout = stdout  # the failed stream is stdout: silence it before exiting


def output_error(exc: OSError, what: str, *, stdout: bool = False) -> OutputError:
    """One line for a failed write: what could not be written and why."""
    return cannot_write(what, exc.strerror or str(exc) or type(exc).__name__, stdout=stdout)


def cannot_write(what: str, why: str, *, stdout: bool = False) -> OutputError:
    """'cannot write WHAT: WHY' (`why` as the system says it); with `stdout`, the failed
    stream is standard output, which `what` names."""
    error = OutputError.said(("output.stdout", why) if stdout else ("output.file", what, why))
    error.stdout = stdout
    return error


class PipeClosed(Exception):
    """The reader of stdout went away (`| head`); not an OSError, so no framework eats it."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C (not an Exception, so that no "any
    failure means parse again" handler swallows it), removing temporary files on the way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
