"""The Open SDG progress measure, as pinned to one revision, with each departure labelled.

Reference: open-sdg/sdg-build pull request #318, `sdg/ProgressMeasure.py` at commit
6d3d128af8826a62c4ed26626663c961f0a94b3c (2023-06-08). The progress code is on no release
or default branch of sdg-build; that commit is the revision fanpin matches, case by case, in
tests/test_progress_reference.py (75 cases run through both, ratios equal to the bit).

Base year b: 2015 if the series has it, else its first year after 2015 (earlier years are
ignored); current year c: the latest year.

Method 2, with a target value and target year T (direction +1 for a minimum, -1 for a
maximum, sign -1 when the base value is negative):

    observed = (current / base) ** (1 / (c - b)) - 1
    required = (target / base)  ** (1 / (T - b)) - 1
    ratio    = sign * direction * observed / |required|

Target achieved when the latest value is at or past the target; otherwise ratio >= 0.95
substantial progress (reference: on_track), >= 0.6 moderate progress
(progress_needs_acceleration), >= 0 limited progress (limited_progress), < 0 deterioration.
A target of 0 is replaced by 0.001 for the growth rates, as the reference does.

Method 1, without a target, for an indicator whose desired direction is declared
(`direction = "up"` or `"down"`): value = sign * direction * observed, with thresholds
0.015, 0.005 and 0 for the same statuses.

Where fanpin's answer differs from the reference's, the result names the departure
(`Progress.departure`, one of labels.DEPARTURES) and it is shown beside the status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from fanpin_cli.model import DIRECTIONS, Indicator
from fanpin_cli.units import comparable, convert

REFERENCE = (
    "open-sdg/sdg-build pull request #318, sdg/ProgressMeasure.py at commit "
    "6d3d128af8826a62c4ed26626663c961f0a94b3c (2023-06-08)"
)
BASE_YEAR = 2015
TARGET_THRESHOLDS = (0.95, 0.6, 0.0)  # method 2: growth ratio
GROWTH_THRESHOLDS = (0.015, 0.005, 0.0)  # method 1: yearly growth in the desired direction
ZERO_TARGET_SUBSTITUTE = 0.001

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
# The reference's status names (its revision at the pinned commit) and fanpin's for each;
# fanpin keeps the names of the earlier revision it was first written from. The reference
# gives no status (None) where fanpin says "not available".
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
    """Compound annual growth from `start` to `end` over `years` (> 0), None if not finite.

    `end` and `start` share a sign (or `end` is 0), so the power is real.
    """
    rate = (end / start) ** (1 / years) - 1
    return rate if math.isfinite(rate) else None


def _reached(value: float, goal: float, direction: int) -> bool:
    return value >= goal if direction == 1 else value <= goal


def _opposite(a: float, b: float) -> bool:
    return (a > 0 and b < 0) or (a < 0 and b > 0)


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
    direction. Never raises: every input it cannot measure gives status "not available"
    with a note saying why.
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
    (b, base), (c, current) = measured[0], measured[-1]
    parts = Progress(NOT_AVAILABLE, b, base, c, current, goal, target_year)
    if goal is None:
        return _growth(replace(parts, method=1), (b, base), (c, current), desired)
    return _against_target(replace(parts, method=2), (b, base), (c, current), goal, comparator)


def _growth(parts: Progress, first: Point, last: Point, desired: str | None) -> Progress:
    """Method 1: the yearly growth in the declared direction, against 0.015, 0.005 and 0."""
    (b, base), (c, current) = first, last
    if desired not in DIRECTIONS:
        return replace(parts, departure="no_direction", note="no target and no declared direction")
    direction = 1 if desired == "up" else -1
    parts = replace(parts, direction=direction)
    if base == 0:
        return replace(parts, note="base value 0: no growth rate")
    if _opposite(base, current):
        return replace(parts, note="base and current values of opposite signs")
    observed = _cagr(current, base, c - b)
    if observed is None:
        return replace(parts, note="growth beyond the floating-point range")
    value = (-1 if base < 0 else 1) * direction * observed
    status = classify(value, GROWTH_THRESHOLDS)
    return replace(parts, status=status, observed_rate=observed, ratio=value)


def _against_target(
    parts: Progress,
    first: Point,
    last: Point,
    goal: float,
    comparator: str | None,
) -> Progress:
    """Method 2: observed growth over the growth required to reach `goal` by the target year."""
    (b, base), (c, current) = first, last
    departure = ""
    if comparator in (">=", ">"):
        direction = 1
    elif comparator in ("<=", "<"):
        direction = -1
    elif comparator == "==":
        # The reference takes every target without a configured direction as a maximum;
        # fanpin approaches an == target from where the series starts: down from above it
        # (as the reference), up from below (a departure).
        direction = 1 if base < goal else -1
        departure = "equals_target_from_below" if direction == 1 else ""
    else:
        return replace(parts, note=f"no direction for a {comparator} target")
    parts = replace(parts, direction=direction, departure=departure)
    achieved = _reached(current, goal, direction)
    if goal == 0 and _reached(current, ZERO_TARGET_SUBSTITUTE, direction) != achieved:
        parts = replace(parts, departure="target_zero_achievement")
    if achieved:
        return replace(parts, status=ACHIEVED)
    year = parts.target_year
    if year is None:
        return replace(parts, departure="no_target_year", note="no target year")
    if year <= b:
        return replace(
            parts,
            departure="target_year_not_after_base",
            note="target year is not after the base year",
        )
    if base == 0:
        return replace(parts, note="base value 0: no growth rate")
    required_goal, note = goal, ""
    if goal == 0:
        required_goal = ZERO_TARGET_SUBSTITUTE
        note = "target 0 replaced by 0.001 for the required rate"
    if _opposite(base, current) or _opposite(base, required_goal):
        return replace(parts, note="base, current and target must share a sign")
    observed = _cagr(current, base, c - b)
    if observed is None:
        return replace(parts, note="observed growth beyond the floating-point range")
    parts = replace(parts, observed_rate=observed)
    if _reached(base, goal, direction):
        if base == goal:
            # The required growth is 0: the reference divides by it (±infinity, and
            # on_track for a maximum exceeded since); the value has moved off a met target.
            return replace(
                parts,
                status="deterioration",
                departure="target_equals_base",
                note="target met at the base year and lost since",
            )
        parts = replace(parts, departure="met_at_base_then_lost")
    required = _cagr(required_goal, base, year - b)
    if required is None or required == 0:
        return replace(parts, required_rate=required, note="required growth rounds to 0")
    ratio = (-1 if base < 0 else 1) * direction * observed / abs(required)
    if not math.isfinite(ratio):
        return replace(parts, required_rate=required, note="ratio beyond the floating-point range")
    return replace(
        parts,
        status=classify(ratio),
        required_rate=required,
        ratio=ratio,
        note=note,
    )


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
