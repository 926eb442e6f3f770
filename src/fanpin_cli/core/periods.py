"""Periods as the calendar knows them: a year, a quarter, a month; the one before, a year ago.

A period is `YYYY`, `YYYY-Qn`, `YYYY-MM` or a span `YYYY-YYYY` (schema.PERIOD). The same
period a year earlier (同比, `year_ago`) and the previous period of the same kind (环比,
`previous`) are defined for the first three; a span has neither.
"""

from __future__ import annotations

from collections.abc import Iterable

YOY, POP = "yoy", "pop"  # the two ways diff and rank compare a period with another


def kind(period: str) -> str:
    """`year`, `quarter`, `month` or `span`."""
    if len(period) == 4:
        return "year"
    if period[5] == "Q":
        return "quarter"
    return "month" if len(period) == 7 else "span"


def year_ago(period: str) -> str | None:
    """The same period a year earlier (2024-03 -> 2023-03, 2024-Q1 -> 2023-Q1), or None."""
    k = kind(period)
    if k == "span" or period[:4] == "0001":
        return None
    return f"{int(period[:4]) - 1:04d}{period[4:]}"


def previous(period: str) -> str | None:
    """The period before, of the same kind (2024-01 -> 2023-12, 2024-Q1 -> 2023-Q4), or None."""
    k = kind(period)
    year = int(period[:4])
    if k == "span" or (year == 1 and period[5:] in ("", "Q1", "01")):
        return None
    if k == "year":
        return f"{year - 1:04d}"
    if k == "quarter":
        q = int(period[6])
        return f"{year:04d}-Q{q - 1}" if q > 1 else f"{year - 1:04d}-Q4"
    month = int(period[5:])
    return f"{year:04d}-{month - 1:02d}" if month > 1 else f"{year - 1:04d}-12"


def offset_option(yoy: bool, pop: bool, other: bool = False) -> str | None:
    """YOY, POP or None from the --yoy and --pop flags; UsageError for both, or for either
    with another way of choosing what to compare with (`other`: --from, --against)."""
    if (yoy and pop) or ((yoy or pop) and other):
        from fanpin_cli.core.errors import UsageError

        choices = "--yoy, --pop, --from/--against" if other else "--yoy, --pop"
        raise UsageError.said(("usage.one_format", choices))
    return YOY if yoy else POP if pop else None


def counterpart(period: str, how: str) -> str | None:
    """The period `period` is compared with: a year ago (YOY) or the one before (POP)."""
    return year_ago(period) if how == YOY else previous(period)


def year_so_far(period: str) -> list[str]:
    """The periods of `period`'s kind from the start of its year up to it (2024-03 ->
    2024-01, 2024-02, 2024-03); a year or a span is itself."""
    k = kind(period)
    year = period[:4]
    if k == "quarter":
        return [f"{year}-Q{q}" for q in range(1, int(period[6]) + 1)]
    if k == "month":
        return [f"{year}-{m:02d}" for m in range(1, int(period[5:]) + 1)]
    return [period]


def order(period: str) -> tuple[str, int]:
    """A sort key: by where the period ends, a shorter period first among those that end
    together (2024-12 before 2024-Q4 before 2024)."""
    k = kind(period)
    if k == "year":
        return (f"{period}-12", 2)
    if k == "quarter":
        return (f"{period[:4]}-{int(period[6]) * 3:02d}", 1)
    if k == "span":
        return (f"{period[5:]}-12", 3)
    return (period, 0)


def latest(periods: Iterable[str]) -> str | None:
    """The period that ends last (the shortest among those that end together)."""
    return min(periods, key=lambda p: (_negate(order(p)[0]), order(p)[1]), default=None)


def _negate(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def previous_word(period: str, how: str) -> str:
    """What the counterpart of `period` is called: `last year`, `last month`, `last quarter`
    (labels turn it into 上年同期, 上月, 上季度)."""
    if how == YOY:
        return "the same period last year" if kind(period) != "year" else "last year"
    return {"month": "last month", "quarter": "last quarter"}.get(kind(period), "last year")
