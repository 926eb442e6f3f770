"""Markdown (GitHub pipe tables) for reports and issues: the title and the table, no summary
line (stdout carries data only; fanpin_cli.cli.common.emit says the summary on stderr)."""

from __future__ import annotations

from fanpin_cli.formats.base import Output, Sink
from fanpin_cli.rows import cell_text
from fanpin_cli.textsafe import visible

# Markdown passes HTML through (`<script>`, `<img onerror=...>`) and decodes entities
# (`&amp;` would show as &): data is text, so &, < and > are written as entities.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _cell(value: object) -> str:
    text = visible(cell_text(value).replace("\r\n", "\n").replace("\n", " "))
    return text.replace("\\", "\\\\").replace("|", "\\|").translate(_HTML)


def write(output: Output, sink: Sink) -> None:
    cols = output.columns
    lines = []
    if output.title:
        lines += [f"**{_cell(output.title)}**", ""]
    lines.append("| " + " | ".join(_cell(c.header(sink.lang)) for c in cols) + " |")
    lines.append("|" + "|".join("---:" if c.kind == "number" else "---" for c in cols) + "|")
    for row in output.rows:
        cells = (_cell(c.shown(row.get(c.key), sink.lang)) for c in cols)
        lines.append("| " + " | ".join(cells) + " |")
    sink.stream.write("\n".join(lines) + "\n")
