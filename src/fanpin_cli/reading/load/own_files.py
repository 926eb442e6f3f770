"""The files a load reads, which no export may replace (`export --output` onto one of them)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from fanpin_cli.reading.load.names import toml_names


def files_read(paths: Sequence[Path] | None) -> set[tuple[int, int]]:
    """(device, inode) of each file a load of `paths` reads as data (the bundled dataset
    by default): the TOML files of its dataset folders, and the spreadsheets given."""
    from fanpin_cli.core.bundled import bundled_data_dir
    from fanpin_cli.reading.load import expand, resolve_path

    found: set[tuple[int, int]] = set()
    for given in paths or [bundled_data_dir()]:
        for path in expand(resolve_path(given)):
            names = toml_names(os.listdir(path))[0] if path.is_dir() else [""]
            for name in names:
                with contextlib.suppress(OSError):
                    st = os.stat(path / name if name else path)
                    found.add((st.st_dev, st.st_ino))
    return found


def refuse_writing_over(outputs: Iterable[Path | None], paths: Sequence[Path] | None) -> None:
    """A UsageError when one of `outputs` is (or links to) a file the load of `paths`
    reads: an export never replaces the dataset it comes from."""
    existing = []
    for output in outputs:
        if output is not None and str(output) != "-":
            with contextlib.suppress(OSError):
                st = os.stat(output)
                existing.append((output, (st.st_dev, st.st_ino)))
    if not existing:
        return
    from fanpin_cli.core.errors import DataError, UsageError

    try:
        read = files_read(paths)
    except (OSError, DataError):
        return  # the load says what is wrong with the dataset
    for output, key in existing:
        if key in read:
            raise UsageError.said(("usage.output_is_input",), path=str(output))
