"""Commands for many regions and years: template, rollup and diff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    SelectorsArg,
    emit,
    load_dataset,
    state,
    write_stdout,
)


def template(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR|FILE.xlsx",
            help="New dataset directory (TOML), or a fill-in workbook when it ends in .xlsx.",
        ),
    ],
    region: Annotated[str, typer.Option("--region", help="Region code or name, e.g. 620121.")],
    period: Annotated[str, typer.Option("--period", help="Period to collect, e.g. 2024.")],
    data: DataOpt = None,
) -> None:
    """Write an empty dataset for a region to fill in: a TOML directory or an .xlsx workbook.

    Every indicator the region's level reports (a county is not asked for city-only ones),
    no values; missing parent folders are created.

    \b
    Example:
        fanpin template --region 永登县 --period 2024 counties/620121
        fanpin template --region 永登县 --period 2024 永登县2024.xlsx
    """
    from fanpin_cli.template import template as make_template

    st = state(ctx, data)
    written = make_template(load_dataset(st), region, period, directory, st.lang)
    write_stdout("".join(f"{p}\n" for p in written))


def rollup(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="Parent region (code or name), e.g. 620100.")],
    period: PeriodOpt = None,
    ytd: Annotated[
        bool,
        typer.Option(
            "--ytd",
            help="累计: roll up each figure's year to date at --period (a month or quarter).",
        ),
    ] = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    """Sum additive indicators (counts, amounts) over the counties, beside the city's figure.

    A rate that declares its numerator and denominator is rebuilt from their sums, never
    summed or averaged; the counties' own rates are in county_values.

    \b
    Example:
        fanpin rollup --to 620100 --data @bundled --data counties/620102 --data counties/620121
    """
    from fanpin_cli.rollup import table_request
    from fanpin_cli.views.regions import rollup_output

    st = state(ctx, data)
    request = None if ytd else table_request(period)  # a year to date reads the records
    output = rollup_output(load_dataset(st, table=request), to, period, st.lang, ytd)
    emit(output, fmt, st, fields=fields, header=not no_header)


def diff(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    old: Annotated[str | None, typer.Option("--from", help="Earlier period.")] = None,
    new: Annotated[str | None, typer.Option("--to", help="Later period.")] = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against", help="Compare with this (earlier) dataset instead.", readable=False
        ),
    ] = None,
    yoy: Annotated[
        bool,
        typer.Option("--yoy", help="同比: each period against the same period a year earlier."),
    ] = False,
    pop: Annotated[
        bool, typer.Option("--pop", help="环比: each period against the period before it.")
    ] = False,
    region: RegionOpt = None,
    relative_rates: Annotated[
        bool,
        typer.Option(
            "--relative-rates",
            help="Also give the % change of percentages (their change is in percentage points).",
        ),
    ] = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    """Change between two periods (default: the last two) or against an earlier dataset.

    --yoy and --pop compare the records of the period --to (default: each series' latest)
    with a year before (同比) or the period before (环比); a missing one is said.

    \b
    Example:
        fanpin diff rectification --from 2021 --to 2022
        fanpin diff --data report-2024 --against @bundled
        fanpin diff monitoring --yoy --to 2024-03 --data counties
    """
    from fanpin_cli.load import load
    from fanpin_cli.periods import offset_option
    from fanpin_cli.query import Selection
    from fanpin_cli.views.regions import diff_output

    st = state(ctx, data)
    how = offset_option(yoy, pop, old is not None or against is not None)
    dataset = load_dataset(st)
    earlier = load([against]) if against is not None else None
    selection = Selection(tuple(selectors or ()), region)
    output = diff_output(dataset, selection, st.lang, old, new, earlier, relative_rates, how)
    emit(output, fmt, st, fields=fields, header=not no_header)
