"""Rich tables for terminals: Chinese aligned, numbers right-aligned, text shown literally."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fanpin_cli.core.decimals import cell_text
from fanpin_cli.core.labels import columns_left_out
from fanpin_cli.core.textsafe import visible
from fanpin_cli.views.output import Column, Output, Sink
from fanpin_cli.views.rows import Row

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


# the colour of a cell by the status code its column's `style` names (scorecard)
STATUS_STYLES = {"met": "green", "missed": "red", "not reported": "yellow",
                 "not comparable": "magenta"}  # fmt: skip


def _cell(column: Column, value: object, lang: str = "zh", status: object = None) -> Text:
    if column.kind == "bar":
        return bar(value)
    text = Text(visible(cell_text(column.shown(value, lang))))
    if isinstance(status, str) and status in STATUS_STYLES:
        text.stylize(STATUS_STYLES[status])
    return text


def _styled(column: Column, row: Row, lang: str) -> Text:
    """A row's cell of `column`, coloured by the status its `style` names."""
    status = row.get(column.style) if column.style is not None else None
    return _cell(column, row.get(column.key), lang, status)


class _Console(Console):
    """rich exits the process on a broken pipe; fanpin reports it to its own boundary."""

    def on_broken_pipe(self) -> None:
        from fanpin_cli.core.errors import PipeClosed

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


TEXT_MIN = 12  # a wrapped text column gets at least this many cells
DEFAULT_WIDTH = 100


def _width(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


def fit(columns: list[Column], cells: list[list[Text]], lang: str, width: int) -> list[int] | None:
    """Column widths that show every number, id and status whole within `width`, or None.

    Columns other than text never wrap, so each gets its widest cell (and header); text
    columns wrap, at TEXT_MIN cells or more, and share what is left up to their widest cell.
    """
    needs, floors = [], []
    for i, col in enumerate(columns):
        widest = max([_width(row[i]) for row in cells] + [cell_len(visible(col.header(lang)))])
        needs.append(widest)
        floors.append(min(widest, TEXT_MIN) if col.kind == "text" else widest)
    spare = width - (3 * len(columns) + 1) - sum(floors)  # borders and padding: 3 a column
    if spare < 0:
        return None
    widths = list(floors)
    for i, col in enumerate(columns):
        if col.kind == "text" and spare > 0:
            extra = min(spare, needs[i] - floors[i])
            widths[i] += extra
            spare -= extra
    return widths


def render(output: Output, sink: Sink, con: Console) -> None:
    """Print `output` as a table (plus its summary line) on `con`; no empty table.

    A table never cuts a number, an id or a status: text columns wrap; when that is not
    enough the optional columns are left out (the caption says which), and when even that
    does not fit each record is printed as a block of `header: value` lines.
    """
    if not output.rows and output.summary:
        con.print(Text(visible(output.summary)))
        return
    lang = sink.lang
    columns = list(output.columns)
    cells = [[_styled(c, row, lang) for c in columns] for row in output.rows]
    width = sink.width or DEFAULT_WIDTH
    widths = fit(columns, cells, lang, width)
    dropped: list[Column] = []
    while widths is None and any(c.optional for c in columns):
        i = max(i for i, c in enumerate(columns) if c.optional)  # the rightmost goes first
        dropped.insert(0, columns.pop(i))
        cells = [row[:i] + row[i + 1 :] for row in cells]
        widths = fit(columns, cells, lang, width)
    if widths is None:
        _blocks(output, list(output.columns), lang, con)
        return
    table = Table(
        title=Text(visible(output.title)) if output.title else None,
        caption=Text(columns_left_out([c.header(lang) for c in dropped], lang))
        if dropped
        else None,
        header_style="bold" if sink.color else None,
        show_lines=False,
        expand=False,
    )
    for col, w in zip(columns, widths, strict=True):
        table.add_column(
            Text(visible(col.header(lang))),
            justify="right" if col.kind == "number" else "left",
            no_wrap=col.kind != "text",
            width=w,
            overflow="fold",
        )
    for row_cells in cells:
        table.add_row(*row_cells)
    con.print(table)
    if output.summary:
        con.print(Text(visible(output.summary)))


def _blocks(output: Output, columns: list[Column], lang: str, con: Console) -> None:
    """Each record as `header: value` lines, records apart by a blank line (narrow screens)."""
    if output.title:
        con.print(Text(visible(output.title)))
        con.print()
    for n, row in enumerate(output.rows):
        if n:
            con.print()
        for col in columns:
            line = Text(f"{visible(col.header(lang))}: ")
            line.append_text(_styled(col, row, lang))
            con.print(line, overflow="fold")
    if output.summary:
        con.print()
        con.print(Text(visible(output.summary)))


def save_svg(con: Console, path: str, title: str) -> None:
    """Write what was printed on `con` as an SVG picture (atomically)."""
    from fanpin_cli.files.atomic import atomic_write_text

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
