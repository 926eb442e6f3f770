"""Write files atomically: a temporary file in the same directory, then a rename."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from fanpin_cli.errors import UsageError
from fanpin_cli.tempfiles import make_temp_file, sweep


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[bytes]]:
    """Yield a temporary file that replaces `path` only if the block finishes without error."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UsageError("is a directory; give a file name", path=str(target))
    if not directory.is_dir():
        raise UsageError("its directory does not exist", path=str(target))
    sweep(target)  # temporary files of earlier runs killed while writing here
    try:
        fd, tmp = make_temp_file(target)  # locked while we live (fanpin_cli.tempfiles)
    except OSError as exc:
        raise UsageError(f"cannot write here: {exc.strerror}", path=str(target)) from None
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data` atomically."""
    with atomic_file(path) as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace `path` with `text` atomically."""
    atomic_write_bytes(path, text.encode(encoding))
