"""Commands that browse the data: sections, show, get, search."""

import enum
from typing import Annotated

import typer

from fanpin_cli.cli.common import emit, load_dataset, state, write_stdout
from fanpin_cli.cli.options import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    SelectorsArg,
    SvgOpt,
    YtdOpt,
)


class Pivot(str, enum.Enum):
    period = "period"
    region = "region"


IdsArg = Annotated[
    list[str],
    typer.Argument(show_default=False),
]


def sections(
    ctx: typer.Context,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.views.indicators import sections_output

    st = state(ctx, data)
    emit(sections_output(load_dataset(st), st.lang), fmt, st, fields=fields, header=not no_header)


def show(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    by: Annotated[Pivot | None, typer.Option("--by")] = None,
    ytd: YtdOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.query import Selection
    from fanpin_cli.views.indicators import show_output

    st = state(ctx, data)
    if ytd:  # the whole year is read, then each figure's year to date is the record
        from fanpin_cli.views.analysis import ytd_dataset

        dataset, period = ytd_dataset(load_dataset(st, region=region), period, st.lang)
    else:
        dataset = load_dataset(st, region=region, period=period)
    selection = Selection(tuple(selectors or ()), region, period)
    output = show_output(dataset, selection, st.lang, by.value if by else None)
    emit(output, fmt, st, fields=fields, header=not no_header, svg=svg)


def get(
    ctx: typer.Context,
    ids: IdsArg,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    allow_missing: Annotated[bool, typer.Option("--allow-missing")] = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.query import Selection, get_values

    st = state(ctx, data)
    selection = Selection((), region, period)
    write_stdout(get_values(load_dataset(st), ids, selection, allow_missing=allow_missing))


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument()],
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.views.indicators import search_output

    st = state(ctx, data)
    output = search_output(load_dataset(st), text, st.lang)
    emit(output, fmt, st, fields=fields, header=not no_header)
