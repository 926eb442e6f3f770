"""Find the datasets under a collection directory: TOML dataset folders and spreadsheets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from fanpin_cli.sheets import is_sheet

if TYPE_CHECKING:
    from fanpin_cli.model import DirectoryData


def datasets_under(root: Path) -> list[Path]:
    """Dataset directories and spreadsheet files under `root`, at any depth, in name order.

    A directory holding TOML files is one dataset (nothing below it is looked at); a
    spreadsheet anywhere else is one dataset; hidden names and lock files are skipped.
    """
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        if here != root and any(n.endswith(".toml") for n in filenames):
            found.append(here)
            dirnames[:] = []
            continue
        found.extend(here / n for n in sorted(filenames) if is_sheet(n) and not n.startswith("."))
    return sorted(found)


def say_read(path: Path, data: DirectoryData) -> None:
    """`--verbose`: one stderr line per dataset read, with its files and record count."""
    import sys

    if path.is_dir():
        names = sorted(n for n in os.listdir(path) if n.endswith(".toml"))
        what = f"{len(names)} TOML files ({', '.join(names)})"
    else:
        what = "1 file"
    sys.stderr.write(f"fanpin: read {path}: {what}, {len(data.indicators)} indicators\n")
