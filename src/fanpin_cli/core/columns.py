"""Indicator records as columns: what the checks and the roll-up read instead of records.

A million records cost more to build as NamedTuples than the rules spend on them, and each
rule reads a few fields. `Columns` holds only the columns asked for, one list per field by
name (fanpin_cli.core.schema.Indicator), either read from a warm cache without building a record
(fanpin_cli.reading.store.column_read.decode_columnar) or taken from loaded records
(`from_records`): the rules run on both alike, so a cold and a warm run find the same.
Columns from the cache are in the cache's order (by period, then region), not the dataset's:
`places` gives each row's position in the dataset, and `in_order` puts rows back in it, so
that findings and roll-up rows come out in the dataset's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, groupby, repeat
from operator import attrgetter
from typing import Any, NamedTuple

from fanpin_cli.core.schema import Indicator


class ColumnRequest(NamedTuple):
    """Read the records as these columns when they come from a warm cache; with `period`,
    the columns may leave out the records of other periods (they are still counted in
    `Columns.labels`)."""

    columns: tuple[str, ...]
    period: str | None = None


Runs = list[tuple[Any, int]]  # a column as (value, how many rows in a row have it)


class Columns:
    """Columns of indicator records by field name, and each row's place in the dataset.

    A column is a list of values, or runs of equal values (as the cache stores a column of
    few runs: a unit, a file, empty parts), expanded only when a rule reads it row by row.
    """

    __slots__ = ("columns", "labels", "places", "raw_columns", "run_columns", "size")

    def __init__(
        self,
        columns: dict[str, list[Any]],
        size: int,
        labels: Iterable[tuple[str, str]],
        places: list[int] | None = None,
        runs: dict[str, Runs] | None = None,
        raw: dict[str, list[Any]] | None = None,
    ) -> None:
        self.columns = columns
        self.run_columns = runs or {}
        # figures as the cache stores them, decimal text not yet Decimal (checked already)
        self.raw_columns = raw or {}
        self.size = size  # rows in the columns
        # (region, period) of every record in the dataset, also those left out
        self.labels = frozenset(labels)
        self.places = places  # None: the rows are in the dataset's order

    @classmethod
    def from_records(cls, indicators: Sequence[Indicator], names: Iterable[str]) -> Columns:
        """The columns `names` of loaded records, in their order."""
        columns = {name: list(map(attrgetter(name), indicators)) for name in dict.fromkeys(names)}
        labels = set(map(attrgetter("region_code", "period"), indicators))
        return cls(columns, len(indicators), labels)

    def __getitem__(self, name: str) -> list[Any]:
        """Column `name` as a list of values, one per row."""
        column = self.columns.get(name)
        if column is None and name in self.raw_columns:
            column = [Decimal(v) if type(v) is str else v for v in self.raw_columns[name]]
            self.columns[name] = column
        if column is None:
            runs = self.run_columns[name]
            column = list(chain.from_iterable(repeat(v, n) for v, n in runs))
            self.columns[name] = column
        return column

    def raw(self, name: str) -> list[Any]:
        """Column `name` of figures with decimal text as it was stored (`Decimal(v)` of a
        value is its figure): cheaper than __getitem__ when few are needed as Decimal."""
        found = self.raw_columns.get(name)
        return self[name] if found is None else found

    def runs(self, name: str) -> Runs:
        """Column `name` as runs of equal values."""
        found = self.run_columns.get(name)
        if found is None:
            found = [(v, len(list(group))) for v, group in groupby(self.columns[name])]
            self.run_columns[name] = found
        return found

    def rows_where(self, name: str, keep: Callable[[Any], bool]) -> list[int]:
        """Rows whose value in column `name` passes `keep` (tested once per run)."""
        rows: list[int] = []
        start = 0
        for value, n in self.runs(name):
            if keep(value):
                rows.extend(range(start, start + n))
            start += n
        return rows

    def rows_with(self, name: str) -> list[int]:
        """Rows whose value in column `name` is not None."""
        return self.rows_where(name, _not_none)

    def segments(self, *names: str) -> Iterator[tuple[tuple[Any, ...], range]]:
        """The rows in stretches where columns `names` keep their values: (values, rows)."""
        runs = [iter(self.runs(name)) for name in names]
        heads = [next(it, (None, 0)) for it in runs]
        values = [v for v, _ in heads]
        left = [n for _, n in heads]
        start = 0
        while start < self.size:
            step = min(left)
            yield tuple(values), range(start, start + step)
            start += step
            for k, it in enumerate(runs):
                left[k] -= step
                if not left[k]:
                    values[k], left[k] = next(it, (None, self.size))

    def distinct(self, name: str) -> set[Any]:
        return {value for value, _ in self.runs(name)}

    def __len__(self) -> int:
        return self.size

    @property
    def regions(self) -> frozenset[str]:
        """Regions with records in the dataset (also in chunks these columns left out)."""
        return frozenset(region for region, _ in self.labels)

    @property
    def periods(self) -> frozenset[str]:
        return frozenset(period for _, period in self.labels)

    def in_order(self, rows: Iterable[int]) -> list[int]:
        """`rows` (table rows) sorted by their place in the dataset."""
        if self.places is None:
            return sorted(rows)
        return sorted(rows, key=self.places.__getitem__)

    def place(self, row: int) -> int:
        return row if self.places is None else self.places[row]


def _not_none(value: object) -> bool:
    return value is not None
