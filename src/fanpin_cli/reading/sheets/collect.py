"""Find the datasets under a collection directory: TOML dataset folders and spreadsheets."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fanpin_cli.core.errors import DataError
from fanpin_cli.files.safe_read import Refused, kind_of, os_error
from fanpin_cli.files.streams import environment
from fanpin_cli.reading.load.names import is_hidden, toml_names
from fanpin_cli.reading.sheets import is_sheet

if TYPE_CHECKING:
    from fanpin_cli.core.model import DirectoryData


# why an entry of a collection is not read (codes of labels.MESSAGES), said with --verbose
Skip = Callable[[Path, str], None]


def datasets_under(root: Path, on_skip: Skip | None = None) -> list[Path]:
    """Dataset directories and spreadsheet files under `root`, at any depth, in name order.

    A directory holding TOML files is one dataset (nothing below it is looked at); a
    spreadsheet anywhere else is one dataset. No county is left out in silence: a symbolic
    link is followed (a county folder linked in from elsewhere counts), and a folder that
    cannot be listed, a link to nothing, a loop or a folder reached twice, and anything
    that is neither a folder nor a regular file are DataErrors (exit 3) naming it. Hidden
    names, office lock files and other files are left out, each told to `on_skip`.
    """
    found: list[Path] = []
    seen: dict[tuple[int, int], Path] = {}
    todo = [(root, _stat(root))]
    while todo:
        directory, st = todo.pop()
        first = seen.setdefault((st.st_dev, st.st_ino), directory)
        if first != directory:  # a loop, or two links to one folder: its records twice
            raise DataError.said(("load.reached_twice", str(first)), path=str(directory))
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            raise os_error(exc, str(directory)) from None
        if directory != root and toml_names(names)[0]:
            found.append(directory)
            continue
        below: list[tuple[Path, os.stat_result]] = []
        for name in names:
            path = directory / name
            why = "load.skip_hidden" if is_hidden(name) else ""
            why = why or ("load.skip_lock" if name.startswith("~$") else "")
            if why:
                if on_skip is not None:
                    on_skip(path, why)
                continue
            entry = _stat(path)
            if stat.S_ISDIR(entry.st_mode):
                below.append((path, entry))
            elif is_sheet(name):
                found.append(path)  # not a regular file: refused by name when loaded
            elif not stat.S_ISREG(entry.st_mode):
                what = ("load.refused", kind_of(entry.st_mode), "file or directory")
                raise Refused.said(what, path=str(path))
            elif on_skip is not None:
                on_skip(path, "load.skip_not_data")
        todo.extend(reversed(below))
    return sorted(found)


def _stat(path: Path) -> os.stat_result:
    """os.stat(`path`), following a link, or a DataError naming it (a link to nothing, a loop)."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        code = "load.dangling" if os.path.islink(path) else "load.no_file"
        raise DataError.said((code,), path=str(path)) from None
    except OSError as exc:
        raise os_error(exc, str(path)) from None


def say_skipped(path: Path, why: str, lang: str = "en") -> None:
    """`--verbose`: one stderr line for an entry of a dataset or collection not read."""
    from fanpin_cli.core.labels import message

    environment().stderr.write(f"fanpin: {path}: {message(why, (), lang)}\n")


def say_read(path: Path, data: DirectoryData, lang: str = "en") -> None:
    """`--verbose`: one stderr line per dataset read, with its files and record count, and
    one per hidden file (an editor's lock) left out of it."""
    hidden: list[str] = []
    if path.is_dir():
        names, hidden = toml_names(sorted(os.listdir(path)))
        what = f"{len(names)} TOML files ({', '.join(names)})"
    else:
        what = "1 file"
    environment().stderr.write(f"fanpin: read {path}: {what}, {len(data.indicators)} indicators\n")
    for name in hidden:
        say_skipped(path / name, "load.skip_hidden", lang)
