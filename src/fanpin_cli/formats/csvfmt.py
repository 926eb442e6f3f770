"""CSV (RFC 4180 quoting, LF line ends; the Excel variant lives in fanpin_cli.excel)."""

from __future__ import annotations

import csv
from operator import itemgetter

from fanpin_cli.formats.base import Output, Sink
from fanpin_cli.rows import cell_text


def write(output: Output, sink: Sink) -> None:
    w = csv.writer(sink.stream, lineterminator="\n")
    fields = output.fields
    if sink.header:
        w.writerow(fields)
    if output.plain and len(fields) > 1:  # the csv module's own str() gives the same text
        w.writerows(map(itemgetter(*fields), output.rows))
        return
    for row in output.rows:
        w.writerow([cell_text(row.get(f)) for f in fields])
