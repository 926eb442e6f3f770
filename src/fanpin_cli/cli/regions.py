"""Commands for many regions and years: template, rollup and diff."""

from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import emit, load_dataset, state, write_stdout
from fanpin_cli.cli.options import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    PeriodNeeded,
    PeriodOpt,
    PopOpt,
    RegionNeeded,
    RegionOpt,
    SelectorsArg,
    ToNeeded,
    ToOpt,
    YoyOpt,
    YtdOpt,
)


def template(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR|FILE.xlsx")],
    region: RegionNeeded,
    period: PeriodNeeded,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.writers.template_toml import template as make_template

    st = state(ctx, data)
    written = make_template(load_dataset(st), region, period, directory, st.lang)
    write_stdout("".join(f"{p}\n" for p in written))


def rollup(
    ctx: typer.Context,
    to: ToNeeded,
    period: PeriodOpt = None,
    ytd: YtdOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.rollup import columnar_request
    from fanpin_cli.views.regions import rollup_output

    st = state(ctx, data)
    request = None if ytd else columnar_request(period)  # a year to date reads the records
    output = rollup_output(load_dataset(st, columnar=request), to, period, st.lang, ytd)
    emit(output, fmt, st, fields=fields, header=not no_header)


def diff(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    old: Annotated[str | None, typer.Option("--from")] = None,
    new: ToOpt = None,
    against: Annotated[Path | None, typer.Option("--against", readable=False)] = None,
    yoy: YoyOpt = False,
    pop: PopOpt = False,
    region: RegionOpt = None,
    relative_rates: Annotated[bool, typer.Option("--relative-rates")] = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.query import Selection
    from fanpin_cli.core.periods import offset_option
    from fanpin_cli.reading.load import load
    from fanpin_cli.views.regions import diff_output

    st = state(ctx, data)
    how = offset_option(yoy, pop, old is not None or against is not None)
    dataset = load_dataset(st)
    earlier = load([against]) if against is not None else None
    selection = Selection(tuple(selectors or ()), region)
    output = diff_output(dataset, selection, st.lang, old, new, earlier, relative_rates, how)
    emit(output, fmt, st, fields=fields, header=not no_header)
