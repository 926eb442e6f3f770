"""CSV (RFC 4180 quoting, LF line ends; the Excel variant lives in fanpin_cli.writers.excel_csv).

Lines are joined from the records' columns and quoted here (`_lines`), csv.writer writing
only what needs more of its care (a cell holding a line end, rows that are not records):
measured against csv.writer over the same columns (benchmarks/csv_quoting.py, 2026-12-08,
2 cores, 100,007 realistic records in batches of 2,000 as a streamed export writes them)
0.54 s CPU against 1.02 s, 28.6% of a warm `export --csv` process (1.71 s); on the bundled
97 records, 0.2%. Same bytes (tests/writers/test_csv_columns.py).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from itertools import repeat
from operator import is_, itemgetter
from typing import Any, TextIO

from fanpin_cli.core.decimals import cell_text
from fanpin_cli.views.output import Output, Sink
from fanpin_cli.views.rows import IndicatorRows


def positional(output: Output) -> bool:
    """No value in `output` that str() would write as 1E-7 (cell_text writes 0.0000001):
    no Decimal below 1e-6 in magnitude (1e3 is positional)."""
    if "value" not in output.fields:
        return True
    rows = output.rows
    values = (
        rows.column("value") if isinstance(rows, IndicatorRows) else map(itemgetter("value"), rows)
    )
    decimals = [v for v in values if type(v) is Decimal]
    return not decimals or min(map(Decimal.adjusted, decimals)) >= -6


def _lines(rows: IndicatorRows, fields: Sequence[str]) -> str | None:
    """The rows as csv.writer writes them, joined from columns without its per-cell work;
    None when some cell needs more of csv's care (a line end in it); a cell with a comma or
    a quote is quoted here as csv.writer quotes it."""
    if not rows:
        return ""
    columns = []
    for key in fields:
        values = rows.column(key)
        nones = sum(map(is_, values, repeat(None)))  # not `None in`: Decimal == None is slow
        if nones == len(values):
            values = [""] * nones
        elif nones:
            values = ["" if v is None else v if type(v) is str else str(v) for v in values]
        elif not rows.texts(key):
            values = list(map(str, values))
        columns.append(values)
    try:
        text = "\n".join(map(",".join, zip(*columns, strict=True)))
    except TypeError:  # a value that is not text after all
        return None
    count = len(rows)
    if "\r" in text or text.count("\n") != count - 1:
        return None
    if '"' in text or text.count(",") != (len(fields) - 1) * count:
        # cells with a comma or a quote (a quote's own comma): quoted, as csv.writer does
        text = "\n".join(map(",".join, zip(*map(_quoted, columns), strict=True)))
    return text + "\n"


def _quoted(values: list[str]) -> list[str]:
    """A column's cells as csv.writer writes them (QUOTE_MINIMAL, no line end inside):
    one with a comma or a quote in quotes, its quotes doubled."""
    joined = "".join(values)
    if "," not in joined and '"' not in joined:
        return values
    return [f'"{v.replace(chr(34), chr(34) * 2)}"' if "," in v or '"' in v else v for v in values]


class _EndedByLF:
    """A stream for csv.writer set to end rows with CRLF, writing each row ended by LF.

    Python 3.11's csv.writer quotes a cell holding a character of its line terminator, so
    with "\n" alone a bare CR went out unquoted and split the row for every reader. Told
    "\r\n", it quotes a cell with either; each row comes in one write() (CPython's
    writerow), whose last two characters are then that terminator, never a cell's.
    """

    __slots__ = ("write",)

    def __init__(self, stream: TextIO) -> None:
        put = stream.write
        self.write = lambda row: put(row[:-2] + "\n")


def writer(stream: TextIO) -> Any:
    """csv.writer as fanpin writes CSV: RFC 4180 quoting, LF line ends, and every cell
    holding a CR or an LF quoted."""
    return csv.writer(_EndedByLF(stream), lineterminator="\r\n")


def write(output: Output, sink: Sink) -> None:
    w = writer(sink.stream)
    fields = output.fields
    if sink.header:
        w.writerow(fields)
    if output.plain and len(fields) > 1 and positional(output):
        rows = output.rows  # str() of each cell is the text
        if isinstance(rows, IndicatorRows):  # by columns: the same text as csv.writer's
            lines = _lines(rows, fields)
            if lines is not None:
                sink.stream.write(lines)
                return
            w.writerows(rows.cells(fields))
            return
        w.writerows(map(itemgetter(*fields), rows))
        return
    for row in output.rows:
        w.writerow([cell_text(row.get(f)) for f in fields])
