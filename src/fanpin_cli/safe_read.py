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


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))  # fmt: skip


def kind_of(mode: int) -> str:
    """'a FIFO', 'a character device', ... for a file that is not regular."""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def os_error(exc: OSError, path: str) -> DataError:
    """A DataError with a plain-words reason for an OSError met while reading `path`."""
    reasons = {
        errno.ENOENT: "no such file",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "a symbolic link loop",
        errno.EISDIR: "is a directory, not a file",
        errno.ENOTDIR: "a part of the path is not a directory",
        errno.ENAMETOOLONG: "the file name is too long",
    }
    reason = reasons.get(exc.errno or 0) or f"cannot read: {exc.strerror or exc}"
    return DataError(reason, path=path)


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
        raise DataError("is a directory, not a file", path=name)
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"is {kind_of(st.st_mode)}, not a regular {what}; refused", path=name)
    if st.st_size > MAX_FILE_BYTES:
        raise Refused(
            f"is {st.st_size:,} bytes, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit "
            "for one input file",
            path=name,
        )


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
                raise Refused(
                    f"grew past the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit while being read",
                    path=name,
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise os_error(exc, name) from None
    finally:
        os.close(fd)


def check_dataset_path(path: Path) -> None:
    """A `--data` path that exists and is a directory or a regular file, or a DataError.

    Catches what later checks would trip over: a symlink loop, a path that cannot be
    looked at (permission denied on a parent), a FIFO or device given as the dataset.
    """
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        if os.path.islink(name):
            raise DataError("a symbolic link to nothing", path=name) from None
        raise DataError("no such dataset directory or file", path=name) from None
    except OSError as exc:
        raise os_error(exc, name) from None
    if stat.S_ISDIR(st.st_mode):
        try:
            os.listdir(name)
        except OSError as exc:
            raise os_error(exc, name) from None
        return
    _check_mode(st, name, "file or directory")
