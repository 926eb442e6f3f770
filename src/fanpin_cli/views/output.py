"""The formatter interface: what is written (Output) and where and how (Sink).

Annotations are objects here, not strings (no `from __future__ import annotations`): a
NamedTuple compiles each string annotation at import, a cost every table command paid.
"""

from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple, TextIO

from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.labels import HEADERS, pick, term
from fanpin_cli.views.rows import Row

ColumnKind = Literal["text", "label", "number", "bar"]  # label: short text, never wrapped


class Column(NamedTuple):
    """A column of a human-facing view: the row key, its headers and how to align it."""

    key: str
    header_zh: str
    header_en: str
    kind: ColumnKind = "text"
    missing: str | None = None  # a labels.term code shown to people where the cell is empty
    optional: bool = False  # a narrow terminal may leave it out (the table says so)
    style: str | None = None  # the row key of a status code that colours the cell (tables)

    def header(self, lang: str) -> str:
        return pick(lang, self.header_zh, self.header_en)

    def shown(self, value: object, lang: str) -> object:
        """What people see for `value` in this column: `missing`'s words where it is empty."""
        empty = value is None or value == ""
        return term(self.missing, lang) if empty and self.missing is not None else value


def column(
    key: str,
    kind: ColumnKind = "text",
    label: str | None = None,
    missing: str | None = None,
    optional: bool = False,
) -> Column:
    """A view column for row key `key`, headed by labels.HEADERS[label or key]."""
    zh, en = HEADERS[label or key]
    return Column(key, zh, en, kind, missing, optional)


class Output(NamedTuple):
    """Rows plus how to show them: record fields for machines, columns for people."""

    rows: Sequence[Row]
    fields: tuple[str, ...]
    columns: tuple[Column, ...]
    title: str | None = None
    summary: str | None = None
    # Every row has every field, holding only str, int, positional Decimal, Ids or None,
    # so CSV can write str() of each cell without looking at it (see writers.csvfmt).
    plain: bool = False
    document: object = None  # what JSON writes instead of the rows (a nested description)
    draw: Callable[[Any], None] | None = None  # draws the table format on a rich Console
    report: bool = False  # machine formats also write the summary line to stderr
    exit_code: int = 0  # the command's exit status once the output is written
    # What was asked, as a reason of labels.MESSAGES, for when no row answers it: the CLI
    # then prints nothing and exits 1 with it on stderr (the rule: fanpin_cli.analysis.filters).
    # None where no rows is an answer in itself (check: no findings).
    nothing: tuple[str, ...] | None = ("match.request",)

    def select(self, keys: Sequence[str]) -> "Output":
        """Only `keys`, in that order, in every format (--fields)."""
        by_key = {c.key: c for c in self.columns}
        cols = tuple(by_key.get(k, Column(k, k, k)) for k in keys)
        return self._replace(fields=tuple(keys), columns=cols)

    def with_fields(self, fields: str | None) -> "Output":
        """`--fields` as given (comma-separated); UsageError naming an unknown or repeated
        field and the ones that exist."""
        if fields is None:
            return self
        keys = [f.strip() for f in fields.split(",") if f.strip()]
        if not keys:
            raise UsageError.said(("usage.no_fields",))
        known = self.available()
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise UsageError.said(("usage.repeated_fields", ", ".join(repeated)))
        for k in keys:
            if k not in known:
                raise UsageError.said(("usage.field", k, ",".join(known)))
        return self.select(keys)

    def as_records(self) -> "Output":
        """Columns named by their field keys, one per field, no caption (exported Markdown:
        a document of records only, which a Markdown-table reader can take whole)."""
        return self._replace(columns=tuple(Column(k, k, k) for k in self.fields), summary=None)

    def available(self) -> list[str]:
        seen = list(self.fields)
        seen += [c.key for c in self.columns if c.key not in seen]
        return seen


class Sink(NamedTuple):
    """Where output goes and what the terminal can do; formatters never look at sys.stdout."""

    stream: TextIO
    tty: bool = False
    width: int | None = None
    color: bool = False
    lang: str = "zh"
    header: bool = True
    svg_path: str | None = None
