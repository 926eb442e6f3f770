"""The chart command: bars for parts of a whole, values by period, value against target."""

from typing import Annotated

import typer

from fanpin_cli.cli.common import emit, load_dataset, state
from fanpin_cli.cli.options import DataOpt, FieldsOpt, FormatOpt, NoHeaderOpt, SvgOpt


def chart(
    ctx: typer.Context,
    selectors: Annotated[list[str], typer.Argument(show_default=False)],
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.views.charts import chart_output

    st = state(ctx, data)
    output = chart_output(load_dataset(st), selectors, st.lang)
    emit(output, fmt, st, fields=fields, header=not no_header, svg=svg)
