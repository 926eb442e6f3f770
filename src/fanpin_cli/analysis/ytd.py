"""累计: each figure from the start of its year up to a month or quarter, by its basis.

An indicator's `basis` (schema.BASES) says how its figures over periods combine:
- `annual`: a flow; a month's (or quarter's) figure is what happened in it, so the year to
  date is the sum of the months up to the one asked (all of them, or none: a missing month
  leaves it unknown, never a partial sum);
- `cumulative` or `point-in-time`: a stock; the latest figure of the year so far stands,
  never a sum;
- a rate that declares `ratio = {numerator, denominator}` is rebuilt from its numerator's and
  denominator's year to date; without them a cumulative or point-in-time rate stands as the
  latest figure, and a flow's rate is not computable.
A figure without a basis is not combined (there is no telling whether it adds up).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.core.periods import kind, latest, year_so_far
from fanpin_cli.core.units import comparable, convert

SUM, LATEST, RATIO = "sum", "latest", "ratio"


@dataclass(frozen=True)
class YearToDate:
    """One indicator in one region, from the start of the year up to `period`."""

    record: Indicator  # the latest record of the year so far (names, unit, ratio)
    period: str
    value: Decimal | int | None
    method: str  # SUM, LATEST or RATIO; "" when not computable
    periods: tuple[str, ...]  # the periods the value was worked out from
    reason: tuple[str, ...] = ()  # why there is no value: a labels.MESSAGES code and args


def ytd_period(dataset: Dataset, period: str | None) -> str:
    """The period a year to date runs to: `period`, or the latest month or quarter in the data
    (a dataset of whole years: its latest year, whose figures are their own year to date);
    UsageError for a span of years."""
    known = {i.period for i in dataset.indicators}
    if period is None:
        chosen = latest(p for p in known if kind(p) in ("month", "quarter"))
        chosen = chosen or latest(p for p in known if kind(p) == "year")
        if chosen is None:
            raise UsageError.said(("usage.ytd_none",))
        return chosen
    if kind(period) == "span":
        raise UsageError.said(("usage.ytd_period", period))
    return period


def year_to_date(dataset: Dataset, period: str) -> list[YearToDate]:
    """Every series (id and region) with a record of `period`'s kind in its year up to it."""
    wanted = set(year_so_far(period))
    series: dict[tuple[str, str], dict[str, Indicator]] = {}
    for i in dataset.indicators:
        if i.period in wanted:
            series.setdefault((i.id, i.region_code), {})[i.period] = i
    plain = {key: _combine(by_period, period) for key, by_period in series.items()}
    out = []
    for key, result in plain.items():
        record = result.record
        if record.ratio is not None:
            result = _rebuilt(result, plain, key[1], period) or result
        out.append(result)
    return out


def _combine(by_period: dict[str, Indicator], period: str) -> YearToDate:
    """A series' year to date by its basis (a rate's rebuilding comes after)."""
    order = year_so_far(period)
    present = [p for p in order if p in by_period]
    last = by_period[present[-1]]
    if last.basis in ("cumulative", "point-in-time"):
        return YearToDate(last, period, last.value, LATEST, (last.period,))
    if last.basis != "annual":
        return YearToDate(last, period, None, "", (), ("ytd.no_basis", last.id))
    missing = [p for p in order if p not in by_period or by_period[p].value is None]
    if missing:
        return YearToDate(
            last, period, None, "", tuple(present), ("ytd.missing", ", ".join(missing))
        )
    total = Decimal(0)
    for p in order:
        r = by_period[p]
        if r.value is None or not comparable(r.unit, last.unit):
            return YearToDate(
                last, period, None, "", (), ("units.inconvertible", r.unit, last.unit)
            )
        total += convert(r.value, r.unit, last.unit) if r.unit != last.unit else Decimal(r.value)
    value: Decimal | int = (
        int(total) if all(type(by_period[p].value) is int for p in order) else total
    )
    return YearToDate(last, period, value, SUM, tuple(order))


def _rebuilt(
    result: YearToDate, plain: dict[tuple[str, str], YearToDate], region: str, period: str
) -> YearToDate | None:
    """A rate from its parts' year to date; None to keep `result` (a stock rate's latest figure)
    when the parts are not there."""
    record = result.record
    assert record.ratio is not None
    num, den = (plain.get((part, region)) for part in record.ratio)
    if num is None or den is None or num.value is None or den.value is None:
        if result.method == LATEST:
            return None
        missing = [
            p for p, r in zip(record.ratio, (num, den), strict=True) if r is None or r.value is None
        ]
        return YearToDate(record, period, None, "", (), ("ytd.no_parts", ", ".join(missing)))
    value = rate(num.value, num.record.unit, den.value, den.record.unit, record.value)
    if value is None:
        return YearToDate(record, period, None, "", (), ("ratios.zero", record.id, record.ratio[1]))
    periods = tuple(sorted({*num.periods, *den.periods}))
    return YearToDate(record, period, value, RATIO, periods)


def rate(
    num: Decimal | int, num_unit: str, den: Decimal | int, den_unit: str, like: Decimal | int | None
) -> Decimal | None:
    """numerator / denominator x 100, to the decimal places of the reported rate `like` (one
    when it has none); None for a zero denominator or units that do not convert."""
    if not comparable(num_unit, den_unit):
        return None
    denominator = Decimal(den)
    if denominator == 0:
        return None
    exact = convert(num, num_unit, den_unit) / denominator * 100
    return round_like(exact, like)


def round_like(exact: Decimal, reported: Decimal | int | None) -> Decimal:
    """`exact` rounded half up to the decimal places of `reported` (one when it has none)."""
    places = 1
    if isinstance(reported, Decimal):
        places = max(-int(reported.as_tuple().exponent), 0)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_records(results: list[YearToDate], note: dict[int, str]) -> tuple[Indicator, ...]:
    """The year-to-date figures as records of the asked period, each with `note[index]`."""
    return tuple(
        r.record._replace(value=r.value, period=r.period, note=note.get(n), source=None)
        for n, r in enumerate(results)
    )
