"""Commands about targets: compare (indicators against targets) and explain (one indicator)."""

import enum
from typing import Annotated

import typer

from fanpin_cli.cli.common import emit, load_dataset, state
from fanpin_cli.cli.options import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    IdArg,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    SelectorsArg,
    SvgOpt,
    TargetsOpt,
)


class StatusChoice(str, enum.Enum):
    met = "met"
    missed = "missed"
    not_reported = "not-reported"
    not_comparable = "not-comparable"
    reference = "reference"

    @property
    def status(self) -> str:
        return self.value.replace("-", " ")


def compare(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    targets: TargetsOpt = None,
    status: Annotated[list[StatusChoice] | None, typer.Option("--status")] = None,
    fail_on_miss: Annotated[bool, typer.Option("--fail-on-miss")] = False,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.query import Selection
    from fanpin_cli.views.compare import compare_view

    st = state(ctx, data)
    dataset = load_dataset(st, targets=targets)
    selection = Selection(tuple(selectors or ()), region, period)
    wanted = [s.status for s in status or []]
    output = compare_view(dataset, selection, wanted, st.lang, fail_on_miss)
    emit(output, fmt, st, fields=fields, header=not no_header, svg=svg)


def explain(
    ctx: typer.Context,
    indicator_id: IdArg,
    targets: TargetsOpt = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = None,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.views.explain import explain_output

    st = state(ctx, data)
    dataset = load_dataset(st, targets=targets)
    emit(explain_output(dataset, indicator_id, st.lang, region, period), fmt, st)
