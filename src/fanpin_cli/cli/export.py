"""The export command: every record to stdout or a file in a text format (fanpin_cli.writers:
one flag per format, `--csv` the default), or as a SQLite database, a data package or an
Excel workbook (`--xlsx`)."""

import enum
from pathlib import Path
from typing import Annotated

import typer

from fanpin_cli.cli.common import load_dataset, state, write_output
from fanpin_cli.cli.options import (
    DataOpt,
    FieldsOpt,
    NoHeaderOpt,
    OutputOpt,
    PeriodOpt,
    RegionOpt,
    XlsxOpt,
    format_flags,
)
from fanpin_cli.writers import EXPORTED


class Encoding(str, enum.Enum):
    utf8 = "utf-8"
    gbk = "gbk"
    gb18030 = "gb18030"


@format_flags(before="sqlite")
def export(
    ctx: typer.Context,
    sqlite: Annotated[Path | None, typer.Option("--sqlite")] = None,
    datapackage: Annotated[Path | None, typer.Option("--datapackage")] = None,
    xlsx: XlsxOpt = None,
    excel: Annotated[bool, typer.Option("--excel")] = False,
    encoding: Annotated[Encoding, typer.Option("--encoding")] = Encoding.utf8,
    output: OutputOpt = None,
    region: RegionOpt = None,
    period: PeriodOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    data: DataOpt = None,
    **flags: bool,
) -> None:
    from fanpin_cli.reading.load.streamed import load_streamed
    from fanpin_cli.writers.export import export as export_records

    st = state(ctx, data)

    written = export_records(
        lambda: load_dataset(st, region=region, period=period),
        [f for f in EXPORTED if flags[f.value]],
        sqlite=sqlite, datapackage=datapackage, xlsx=xlsx, excel=excel, encoding=encoding.value,
        output=output, fields=fields, header=not no_header, region=region, period=period,
        lang=st.lang, stream=None if st.verbose else lambda: load_streamed(st.data or None),
        reads=st.data or None,
    )  # fmt: skip
    if written is not None:
        write_output(output, written)
