"""Draw chart groups as horizontal bars on a terminal (rich); plain characters without colour."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from fanpin_cli.chart import ChartGroup
from fanpin_cli.formats.base import Sink
from fanpin_cli.rows import format_number
from fanpin_cli.textsafe import visible

COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red")


def _fit(label: str, width: int) -> str:
    """`label` cut or padded to `width` terminal cells (Chinese characters take two)."""
    out, used = "", 0
    for ch in label:
        w = cell_len(ch)
        if used + w > width - (1 if cell_len(label) > width else 0):
            out += "…"
            used += 1
            break
        out += ch
        used += w
    return out + " " * max(width - used, 0)


def render_charts(groups: Sequence[ChartGroup], con: Console) -> None:
    """Print every group: a title line, then one bar a line scaled to the terminal width."""
    width = con.width
    for n, group in enumerate(groups):
        if n:
            con.print()
        title = Text(visible(group.title), style="bold")
        if group.note:
            title.append(
                f"  [{group.note}]", style="green" if group.note in ("met", "达标") else "red"
            )
        con.print(title)
        labels = [visible(b.label) for b in group.bars]
        values = [
            f"{format_number(b.value)}{b.unit}"
            + (f" {b.percent}%" if b.percent is not None else "")
            for b in group.bars
        ]
        label_w = min(max(cell_len(x) for x in labels), max(width // 3, 8))
        value_w = max(cell_len(v) for v in values)
        bar_w = max(width - label_w - value_w - 4, 10)
        for i, (bar, label, value) in enumerate(zip(group.bars, labels, values, strict=True)):
            filled = round(min(bar.share, 1.0) * bar_w)
            line = Text(_fit(label, label_w) + "  ")
            line.append("█" * filled, style=COLOURS[i % len(COLOURS)])
            line.append("░" * (bar_w - filled), style="dim")
            line.append("  " + value)
            con.print(line, no_wrap=True, overflow="ellipsis")


def write(groups: Sequence[ChartGroup], sink: Sink, title: str) -> None:
    """Draw `groups` on the sink (and save them as an SVG when the sink asks for one)."""
    from fanpin_cli.formats.table import console, save_svg

    con = console(sink)
    render_charts(groups, con)
    if sink.svg_path:
        save_svg(con, sink.svg_path, title)
