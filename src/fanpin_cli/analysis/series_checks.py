"""Rules over a region's figures through time: months that do not add up to their year
(`flows`), and a figure that jumps against its own previous period (`jump`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from fanpin_cli.analysis.found import Found
from fanpin_cli.core.columns import Columns
from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.model import Dataset, Finding
from fanpin_cli.core.periods import kind, previous
from fanpin_cli.core.schema import basis_field
from fanpin_cli.core.units import comparable, convert, is_rate

PARTS_OF_YEAR = {"month": 12, "quarter": 4}


def _series(columnar: Columns, rows: list[int]) -> dict[tuple[str, str], dict[str, int]]:
    """Rows by (id, region), then by period (the last of a key in the dataset's order)."""
    ids, regions, periods = columnar["id"], columnar["region_code"], columnar["period"]
    out: dict[tuple[str, str], dict[str, int]] = {}
    for n in columnar.in_order(rows):
        out.setdefault((ids[n], regions[n]), {})[periods[n]] = n
    return out


def check_flows(dataset: Dataset, index: Any, count: Callable[[], None]) -> Iterator[Finding]:
    """A flow's (basis `annual`) twelve months, or four quarters, add up to its year's figure.

    A year with some of its months missing is not judged (the sum proves nothing yet).
    """
    t: Columns = index.columnar
    if all(len(p) == 4 for p in t.distinct("period")):
        return iter(())  # no month or quarter: nothing to add up (the usual city report)
    basis, values, units = t[basis_field()], t["value"], t["unit"]
    rows = [n for n, b in enumerate(basis) if b == "annual"]
    found = Found(t)
    for by_period in _series(t, rows).values():
        for year, n in by_period.items():
            if kind(year) != "year" or values[n] is None:
                continue
            for part_kind, size in PARTS_OF_YEAR.items():
                parts = [m for p, m in by_period.items() if p[:4] == year and kind(p) == part_kind]
                if len(parts) != size or any(values[m] is None for m in parts):
                    continue
                if not all(comparable(units[m], units[n]) for m in parts):
                    continue
                count()
                total = sum((convert(values[m], units[m], units[n]) for m in parts), Decimal(0))
                if total != Decimal(values[n]):
                    word = "months" if part_kind == "month" else "quarters"
                    found.add(
                        n,
                        f"flows.{word}",
                        *(t["id"][n], t["region_code"][n], year),
                        *(format_number(total.normalize()), units[n], format_number(values[n])),
                        expected=format_number(total.normalize()),
                        actual=format_number(values[n]),
                    )
    return iter(found.in_order())


# How far a figure may move against its previous period before `jump` warns: a factor for
# counts and amounts (up or down), percentage points for rates. A dataset may set its own in
# dataset.toml (`jump_factor`, `jump_points`).
JUMP_FACTOR = Decimal(3)
JUMP_POINTS = Decimal(20)


def jump_limits(dataset: Dataset) -> tuple[Decimal, Decimal, list[Finding]]:
    """The factor and the points `jump` allows (the last dataset's that sets them, else the
    defaults), and an error for each setting that is not a positive number."""
    from decimal import InvalidOperation

    from fanpin_cli.core.labels import message

    limits = {"jump_factor": JUMP_FACTOR, "jump_points": JUMP_POINTS}
    bad: list[Finding] = []
    for meta in dataset.metas:
        for key in limits:
            text = meta.extra.get(key)
            if text is None:
                continue
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = Decimal(0)
            if not number.is_finite() or number <= 0 or (key == "jump_factor" and number <= 1):
                args = (key, text)
                where = f"{meta.path}/dataset.toml"
                bad.append(Finding("jump", "error", message("jump.setting", args, "en"),
                                   file=where, code="jump.setting", args=args))  # fmt: skip
            else:
                limits[key] = number
    return limits["jump_factor"], limits["jump_points"], bad


def check_jump(dataset: Dataset, index: Any, count: Callable[[], None]) -> Iterator[Finding]:
    """A region's figure against its own previous period of the same kind (2024-05 against
    2024-04, 2024 against 2023): a warning (an error under --strict) when a count or amount
    is more than `factor` times, or less than 1/`factor` of, the one before, or a rate moves
    by more than `points` percentage points. A previous figure of 0 is not judged."""
    t: Columns = index.columnar
    factor, points, bad = jump_limits(dataset)
    if bad:
        return iter(bad)
    values, units = t["value"], t["unit"]
    found = Found(t)
    rows = [n for n, v in enumerate(values) if v is not None]
    for by_period in _series(t, rows).values():
        if len(by_period) < 2:
            continue
        for period, n in by_period.items():
            before = previous(period) if kind(period) != "span" else None
            m = by_period.get(before) if before is not None else None
            if m is None or not comparable(units[m], units[n]):
                continue
            count()
            now, then = Decimal(values[n]), convert(values[m], units[m], units[n])
            if is_rate(units[n]):
                moved = abs(now - then) > points
                limit = f"±{format_number(points)} pp"
            else:
                moved = then > 0 and now >= 0 and (now > then * factor or now * factor < then)
                limit = f"×{format_number(factor)} / ÷{format_number(factor)}"
            if moved:
                found.add(
                    n,
                    "jump.moved",
                    *(t["id"][n], t["region_code"][n], before or "", format_number(values[m])),
                    *(units[m], period, format_number(values[n]), units[n], limit),
                    expected=limit,
                    actual=f"{format_number(values[m])} -> {format_number(values[n])}",
                    warning="yes",
                )
    return iter(found.in_order())
