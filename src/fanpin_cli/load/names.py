"""Which names in a folder fanpin reads: TOML data files, not hidden files or editors' locks.

An editor leaves `.#monitoring.toml` (Emacs's lock, often a symbolic link to nothing) or a
hidden `.monitoring.toml.swp`-like copy beside the files it edits; a dataset is its visible
`*.toml` files, and what is left out is said with `--verbose` (fanpin_cli.sheets.collect).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

TOML_SUFFIX = ".toml"


def is_hidden(name: str) -> bool:
    """A hidden name (`.x.toml`, Emacs's `.#x.toml` lock, `.~lock.x.ods#`): never read."""
    return name.startswith(".")


def toml_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The TOML data files among `names` (in the order given) and the hidden `*.toml`
    names left out."""
    kept: list[str] = []
    hidden: list[str] = []
    for name in names:
        if name.endswith(TOML_SUFFIX):
            (hidden if is_hidden(name) else kept).append(name)
    return kept, hidden


def files_read(paths: Sequence[Path] | None) -> set[tuple[int, int]]:
    """(device, inode) of each file a load of `paths` reads as data (the bundled dataset
    by default): the TOML files of its dataset folders, and the spreadsheets given."""
    from fanpin_cli.bundled import bundled_data_dir
    from fanpin_cli.load import expand, resolve_path

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
    from fanpin_cli.errors import DataError, UsageError

    try:
        read = files_read(paths)
    except (OSError, DataError):
        return  # the load says what is wrong with the dataset
    for output, key in existing:
        if key in read:
            raise UsageError.said(("usage.output_is_input",), path=str(output))
