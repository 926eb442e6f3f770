"""Big section files in fanpin's own plain layout read at C speed; anything else is tomli's.

The records of a generated or exported dataset are written one way: `[[indicator]]`
tables of `key = value` lines, a value being a "plain string" (no escape or control
character but tab), an integer or decimal without sign, underscore or exponent (a leading
minus is allowed), true or false, an array of plain strings written `["a", "b"]` or an
inline table of them written `{ a = "b", c = "d" }`, the tables separated by blank lines
and comments. `plain_document` reads such a file into exactly the document tomli makes of
it (decimals by parse_float=Decimal, keys in file order): each table is matched by one
regular expression for its key sequence, at C speed, and a run of tables with the same keys
is converted a column at a time. Everything before the first table (the `[section]` table)
is read by tomli itself. A file with anything else in or after its tables (an escape, a
multi-line value, a date, a dotted or quoted key, a repeated key, a comment after a value
or inside a table, CRLF, spaces where the layout has none...) gives None, and the caller
parses the whole file with tomli, whose document or error is then the answer.
tests/reading/load/test_plain_toml.py holds the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, repeat
from typing import Any

HEADER = "[[indicator]]\n"
_TEXT = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'  # a plain string's characters: tomli refuses
# control characters but tab, and the layout has no escapes
# a value: the characters of a plain string, or the text of any other value
_VALUE = (
    rf'(?:"({_TEXT})"|(-?(?:0|[1-9][0-9]{{0,17}})(?:\.[0-9]{{1,30}})?|true|false'
    rf'|\[(?:"{_TEXT}"(?:, "{_TEXT}")*)?\]'
    rf'|\{{ [A-Za-z0-9_-]+ = "{_TEXT}"(?:, [A-Za-z0-9_-]+ = "{_TEXT}")* \}}))'
)
_BETWEEN = r"((?:\n|#[^\x00-\x08\x0a-\x1f\x7f]*\n)*)(?=\[|\Z)"  # blank lines, comments
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PAIR = re.compile(rf'([A-Za-z0-9_-]+) = "({_TEXT})"')  # in an inline table
_SHAPES = 32  # distinct key sequences in one file before it is left to tomli


def plain_document(text: str) -> tuple[dict[str, Any], list[int]] | None:
    """tomli's document of `text` (floats as Decimal) and the line each `[[indicator]]`
    table starts on, or None unless the file is in the plain layout from its first table on
    (then parse it with tomli)."""
    import tomli

    start = 0 if text.startswith(HEADER) else text.find("\n" + HEADER) + 1
    if start == 0 and not text.startswith(HEADER):
        return None
    if not text.endswith("\n"):
        return None
    try:
        found = _tables(text, start)
    except _NotPlain:
        return None
    if found is None:
        return None
    tables, sizes = found
    try:
        document: dict[str, Any] = tomli.loads(text[:start], parse_float=Decimal)
    except (tomli.TOMLDecodeError, ValueError, RecursionError):
        return None  # the whole file is parsed again, and the error reported as tomli's
    if "indicator" in document:
        return None
    document["indicator"] = tables
    first = text.count("\n", 0, start) + 1
    return document, list(accumulate(sizes[:-1], initial=first))


def _tables(text: str, pos: int) -> tuple[list[dict[str, Any]], list[int]] | None:
    """The tables from `pos` to the end of `text` and the lines each takes, or None if any
    is not plain.

    Tables are matched one by one, each by the expression of its keys (the previous
    table's, else one seen before, else one made for it); the tables with the same keys are
    converted together, a column at a time, and put back in file order.
    """
    shapes: dict[tuple[str, ...], list[tuple[str | None, ...]]] = {}  # rows by key sequence
    order: list[tuple[str, ...]] = []  # each table's keys, in file order
    keys: tuple[str, ...] = ()
    rows: list[tuple[str | None, ...]] = []
    end = len(text)
    match = None
    while pos < end:
        found = match(text, pos) if match is not None else None
        if found is None:
            for keys in shapes:  # tables of a few kinds, mixed
                found = _pattern(keys).match(text, pos)
                if found is not None:
                    break
            else:
                shape = _keys_at(text, pos)
                if shape is None or len(shapes) == _SHAPES:
                    return None
                keys = shape
                found = _pattern(keys).match(text, pos)
                if found is None:
                    return None
            rows = shapes.setdefault(keys, [])
            match = _pattern(keys).match
        rows.append(found.groups())
        order.append(keys)
        pos = found.end()
    if len(shapes) == 1:
        return list(_converted(keys, rows)), list(_sizes(keys, rows))
    tables = {k: _converted(k, r) for k, r in shapes.items()}
    sizes = {k: _sizes(k, r) for k, r in shapes.items()}
    return list(map(next, map(tables.__getitem__, order))), list(
        map(next, map(sizes.__getitem__, order))
    )


def _keys_at(text: str, pos: int) -> tuple[str, ...] | None:
    """The keys of the table whose header is at `pos`, in order (None: not a plain table)."""
    if not text.startswith(HEADER, pos):
        return None
    keys: list[str] = []
    pos += len(HEADER)
    while True:
        eol = text.find("\n", pos)
        key, equals, _ = text[pos:eol].partition(" = ")
        if eol < 0 or not equals or not _BARE_KEY.fullmatch(key):
            break
        keys.append(key)
        pos = eol + 1
    if not keys or len(set(keys)) != len(keys):  # tomli says what is wrong with a repeat
        return None
    return tuple(keys)


@lru_cache(maxsize=_SHAPES)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """One table with these keys: two groups per value (see _VALUE), then one for the blank
    lines and comments after it."""
    lines = "".join(re.escape(key) + " = " + _VALUE + r"\n" for key in keys)
    return re.compile(re.escape(HEADER) + lines + _BETWEEN)


def _converted(
    keys: tuple[str, ...], rows: list[tuple[str | None, ...]]
) -> Iterator[dict[str, Any]]:
    """The tables of one run of matches, each key's values converted a column at a time."""
    if not rows:
        return iter(())
    columns = list(zip(*rows, strict=True))
    values = [
        _column(texts, others, len(rows))
        for texts, others in zip(columns[0:-1:2], columns[1:-1:2], strict=True)
    ]
    return map(dict, map(zip, repeat(keys), zip(*values, strict=True)))


def _column(texts: Sequence[str | None], others: Sequence[str | None], count: int) -> Sequence[Any]:
    """One key's values as tomli reads them: `texts` holds the strings' characters, `others`
    the text of any other value (None where the other holds the value)."""
    if others.count(None) == count:  # strings throughout
        return texts
    if texts.count(None) == count:
        try:
            return list(map(int, others))  # type: ignore[arg-type]
        except ValueError:  # decimals, booleans or arrays among them
            return list(map(_value, others))  # type: ignore[arg-type]
    pairs = zip(texts, others, strict=True)
    return [text if text is not None else _value(other) for text, other in pairs]  # type: ignore[arg-type]


def _sizes(keys: tuple[str, ...], rows: list[tuple[str | None, ...]]) -> Iterator[int]:
    """The lines each table of a run takes: its header, its keys, the lines after it."""
    between = [row[-1] or "" for row in rows]  # the group after the values: always text
    return map(int.__add__, map(str.count, between, repeat("\n")), repeat(1 + len(keys)))


class _NotPlain(Exception):
    """A table's value is not what tomli would make of it alone (a key repeated inside it)."""


def _value(raw: str) -> Any:
    """A value other than a string, from its text: an array of plain strings, an inline
    table of them, a boolean, an integer or a decimal."""
    first = raw[0]
    if first == "[":
        return raw[2:-2].split('", "') if raw != "[]" else []
    if first == "{":
        pairs = _PAIR.findall(raw)  # a value may hold ", " but never a quotation mark
        inline = dict(pairs)
        if len(inline) != len(pairs):
            raise _NotPlain
        return inline
    if first in "tf":
        return first == "t"
    return Decimal(raw) if "." in raw else int(raw)
