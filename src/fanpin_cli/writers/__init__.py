"""Output formats behind one interface: the Format enum, and `writer`, its typed factory,
which imports only the module of the format asked for. Every command's `-o/--format` choices
and `export`'s format flags are the enum's members."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from typing import Protocol

    from fanpin_cli.views.output import Output, Sink

    class Writer(Protocol):  # for the type checker only: defining a Protocol costs start-up
        def __call__(self, output: Output, sink: Sink) -> None: ...


class Format(str, enum.Enum):
    """Every output format fanpin can write."""

    TABLE = "table"
    TSV = "tsv"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"

    @property
    def is_machine(self) -> bool:
        return self not in (Format.TABLE, Format.MARKDOWN)

    @property
    def is_file(self) -> bool:
        """Whether `export` writes it (its flag: `--csv`, ...): every format but the
        terminal's table."""
        return self is not Format.TABLE


# What `export` writes when no format is named; then every format it writes (each its own
# flag), that one first and the others in the enum's order.
EXPORT_DEFAULT = Format.CSV
EXPORTED = (EXPORT_DEFAULT, *(f for f in Format if f.is_file and f is not EXPORT_DEFAULT))


def writer(fmt: Format) -> Writer:
    """The write function of `fmt`, its module imported on first use (csv never loads rich).
    A new format: its module, a member of Format, and its case here (mypy holds that every
    member has one: assert_never)."""
    if fmt is Format.TABLE:
        from fanpin_cli.writers import rich_table

        return rich_table.write
    if fmt is Format.TSV:
        from fanpin_cli.writers import tsv

        return tsv.write
    if fmt is Format.CSV:
        from fanpin_cli.writers import csvfmt

        return csvfmt.write
    if fmt is Format.JSON:
        from fanpin_cli.writers import jsonfmt

        return jsonfmt.write
    if fmt is Format.JSONL:
        from fanpin_cli.writers import jsonfmt

        return jsonfmt.write_jsonl
    if fmt is Format.MARKDOWN:
        from fanpin_cli.writers import markdown

        return markdown.write
    assert_never(fmt)


def write(output: Output, sink: Sink, fmt: Format) -> None:
    """Write `output` to `sink` in `fmt`."""
    writer(fmt)(output, sink)


def render(output: Output, fmt: Format, *, lang: str, header: bool = True) -> str:
    """`output` in a machine or Markdown format, as a string."""
    import io

    from fanpin_cli.views.output import Sink

    buf = io.StringIO(newline="")
    write(output, Sink(stream=buf, lang=lang, header=header), fmt)
    return buf.getvalue()
