"""Regions ranked on one indicator for a period: competition ranks, the change of rank against
an earlier period, and each region's gap to its parent's figure (percentage points for a rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fanpin_cli.analysis.filters import NothingMatched, check, suggest
from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.model import Dataset, Indicator, Region
from fanpin_cli.core.periods import counterpart, latest
from fanpin_cli.core.units import comparable, convert, is_rate

UP, DOWN = "up", "down"  # higher is better (ranked from the highest), or lower is


@dataclass(frozen=True)
class RankRow:
    """One region's place: its value (None: not reported), rank, change of rank and gap."""

    region_code: str
    region: Region | None
    value: Decimal | int | None  # in the ranking's unit
    rank: int | None
    tied: bool  # another region has the same rank
    previous_rank: int | None
    rank_change: int | None  # places moved up (negative: down) since the compared period
    gap: Decimal | None  # value - the parent's value


@dataclass(frozen=True)
class Ranking:
    """Regions ranked on indicator `record.id` for `period`."""

    record: Indicator  # a record of the indicator: its names, unit and ratio
    period: str
    unit: str
    direction: str  # UP or DOWN
    direction_from: str  # "declared", "target", "--ascending" or "default"
    parent: Region | None  # whose figure the gaps are to, and whose children are ranked
    parent_value: Decimal | None
    parent_value_from: str | None  # "reported" or "rolled up"
    how: str | None  # periods.YOY or POP: what the change of rank is against
    compared_period: str | None
    rows: tuple[RankRow, ...]

    @property
    def gap_unit(self) -> str:
        return "percentage points" if is_rate(self.unit) else self.unit

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)


def competition_ranks(values: dict[str, Decimal], direction: str) -> dict[str, int]:
    """1 + how many values are better: ties share a rank and the next is skipped (1, 2, 2, 4)."""
    sign = 1 if direction == UP else -1
    figures = [sign * v for v in values.values()]
    return {k: 1 + sum(1 for o in figures if o > sign * v) for k, v in values.items()}


def _direction(dataset: Dataset, records: list[Indicator], ascending: bool) -> tuple[str, str]:
    if ascending:
        return DOWN, "--ascending"
    declared = next((r.direction for r in records if r.direction is not None), None)
    if declared is not None:
        return declared, "declared"
    rid = records[0].id
    for t in dataset.targets:
        if t.indicator_id == rid and t.comparator != "==" and t.kind != "reference":
            return (UP if t.comparator in (">=", ">") else DOWN), "target"
    return UP, "default"


def regions_to_rank(
    dataset: Dataset, records: list[Indicator], among: Sequence[str]
) -> tuple[list[str], Region | None]:
    """The regions to rank, and their common parent (None when they have none)."""
    from fanpin_cli.analysis.query import resolve_region
    from fanpin_cli.analysis.rollup import children_of

    by_code = {r.code: r for r in dataset.regions}
    if among:
        codes = list(dict.fromkeys(resolve_region(dataset, a.strip()) for a in among))
        present = {i.region_code for i in dataset.indicators}
        for code in codes:
            if code not in by_code and code not in present:
                raise UsageError.said(("usage.region", code))
        parents = {by_code[c].parent if c in by_code else None for c in codes}
        parent = parents.pop() if len(parents) == 1 else None
        return codes, by_code.get(parent) if parent else None
    reporting = {r.region_code for r in records}
    counts: dict[str, int] = {}
    for code in reporting:  # the parent with most children reporting (region table order)
        region = by_code.get(code)
        if region is not None and region.parent is not None:
            counts[region.parent] = counts.get(region.parent, 0) + 1
    if not counts:
        return sorted(reporting), None
    order = {r.code: n for n, r in enumerate(dataset.regions)}
    parent = max(counts, key=lambda p: (counts[p], -order.get(p, 0)))
    return children_of(dataset, parent), by_code.get(parent)


def _values(
    records: list[Indicator], codes: list[str], period: str, unit: str
) -> dict[str, Decimal]:
    """Each region's value of `period` in `unit` (those without one, or in a unit that does
    not convert, are left out: not reported)."""
    out: dict[str, Decimal] = {}
    for r in records:
        wanted = r.period == period and r.region_code in codes and r.value is not None
        if wanted and r.value is not None and comparable(r.unit, unit):
            same = r.unit == unit
            out[r.region_code] = Decimal(r.value) if same else convert(r.value, r.unit, unit)
    return out


def _parent_value(
    dataset: Dataset, records: list[Indicator], parent: Region | None, period: str, unit: str
) -> tuple[Decimal | None, str | None]:
    """The parent's own figure, else its children's rolled up (a rate rebuilt from its parts,
    a count only when every child reported), when the region table knows two children or
    more of it."""
    if parent is None:
        return None, None
    own = _values(records, [parent.code], period, unit).get(parent.code)
    if own is not None:
        return own, "reported"
    from fanpin_cli.analysis.rollup import children_of, rollup

    if len(children_of(dataset, parent.code)) < 2:
        return None, None  # one child known (Gansu's Lanzhou): it is not the parent's whole
    try:
        rows = rollup(dataset, parent.code, period)
    except UsageError:
        return None, None
    for row in rows:
        whole = row.children_sum is not None and not row.missing
        if row.id == records[0].id and whole and comparable(row.unit, unit):
            assert row.children_sum is not None
            return convert(row.children_sum, row.unit, unit), "rolled up"
    return None, None


def rank(
    dataset: Dataset,
    indicator: str,
    period: str | None = None,
    among: Sequence[str] = (),
    ascending: bool = False,
    how: str | None = None,
) -> Ranking:
    """Regions (default: the children of the parent most of the reporting regions share)
    ranked on `indicator` for `period` (default: the latest those regions report)."""
    records = [i for i in dataset.indicators if i.id == indicator]
    if not records:
        ids = {i.id for i in dataset.indicators}
        raise UsageError.said(("usage.indicator", indicator), suggest(indicator, ids))
    check(dataset, None, period)  # malformed: exit 2; no record has it: exit 1 (the rule)
    codes, parent = regions_to_rank(dataset, records, among)
    mine = [r for r in records if r.region_code in codes and r.value is not None]
    chosen = period if period is not None else latest({r.period for r in mine})
    reported = [r for r in mine if r.period == chosen]
    if chosen is None or not reported:
        raise NothingMatched.said(
            ("match.no_record_of_for", indicator, " ".join(filter(None, (chosen, *codes))))
        )
    unit = next((r.unit for r in records if parent and r.region_code == parent.code), None)
    unit = unit or reported[0].unit
    direction, direction_from = _direction(dataset, records, ascending)
    values = _values(records, codes, chosen, unit)
    ranks = competition_ranks(values, direction)
    before: dict[str, int] = {}
    compared = counterpart(chosen, how) if how is not None else None
    if compared is not None:
        before = competition_ranks(_values(records, codes, compared, unit), direction)
    parent_value, parent_from = _parent_value(dataset, records, parent, chosen, unit)
    shared = {n for n in ranks.values() if list(ranks.values()).count(n) > 1}
    by_code = {r.code: r for r in dataset.regions}
    rows = [
        RankRow(
            region_code=code,
            region=by_code.get(code),
            value=values.get(code),
            rank=ranks.get(code),
            tied=ranks.get(code) in shared,
            previous_rank=before.get(code),
            rank_change=(before[code] - ranks[code]) if code in before and code in ranks else None,
            gap=(values[code] - parent_value)
            if code in values and parent_value is not None
            else None,
        )
        for code in codes
    ]
    order = {c: n for n, c in enumerate(codes)}
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, order[r.region_code]))
    return Ranking(
        record=reported[0],
        period=chosen,
        unit=unit,
        direction=direction,
        direction_from=direction_from,
        parent=parent,
        parent_value=parent_value,
        parent_value_from=parent_from,
        how=how,
        compared_period=compared,
        rows=tuple(rows),
    )
