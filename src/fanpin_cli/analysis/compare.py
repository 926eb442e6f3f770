"""Evaluate indicators against policy targets: unit conversion, relations, gap and status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from fanpin_cli.analysis.progress import Progress, measure
from fanpin_cli.core.labels import NOT_EXACT
from fanpin_cli.core.model import Dataset, Indicator, Number, Target
from fanpin_cli.core.units import comparable, convert, per_unit
from fanpin_cli.reading.references import holds, qualified_holds

Status = Literal["met", "missed", "not reported", "not comparable", "reference"]
# the statuses of a requirement; a reference (a national aggregate) is counted apart
STATUSES: tuple[Status, ...] = ("met", "missed", "not reported", "not comparable")
# what a status cannot tell, by code (labels.CAVEATS has the words): the mean of an
# average target, the context of a reference
AVERAGE, AGGREGATE = "average", "aggregate"


@dataclass(frozen=True)
class Comparison:
    """One indicator record against one target."""

    target: Target
    indicator: Indicator | None
    reference: Indicator | None  # the other indicator: relative_to, or per for an average
    value: Decimal | None  # the indicator's value in the target's unit
    target_value: Decimal | None  # the absolute threshold (relational: multiple x reference)
    unit: str  # unit of value, target_value and gap
    gap: Decimal | None  # value - target_value
    gap_share: Decimal | None  # gap / target_value
    status: Status
    reason: tuple[str, ...] = ()  # why there is no gap: a labels.MESSAGES code and its args
    progress: Progress | None = None  # over periods, on the latest record of a series
    caveat: str = ""  # what the status cannot tell: AVERAGE or AGGREGATE
    qualifier: str | None = None  # the value's (and so the gap's) bound or approximation

    @property
    def share_of_target(self) -> float | None:
        """How far the value goes towards the target, 1.0 = exactly at it (for bars)."""
        v, t = self.value, self.target_value
        if v is None or t is None:
            return None
        if self.target.comparator in ("<=", "<"):
            return 1.0 if v <= t else float(t / v) if v else 0.0
        if t == 0:
            return 1.0 if v >= 0 else 0.0
        return float(v / t)


def _result(
    target: Target,
    ind: Indicator | None,
    ref: Indicator | None,
    value: Decimal | None,
    threshold: Decimal | None,
    unit: str,
    status: Status | None = None,
    reason: tuple[str, ...] = (),
) -> Comparison:
    gap = share = None
    qualifier = ind.qualifier if ind is not None else None
    if status is None:
        assert value is not None and threshold is not None
        if qualifier is None:
            status = "met" if holds(value, target.comparator, threshold) else "missed"
        else:
            ok = qualified_holds(value, qualifier, target.comparator, threshold)
            status = "not comparable" if ok is None else "met" if ok else "missed"
            if ok is None:
                reason = ("compare.bounded", qualifier, str(value))
        gap = value - threshold
        share = gap / threshold if threshold != 0 else None
    return Comparison(
        target, ind, ref, value, threshold, unit, gap, share, status, reason, qualifier=qualifier
    )


def evaluate(target: Target, ind: Indicator | None, ref: Indicator | None = None) -> Comparison:
    """Compare one indicator record (and, if relational, its reference) with `target`."""
    if ind is None:
        if target.kind == "reference":
            result = _result(target, None, None, None, Decimal(target.value), target.unit,
                             "reference", ("compare.no_record",))  # fmt: skip
            return replace(result, caveat=AGGREGATE)
        return _result(
            target, None, ref, None, None, target.unit, "not reported", ("compare.no_record",)
        )
    if target.kind == "reference":
        return _evaluate_reference(target, ind)
    if target.relative_to is not None:
        return _evaluate_relative(target, ind, ref)
    if target.per is not None:
        return _evaluate_average(target, ind, ref)
    if ind.value is None:
        return _result(target, ind, None, None, Decimal(target.value), target.unit, "not reported")
    threshold = Decimal(target.value)
    if not comparable(ind.unit, target.unit):
        why = ("units.inconvertible", ind.unit, target.unit)
        return _result(target, ind, None, None, threshold, target.unit, "not comparable", why)
    value = convert(ind.value, ind.unit, target.unit)
    return _result(target, ind, None, value, threshold, target.unit)


def _evaluate_relative(target: Target, ind: Indicator, ref: Indicator | None) -> Comparison:
    if ref is None or ref.value is None or ind.value is None:
        what = ("compare.no_reference",) if ind.value is not None else ("compare.no_value",)
        return _result(target, ind, ref, _dec(ind.value), None, ind.unit, "not reported", what)
    if not comparable(ref.unit, ind.unit):
        why = ("units.inconvertible", ref.unit, ind.unit)
        return _result(target, ind, ref, Decimal(ind.value), None, ind.unit, "not comparable", why)
    threshold = Decimal(target.value) * convert(ref.value, ref.unit, ind.unit)
    return _result(target, ind, ref, Decimal(ind.value), threshold, ind.unit)


def _evaluate_average(target: Target, ind: Indicator, per: Indicator | None) -> Comparison:
    """The indicator divided by `per` (万元 / 户), in the target's unit per unit, against it."""
    units = per_unit(target.unit)
    assert units is not None  # the loader accepts only a unit per unit for an average
    num_unit, den_unit = units
    threshold = Decimal(target.value)
    if per is None or per.value is None or ind.value is None:
        what: tuple[str, ...] = ("compare.no_value",)
        if ind.value is not None:
            what = ("compare.no_divisor", str(target.per))
        result = _result(target, ind, per, None, threshold, target.unit, "not reported", what)
    elif not comparable(ind.unit, num_unit) or not comparable(per.unit, den_unit):
        why: tuple[str, ...] = ("compare.average_units", ind.unit, per.unit, target.unit)
        result = _result(target, ind, per, None, threshold, target.unit, "not comparable", why)
    elif convert(per.value, per.unit, den_unit) == 0:
        why = ("compare.zero_divisor", str(target.per))
        result = _result(target, ind, per, None, threshold, target.unit, "not comparable", why)
    else:
        mean = convert(ind.value, ind.unit, num_unit) / convert(per.value, per.unit, den_unit)
        result = _result(target, ind, per, mean, threshold, target.unit)
    return replace(result, caveat=AVERAGE)


def _evaluate_reference(target: Target, ind: Indicator) -> Comparison:
    """The city's value beside a national aggregate: status `reference`, no gap."""
    threshold = Decimal(target.value)
    value: Decimal | None = None
    reason: tuple[str, ...] = ()
    if ind.value is None:
        reason = ("compare.no_value",)
    elif comparable(ind.unit, target.unit):
        value = convert(ind.value, ind.unit, target.unit)
    else:
        reason = ("units.inconvertible", ind.unit, target.unit)
    result = _result(target, ind, None, value, threshold, target.unit, "reference", reason)
    return replace(result, caveat=AGGREGATE)


def _dec(value: Number | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def compare(
    dataset: Dataset,
    selectors: Sequence[str] = (),
    status: Sequence[str] = (),
    region: str | None = None,
    period: str | None = None,
) -> list[Comparison]:
    """Every target against every matching indicator record, in target-file order."""
    by_id = dataset.by_id()
    sections = {s.key for s in dataset.sections}
    out: list[Comparison] = []
    for target in dataset.targets:
        records = by_id.get(target.indicator_id, [])
        other = target.relative_to or target.per  # the indicator a record is set against
        if target.region_code is not None:
            records = [r for r in records if r.region_code == target.region_code]
        if target.valid_from is not None and records:
            # a rule covers only its own years: no row for a record before them
            records = [r for r in records if r.period[:4] >= target.valid_from]
            if not records:
                continue
        if selectors and not any(
            sel == target.indicator_id
            or (sel in sections and target.indicator_id.startswith(sel + "."))
            for sel in selectors
        ):
            continue
        if not records:
            out.append(evaluate(target, None))
            continue
        for ind in records:
            peers = by_id.get(other, []) if other is not None else []
            place = (ind.region_code, ind.period)
            ref = next((r for r in peers if (r.region_code, r.period) == place), None)
            result = evaluate(target, ind, ref)
            if target.kind != "reference" and other is None:
                result = replace(result, progress=_progress(target, ind, records))
            out.append(result)
    if status:
        out = [c for c in out if c.status in status]
    if region is not None:
        out = [c for c in out if c.indicator is None or c.indicator.region_code == region]
    if period is not None:
        out = [c for c in out if c.indicator is None or c.indicator.period == period]
    return out


def _progress(target: Target, ind: Indicator, records: list[Indicator]) -> Progress | None:
    """Open SDG progress for the series of `ind` (same id and region), on its latest record."""
    series = [r for r in records if r.region_code == ind.region_code and r.value is not None]
    years = [r for r in series if r.period.isdigit() and comparable(r.unit, target.unit)]
    if len(years) < 2 or ind.period != max(r.period for r in years):
        return None
    points = [
        (int(r.period), convert(r.value, r.unit, target.unit)) for r in years if r.value is not None
    ]
    year = int(target.target_year) if target.target_year and target.target_year.isdigit() else None
    result = measure(points, Decimal(target.value), target.comparator, year)
    bounds = sorted({f"{r.period} {r.qualifier}" for r in years if r.qualifier is not None})
    if bounds:  # computed from a bound or an approximation: say so beside the status
        why = NOT_EXACT + ", ".join(bounds)
        result = replace(result, note="; ".join(n for n in (result.note, why) if n))
    return result
