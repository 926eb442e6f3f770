"""The chart command: bars for parts of a whole, values by period, value against target."""

from __future__ import annotations

from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    LangOpt,
    NoHeaderOpt,
    SvgOpt,
    choose_format,
    emit,
    load_dataset,
    state,
    to_svg,
    to_terminal,
)
from fanpin_cli.formats import Format


def chart(
    ctx: typer.Context,
    selectors: Annotated[
        list[str],
        typer.Argument(help="Section keys or indicator ids.", show_default=False),
    ],
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Draw horizontal bars: parts of a whole, values by period, values against targets.

    \b
    Example:
        fanpin chart monitoring
        fanpin chart rectification --svg rectification.svg
    """
    from fanpin_cli.chart import build_charts, chart_rows

    st = state(ctx, data, lang)
    groups = build_charts(load_dataset(st), selectors, st.lang)
    chosen = choose_format(fmt)
    if chosen is not Format.TABLE or svg is not None:
        from fanpin_cli.formats.base import Column, Output

        rows = chart_rows(groups)
        keys = ("group", "kind", "label", "value", "unit", "percent", "status")
        output = Output(rows=rows, fields=keys, columns=tuple(Column(k, k, k) for k in keys))
        if chosen is not Format.TABLE:
            emit(output, chosen, st, fields=fields, header=not no_header)
    if chosen is Format.TABLE or svg is not None:
        from functools import partial

        from fanpin_cli.chart_render import write

        draw = partial(write, groups, title="fanpin chart " + " ".join(selectors))
        if svg is not None:
            to_svg(draw, st, svg)
        if chosen is Format.TABLE:
            to_terminal(draw, st)
