"""The import command: a filled workbook (or fanpin's CSV export) as a TOML dataset directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import write_stdout


def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A filled workbook (.xlsx, .xls, .ods) or fanpin's CSV export."
        ),
    ],
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="New dataset directory to write (TOML).")
    ],
) -> None:
    """Turn a workbook into the canonical TOML dataset directory, to review and keep in git.

    The workbook is checked as `--data FILE` checks it: an invalid one writes nothing.

    \b
    Example:
        fanpin import 永登县2023.xlsx counties/2023/620121
    """
    from fanpin_cli.sheets.importer import import_workbook

    written = import_workbook(source, directory)
    write_stdout("".join(f"{p}\n" for p in written))
