"""Read input files safely: regular files only.

Every file fanpin reads as input (data, targets, regions, the source document) comes
through here, so that nothing hangs on a FIFO, streams /dev/zero into memory or follows a
symlink loop: anything that is not a regular file is a DataError (exit 3) naming the file.
A regular file has no size limit: a national collection's section file may pass 64 MB,
and memory is the bound (docs/reliability.md).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from fanpin_cli.core.errors import DataError

# never block on open (a FIFO), never inherit, never become a controlling terminal (POSIX)
_OPEN_FLAGS = sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_CLOEXEC", "O_NOCTTY"))


class Refused(DataError):
    """An input that is not a regular file: never read, whatever asked for it."""


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
    """stat(`path`) (following symlinks) when it is a regular file."""
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


def read_bytes(path: str | os.PathLike[str], what: str = "file") -> bytes:
    """The bytes of a regular file, or a DataError saying why not.

    The file is opened without blocking (a FIFO that slipped in between stat and open does
    not hang) and checked again through the open descriptor; it is read whole in one
    buffer of its size.
    """
    name = os.fspath(path)
    check_regular(name, what)
    try:
        fd = os.open(name, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as exc:
        raise os_error(exc, name) from None
    try:
        with open(fd, "rb", buffering=0, closefd=False) as handle:
            _check_mode(os.fstat(fd), name, what)
            return handle.readall()
    except OSError as exc:
        raise os_error(exc, name) from None
    finally:
        os.close(fd)


def refuse_irregular(files: list[Path]) -> None:
    """Refuse the first of `files` that is there but neither a regular file nor a folder
    (a FIFO, a device), before any of them is parsed; the rest say what is wrong when read."""
    for file in files:
        try:
            mode = os.stat(file).st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            _check_mode(os.stat(file), os.fspath(file), "file")


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
