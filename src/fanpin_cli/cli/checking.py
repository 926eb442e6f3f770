"""The check command: well-formedness and internal consistency of a dataset."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    LangOpt,
    NoHeaderOpt,
    TargetsOpt,
    choose_format,
    emit,
    load_dataset,
    state,
)
from fanpin_cli.errors import ExitCode


def check(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings also make it exit 1.")] = False,
    targets: TargetsOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check a dataset: schema, parts, ratios, subsets, ranges, quotes, targets, roll-up.

    Exit 0 without errors, 1 with errors (or warnings under --strict), 3 if unreadable.

    \b
    Example:
        fanpin check --data counties/620121
    """
    from fanpin_cli.checks import run_checks
    from fanpin_cli.views import findings_output

    st = state(ctx, data, lang)
    report = run_checks(load_dataset(st, strict=False, targets=targets))
    output = findings_output(report, st.lang)
    emit(output, fmt, st, fields=fields, header=not no_header)
    if output.summary and choose_format(fmt).is_machine:
        sys.stderr.write(output.summary + "\n")
    if report.errors or (strict and report.warnings):
        raise typer.Exit(int(ExitCode.FINDINGS))
