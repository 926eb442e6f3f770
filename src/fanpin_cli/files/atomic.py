"""Write output files by the `--output` rules: atomic replacement only for regular files.

- a regular file (new or existing) is written to a temporary file beside it, then renamed
  over it, so a reader never sees half a file and a failed write leaves the old one; an
  existing file keeps its permission bits (and, for root, its owner); a new one gets the
  usual 0666 minus the umask;
- a symlink is followed: its target is what gets replaced, the link stays a link;
- a FIFO or a character device (a terminal, /dev/null, /dev/stdout) is written directly,
  never replaced;
- anything else (a directory, a socket, a block device) is refused, and left alone.
Write errors (disk full, permission, I/O) become OutputError (exit 74) naming the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Literal, NamedTuple

from fanpin_cli.core.errors import UsageError, output_error
from fanpin_cli.files.tempfiles import make_temp_file, sweep


class Destination(NamedTuple):
    """Where bytes for a path really go, and how."""

    path: Path  # symlinks followed
    kind: Literal["new", "regular", "stream"]
    mode: int  # permission bits for the file written
    owner: tuple[int, int] | None = None  # uid, gid of the file replaced


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def looked_at(path: str | os.PathLike[str]) -> Iterator[None]:
    """Checks of what is at an output path: one that cannot be looked at (a folder on the
    way whose names can be listed but not searched, where pathlib raises PermissionError)
    is an OutputError naming it (exit 74), not a crash."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, os.fspath(path)) from None


def destination(path: str | os.PathLike[str]) -> Destination:
    """What is at `path` (symlinks followed); UsageError for what must not be replaced."""
    given = Path(path)
    with looked_at(given):
        target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return Destination(target, "new", 0o666 & ~_umask())
    except OSError as exc:
        raise output_error(exc, str(given)) from None
    if stat.S_ISREG(st.st_mode):
        return Destination(target, "regular", stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid))
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return Destination(target, "stream", 0)
    if stat.S_ISDIR(st.st_mode):
        raise UsageError.said(("usage.is_directory",), path=str(given))
    raise UsageError.said(("usage.not_replaceable",), path=str(given))


@contextlib.contextmanager
def atomic_file(
    path: str | os.PathLike[str], mode: str = "wb", *, durable: bool = True
) -> Iterator[IO[bytes]]:
    """Yield a file for `path` by the rules above; a regular file is replaced only on success.

    `durable` waits for the bytes to reach the disk before the rename (fsync); a cache,
    rebuilt when lost, need not wait.
    """
    dest = destination(path)
    target = dest.path
    if dest.kind == "stream":
        try:
            with open(target, mode) as handle:
                yield handle
        except OSError as exc:
            raise output_error(exc, str(path)) from None
        return
    if not target.parent.is_dir():
        raise UsageError.said(("usage.no_directory",), path=str(path))
    with (
        replacing(target, str(path), dest.mode, dest.owner, durable=durable) as (fd, _),
        os.fdopen(fd, mode, closefd=False) as handle,
    ):
        yield handle


@contextlib.contextmanager
def replacing(
    target: Path,
    shown: str,
    mode: int,
    owner: tuple[int, int] | None = None,
    *,
    durable: bool = True,
    side: Sequence[str] = ("",),
) -> Iterator[tuple[int, str]]:
    """A new temporary file beside `target`, open and locked: (fd, its path). When the block
    finishes it gets permission bits `mode` (and `owner`, for root) and is renamed over
    `target`; when it fails it is removed, with each `path + suffix` of `side` (SQLite's
    files beside it). OSError becomes OutputError naming `shown`."""
    sweep(target)  # temporary files of earlier runs killed while writing here
    try:
        fd, tmp = make_temp_file(target)  # locked while we live (fanpin_cli.files.tempfiles)
    except OSError as exc:
        raise output_error(exc, shown) from None
    try:
        yield fd, tmp
        if durable:
            os.fsync(fd)
        os.chmod(tmp, mode)
        if owner is not None and os.geteuid() == 0:
            with contextlib.suppress(OSError):
                os.chown(tmp, *owner)
        os.replace(tmp, target)
    except BaseException as exc:
        for suffix in side:
            with contextlib.suppress(OSError):
                os.unlink(tmp + suffix)
        if isinstance(exc, OSError):
            raise output_error(exc, shown) from None
        raise
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` by the `--output` rules."""
    with atomic_file(path, durable=durable) as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` by the `--output` rules."""
    atomic_write_bytes(path, text.encode(encoding))


def _kept(path: Path, tmp: Path) -> os.stat_result | None:
    """The stat of the empty folder at `path`, whose group (and owner, for root) and
    setgid bit `tmp` is given (writable by us while it is filled); None when there is none."""
    try:
        was = os.stat(path)
    except FileNotFoundError:
        return None
    with contextlib.suppress(OSError):  # a group we are not in: it stays ours
        os.chown(tmp, was.st_uid if os.geteuid() == 0 else -1, was.st_gid)
    os.chmod(tmp, stat.S_IMODE(was.st_mode) | stat.S_IRWXU)
    return was


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Yield a temporary directory that becomes `path` (new or empty) only if the block
    finishes without error; otherwise it is removed and `path` is left as it was."""
    import shutil

    from fanpin_cli.files.tempfiles import make_temp_dir

    sweep(path)
    lock, name = make_temp_dir(path)  # locked while we live (fanpin_cli.files.tempfiles)
    tmp = Path(name)
    try:
        # an empty folder made for it keeps its mode, group (and owner, for root); set
        # before the files are written, so that a setgid folder's group is theirs too
        was = _kept(path, tmp)
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask() if was is None else stat.S_IMODE(was.st_mode))
        if was is not None:
            path.rmdir()
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(lock)
