"""fanpin's own temporary files beside an output: made, claimed while alive, swept when dead.

Every output fanpin writes atomically is first written to `.NAME.XXXXXXXX.tmp` beside it
(SQLite adds `-journal`, `-wal` or `-shm` to that; a data package is built in a directory
of that name). The writer holds an exclusive `flock` on the temporary file for as long as
it lives; a process killed with SIGKILL loses the lock with its life, and the file stays
behind. The next run writing the same NAME removes such leftovers, and nothing else:
only names of that exact shape for that NAME, only regular files (or our own package
directory), only when no live process holds the lock, and only when not touched for a
minute (a writer between creating and locking its file is never swept).

The cache directory holds fanpin's entries only: it is swept of every entry's leftovers
once per process (`sweep_once`), not listed again for each of the thousands of entries a
national collection writes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): nothing can be known dead, so nothing is swept
    fcntl = None  # type: ignore[assignment]

STALE_SECONDS = 60
SQLITE_SUFFIXES = ("", "-journal", "-wal", "-shm")
PACKAGE_FILES = frozenset({"indicators.csv", "datapackage.json"})


_SHAPE = r"\.[a-z0-9_]{8}\.tmp(-journal|-wal|-shm)?\Z"
_ANY_NAME = re.compile(r"\..+" + _SHAPE, re.DOTALL)
_swept: set[str] = set()  # the directories sweep_once has swept in this process


# A file name is at most 255 bytes (NAME_MAX on Linux, macOS and Windows' NTFS); the
# longest temporary name adds `.` before and `.XXXXXXXX.tmp-journal` after NAME.
NAME_MAX = 255
_ADDED = len(".") + len(".XXXXXXXX.tmp-journal")


def temp_stem(name: str) -> str:
    """NAME as temporary names carry it: whole when they fit in NAME_MAX bytes; otherwise
    cut short, with `~` and 8 hex digits of a checksum of the whole NAME, so that an output
    named with 242 to 255 bytes can still be written (and its leftovers still be told
    apart from another name's)."""
    raw = os.fsencode(name)
    room = NAME_MAX - _ADDED
    if len(raw) <= room:
        return name
    import zlib

    cut = raw[: room - 9].decode("utf-8", "ignore")  # no half of a character left
    return f"{cut}~{zlib.crc32(raw):08x}"


@functools.lru_cache(maxsize=64)
def temp_name_pattern(name: str) -> re.Pattern[str]:
    """What `mkstemp(prefix=f".{stem}.", suffix=".tmp")` makes, with SQLite's side files."""
    return re.compile(r"\." + re.escape(temp_stem(name)) + _SHAPE)


def make_temp_file(target: Path) -> tuple[int, str]:
    """A new `.NAME.XXXXXXXX.tmp` beside `target`, opened and locked: (fd, path)."""
    prefix = f".{temp_stem(target.name)}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    _lock(fd)  # ours from birth; cannot fail on a new file
    return fd, tmp


def make_temp_dir(target: Path) -> tuple[int, str]:
    """A new `.NAME.XXXXXXXX.tmp/` beside `target`, locked through a descriptor: (fd, path)."""
    prefix = f".{temp_stem(target.name)}."
    tmp = tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    _lock(fd)
    return fd, tmp


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _old_and_ours(st: os.stat_result, now: float) -> bool:
    return now - st.st_mtime >= STALE_SECONDS and st.st_uid == os.geteuid()


def _abandoned(path: str, st: os.stat_result, now: float) -> bool:
    """Nobody holds the lock on `path` and it has not changed for STALE_SECONDS."""
    if fcntl is None or not _old_and_ours(st, now):
        return False
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    if stat.S_ISDIR(st.st_mode):
        flags |= os.O_DIRECTORY
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live fanpin is writing it
    else:
        return True
    finally:
        os.close(fd)  # also releases the lock we may have taken


def sweep(target: Path) -> list[str]:
    """Remove abandoned temporary files of earlier runs writing `target`; their names."""
    return _sweep(target.parent, temp_name_pattern(target.name))


def sweep_once(directory: Path) -> list[str]:
    """Remove abandoned temporary files of any name in `directory` (fanpin's own: the cache),
    the first time this process asks; their names."""
    key = os.fspath(directory)
    if key in _swept:
        return []
    _swept.add(key)
    return _sweep(directory, _ANY_NAME)


def _sweep(directory: Path, pattern: re.Pattern[str]) -> list[str]:
    removed: list[str] = []
    now = time.time()
    try:
        names = [n for n in os.listdir(directory) if pattern.match(n)]
    except OSError:
        return removed
    for name in sorted(names):
        path = os.path.join(directory, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            if name.endswith(".tmp"):
                stale = _abandoned(path, st, now)
            else:  # SQLite's side file: it carries no lock; it goes after its database
                base = path[: path.rindex(".tmp") + 4]
                stale = not os.path.lexists(base) and _old_and_ours(st, now)
            if stale:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    removed.append(name)
        elif stat.S_ISDIR(st.st_mode) and _abandoned(path, st, now):
            with contextlib.suppress(OSError):
                inside = os.listdir(path)
                if all(n in PACKAGE_FILES for n in inside):
                    for n in inside:
                        os.unlink(os.path.join(path, n))
                    os.rmdir(path)
                    removed.append(name)
    return removed
