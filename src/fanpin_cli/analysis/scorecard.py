"""Regions x indicators for one period: each cell's value, its status against the target that
applies to the region (compare's statuses, or `no target`) and its rank
(fanpin_cli.analysis.rank)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fanpin_cli.analysis.compare import evaluate
from fanpin_cli.analysis.filters import NothingMatched
from fanpin_cli.analysis.query import Selection, select
from fanpin_cli.analysis.rank import Ranking, rank, regions_to_rank
from fanpin_cli.core.model import Dataset, Indicator, Region, Target
from fanpin_cli.core.periods import latest

NO_TARGET = "no target"


@dataclass(frozen=True)
class Cell:
    """One region's figure of one indicator."""

    value: Decimal | int | None
    status: str  # met, missed, not reported, not comparable, or NO_TARGET
    rank: int | None
    target: Target | None


@dataclass(frozen=True)
class Scorecard:
    """Every region (rows) against every indicator (columns) for `period`."""

    period: str
    parent: Region | None
    regions: tuple[str, ...]
    names: dict[str, Region]
    indicators: tuple[Ranking, ...]  # one ranking per indicator: its record, unit and ranks
    cells: dict[tuple[str, str], Cell]  # (region code, indicator id)


def applicable_target(dataset: Dataset, indicator: str, region: str) -> Target | None:
    """The region's own target for the indicator, else the one for every region (the first
    in the targets file); references (national aggregates) are never a target to meet."""
    general = None
    for t in dataset.targets:
        if t.indicator_id != indicator or t.kind == "reference":
            continue
        if t.region_code == region:
            return t
        if t.region_code is None and general is None:
            general = t
    return general


def _record(dataset: Dataset, rid: str | None, region: str, period: str) -> Indicator | None:
    if rid is None:
        return None
    return next(
        (i for i in dataset.indicators
         if i.id == rid and i.region_code == region and i.period == period),
        None,
    )  # fmt: skip


def scorecard(
    dataset: Dataset,
    selectors: Sequence[str] = (),
    period: str | None = None,
    among: Sequence[str] = (),
) -> Scorecard:
    """The scorecard of the selected sections or ids (default: all) for the regions ranked
    (rank's rule: the children of the parent in the data, or `among`) and `period` (default:
    the latest period those regions report)."""
    chosen = select(dataset, Selection(tuple(selectors), None, period))
    codes, parent = regions_to_rank(dataset, chosen, among)
    mine = [i for i in chosen if i.region_code in codes and i.value is not None]
    when = period if period is not None else latest({i.period for i in mine})
    ids = list(dict.fromkeys(i.id for i in mine if i.period == when))
    if when is None or not ids:
        raise NothingMatched.said(("match.no_record_of_for", ", ".join(selectors) or "*",
                                   " ".join(filter(None, (when, *codes)))))  # fmt: skip
    rankings = tuple(rank(dataset, rid, when, tuple(codes)) for rid in ids)
    cells: dict[tuple[str, str], Cell] = {}
    for ranking in rankings:
        rid = ranking.record.id
        for row in ranking.rows:
            target = applicable_target(dataset, rid, row.region_code)
            status = NO_TARGET if row.value is not None else "not reported"
            if target is not None:
                record = _record(dataset, rid, row.region_code, when)
                other = _record(dataset, target.relative_to or target.per, row.region_code, when)
                status = evaluate(target, record, other).status
            cells[(row.region_code, rid)] = Cell(row.value, status, row.rank, target)
    return Scorecard(
        period=when,
        parent=parent,
        regions=tuple(codes),
        names={r.code: r for r in dataset.regions},
        indicators=rankings,
        cells=cells,
    )
