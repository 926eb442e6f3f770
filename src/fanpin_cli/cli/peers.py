"""The benchmark command: a region beside its parent and the country."""

import typer

from fanpin_cli.cli.common import emit, load_dataset, state
from fanpin_cli.cli.options import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    SelectorsArg,
)


def benchmark(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.query import Selection
    from fanpin_cli.reading.references import with_references
    from fanpin_cli.views.peers import peers_output

    st = state(ctx, data)
    st.data = with_references(st.data)
    selection = Selection(tuple(selectors or ()), region, period)
    emit(peers_output(load_dataset(st), selection, st.lang), fmt, st, fields=fields,
         header=not no_header)  # fmt: skip
