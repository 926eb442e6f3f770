"""Commands that read reports: extract (figures as candidate records) and verify."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fanpin_cli.cli.common import State, emit, load_dataset, state, write_stdout
from fanpin_cli.cli.options import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    OutputOpt,
    PeriodOpt,
    RegionOpt,
)
from fanpin_cli.files.streams import environment

if TYPE_CHECKING:
    from fanpin_cli.core.model import Dataset
    from fanpin_cli.reports.read import ReportText

ReportsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="REPORT...", show_default=False
    ),
]  # fmt: skip


def _read(st: State, path: Path) -> "ReportText":
    from fanpin_cli.reports.read import read_report

    got = read_report(path)
    if st.verbose:
        environment().stderr.write(
            f"fanpin: read {path} ({got.kind}, {got.encoding or 'no encoding'})\n"
        )
    return got


def extract(
    ctx: typer.Context,
    reports: ReportsArg,
    like: Annotated[
        Path | None,
        typer.Option(
            "--like",
            readable=False,
        ),
    ] = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    output: OutputOpt = None,
    explain: Annotated[bool, typer.Option("--explain")] = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.reports.extract import extract_reports

    st = state(ctx, data)
    dataset = _like(st, like)
    texts = [(p, _read(st, p)) for p in reports]
    result = extract_reports(dataset, texts, region, period, output, like)
    if st.verbose:
        _explain_stderr(result.extractions)
    if result.written:
        write_stdout("".join(f"{p}\n" for p in result.written))
        from fanpin_cli.reports.view import extract_output

        summary = extract_output(result.extractions, st.lang, False).summary
        environment().stderr.write(f"{summary}\n")
        return
    from fanpin_cli.reports.view import extract_output

    out = extract_output(result.extractions, st.lang, explain)
    emit(out, fmt, st, fields=fields, header=not no_header)


def _like(st: State, like: Path | None) -> "Dataset":
    if like is not None:
        from fanpin_cli.reading.load import load

        return load([like])
    return load_dataset(st)


def _explain_stderr(extractions: object) -> None:
    from fanpin_cli.core.labels import message
    from fanpin_cli.core.textsafe import visible

    for name, ex in extractions:  # type: ignore[attr-defined]
        for e in ex.excluded:
            environment().stderr.write(
                visible(f"fanpin: {name}:{e.line}:{e.column}: {e.text} is not a figure: "
                        f"{e.rule} ({message('figure_rule.' + e.rule, (), 'en')})") + "\n"
            )  # fmt: skip


def verify(
    ctx: typer.Context,
    reports: ReportsArg,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.reports.verify import verify_reports
    from fanpin_cli.reports.view import verify_output

    st = state(ctx, data)
    dataset = load_dataset(st)
    texts = [(str(p), _read(st, p).text) for p in reports]
    output = verify_output(verify_reports(dataset, texts, region, period), st.lang)
    emit(output, fmt, st, fields=fields, header=not no_header)
