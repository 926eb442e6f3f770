"""TSV: one record a line; backslash, tab, newline and CR escaped as \\\\ \\t \\n \\r."""

from __future__ import annotations

from fanpin_cli.core.decimals import cell_text
from fanpin_cli.views.output import Output, Sink

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape(text: str) -> str:
    """Make `text` fit in one TSV cell, reversibly."""
    return text.translate(_ESCAPES)


def write(output: Output, sink: Sink) -> None:
    fields = output.fields
    lines = []
    if sink.header:
        lines.append("\t".join(escape(f) for f in fields))
    for row in output.rows:
        lines.append("\t".join(escape(cell_text(row.get(f))) for f in fields))
    if lines:
        sink.stream.write("\n".join(lines) + "\n")
