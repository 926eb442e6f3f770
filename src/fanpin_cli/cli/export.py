"""The export command: every record to stdout or a file in a text format (fanpin_cli.writers),
or as a SQLite database, a data package or an Excel workbook."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import (
    DataOpt,
    FieldsOpt,
    NoHeaderOpt,
    PeriodOpt,
    RegionOpt,
    load_dataset,
    state,
    write_output,
)
from fanpin_cli.writers import Format


class Encoding(str, enum.Enum):
    utf8 = "utf-8"
    gbk = "gbk"
    gb18030 = "gb18030"


def export(
    ctx: typer.Context,
    csv: Annotated[bool, typer.Option("--csv")] = False,
    tsv: Annotated[bool, typer.Option("--tsv")] = False,
    json: Annotated[bool, typer.Option("--json")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl")] = False,
    markdown: Annotated[bool, typer.Option("--markdown")] = False,
    sqlite: Annotated[Path | None, typer.Option("--sqlite")] = None,
    datapackage: Annotated[Path | None, typer.Option("--datapackage")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx")] = None,
    excel: Annotated[bool, typer.Option("--excel")] = False,
    encoding: Annotated[Encoding, typer.Option("--encoding")] = Encoding.utf8,
    output: Annotated[Path | None, typer.Option("--output")] = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
) -> None:
    from fanpin_cli.reading.load.streamed import load_streamed
    from fanpin_cli.writers.export import export as export_records

    st = state(ctx, data)
    flags = {Format.CSV: csv, Format.TSV: tsv, Format.JSON: json, Format.JSONL: jsonl,
             Format.MARKDOWN: markdown}  # fmt: skip
    written = export_records(
        lambda: load_dataset(st, region=region, period=period),
        [f for f, on in flags.items() if on],
        sqlite=sqlite, datapackage=datapackage, xlsx=xlsx, excel=excel, encoding=encoding.value,
        output=output, fields=fields, header=not no_header, region=region, period=period,
        lang=st.lang, stream=None if st.verbose else lambda: load_streamed(st.data or None),
        reads=st.data or None,
    )  # fmt: skip
    if written is not None:
        write_output(output, written)
