"""Indicators packed as marshal'd columns: how worker processes hand them to the parent.

One column per Indicator field, keyed by the field's name (fanpin_cli.core.schema), Decimals as
their text. marshal builds only values (never runs code), and unpacking checks the type of
every value in every column, so a damaged, foreign or outdated blob is refused (None),
never half-used.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from itertools import chain, repeat
from typing import Any

from fanpin_cli.core.schema import Indicator, fields

NAMES = Indicator._fields
_NONE = type(None)
_TYPES = {"text": str, "unit": str, "integer": int, "flag": bool, "ids": tuple, "ratio": tuple}


DECLARED = fields(Indicator)


def _kinds(name: str, kind: str, nullable: bool) -> frozenset[type]:
    """The types a packed column may hold (numbers: int, or Decimal as text)."""
    kinds = {int, str} if kind == "number" else {_TYPES[kind]}
    return frozenset(kinds | {_NONE} if nullable else kinds)


# a missing optional field holds None, unless its declared default is something else
COLUMN_TYPES = tuple(
    _kinds(name, f.kind, f.read and not f.required and Indicator._field_defaults.get(name) is None)
    for name, f in DECLARED
)
NUMBERS = tuple(n for n, (_, f) in enumerate(DECLARED) if f.kind == "number")
IDS = tuple(n for n, (_, f) in enumerate(DECLARED) if f.kind == "ids")
RATIOS = tuple(n for n, (_, f) in enumerate(DECLARED) if f.kind == "ratio")
REGION, PERIOD = NAMES.index("region_code"), NAMES.index("period")


def _text(v: int | Decimal | None) -> int | str | None:
    return str(v) if type(v) is Decimal else v  # type: ignore[return-value]


def _figures(packed: Sequence[Any]) -> tuple[Any, ...]:
    """A packed figure column's values: Decimals again from their text, ints and None."""
    texts = sum(map(str.__instancecheck__, packed))
    if texts == len(packed):  # every figure a Decimal, converted at C speed
        return tuple(map(Decimal, packed))
    if not texts:
        return tuple(packed)
    return tuple(Decimal(v) if type(v) is str else v for v in packed)


def figure_texts(column: Sequence[Any]) -> list[Any]:
    """A figure column with each Decimal as its positional text (integers and None as they
    are): how packed columns and the cache's chunks hold figures, converted once."""
    decimals = list(map(str, filter(Decimal.__instancecheck__, column)))
    if any(map(str.__contains__, decimals, repeat("E"))):  # 1E-7: written out as 0.0000001
        decimals = [format(Decimal(text), "f") for text in decimals]
    if len(decimals) == len(column):
        return decimals
    texts = iter(decimals)
    return [next(texts) if type(v) is Decimal else v for v in column]


def pack_columns(columns: Sequence[Sequence[Any]]) -> bytes:
    """Indicator fields given as columns (one per field, in field order), marshal'd."""
    if not columns or not columns[0]:
        return marshal.dumps({})
    packed = list(map(tuple, columns))
    for n in NUMBERS:
        packed[n] = tuple(map(_text, packed[n]))
    return marshal.dumps(dict(zip(NAMES, packed, strict=True)))


def unpack(
    blob: bytes, region: str | None = None, period: str | None = None, *, trusted: bool = False
) -> list[Indicator] | None:
    """The indicators in `blob` (only one region's and/or period's when given), or None.

    `trusted` skips the type checks, for a blob this process's own worker packed a moment
    ago; anything read from disk is checked.
    """
    try:
        by_name: Any = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if by_name == {}:
        return []
    if type(by_name) is not dict or set(by_name) != set(NAMES):
        return None
    columns = [by_name[name] for name in NAMES]
    if any(type(c) is not tuple for c in columns) or len({len(c) for c in columns}) != 1:
        return None
    if region is not None or period is not None:
        columns = _rows_where(columns, region, period)
    if not trusted and not _well_typed(columns):
        return None
    for n in NUMBERS:
        columns[n] = _figures(columns[n])
    rows = zip(*columns, strict=True)
    return list(map(partial(tuple.__new__, Indicator), rows))


def _well_typed(columns: list[Any]) -> bool:
    """Every value of every column has a type its field may hold."""
    for column, kinds in zip(columns, COLUMN_TYPES, strict=True):
        if not kinds.issuperset(map(type, column)):
            return False
    ratios = [r for n in RATIOS for r in columns[n] if r is not None]
    if any(len(r) != 2 for r in ratios):
        return False
    ids = chain.from_iterable(chain.from_iterable(columns[n]) for n in IDS)
    return {str}.issuperset(map(type, chain(ids, *ratios)))


def _rows_where(columns: list[Any], region: str | None, period: str | None) -> list[Any]:
    """The columns cut down to the rows of one region and/or period."""
    regions, periods = columns[REGION], columns[PERIOD]
    keep = [
        n
        for n in range(len(regions))
        if (region is None or regions[n] == region) and (period is None or periods[n] == period)
    ]
    return [tuple(column[n] for n in keep) for column in columns]
