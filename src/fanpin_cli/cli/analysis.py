"""Commands of the city office's analysis: rank and scorecard."""

from typing import Annotated

import typer

from fanpin_cli.cli.common import emit, load_dataset, state, write_stdout
from fanpin_cli.cli.options import (
    AmongOpt,
    DataOpt,
    FieldsOpt,
    FormatOpt,
    IdArg,
    NoHeaderOpt,
    PeriodOpt,
    PopOpt,
    RankFormatOpt,
    SelectorsArg,
    SvgOpt,
    TargetsOpt,
    XlsxOpt,
    YoyOpt,
)
from fanpin_cli.writers import Format


def rank(
    ctx: typer.Context,
    indicator: IdArg,
    period: PeriodOpt = None,
    among: AmongOpt = None,
    ascending: Annotated[bool, typer.Option("--ascending")] = False,
    yoy: YoyOpt = False,
    pop: PopOpt = False,
    fmt: RankFormatOpt = None,
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
    if fmt == "text":
        write_stdout(sentences(output))
        return
    emit(output, Format(fmt) if fmt else None, st, fields=fields, header=not no_header)


def scorecard(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    period: PeriodOpt = None,
    among: AmongOpt = None,
    targets: TargetsOpt = None,
    xlsx: XlsxOpt = None,
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
