"""Bar groups, and how a terminal draws them (rich, imported only to draw; no colour off a TTY)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.labels import term
from fanpin_cli.core.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console


class Bar(NamedTuple):
    """One bar: a label, its value and unit, and its length as a share of the scale."""

    label: str
    value: Decimal
    unit: str
    share: float  # 0..1 of the group's scale
    percent: Decimal | None = None  # share of the whole, for parts
    qualifier: str | None = None  # a bound or approximation (reference figures)


class ChartGroup(NamedTuple):
    """Bars drawn against one scale, with a title saying what they show."""

    kind: str  # what the group charts, a code fanpin_cli.views.charts gives
    title: str
    bars: tuple[Bar, ...]
    status: str = ""  # the compare status code of a value-against-target group


COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red")


def _fit(label: str, width: int) -> str:
    """`label` cut or padded to `width` terminal cells (Chinese characters take two)."""
    from rich.cells import cell_len

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


def render_charts(groups: Sequence[ChartGroup], con: Console, lang: str) -> None:
    """Print every group: a title line, then one bar a line scaled to the terminal width."""
    from rich.cells import cell_len
    from rich.text import Text

    width = con.width
    for n, group in enumerate(groups):
        if n:
            con.print()
        title = Text(visible(group.title), style="bold")
        if group.status:
            style = "green" if group.status == "met" else "red"
            title.append(f"  [{term(group.status, lang)}]", style=style)
        con.print(title)
        labels = [visible(b.label) for b in group.bars]
        values = [
            f"{b.qualifier or ''}{format_number(b.value)}{b.unit}"
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
