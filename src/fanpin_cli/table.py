"""Indicator records as columns: what the checks and the roll-up read instead of records.

A million records cost more to build as NamedTuples than the rules spend on them, and each
rule reads a few fields. A Table holds only the columns asked for, one list per field by
name (fanpin_cli.schema.Indicator), either read from a warm cache without building a record
(fanpin_cli.cache_format.decode_table) or taken from loaded records (`from_records`): the
rules run on both alike, so a cold and a warm run find the same.

A table from the cache is in the cache's order (one chunk per region and period), not the
dataset's: `places` gives each row's position in the dataset, and `in_order` puts rows back
in it, so that findings and roll-up rows come out in the dataset's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from fanpin_cli.schema import Indicator


class TableRequest(NamedTuple):
    """Read the records as these columns when they come from a warm cache; with `period`,
    the table may leave out the records of other periods (they are still counted in
    `Table.labels`)."""

    columns: tuple[str, ...]
    period: str | None = None


class Table:
    """Columns of indicator records by field name, and each row's place in the dataset."""

    __slots__ = ("columns", "labels", "places", "size")

    def __init__(
        self,
        columns: dict[str, list[Any]],
        size: int,
        labels: Iterable[tuple[str, str]],
        places: list[int] | None = None,
    ) -> None:
        self.columns = columns
        self.size = size  # rows in the table
        # (region, period) of every record in the dataset, also those left out
        self.labels = frozenset(labels)
        self.places = places  # None: the rows are in the dataset's order

    @classmethod
    def from_records(cls, indicators: Sequence[Indicator], names: Iterable[str]) -> Table:
        """The columns `names` of loaded records, in their order."""
        columns = {name: list(map(attrgetter(name), indicators)) for name in dict.fromkeys(names)}
        labels = set(map(attrgetter("region_code", "period"), indicators))
        return cls(columns, len(indicators), labels)

    def __getitem__(self, name: str) -> list[Any]:
        return self.columns[name]

    def __len__(self) -> int:
        return self.size

    @property
    def regions(self) -> frozenset[str]:
        """Regions with records in the dataset (also in chunks the table left out)."""
        return frozenset(region for region, _ in self.labels)

    @property
    def periods(self) -> frozenset[str]:
        return frozenset(period for _, period in self.labels)

    def in_order(self, rows: Iterable[int]) -> list[int]:
        """`rows` (table rows) sorted by their place in the dataset."""
        if self.places is None:
            return sorted(rows)
        return sorted(rows, key=self.places.__getitem__)

    def rows_with(self, name: str) -> list[int]:
        """Rows whose value in column `name` is not None (a C-speed scan when none is)."""
        column = self.columns[name]
        if column.count(None) == len(column):
            return []
        return [n for n, v in enumerate(column) if v is not None]

    def place(self, row: int) -> int:
        return row if self.places is None else self.places[row]
