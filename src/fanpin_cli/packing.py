"""Indicators packed as marshal'd columns: how worker processes and the cache hand them over.

One column per Indicator field, Decimals as their text. marshal builds only values (never
runs code), and unpacking checks the type of every value in every column, so a damaged or
foreign blob is refused (None), never half-used.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from itertools import chain
from typing import Any

from fanpin_cli.model import Indicator

FIELDS = len(Indicator._fields)
_NONE = type(None)
# the types each Indicator field may hold when packed (value: int, Decimal text or None)
_KINDS: tuple[set[type], ...] = (
    {str}, {str}, {str}, {str}, {int, str, _NONE}, {str}, {str}, {str},
    {str, _NONE}, {str, _NONE}, {tuple}, {tuple, _NONE},
    {str, _NONE}, {str, _NONE}, {bool, _NONE}, {str, _NONE}, {str}, {int},
)  # fmt: skip
COLUMN_TYPES = tuple(frozenset(kinds) for kinds in _KINDS)
REGION, PERIOD, VALUE, PARTS, RATIO = 7, 6, 4, 10, 11


def _text(v: int | Decimal | None) -> int | str | None:
    return str(v) if type(v) is Decimal else v  # type: ignore[return-value]


def pack(indicators: Sequence[Indicator]) -> bytes:
    """`indicators` as marshal'd columns."""
    if not indicators:
        return marshal.dumps(())
    columns = list(zip(*indicators, strict=True))
    columns[VALUE] = tuple(map(_text, columns[VALUE]))
    return marshal.dumps(tuple(columns))


def unpack(
    blob: bytes, region: str | None = None, period: str | None = None, *, trusted: bool = False
) -> list[Indicator] | None:
    """The indicators in `blob` (only one region's and/or period's when given), or None.

    `trusted` skips the type checks, for a blob this process's own worker packed a moment
    ago; anything read from disk is checked.
    """
    try:
        columns: Any = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if columns == ():
        return []
    if type(columns) is not tuple or len(columns) != FIELDS:
        return None
    if any(type(c) is not tuple for c in columns) or len({len(c) for c in columns}) != 1:
        return None
    if region is not None or period is not None:
        columns = _rows_where(columns, region, period)
    if not trusted and not _well_typed(columns):
        return None
    values = [Decimal(v) if type(v) is str else v for v in columns[VALUE]]
    rows = zip(*columns[:VALUE], values, *columns[VALUE + 1 :], strict=True)
    return list(map(partial(tuple.__new__, Indicator), rows))


def _well_typed(columns: tuple[Any, ...]) -> bool:
    """Every value of every column has a type its field may hold."""
    for column, kinds in zip(columns, COLUMN_TYPES, strict=True):
        if not kinds.issuperset(map(type, column)):
            return False
    ratios = [r for r in columns[RATIO] if r is not None]
    if any(len(r) != 2 for r in ratios):
        return False
    return {str}.issuperset(map(type, chain(chain.from_iterable(columns[PARTS]), *ratios)))


def _rows_where(
    columns: tuple[Any, ...], region: str | None, period: str | None
) -> tuple[tuple[Any, ...], ...]:
    """The columns cut down to the rows of one region and/or period."""
    regions, periods = columns[REGION], columns[PERIOD]
    keep = [
        n
        for n in range(len(regions))
        if (region is None or regions[n] == region) and (period is None or periods[n] == period)
    ]
    return tuple(tuple(column[n] for n in keep) for column in columns)
