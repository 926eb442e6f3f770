"""Output formats behind one interface; the factory loads only the module it needs."""

from __future__ import annotations

import enum
import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fanpin_cli.views.output import Output, Sink


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


class Writer(Protocol):
    def __call__(self, output: Output, sink: Sink) -> None: ...


_MODULES = {
    Format.TABLE: "rich_table",
    Format.TSV: "tsv",
    Format.CSV: "csvfmt",
    Format.JSON: "jsonfmt",
    Format.JSONL: "jsonfmt",
    Format.MARKDOWN: "markdown",
}


def writer(fmt: Format) -> Writer:
    """The write function of `fmt` (imports its module on first use: csv never loads rich)."""
    module = importlib.import_module(f"fanpin_cli.writers.{_MODULES[fmt]}")
    name = "write_jsonl" if fmt is Format.JSONL else "write"
    func: Writer = getattr(module, name)
    return func


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
