"""Standard streams fanpin can always write to: UTF-8, and closed ones made harmless.

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


def discard_closed_stdout() -> None:
    """After the error about a closed stdout is reported: let the exit flush succeed."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
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
