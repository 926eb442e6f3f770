"""The Open SDG progress measure, as pinned to one revision, with each departure labelled.

Reference: open-sdg/sdg-build pull request #318, `sdg/ProgressMeasure.py` at commit
6d3d128af8826a62c4ed26626663c961f0a94b3c (2023-06-08). The progress code is on no release
or default branch of sdg-build; that commit is the revision fanpin matches, case by case, in
tests/analysis/test_progress_reference.py (the reference's answers for 2,065 series; where
they agree, ratios equal to the bit).

Base year b: 2015 if the series has it, else its first year after 2015 (earlier years are
ignored); current year c: the latest year.

Method 2, with a target value and target year T (direction +1 for a minimum, -1 for a
maximum, sign -1 when the base value is negative):

    observed = (current / base) ** (1 / (c - b)) - 1
    required = (target / base)  ** (1 / (T - b)) - 1
    ratio    = sign * direction * observed / |required|

Target achieved when the latest value meets the target as compare judges it
(references.holds); otherwise ratio >= 0.95 substantial progress (reference: on_track),
>= 0.6 moderate progress (progress_needs_acceleration), >= 0 limited progress
(limited_progress), < 0 deterioration;
an infinite ratio (a required rate that rounds to 0) by its sign. A target of 0 is replaced
by 0.001 for the required rate, as the reference does. Values of opposite signs have a
growth rate over one year only (a power of 1), as in the reference.

Method 1, without a target, for an indicator whose desired direction is declared
(`direction = "up"` or `"down"`): value = sign * direction * observed, with thresholds
0.015, 0.005 and 0 for the same statuses; from a base value of 0, any move the desired way
is substantial progress and any other deterioration (the reference's infinite growth).

Where fanpin's status differs from the reference's, the result names the departure
(`Progress.departure`, one of labels.DEPARTURES) and it is shown beside the status; where
they agree it names none. reference_status states the reference's rules so that fanpin can
tell; the golden cases check that statement against the reference's own answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from fanpin_cli.core.model import COMPARATORS, DIRECTIONS, Indicator
from fanpin_cli.core.units import comparable, convert
from fanpin_cli.reading.references import holds

REFERENCE = (
    "open-sdg/sdg-build pull request #318, sdg/ProgressMeasure.py at commit "
    "6d3d128af8826a62c4ed26626663c961f0a94b3c (2023-06-08)"
)
BASE_YEAR = 2015
TARGET_THRESHOLDS = (0.95, 0.6, 0.0)  # method 2: growth ratio
GROWTH_THRESHOLDS = (0.015, 0.005, 0.0)  # method 1: yearly growth in the desired direction
ZERO_TARGET_SUBSTITUTE = 0.001
REFERENCE_TARGET_YEAR = 2030  # the reference's target year when none is configured

ACHIEVED = "target achieved"
NOT_AVAILABLE = "not available"
STATUSES = (
    ACHIEVED,
    "substantial progress",
    "moderate progress",
    "limited progress",
    "deterioration",
    NOT_AVAILABLE,
)
# The reference's status names (its revision at the pinned commit) and fanpin's for each:
# the earlier revisions' names where they have one (substantial_progress, moderate_progress
# at a7410d2); "limited progress" is the pinned revision's (the earlier ones said
# negligible_progress). The reference gives no status (None) where fanpin says "not available".
REFERENCE_STATUS = {
    "target_achieved": ACHIEVED,
    "on_track": "substantial progress",
    "progress_needs_acceleration": "moderate progress",
    "limited_progress": "limited progress",
    "deterioration": "deterioration",
}
Point = tuple[int, float]  # (year, value)


@dataclass(frozen=True)
class Progress:
    """The progress status of one series and the components it was computed from.

    `ratio` is the progress value the status is read from: the growth ratio (method 2) or
    the yearly growth in the desired direction (method 1). `departure` names the case, one
    of labels.DEPARTURES, where fanpin's answer differs from the reference's ("" when it agrees).
    """

    status: str
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target: float | None = None
    target_year: int | None = None
    direction: int | None = None
    observed_rate: float | None = None
    required_rate: float | None = None
    ratio: float | None = None
    note: str = ""
    method: int | None = None
    departure: str = ""


def classify(value: float, thresholds: tuple[float, float, float] = TARGET_THRESHOLDS) -> str:
    """The status for a progress value (growth ratio thresholds 0.95, 0.6 and 0 by default)."""
    for status, least in zip(STATUSES[1:4], thresholds, strict=True):
        if value >= least:
            return status
    return "deterioration"


def _float(value: int | Decimal) -> float | None:
    """`value` as a finite float, or None (non-finite, or beyond the float range)."""
    number = Decimal(value)
    if not number.is_finite():
        return None
    result = float(number)
    return result if math.isfinite(result) else None


def _cagr(end: float, start: float, years: int) -> float | None:
    """Compound annual growth from `start` (not 0) to `end` over `years`, None if not real.

    Values of opposite signs have a real growth over one year only (a power of 1), as in
    the reference; None also when the growth is beyond the floating-point range.
    """
    quotient = end / start
    if quotient < 0 and years != 1:
        return None
    rate = float(quotient ** (1 / years)) - 1
    return rate if math.isfinite(rate) else None


def _at_or_past(value: float, goal: float, direction: int) -> bool:
    return value >= goal if direction == 1 else value <= goal


def _opposite(a: float, b: float) -> bool:
    return (a > 0 and b < 0) or (a < 0 and b > 0)


def _sign(value: float) -> int:
    return -1 if value < 0 else 1


def measure(
    series: Sequence[tuple[int, int | Decimal]],
    target: int | Decimal | None,
    comparator: str | None,
    target_year: int | None,
    desired: str | None = None,
) -> Progress:
    """Progress of `series` (year, value) towards `target` by `target_year`.

    Without a target, the growth method runs when `desired` ("up" or "down", the
    indicator's declared direction) is given; with a target, its comparator gives the
    direction. The target is achieved exactly when `compare` says the value meets it.
    Never raises: every input it cannot measure gives status "not available" with a note
    saying why. A departure is named only where the reference's status differs.
    """
    values = [(year, _float(value)) for year, value in series]
    goal = None if target is None else _float(target)
    if any(v is None for _, v in values) or (target is not None and goal is None):
        return Progress(NOT_AVAILABLE, note="a value is beyond the floating-point range")
    points = sorted((year, v) for year, v in values if v is not None)
    years = [year for year, _ in points]
    if len(set(years)) != len(years):
        return Progress(NOT_AVAILABLE, note="two values for one year")
    measured = [(year, v) for year, v in points if year >= BASE_YEAR]
    if len(measured) < 2:
        return Progress(NOT_AVAILABLE, note=f"needs two or more years from {BASE_YEAR} on")
    first, last = measured[0], measured[-1]
    parts = Progress(NOT_AVAILABLE, first[0], first[1], last[0], last[1], goal, target_year)
    if goal is None:
        result = _growth(replace(parts, method=1), first, last, desired)
    else:
        assert target is not None
        current = next(Decimal(v) for year, v in series if year == last[0])
        met = comparator in COMPARATORS and holds(current, str(comparator), Decimal(target))
        result = _against_target(replace(parts, method=2), first, last, goal, comparator, met)
    if result.departure:
        reference = reference_status(first, last, goal, comparator, target_year, desired)
        if reference == result.status:
            result = replace(result, departure="")
    return result


def _growth(parts: Progress, first: Point, last: Point, desired: str | None) -> Progress:
    """Method 1: the yearly growth in the declared direction, against 0.015, 0.005 and 0."""
    (b, base), (c, current) = first, last
    if desired not in DIRECTIONS:
        return replace(parts, departure="no_direction", note="no target and no declared direction")
    direction = 1 if desired == "up" else -1
    parts = replace(parts, direction=direction)
    if base == 0:
        if current == 0:
            return replace(parts, note="base value 0: no growth rate")
        # The growth from 0 is unbounded, the way the value moved: as the reference's
        # infinite growth when the value went up (a departure where it went down).
        status = "substantial progress" if direction * current > 0 else "deterioration"
        return replace(
            parts,
            status=status,
            departure="base_zero_growth",
            note="base value 0: growth unbounded",
        )
    if _opposite(base, current) and c - b != 1:
        return replace(parts, note="base and current values of opposite signs")
    observed = _cagr(current, base, c - b)
    if observed is None:
        return replace(parts, note="growth beyond the floating-point range")
    value = _sign(base) * direction * observed
    departure = "negative_base_growth" if base < 0 else ""
    status = classify(value, GROWTH_THRESHOLDS)
    return replace(parts, status=status, observed_rate=observed, ratio=value, departure=departure)


def _against_target(
    parts: Progress,
    first: Point,
    last: Point,
    goal: float,
    comparator: str | None,
    met: bool,
) -> Progress:
    """Method 2: observed growth over the growth required to reach `goal` by the target year.

    `met`: whether the latest value meets the target as `compare` judges it.
    """
    (b, base), (c, current) = first, last
    if comparator in (">=", ">"):
        direction = 1
    elif comparator in ("<=", "<"):
        direction = -1
    elif comparator == "==":
        # The reference takes every target without a configured direction as a maximum;
        # fanpin approaches an == target from where the series starts: down from above it
        # (as the reference), up from below (a departure).
        direction = 1 if base < goal else -1
    else:
        note = f"no direction for a {comparator} target"
        return replace(parts, departure="no_direction", note=note)
    departure = ""
    # The reference: met at or past the target, 0 read as 0.001, == as a maximum.
    reference_goal = ZERO_TARGET_SUBSTITUTE if goal == 0 else goal
    if _at_or_past(current, reference_goal, -1 if comparator == "==" else direction) != met:
        if goal == 0 and _at_or_past(current, ZERO_TARGET_SUBSTITUTE, direction) != met:
            departure = "target_zero_achievement"
        elif comparator == "==" and direction == 1:
            departure = "equals_target_from_below"  # below it: met, for the reference
        elif not met:
            departure = "reached_not_met"  # at a strict target, or past an == one from above
    parts = replace(parts, direction=direction, departure=departure)
    if met:
        return replace(parts, status=ACHIEVED)
    year = parts.target_year
    if year is None:
        return replace(parts, departure=departure or "no_target_year", note="no target year")
    if year <= b:
        return replace(
            parts,
            departure=departure or "target_year_not_after_base",
            note="target year is not after the base year",
        )
    if base == 0:
        return replace(parts, note="base value 0: no growth rate")
    required_goal, note = goal, ""
    if goal == 0:
        required_goal = ZERO_TARGET_SUBSTITUTE
        note = "target 0 replaced by 0.001 for the required rate"
    if _opposite(base, current) and c - b != 1:
        return replace(parts, note="base and current values of opposite signs")
    if _opposite(base, required_goal) and year - b != 1:
        return replace(parts, note="base and target values of opposite signs")
    observed = _cagr(current, base, c - b)
    if observed is None:
        return replace(parts, note="observed growth beyond the floating-point range")
    parts = replace(parts, observed_rate=observed)
    towards = _sign(base) * direction * observed  # the observed growth towards the target
    if _at_or_past(base, goal, direction):
        if base == goal:
            # The required growth is 0: the reference divides by it (+-infinity); the value
            # has moved off the target it was at.
            if towards == 0:
                return replace(parts, note="no change from a base value equal to the target")
            return replace(
                parts,
                status="deterioration",
                departure=departure or "target_equals_base",
                note="target met at the base year and lost since",
            )
        parts = replace(parts, departure=departure or "met_at_base_then_lost")
    elif goal == 0 and _at_or_past(base, ZERO_TARGET_SUBSTITUTE, direction):
        # 0.001 lies past the base value: the reference's required growth runs away from 0
        parts = replace(parts, departure=departure or "target_zero_past_base")
    required = _cagr(required_goal, base, year - b)
    if required is None:
        return replace(parts, note="required growth beyond the floating-point range")
    ratio = towards / abs(required) if required else math.inf
    if not math.isfinite(ratio):
        # A required growth that rounds to 0 (or a ratio past the float range): an infinite
        # ratio, read by the sign of the growth towards the target.
        why = (
            "required growth rounds to 0"
            if required == 0
            else "ratio beyond the floating-point range"
        )
        if towards == 0:
            return replace(parts, required_rate=required, note=why)
        status = "substantial progress" if towards > 0 else "deterioration"
        return replace(
            parts,
            status=status,
            required_rate=required,
            departure=parts.departure or ("required_growth_zero" if required == 0 else ""),
            note="; ".join(n for n in (note, why) if n),
        )
    return replace(
        parts,
        status=classify(ratio),
        required_rate=required,
        ratio=ratio,
        note=note,
    )


def reference_status(
    first: Point,
    last: Point,
    goal: float | None,
    comparator: str | None,
    target_year: int | None,
    desired: str | None,
) -> str:
    """The status the reference gives for a base and a current point, in fanpin's names.

    Its rules as fanpin reads them (tests/analysis/test_progress_reference.py checks this against
    the reference's own answers): no direction is a maximum (down); a target of 0 is 0.001,
    also in judging achievement; no target year is 2030; growth rates and their ratio in
    IEEE arithmetic (x/0 infinite, the root of a negative value NaN, NaN no status). A
    target year equal to the base year is a ZeroDivisionError there: no status.
    """
    (b, base), (c, current) = first, last
    if goal is None:
        direction = 1 if desired == "up" else -1
        return _reference_classify(direction * _ieee_cagr(current, base, c - b), GROWTH_THRESHOLDS)
    if goal == 0:
        goal = ZERO_TARGET_SUBSTITUTE
    direction = 1 if comparator in (">=", ">") else -1
    if _at_or_past(current, goal, direction):
        return ACHIEVED
    year = REFERENCE_TARGET_YEAR if target_year is None else target_year
    if year == b:
        return NOT_AVAILABLE
    observed = _ieee_cagr(current, base, c - b)
    required = _ieee_cagr(goal, base, year - b)
    return _reference_classify(_ieee_divide(observed, required), TARGET_THRESHOLDS)


def _reference_classify(value: float, thresholds: tuple[float, float, float]) -> str:
    return NOT_AVAILABLE if math.isnan(value) else classify(value, thresholds)


def _ieee_divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _ieee_cagr(end: float, start: float, years: int) -> float:
    quotient, exponent = _ieee_divide(end, start), 1 / years
    if math.isnan(quotient) or (math.isfinite(quotient) and quotient < 0 and years != 1):
        return math.nan
    if quotient == 0 and exponent < 0:
        return math.copysign(math.inf, quotient) if years == -1 else math.inf
    try:
        return float(quotient**exponent) - 1
    except OverflowError:  # numpy's power gives infinity
        return math.inf


def growth_by_region(records: Sequence[Indicator]) -> list[tuple[str, Progress]]:
    """Method 1 for each region's yearly series of one indicator without a target.

    The direction is the one the records declare (`direction = "up"` or `"down"`); without
    one every result is "not available" (departure no_direction). Values are taken in the
    unit of each region's latest record.
    """
    desired = next((r.direction for r in records if r.direction is not None), None)
    by_region: dict[str, list[Indicator]] = {}
    for r in records:
        if r.value is not None and r.period.isdigit():
            by_region.setdefault(r.region_code, []).append(r)
    out = []
    for code, series in sorted(by_region.items()):
        unit = max(series, key=lambda r: r.period).unit
        points = [
            (int(r.period), convert(r.value, r.unit, unit))
            for r in series
            if r.value is not None and comparable(r.unit, unit)
        ]
        out.append((code, measure(points, None, None, None, desired)))
    return out
