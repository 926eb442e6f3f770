"""The import command: a filled workbook (or fanpin's CSV export) as a TOML dataset directory."""

from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import write_stdout


def import_(
    source: Annotated[Path, typer.Argument(metavar="FILE")],
    directory: Annotated[Path, typer.Argument(metavar="DIR")],
) -> None:
    from fanpin_cli.writers.importer import import_workbook

    written = import_workbook(source, directory)
    write_stdout("".join(f"{p}\n" for p in written))
