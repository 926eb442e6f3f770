"""Commands about targets: compare (indicators against targets) and explain (one indicator)."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    LangOpt,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    SelectorsArg,
    SvgOpt,
    TargetsOpt,
    emit,
    load_dataset,
    state,
    write_stdout,
)
from fanpin_cli.errors import ExitCode
from fanpin_cli.formats import Format


class StatusChoice(str, enum.Enum):
    met = "met"
    missed = "missed"
    not_reported = "not-reported"
    not_comparable = "not-comparable"

    @property
    def status(self) -> str:
        return self.value.replace("-", " ")


def compare(
    ctx: typer.Context,
    selectors: SelectorsArg = None,
    targets: TargetsOpt = None,
    status: Annotated[
        list[StatusChoice] | None,
        typer.Option("--status", help="Only comparisons with this status (repeatable)."),
    ] = None,
    fail_on_miss: Annotated[
        bool, typer.Option("--fail-on-miss", help="Exit 1 when any target is missed.")
    ] = False,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    svg: SvgOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Compare indicators with their policy targets: value, target, gap, status and basis.

    \b
    Example:
        fanpin compare
        fanpin compare income --targets my-targets.toml --fail-on-miss -o json
    """
    from fanpin_cli.compare import compare as run_compare
    from fanpin_cli.compare_view import compare_output
    from fanpin_cli.query import Selection, resolve_region, select

    st = state(ctx, data, lang)
    dataset = load_dataset(st, targets=targets)
    if selectors:
        select(dataset, Selection(tuple(selectors)))  # unknown names: exit 2 with a suggestion
    wanted = [s.status for s in status or []]
    code = resolve_region(dataset, region)
    results = run_compare(dataset, selectors or (), wanted, code, period)
    emit(
        compare_output(results, st.lang, dataset.regions),
        fmt,
        st,
        fields=fields,
        header=not no_header,
        svg=svg,
    )
    if fail_on_miss and any(c.status == "missed" for c in results):
        raise typer.Exit(int(ExitCode.FINDINGS))


def explain(
    ctx: typer.Context,
    indicator_id: Annotated[str, typer.Argument(metavar="ID", help="An indicator id.")],
    targets: TargetsOpt = None,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show one indicator whole: value, quote, relations, targets, basis and status.

    \b
    Example:
        fanpin explain income.relocated_households_employed
    """
    from fanpin_cli.explain import explain as describe
    from fanpin_cli.explain import explain_lines
    from fanpin_cli.formats.base import Column, Output

    st = state(ctx, data, lang)
    info = describe(load_dataset(st, targets=targets), indicator_id, st.lang)
    if fmt in (Format.JSON, Format.JSONL):
        from fanpin_cli.formats.jsonfmt import encode

        write_stdout(encode(info) + "\n")
        return
    pairs = explain_lines(info, st.lang)
    output = Output(
        rows=[{"field": k, "value": v} for k, v in pairs],
        fields=("field", "value"),
        columns=(Column("field", "项目", "Field"), Column("value", "内容", "Value")),
        title=f"{info['id']}  {info['name_en' if st.lang == 'en' else 'name_zh']}",
    )
    emit(output, fmt, st)
