"""Every option and argument that more than one command takes, declared once.

A command names them in its signature (`fmt: FormatOpt = None`); their help words are
fanpin_cli.cli.help_text's `*.NAME` (or `COMMAND.NAME`). An option of one command alone is
declared in that command's signature. tests/cli/test_declared_once.py holds it: no other
module of fanpin_cli.cli declares an option this one declares, nor one option twice.

The modules that define commands do without `from __future__ import annotations`: Typer reads
a command's signature four times a run, and compiles and evaluates every string annotation
each time (5.4M instructions of a warm `get`, 1.9%, measured with benchmarks/startup.py
--instructions).
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from fanpin_cli.cli.compat import Choice
from fanpin_cli.writers import EXPORTED, Format


class Lang(str, enum.Enum):
    zh = "zh"
    en = "en"


def data_path(value: str | Path) -> Path:
    """A --data value: `--data ""` would silently mean the current directory, so refuse it."""
    if isinstance(value, Path):
        return value
    if not value.strip():
        raise typer.BadParameter("needs a dataset directory or file, not an empty string")
    return Path(value)


DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        parser=data_path,
        show_default=False,
        readable=False,  # fanpin says why it cannot read it, with exit 3 (docs/exit-codes.md)
    ),
]
LangOpt = Annotated[Lang | None, typer.Option("--lang", show_default=False)]

# What is printed, and how
FormatOpt = Annotated[Format | None, typer.Option("--format", "-o", show_default=False)]
# rank's: every format, and `text` (the bulletin's sentences)
RankFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-o",
        click_type=Choice([*(f.value for f in Format), "text"]),
        show_default=False,
    ),
]
FieldsOpt = Annotated[str | None, typer.Option("--fields")]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header")]
SvgOpt = Annotated[Path | None, typer.Option("--svg")]
OutputOpt = Annotated[Path | None, typer.Option("--output")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx")]

# What is read and selected
SelectorsArg = Annotated[
    list[str] | None, typer.Argument(metavar="[SECTION|ID]...", show_default=False)
]
IdArg = Annotated[str, typer.Argument(metavar="ID")]
TargetsOpt = Annotated[Path | None, typer.Option("--targets", readable=False)]
RegionOpt = Annotated[str | None, typer.Option("--region")]
PeriodOpt = Annotated[str | None, typer.Option("--period")]
RegionNeeded = Annotated[str, typer.Option("--region")]  # the same options, required
PeriodNeeded = Annotated[str, typer.Option("--period")]
AmongOpt = Annotated[list[str] | None, typer.Option("--among", show_default=False)]
ToOpt = Annotated[str | None, typer.Option("--to")]
ToNeeded = Annotated[str, typer.Option("--to")]
YtdOpt = Annotated[bool, typer.Option("--ytd")]
YoyOpt = Annotated[bool, typer.Option("--yoy")]
PopOpt = Annotated[bool, typer.Option("--pop")]

F = TypeVar("F", bound=Callable[..., Any])


def format_flags(before: str) -> Callable[[F], F]:
    """Give a command one flag per format `export` writes (`--csv`, `--tsv`, ... : the
    members of fanpin_cli.writers.EXPORTED, in order), placed in its signature before the
    parameter `before`; the command takes them as `**flags` (name: on)."""

    def add(command: F) -> F:
        signature = inspect.signature(command, eval_str=True)
        flags = [
            inspect.Parameter(
                fmt.value,
                inspect.Parameter.KEYWORD_ONLY,
                default=False,
                annotation=Annotated[bool, typer.Option(f"--{fmt.value}")],
            )
            for fmt in EXPORTED
        ]
        params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        at = [p.name for p in params].index(before)
        ordered = [*params[:at], *flags, *params[at:]]
        # keyword-only from the flags on (a signature lists positional parameters first)
        ordered = [*ordered[:at], *(p.replace(kind=p.KEYWORD_ONLY) for p in ordered[at:])]
        command.__signature__ = signature.replace(parameters=ordered)  # type: ignore[attr-defined]
        return command

    return add
