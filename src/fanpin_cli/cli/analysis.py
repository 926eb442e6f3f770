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
    LangOpt,
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
from fanpin_cli.formats import Format


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
        help="Rank these regions (codes or names; repeatable or comma-separated) instead of "
        "the children of the parent region in the data.",
        show_default=False,
    ),
]


def rank(
    ctx: typer.Context,
    indicator: Annotated[str, typer.Argument(metavar="ID", help="The indicator to rank on.")],
    period: PeriodOpt = None,
    among: AmongOpt = None,
    ascending: Annotated[
        bool, typer.Option("--ascending", help="Lower is better: rank from the lowest.")
    ] = False,
    yoy: Annotated[
        bool, typer.Option("--yoy", help="Change of rank against the same period a year ago.")
    ] = False,
    pop: Annotated[
        bool, typer.Option("--pop", help="Change of rank against the period before.")
    ] = False,
    fmt: Annotated[
        RankFormat | None,
        typer.Option(
            "--format",
            "-o",
            help="Output format (default: table on a terminal, tsv otherwise); text: the "
            "bulletin's sentence for each region.",
            show_default=False,
        ),
    ] = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Rank regions on one indicator for a period: competition ranks (1, 2, 2, 4), the change
    of rank (--pop, --yoy), the gap to the parent's figure (percentage points for a rate);
    regions without a value last. Higher ranks first unless the indicator's direction or
    target says lower is better, or --ascending.

    \b
    Example:
        fanpin rank monitoring.risk_elimination_rate --pop --data counties -o text
    """
    from fanpin_cli.periods import offset_option
    from fanpin_cli.views.analysis import rank_output, sentences

    st = state(ctx, data, lang)
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
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", help="Also write it as a workbook (coloured by status) to FILE."),
    ] = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Regions x indicators on one page: each cell the value, its status against the target
    that applies (met, missed, not reported, no target) and its rank; coloured by status on
    a terminal. Machine formats: columns ID, ID:status and ID:rank for each indicator.

    \b
    Example:
        fanpin scorecard monitoring --data counties --targets county-targets.toml
        fanpin scorecard monitoring --data counties --xlsx 计分卡.xlsx
    """
    from fanpin_cli.views.analysis import scorecard_output

    st = state(ctx, data, lang)
    chosen = tuple(a for item in among or () for a in item.split(",") if a.strip())
    output, card = scorecard_output(load_dataset(st, targets=targets), tuple(selectors or ()),
                                    st.lang, period, chosen)  # fmt: skip
    if xlsx is not None:
        from fanpin_cli.sheets.scorecard_xlsx import write_scorecard

        write_scorecard(output, card, xlsx, st.lang)
    emit(output, fmt, st, fields=fields, header=not no_header, svg=svg)
