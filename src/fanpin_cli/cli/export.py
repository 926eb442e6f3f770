"""The export command: every record, to stdout or atomically to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    LangOpt,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    apply_fields,
    load_dataset,
    render,
    state,
    write_stdout,
)
from fanpin_cli.errors import UsageError
from fanpin_cli.formats import Format


def export(
    ctx: typer.Context,
    csv: Annotated[bool, typer.Option("--csv", help="CSV (the default).")] = False,
    tsv: Annotated[bool, typer.Option("--tsv", help="TSV.")] = False,
    json: Annotated[bool, typer.Option("--json", help="A JSON array of records.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines, one record a line.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="A Markdown table.")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write to this file atomically instead of stdout."),
    ] = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export every record (CSV by default; --json, --jsonl, --tsv, --markdown).

    \b
    Example:
        fanpin export --csv > lanzhou-2023.csv
        fanpin export --json --output lanzhou-2023.json
    """
    from fanpin_cli.query import Selection, select
    from fanpin_cli.views import indicators_output

    chosen = [
        f
        for f, on in (
            (Format.CSV, csv),
            (Format.TSV, tsv),
            (Format.JSON, json),
            (Format.JSONL, jsonl),
            (Format.MARKDOWN, markdown),
        )
        if on
    ]
    if len(chosen) > 1:
        raise UsageError("choose one of --csv, --tsv, --json, --jsonl, --markdown")
    fmt = chosen[0] if chosen else Format.CSV
    st = state(ctx, data, lang)
    dataset = load_dataset(st)
    records = select(dataset, Selection((), region, period))
    out = apply_fields(indicators_output(dataset, records, st.lang), fields)
    if fmt is Format.MARKDOWN:
        out = out.as_records()
    text = render(out, fmt, lang=st.lang, header=not no_header)
    assert text is not None
    if output is None:
        write_stdout(text)
    else:
        from fanpin_cli.atomic import atomic_write_text

        atomic_write_text(output, text)


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command("export")(export)
