"""CSV (RFC 4180 quoting, LF line ends; the Excel variant lives in fanpin_cli.excel)."""

from __future__ import annotations

import csv

from fanpin_cli.formats.base import Output, Sink
from fanpin_cli.rows import cell_text


def write(output: Output, sink: Sink) -> None:
    w = csv.writer(sink.stream, lineterminator="\n")
    fields = output.fields
    if sink.header:
        w.writerow(fields)
    for row in output.rows:
        w.writerow([cell_text(row.get(f)) for f in fields])
