"""Commands of the city office's analysis: rank and scorecard."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    PeriodOpt,
    SelectorsArg,
    SvgOpt,
    TargetsOpt,
    emit,
    load_dataset,
    state,
    write_stdout,
)
from fanpin_cli.writers import Format


class RankFormat(str, enum.Enum):
    """rank's formats: every output format, and `text`, the bulletin's sentences."""

    TABLE = "table"
    TSV = "tsv"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    TEXT = "text"


AmongOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--among",
        show_default=False,
    ),
]


def rank(
    ctx: typer.Context,
    indicator: Annotated[str, typer.Argument(metavar="ID")],
    period: PeriodOpt = None,
    among: AmongOpt = None,
    ascending: Annotated[bool, typer.Option("--ascending")] = False,
    yoy: Annotated[bool, typer.Option("--yoy")] = False,
    pop: Annotated[bool, typer.Option("--pop")] = False,
    fmt: Annotated[
        RankFormat | None,
        typer.Option(
            "--format",
            "-o",
            show_default=False,
        ),
    ] = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.core.periods import offset_option
    from fanpin_cli.views.analysis import rank_output, sentences

    st = state(ctx, data)
    how = offset_option(yoy, pop)
    chosen = tuple(a for item in among or () for a in item.split(",") if a.strip())
    output = rank_output(load_dataset(st), indicator, st.lang, period, chosen, ascending, how)
    if fmt is RankFormat.TEXT:
        write_stdout(sentences(output))
        return
    emit(output, Format(fmt.value) if fmt else None, st, fields=fields, header=not no_header)


def scorecard(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    period: PeriodOpt = None,
    among: AmongOpt = None,
    targets: TargetsOpt = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx")] = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.views.analysis import scorecard_output

    st = state(ctx, data)
    chosen = tuple(a for item in among or () for a in item.split(",") if a.strip())
    output, card = scorecard_output(load_dataset(st, targets=targets), tuple(selectors or ()),
                                    st.lang, period, chosen)  # fmt: skip
    if xlsx is not None:
        from fanpin_cli.writers.scorecard_xlsx import write_scorecard

        write_scorecard(output, card, xlsx, st.lang)
    emit(output, fmt, st, fields=fields, header=not no_header, svg=svg)
