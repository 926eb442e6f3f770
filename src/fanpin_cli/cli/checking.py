"""The check command: well-formedness and internal consistency of a dataset."""

from __future__ import annotations

from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    FormatOpt,
    NoHeaderOpt,
    TargetsOpt,
    emit,
    load_dataset,
    state,
)


def check(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings also make it exit 1.")] = False,
    targets: TargetsOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    """Check data: schema, parts, ratios, subsets, ranges, quotes, targets, roll-up, completeness.

    Exit 0 without errors, 1 with errors (or warnings under --strict), 3 if unreadable.

    \b
    Example:
        fanpin check --data counties/620121
    """
    from fanpin_cli.checks import TABLE
    from fanpin_cli.views.findings import check_output

    st = state(ctx, data)
    dataset = load_dataset(st, strict=False, targets=targets, table=TABLE)
    output = check_output(dataset, st.lang, strict)
    emit(output, fmt, st, fields=fields, header=not no_header)
