"""Standard streams fanpin can always write to: UTF-8, and closed ones made harmless; and the
Environment a run reads and writes (its streams and environment variables), injected.

- A run reads environment variables and writes its output only through `environment()`:
  the real ones (sys.stdout, os.environ) unless the caller of fanpin_cli.cli.app.main gave
  an Environment of its own (the tests do; httpie's `main(args, env=Environment(...))`).
  Nothing of the process is swapped for that.

- fanpin writes UTF-8 whatever the locale or PYTHONIOENCODING says (machine formats
  already write UTF-8 bytes); a table under `PYTHONIOENCODING=ascii` is UTF-8 too,
  not an internal error.
- A closed stdout (`fanpin show >&-`) stays an error, but a documented one: writing to
  it fails like a full disk does (exit 74, "cannot write to standard output"), and a
  command that writes only a file (`--output`) still works.
- A closed stderr (`2>&-`) swallows messages; exit codes stay what they are.
- While fd 1 or 2 is closed, /dev/null holds its place, so that no file fanpin opens
  (a SQLite database) gets that number and receives stray output.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator, Mapping
from typing import TextIO


class _ClosedOutput(io.RawIOBase):
    """A raw stream standing in for a closed stdout: every write fails with EBADF.

    Once that failure has been reported, `discard` lets the exit flush drop what is
    still buffered instead of failing again (Python would exit 120).
    """

    discard = False

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if self.discard:
            return len(data)  # type: ignore[arg-type]
        raise OSError(errno.EBADF, "Bad file descriptor (standard output is closed)")


class Environment:
    """What a run reads and writes besides its arguments and files: standard input, output
    and error (text streams; bytes go to their `.buffer` when they have one) and the
    environment variables (FANPIN_DATA, FANPIN_LANG, FANPIN_CACHE, FANPIN_DEBUG,
    XDG_CACHE_HOME, HOME, COLUMNS, NO_COLOR, FORCE_COLOR...)."""

    __slots__ = ("environ", "stderr", "stdin", "stdout")

    def __init__(
        self, stdin: TextIO, stdout: TextIO, stderr: TextIO, environ: Mapping[str, str]
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environ = environ

    @classmethod
    def real(cls) -> Environment:
        """The process's own: sys.stdin, sys.stdout, sys.stderr and os.environ (live)."""
        return cls(sys.stdin, sys.stdout, sys.stderr, os.environ)


# The run under way's Environment (one run at a time in a process; a forked worker inherits
# it). A plain module variable: contextvars would be one more import in every start-up.
_RUN: list[Environment] = []


def environment() -> Environment:
    """The Environment of the run under way (fanpin_cli.cli.app.main), else the real one."""
    return _RUN[-1] if _RUN else Environment.real()


@contextlib.contextmanager
def running_in(env: Environment) -> Iterator[Environment]:
    """`env` is the run's Environment inside the block (and in the processes it forks)."""
    _RUN.append(env)
    try:
        yield env
    finally:
        _RUN.pop()


def getenv(name: str, default: str = "") -> str:
    """Environment variable `name` of the run under way, or `default`."""
    return environment().environ.get(name, default)


def discard_closed_stdout(stream: object = None) -> None:
    """After the error about a closed stdout is reported: let the exit flush succeed."""
    stream = sys.stdout if stream is None else stream
    raw = getattr(getattr(stream, "buffer", None), "raw", None)
    if isinstance(raw, _ClosedOutput):
        raw.discard = True


def _hold(fd: int) -> None:
    """Put /dev/null at `fd` if it is closed, so nothing else lands there."""
    try:
        os.fstat(fd)
    except OSError:
        try:
            null = os.open(os.devnull, os.O_RDWR)
        except OSError:
            return
        if null != fd:
            os.dup2(null, fd)
            os.close(null)


def _is_utf8(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None)
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def prepare() -> None:
    """Make sys.stdout and sys.stderr safe to write as described above (idempotent)."""
    for fd in (1, 2):
        _hold(fd)
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as we do
    for stream in (sys.stdout, sys.stderr):
        if not _is_utf8(stream) and isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(encoding="utf-8")
