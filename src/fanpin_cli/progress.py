"""The Open SDG progress measure (after Statistics Canada): observed vs required growth rate.

Method for an indicator with a numeric target (Open SDG, sdg-build `ProgressMeasure`,
"methodology 2"): with base year b, current year c and target year T,

    observed CAGR  = (current / base) ** (1 / (c - b)) - 1
    required CAGR  = (target / base)  ** (1 / (T - b)) - 1
    ratio          = sign(base) * direction * observed / |required|

direction is +1 when the target is a minimum (>=, >) and -1 when it is a maximum (<=, <).
A current value already at or past the target is "target achieved"; otherwise the ratio
gives: >= 0.95 substantial progress, >= 0.6 moderate progress, >= 0 limited progress,
< 0 deterioration. Not available: fewer than two years, an == target, no target year, a
target year not after the base year, base and current of opposite signs, or no required
growth. As in Open SDG, a base or target of zero is replaced by 0.001 (and noted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

HIGH, MEDIUM, LOW = 0.95, 0.6, 0.0
STATUS_ZH = {
    "target achieved": "已达目标",
    "substantial progress": "进展显著",
    "moderate progress": "进展一般",
    "limited progress": "进展有限",
    "deterioration": "退步",
    "not available": "无法计算",
}
ZERO_SUBSTITUTE = 0.001


@dataclass(frozen=True)
class Progress:
    """The progress status of one series and the components it was computed from."""

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


def _cagr(end: float, start: float, years: int) -> float:
    return float((end / start) ** (1 / years) - 1)


def classify(ratio: float) -> str:
    """The status for a growth ratio (thresholds 0.95, 0.6 and 0)."""
    if ratio >= HIGH:
        return "substantial progress"
    if ratio >= MEDIUM:
        return "moderate progress"
    if ratio >= LOW:
        return "limited progress"
    return "deterioration"


def measure(
    series: Sequence[tuple[int, Decimal]],
    target: Decimal,
    comparator: str,
    target_year: int | None,
) -> Progress:
    """Progress of `series` (year, value) towards `target` by `target_year`."""
    if comparator not in (">=", ">", "<=", "<"):
        return Progress("not available", note=f"no direction for a {comparator} target")
    direction = 1 if comparator in (">=", ">") else -1
    points = sorted(series)
    if len(points) < 2 or points[-1][0] - points[0][0] < 1:
        return Progress("not available", direction=direction, note="needs two or more years")
    (b, base_d), (c, current_d) = points[0], points[-1]
    base, current, goal = float(base_d), float(current_d), float(target)
    parts = Progress("not available", b, base, c, current, goal, target_year, direction)
    achieved = current >= goal if direction == 1 else current <= goal
    if achieved:
        return replace(parts, status="target achieved")
    notes = []
    if base == 0:
        base = ZERO_SUBSTITUTE
        notes.append("base value 0 replaced by 0.001 (as Open SDG does)")
    if goal == 0:
        goal = ZERO_SUBSTITUTE
        notes.append("target 0 replaced by 0.001 (as Open SDG does)")
    if target_year is None or target_year <= b:
        why = "no target year" if target_year is None else "target year is not after the base year"
        return replace(parts, note=why)
    if (base > 0) != (current > 0) or current == 0 or (base > 0) != (goal > 0):
        return replace(parts, note="base, current and target must share a sign")
    observed = _cagr(current, base, c - b)
    required = _cagr(goal, base, target_year - b)
    if required == 0:
        return replace(parts, observed_rate=observed, note="no growth is required")
    sign = -1 if base < 0 else 1
    ratio = sign * direction * observed / abs(required)
    return replace(
        parts,
        status=classify(ratio),
        observed_rate=observed,
        required_rate=required,
        ratio=ratio,
        note="; ".join(notes),
    )
