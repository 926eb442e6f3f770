"""A Dataset narrowed to chosen indicator records (for exports of a region or period)."""

from __future__ import annotations

from collections.abc import Sequence

from fanpin_cli.model import Dataset, Indicator


def restrict(dataset: Dataset, records: Sequence[Indicator]) -> Dataset:
    """`dataset` with only `records` as its indicators (everything else kept)."""
    if len(records) == len(dataset.indicators):
        return dataset
    return dataset._replace(indicators=tuple(records))
