"""Read input files safely: regular files only, never more than a documented size.

Every file fanpin reads as input (data, targets, regions, the source document) comes
through here, so that nothing hangs on a FIFO, streams /dev/zero into memory or follows a
symlink loop: anything that is not a regular file within MAX_FILE_BYTES is a DataError
(exit 3) naming the file. The README's "Reliability" section states the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from fanpin_cli.errors import DataError

# A real dataset file never comes near this: the 100,000-record benchmark dataset is
# about 19 MB in all, over several files. It bounds the memory one file can take.
MAX_FILE_BYTES = 64 * 1024 * 1024
# never block on open (a FIFO), never inherit, never become a controlling terminal (POSIX)
_OPEN_FLAGS = sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_CLOEXEC", "O_NOCTTY"))


class Refused(DataError):
    """An input that is not a regular file, or is too big: never read, whatever asked for it."""


# what a file that is not regular is (words of labels.TYPES)
_KINDS = ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "chardev"),
          (stat.S_ISBLK, "blockdev"), (stat.S_ISSOCK, "socket"))  # fmt: skip


def kind_of(mode: int) -> str:
    """'fifo', 'chardev', ... (words of labels.TYPES) for a file that is not regular."""
    return next((kind for test, kind in _KINDS if test(mode)), "irregular")


# plain-words reasons for an OSError, by errno (codes of labels.MESSAGES)
_OS_REASONS = {
    errno.ENOENT: "load.no_file", errno.EACCES: "load.denied", errno.EPERM: "load.denied",
    errno.ELOOP: "load.loop", errno.EISDIR: "load.directory", errno.ENOTDIR: "load.not_dir",
    errno.ENAMETOOLONG: "load.long_name",
}  # fmt: skip


def os_error(exc: OSError, path: str) -> DataError:
    """A DataError with a plain-words reason for an OSError met while reading `path`."""
    code = _OS_REASONS.get(exc.errno or 0)
    said = (code,) if code else ("load.unreadable", str(exc.strerror or exc))
    return DataError.said(said, path=path)


def check_regular(path: str | os.PathLike[str], what: str = "file") -> os.stat_result:
    """stat(`path`) (following symlinks) when it is a regular file within the size limit."""
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except OSError as exc:
        raise os_error(exc, name) from None
    _check_mode(st, name, what)
    return st


def _check_mode(st: os.stat_result, name: str, what: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise DataError.said(("load.directory",), path=name)
    if not stat.S_ISREG(st.st_mode):
        raise Refused.said(("load.refused", kind_of(st.st_mode), what), path=name)
    if st.st_size > MAX_FILE_BYTES:
        limit = str(MAX_FILE_BYTES // (1024 * 1024))
        raise Refused.said(("load.too_big", f"{st.st_size:,}", limit), path=name)


def read_bytes(path: str | os.PathLike[str], what: str = "file") -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or a DataError saying why not.

    The file is opened without blocking (a FIFO that slipped in between stat and open does
    not hang) and checked again through the open descriptor, and never more than the limit
    is read even if it grows meanwhile.
    """
    name = os.fspath(path)
    check_regular(name, what)
    try:
        fd = os.open(name, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as exc:
        raise os_error(exc, name) from None
    try:
        _check_mode(os.fstat(fd), name, what)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                limit = str(MAX_FILE_BYTES // (1024 * 1024))
                raise Refused.said(("load.grew", limit), path=name)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise os_error(exc, name) from None
    finally:
        os.close(fd)


def check_dataset_path(path: Path) -> None:
    """A `--data` path that exists and is a directory or a regular file, or a DataError.

    Catches what later checks would trip over: a symlink loop, a path that cannot be
    looked at (permission denied on a parent), a folder whose names can be listed but whose
    files cannot be looked at, a FIFO or device given as the dataset.
    """
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        if os.path.islink(name):
            raise DataError.said(("load.dangling",), path=name) from None
        raise DataError.said(("load.no_dataset",), path=name) from None
    except OSError as exc:
        raise os_error(exc, name) from None
    if stat.S_ISDIR(st.st_mode):
        try:
            os.listdir(name)
            os.stat(os.path.join(name, os.curdir))  # its files can be looked at (x, not only r)
        except OSError as exc:
            raise os_error(exc, name) from None
        return
    _check_mode(st, name, "file or directory")
