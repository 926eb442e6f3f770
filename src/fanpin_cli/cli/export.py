"""The export command: every record to stdout or a file, as CSV (Excel-safe too), JSON, SQLite."""

from __future__ import annotations

import enum
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
    write_output,
)
from fanpin_cli.errors import UsageError
from fanpin_cli.formats import Format


class Encoding(str, enum.Enum):
    utf8 = "utf-8"
    gbk = "gbk"
    gb18030 = "gb18030"


def export(
    ctx: typer.Context,
    csv: Annotated[bool, typer.Option("--csv", help="CSV (the default).")] = False,
    tsv: Annotated[bool, typer.Option("--tsv", help="TSV.")] = False,
    json: Annotated[bool, typer.Option("--json", help="A JSON array of records.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines, one record a line.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="A Markdown table.")] = False,
    sqlite: Annotated[
        Path | None, typer.Option("--sqlite", help="Write a SQLite database to this file.")
    ] = None,
    datapackage: Annotated[
        Path | None,
        typer.Option("--datapackage", help="Write a Frictionless data package to this directory."),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Write an Excel workbook to this file: indicators, targets and comparisons, "
            "sources and datasets, sections.",
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV for Excel/WPS: byte-order mark, CRLF, formula cells neutralised."
        ),
    ] = False,
    encoding: Annotated[
        Encoding, typer.Option("--encoding", help="Text encoding of the output.")
    ] = Encoding.utf8,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Write to this file instead of stdout: a regular file is replaced atomically "
            "(a symlink's target, keeping its mode); a FIFO or device is written to; - is stdout.",
        ),
    ] = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export every record: CSV (default), TSV, JSON, JSON Lines, Markdown, SQLite, data package.

    \b
    Example:
        fanpin export --csv > lanzhou-2023.csv
        fanpin export --csv --excel --output lanzhou-2023.csv
        fanpin export --sqlite lanzhou-2023.db
        fanpin export --xlsx lanzhou-2023.xlsx
    """
    from fanpin_cli.query import Selection, select
    from fanpin_cli.views.indicators import indicators_output

    flags = {
        Format.CSV: csv,
        Format.TSV: tsv,
        Format.JSON: json,
        Format.JSONL: jsonl,
        Format.MARKDOWN: markdown,
    }
    chosen = [f for f, on in flags.items() if on]
    targets = [x for x in (sqlite, datapackage, xlsx) if x is not None]
    if len(chosen) + len(targets) > 1:
        raise UsageError(
            "choose one of --csv, --tsv, --json, --jsonl, --markdown, --sqlite, --datapackage, "
            "--xlsx"
        )
    fmt = chosen[0] if chosen else Format.CSV
    if excel and fmt is not Format.CSV:
        raise UsageError("--excel applies to CSV only")
    if targets and (output is not None or excel or encoding is not Encoding.utf8):
        raise UsageError(
            "--sqlite, --datapackage and --xlsx take no --output, --excel or --encoding"
        )
    if xlsx is not None and fields is not None:
        raise UsageError("--xlsx writes every column; --fields applies to text formats")
    st = state(ctx, data, lang)
    dataset = load_dataset(st, region=region, period=period)
    records = select(dataset, Selection((), region, period))
    if sqlite is not None:
        from fanpin_cli.sqlite_export import export_sqlite

        export_sqlite(dataset._replace(indicators=tuple(records)), sqlite)
        return
    if xlsx is not None:
        from fanpin_cli.sheets.export_xlsx import export_xlsx

        export_xlsx(dataset, records, xlsx, st.lang)
        return
    out = apply_fields(indicators_output(dataset, records, st.lang), fields)
    if datapackage is not None:
        from fanpin_cli.datapackage import export_datapackage

        text = render(out, Format.CSV, lang=st.lang, header=True)
        export_datapackage(dataset, out, text, datapackage)
        return
    if fmt is Format.MARKDOWN:
        out = out.as_records()
    if excel:
        from fanpin_cli.excel import excel_csv

        text = excel_csv(out, header=not no_header)
    else:
        text = render(out, fmt, lang=st.lang, header=not no_header)
    if encoding is Encoding.utf8 and not excel:
        data_bytes = text.encode("utf-8")  # the common case, without loading fanpin_cli.excel
    else:
        from fanpin_cli.excel import encode

        data_bytes = encode(text, encoding.value, out, bom=excel)
    write_output(output, data_bytes)
