"""The check command: well-formedness and internal consistency of a dataset."""

from typing import Annotated

import typer

from fanpin_cli.cli.common import emit, load_dataset, state
from fanpin_cli.cli.options import DataOpt, FieldsOpt, FormatOpt, NoHeaderOpt, TargetsOpt


def check(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option("--strict")] = False,
    targets: TargetsOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.analysis.checks import COLUMNAR
    from fanpin_cli.views.findings import findings_output
    from fanpin_cli.views.findings_cache import checked

    st = state(ctx, data)
    report, sheets = checked(
        st.data or None,
        targets,
        lambda: load_dataset(st, strict=False, targets=targets, columnar=COLUMNAR),
        cached=not st.verbose,  # --verbose says each dataset as it is read
    )
    output = findings_output(report, st.lang, strict, sheets)
    emit(output, fmt, st, fields=fields, header=not no_header)
