"""Roll county figures up to the city: sum additive indicators, beside the city's own figure."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fanpin_cli.errors import UsageError
from fanpin_cli.labels import message
from fanpin_cli.model import Dataset, Finding, Indicator
from fanpin_cli.units import comparable, convert, is_additive


@dataclass(frozen=True)
class RollupRow:
    """One indicator and period: the sum over the children and the parent's own figure."""

    id: str
    name_zh: str
    name_en: str
    period: str
    unit: str
    children_reported: int
    children_expected: int
    children_sum: Decimal
    own: Decimal | None  # the parent's reported figure, in `unit`
    own_record: Indicator | None
    missing: tuple[str, ...]  # child codes without a value

    @property
    def difference(self) -> Decimal | None:
        return None if self.own is None else self.children_sum - self.own

    @property
    def status(self) -> str:
        if self.own is None:
            return "no parent figure"
        if self.children_sum == self.own:
            return "match" if not self.missing else "match (incomplete)"
        return "differs" if not self.missing else "differs (incomplete)"


def additive(ind: Indicator) -> bool:
    """Counts and amounts add up (unless the record says additive = false); rates never."""
    return ind.additive if ind.additive is not None else is_additive(ind.unit)


def children_of(dataset: Dataset, parent: str) -> list[str]:
    """Codes whose parent is `parent` in the region table, in table order."""
    return [r.code for r in dataset.regions if r.parent == parent]


def rollup(dataset: Dataset, parent: str, period: str | None = None) -> list[RollupRow]:
    """Sum each additive indicator over `parent`'s children that are in the dataset."""
    kids = children_of(dataset, parent)
    if not kids:
        raise UsageError(f"region {parent} has no child regions in the region table")
    present = {i.region_code for i in dataset.indicators}
    if not any(k in present for k in kids):
        raise UsageError(f"no data for any child region of {parent}; load the counties with --data")
    expected = kids  # every child in the region table is expected to report
    groups: dict[tuple[str, str], list[Indicator]] = {}
    own: dict[tuple[str, str], Indicator] = {}
    for ind in dataset.indicators:
        if period is not None and ind.period != period:
            continue
        if not additive(ind):
            continue
        key = (ind.id, ind.period)
        if ind.region_code == parent:
            own[key] = ind
        elif ind.region_code in expected:
            groups.setdefault(key, []).append(ind)
    rows = []
    for key, records in groups.items():
        parent_record = own.get(key)
        unit = parent_record.unit if parent_record else records[0].unit
        usable = [r for r in records if r.value is not None and comparable(r.unit, unit)]
        if not usable:
            continue
        total = sum(
            (convert(r.value, r.unit, unit) for r in usable if r.value is not None), Decimal(0)
        )
        reported = {r.region_code for r in usable}
        own_value = None
        if (
            parent_record is not None
            and parent_record.value is not None
            and comparable(parent_record.unit, unit)
        ):
            own_value = Decimal(parent_record.value)
        first = records[0]
        rows.append(
            RollupRow(
                id=key[0],
                name_zh=first.name_zh,
                name_en=first.name_en,
                period=key[1],
                unit=unit,
                children_reported=len(reported),
                children_expected=len(expected),
                children_sum=total,  # a sum keeps its inputs' decimal places
                own=own_value,
                own_record=parent_record,
                missing=tuple(k for k in expected if k not in reported),
            )
        )
    return rows


def check_rollup(dataset: Dataset, index: Any, count: Callable[[], None]) -> Iterator[Finding]:
    """County totals against the city's own figure, for every parent with children loaded."""
    present = {i.region_code for i in dataset.indicators}
    parents = {r.parent for r in dataset.regions if r.parent and r.code in present}
    for parent in sorted(p for p in parents if p in present):
        for row in rollup(dataset, parent):
            if row.own is None or row.own_record is None:
                continue
            count()
            rec = row.own_record
            if row.children_sum == row.own:
                continue
            # counties still missing, or a reference figure (a province, the country) whose
            # regions are not all in the region table: a smaller sum proves nothing
            if (row.missing or rec.citation is not None) and row.children_sum < row.own:
                continue
            args: tuple[str, ...] = (row.id, row.period, str(row.children_reported))
            args += (str(row.children_sum),)
            args += (row.unit, parent, str(row.own))
            yield Finding(
                rule="rollup",
                severity="error",
                message=message("rollup.differs", args, "en"),
                indicators=(row.id,),
                expected=str(row.own),
                actual=str(row.children_sum),
                file=rec.file,
                line=rec.line,
                code="rollup.differs",
                args=args,
            )
