"""A region beside its parent and the country: the indicators that mean the same thing.

Records are matched by indicator id (one id is one measure) and period. A pair is
compared only where units convert into each other and the bases (annual, cumulative,
point-in-time) agree: rates by their difference in percentage points, counts and amounts
by the region's share of the parent, averages and standards by their difference. Anything
else is kept with the reason it cannot be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from fanpin_cli.analysis.rollup import additive
from fanpin_cli.core.decimals import derived, tidy
from fanpin_cli.core.errors import NothingMatched, UsageError
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.core.units import comparable, convert, is_rate
from fanpin_cli.reading.references import change_qualifier

Measure = Literal["percentage points", "share", "difference"]


@dataclass(frozen=True)
class Against:
    """The region's record beside one other level's (parent or country)."""

    code: str
    record: Indicator | None
    measure: Measure | None = None
    result: Decimal | None = None  # pp difference, share of the other in %, or difference
    qualifier: str | None = None  # the result is a bound or approximate
    reason: str = ""  # why it is not compared: a code of labels.TERMS_ZH
    detail: str = ""  # what differs, e.g. "2023 vs 2021"

    @property
    def why(self) -> str:
        """The reason with its detail, in English: 'periods differ (2023 vs 2021)'."""
        return f"{self.reason} ({self.detail})" if self.detail else self.reason


@dataclass(frozen=True)
class PeerFigures:
    """One indicator of the region against its parent and the country."""

    record: Indicator
    levels: tuple[Against, ...]

    @property
    def comparable(self) -> bool:
        return any(a.measure is not None for a in self.levels)


def ancestors(dataset: Dataset, code: str) -> list[str]:
    """`code`'s parent, grandparent, … up to the top of the region table; a region the
    loaded tables do not have takes its parents from the national list (保山市: 云南省)."""
    parents = {r.code: r.parent for r in dataset.regions}

    def parent(of: str) -> str | None:
        if of in parents:
            return parents[of]
        from fanpin_cli.reading.divisions import national

        found = national().region(of)
        return found.parent if found is not None else None

    out: list[str] = []
    seen = {code}
    current = parent(code)
    while current is not None and current not in seen:
        out.append(current)
        seen.add(current)
        current = parent(current)
    return out


def levels_of(dataset: Dataset, code: str) -> list[str]:
    """The parent and the country (the top of the table), once each."""
    chain = ancestors(dataset, code)
    if not chain:
        raise UsageError.said(("usage.no_parent", code))
    return list(dict.fromkeys([chain[0], chain[-1]]))


def _pick(records: list[Indicator], period: str) -> Indicator | None:
    """The record of `period`, else the latest before it, else the earliest after it."""
    for r in records:
        if r.period == period:
            return r
    before = [r for r in records if r.period < period]
    if before:
        return max(before, key=lambda r: r.period)
    return min(records, key=lambda r: r.period) if records else None


def against(ind: Indicator, other: Indicator | None, code: str) -> Against:
    """`ind` compared with `other` (the same indicator of region `code`), or why not."""
    if other is None:
        return Against(code, None, reason="no figure")
    if other.period != ind.period:
        return Against(
            code, other, reason="periods differ", detail=f"{ind.period} vs {other.period}"
        )
    if ind.value is None or other.value is None:
        return Against(code, other, reason="not reported")
    if not comparable(ind.unit, other.unit):
        return Against(code, other, reason="units differ", detail=f"{ind.unit} vs {other.unit}")
    if ind.basis is not None and other.basis is not None and ind.basis != other.basis:
        return Against(code, other, reason="bases differ", detail=f"{ind.basis} vs {other.basis}")
    mine = Decimal(ind.value)
    theirs = convert(other.value, other.unit, ind.unit)
    qualifier = change_qualifier(ind.qualifier, other.qualifier)
    if is_rate(ind.unit):
        return Against(code, other, "percentage points", tidy(mine - theirs), qualifier)
    if additive(ind) and additive(other):
        if theirs <= 0:
            return Against(code, other, reason="not positive")
        share = derived(mine / theirs * 100, "percent")
        return Against(code, other, "share", share, qualifier)
    return Against(code, other, "difference", tidy(mine - theirs), qualifier)


def beside_peers(
    dataset: Dataset,
    region: str,
    indicators: Sequence[Indicator],
    period: str | None = None,
) -> list[PeerFigures]:
    """Each of the region's records (of `period`, if given) beside its parent and the country.

    Only indicators that at least one other level reports are returned.
    """
    codes = levels_of(dataset, region)
    by_id: dict[tuple[str, str], list[Indicator]] = {}
    for ind in dataset.indicators:
        if ind.region_code in codes:
            by_id.setdefault((ind.id, ind.region_code), []).append(ind)
    out: list[PeerFigures] = []
    for ind in indicators:
        if ind.region_code != region or (period is not None and ind.period != period):
            continue
        others = [by_id.get((ind.id, code), []) for code in codes]
        if not any(others):
            continue
        levels = tuple(
            against(ind, _pick(recs, ind.period), code)
            for code, recs in zip(codes, others, strict=True)
        )
        out.append(PeerFigures(ind, levels))
    if not out:
        raise NothingMatched.said(("match.no_benchmark", region))
    return out
