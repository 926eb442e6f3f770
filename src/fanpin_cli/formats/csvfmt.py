"""CSV (RFC 4180 quoting, LF line ends; the Excel variant lives in fanpin_cli.excel)."""

from __future__ import annotations

import csv
from decimal import Decimal
from operator import itemgetter

from fanpin_cli.formats.base import Output, Sink
from fanpin_cli.rows import cell_text


def _scientific(value: object) -> bool:
    """str() of this Decimal has an exponent (1E-7): |value| below 1e-6 (1e3 is positional)."""
    return type(value) is Decimal and value.adjusted() < -6


def positional(output: Output) -> bool:
    """No value in `output` that str() would write as 1E-7 (cell_text writes 0.0000001)."""
    if "value" not in output.fields:
        return True
    return not any(map(_scientific, map(itemgetter("value"), output.rows)))


def write(output: Output, sink: Sink) -> None:
    w = csv.writer(sink.stream, lineterminator="\n")
    fields = output.fields
    if sink.header:
        w.writerow(fields)
    if output.plain and len(fields) > 1 and positional(output):
        w.writerows(map(itemgetter(*fields), output.rows))  # str() of each cell is the text
        return
    for row in output.rows:
        w.writerow([cell_text(row.get(f)) for f in fields])
