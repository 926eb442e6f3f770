"""Markdown (GitHub pipe tables) for reports and issues: the title and the table, no summary
line (stdout carries data only; fanpin_cli.cli.common.emit says the summary on stderr)."""

from __future__ import annotations

import re

from fanpin_cli.core.decimals import cell_text
from fanpin_cli.core.textsafe import visible
from fanpin_cli.views.output import Output, Sink

# Markdown passes HTML through (`<script>`, `<img onerror=...>`, `<!-- -->`) and decodes
# entities (`&amp;` would show as &): data is text, so every & is written as an entity, and a
# < that could open a tag, a comment or an autolink (not `<= 5`) too.
_HTML = re.compile(r"&|<(?=[A-Za-z/!?])")


def _entity(match: re.Match[str]) -> str:
    return "&amp;" if match.group() == "&" else "&lt;"


def _cell(value: object) -> str:
    text = visible(cell_text(value).replace("\r\n", "\n").replace("\n", " "))
    return _HTML.sub(_entity, text.replace("\\", "\\\\").replace("|", "\\|"))


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
