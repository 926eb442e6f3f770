"""The chart command: bars for parts of a whole, values by period, value against target."""

from __future__ import annotations

import io
import sys
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
    color_wanted,
    emit,
    load_dataset,
    state,
    stdout_is_tty,
    terminal_width,
)
from fanpin_cli.errors import PipeClosed
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
        from fanpin_cli.chart_render import render_charts
        from fanpin_cli.formats.base import Sink
        from fanpin_cli.formats.table import console, save_svg

        if svg is not None:
            sink = Sink(stream=io.StringIO(), width=terminal_width(), color=True, svg_path=str(svg))
            rec = console(sink)
            render_charts(groups, rec)
            save_svg(rec, str(svg), "fanpin chart " + " ".join(selectors))
        if chosen is Format.TABLE:
            tty = stdout_is_tty()
            con = console(Sink(stream=sys.stdout, width=terminal_width(), color=color_wanted(tty)))
            try:
                render_charts(groups, con)
                sys.stdout.flush()
            except BrokenPipeError:
                raise PipeClosed() from None
