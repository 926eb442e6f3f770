"""`fanpin export`: every selected record as text (CSV, also for Excel, TSV, JSON, JSON Lines,
Markdown) in an encoding, or written as a SQLite database, a data package or a workbook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.model import Dataset
from fanpin_cli.writers import EXPORT_DEFAULT, EXPORTED, Format, render

if TYPE_CHECKING:
    from fanpin_cli.reading.load.streamed import Streamed

# The file exports beside the text formats (each an option taking its path).
FILE_OPTIONS = ("--sqlite", "--datapackage", "--xlsx")
ONE_OF = ", ".join([*(f"--{f.value}" for f in EXPORTED), *FILE_OPTIONS])


def export(
    load: Callable[[], Dataset],
    formats: Sequence[Format] = (),
    *,
    sqlite: Path | None = None,
    datapackage: Path | None = None,
    xlsx: Path | None = None,
    excel: bool = False,
    encoding: str = "utf-8",
    output: Path | None = None,
    fields: str | None = None,
    header: bool = True,
    region: str | None = None,
    period: str | None = None,
    lang: str = "zh",
    stream: Callable[[], Streamed | None] | None = None,
    reads: Sequence[Path] | None = None,
) -> bytes | list[bytes] | None:
    """The export as bytes (or pieces of bytes, in order) for stdout or `output` (text
    formats), or None once the SQLite database, data package or workbook is written.

    `formats` are the text formats asked for (none: CSV). Options that cannot go together
    are a UsageError before `load` is called; `load` gives the dataset, already narrowed to
    `region` and `period`, whose records are then selected by them. `stream` gives the
    same dataset with its records still in the cache
    (fanpin_cli.reading.load.streamed.load_streamed), for
    an export of every record in UTF-8 CSV, TSV or JSON Lines rendered a batch at a time
    (fanpin_cli.writers.stream); when it gives None, or the batches cannot all be used,
    `load` is called as usual. `reads`: the dataset paths `load` reads (None: the bundled
    one), none of whose files an export may replace.
    """
    from fanpin_cli.analysis.query import Selection, select
    from fanpin_cli.views.indicators import indicators_output
    from fanpin_cli.writers.stream import STREAMED, export_batches

    if output is not None and str(output) != "-":
        formats, sqlite, xlsx, output = _by_name(output, formats, sqlite, xlsx, excel)
    files = [x for x in (sqlite, datapackage, xlsx) if x is not None]
    if len(formats) + len(files) > 1:
        raise UsageError.said(("usage.one_format", ONE_OF))
    fmt = formats[0] if formats else EXPORT_DEFAULT
    if excel and fmt is not Format.CSV:
        raise UsageError.said(("usage.excel_csv",))
    if encoding != "utf-8" and fmt in (Format.JSON, Format.JSONL):
        raise UsageError.said(("usage.json_encoding", f"--{fmt.value}"))  # RFC 8259: UTF-8
    if files and (output is not None or excel or encoding != "utf-8"):
        raise UsageError.said(("usage.file_formats",))
    if xlsx is not None and fields is not None:
        raise UsageError.said(("usage.xlsx_fields",))
    written = [p for p in (output, sqlite, xlsx) if p is not None]
    if written:  # (a run to stdout does not import the check)
        from fanpin_cli.reading.load.own_files import refuse_writing_over

        refuse_writing_over(written, reads)
    whole = not files and not excel and encoding == "utf-8" and region is None and period is None
    if stream is not None and whole and fmt in STREAMED:
        streamed = stream()
        if streamed is not None:
            pieces = export_batches(
                streamed, fmt, lang, header=header, shape=lambda out: out.with_fields(fields)
            )
            if pieces is not None:
                return pieces
    if (
        sqlite is not None
        and stream is not None
        and region is period is None
        and _sqlite_streamed(stream, sqlite)
    ):
        return None
    dataset = load()
    records = select(dataset, Selection((), region, period))
    if sqlite is not None:
        from fanpin_cli.writers.sqlite import export_sqlite

        export_sqlite(dataset._replace(indicators=tuple(records)), sqlite)
        return None
    if xlsx is not None:
        from fanpin_cli.writers.xlsx import export_xlsx

        export_xlsx(dataset, records, xlsx, lang)
        return None
    out = indicators_output(dataset, records, lang).with_fields(fields)
    if datapackage is not None:
        from fanpin_cli.writers.datapackage import export_datapackage

        exported = dataset._replace(indicators=tuple(records))  # named from what it holds
        export_datapackage(exported, out, render(out, Format.CSV, lang=lang), datapackage)
        return None
    if fmt is Format.MARKDOWN:
        out = out.as_records()
    if excel:
        from fanpin_cli.writers.excel_csv import excel_csv

        text = excel_csv(out, header=header)
    else:
        text = render(out, fmt, lang=lang, header=header)
    if encoding == "utf-8" and not excel:
        return text.encode("utf-8")  # the common case, without loading fanpin_cli.writers.excel_csv
    from fanpin_cli.writers.excel_csv import encode

    return encode(text, encoding, out, bom=excel)


# What an --output name's suffix says the file is: a text format, or a file export.
# Each format's own name (`.csv`, `.jsonl`), and the other names it goes by.
NAMED_FORMATS = {f".{f.value}": f for f in EXPORTED} | {
    ".tab": Format.TSV, ".ndjson": Format.JSONL, ".md": Format.MARKDOWN}  # fmt: skip
NAMED_FILES = {".xlsx": "--xlsx", ".db": "--sqlite", ".sqlite": "--sqlite", ".sqlite3": "--sqlite"}
UNWRITTEN = (".xls", ".xlsm", ".ods", ".parquet", ".toml")


def _by_name(
    output: Path,
    formats: Sequence[Format],
    sqlite: Path | None,
    xlsx: Path | None,
    excel: bool,
) -> tuple[Sequence[Format], Path | None, Path | None, Path | None]:
    """The export an --output name asks for: `report.xlsx` is a workbook, `x.db` a SQLite
    database, `x.json` JSON; a name that says another format than the one asked for is a
    UsageError, and so is a format fanpin does not write. Other names keep the format."""
    suffix = output.suffix.lower()
    asked = ("--" + formats[0].value) if formats else ("--excel" if excel else None)
    if suffix in UNWRITTEN:
        raise UsageError.said(("usage.output_unwritable", str(output), suffix))
    named = NAMED_FORMATS.get(suffix)
    if named is not None:
        if (formats and formats[0] is not named) or (excel and named is not Format.CSV):
            said = ("usage.output_suffix", str(output), "--" + named.value, asked or "")
            raise UsageError.said(said)
        return formats or [named], sqlite, xlsx, output
    option = NAMED_FILES.get(suffix)
    if option is None:
        return formats, sqlite, xlsx, output
    if asked is not None:
        raise UsageError.said(("usage.output_suffix", str(output), option, asked))
    if option == "--xlsx":
        return formats, sqlite, output, None
    return formats, output, xlsx, None


def _sqlite_streamed(stream: Callable[[], Streamed | None], path: Path) -> bool:
    """Every record written to the database at `path` a batch at a time from the cache;
    False when that does not apply, or the cache entry was found damaged midway (nothing
    is then written: the caller exports the usual way)."""
    from fanpin_cli.reading.store.cache import Damaged
    from fanpin_cli.writers.sqlite import export_sqlite

    streamed = stream()
    if streamed is None:
        return False
    try:
        export_sqlite(streamed.dataset, path, streamed.records)
    except Damaged:
        return False
    finally:
        streamed.records.close()
    return True
