"""Rich tables for terminals: Chinese aligned, numbers right-aligned, text shown literally."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fanpin_cli.formats.base import Column, Output, Sink
from fanpin_cli.rows import cell_text
from fanpin_cli.textsafe import visible

BAR_WIDTH = 10


def bar(fraction: object, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar for a share 0..1 (capped; over 1 gets a '+'), or '' if unknown."""
    if not isinstance(fraction, (int, float, Decimal)):
        return Text("")
    share = max(0.0, float(fraction))
    filled = round(min(share, 1.0) * width)
    text = Text("█" * filled, style="green" if share >= 1 else "yellow")
    text.append("░" * (width - filled), style="dim")
    text.append("+" if share > 1 else " ")
    return text


def _cell(column: Column, value: object) -> Text:
    if column.kind == "bar":
        return bar(value)
    return Text(visible(cell_text(value)))


class _Console(Console):
    """rich exits the process on a broken pipe; fanpin reports it to its own boundary."""

    def on_broken_pipe(self) -> None:
        from fanpin_cli.errors import PipeClosed

        self.quiet = True
        raise PipeClosed()


def console(sink: Sink) -> Console:
    """A rich Console over the sink: colour and width as the CLI decided, never guessed."""
    return _Console(
        file=sink.stream,
        force_terminal=sink.color,
        no_color=not sink.color,
        color_system="standard" if sink.color else None,
        width=sink.width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        legacy_windows=False,
        record=sink.svg_path is not None,
        _environ={},
    )


def render(output: Output, sink: Sink, con: Console) -> None:
    """Print `output` as a table (plus its summary line) on `con`; no empty table."""
    if not output.rows and output.summary:
        con.print(Text(visible(output.summary)))
        return
    table = Table(
        title=Text(visible(output.title)) if output.title else None,
        header_style="bold" if sink.color else None,
        show_lines=False,
        expand=False,
    )
    for col in output.columns:
        table.add_column(
            Text(visible(col.header(sink.lang))),
            justify="right" if col.kind == "number" else "left",
            no_wrap=col.kind != "text",
            min_width=8 if col.kind == "text" else None,
            overflow="fold",
        )
    for row in output.rows:
        table.add_row(*(_cell(c, row.get(c.key)) for c in output.columns))
    con.print(table)
    if output.summary:
        con.print(Text(visible(output.summary)))


def save_svg(con: Console, path: str, title: str) -> None:
    """Write what was printed on `con` as an SVG picture (atomically)."""
    from fanpin_cli.atomic import atomic_write_text

    atomic_write_text(path, con.export_svg(title=title))


def write(output: Output, sink: Sink) -> None:
    """Draw `output` on the sink's terminal (its own drawing, or a table); save SVG if asked."""
    con = console(sink)
    if output.draw is not None:
        output.draw(con)
    else:
        render(output, sink, con)
    if sink.svg_path:
        save_svg(con, sink.svg_path, output.title or "fanpin")
