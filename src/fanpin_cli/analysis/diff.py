"""Change between two periods, or between two datasets: value, previous, change, % change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fanpin_cli.analysis.filters import check_period_format, listing
from fanpin_cli.core.decimals import derived
from fanpin_cli.core.errors import NothingMatched, UsageError
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.core.units import comparable, convert, is_rate


@dataclass(frozen=True)
class Change:
    """One indicator in one region, before and after."""

    current: Indicator
    previous: Indicator | None
    previous_value: Decimal | None  # converted to the current record's unit
    change: Decimal | None
    change_percent: Decimal | None  # relative change; for a rate only when asked for
    note: tuple[str, ...] = ()  # why there is no change: a labels.MESSAGES code and its args
    qualifier: str | None = None  # the change is a bound or approximate (reference figures)
    counterpart: str | None = None  # the period compared with (diff_offset), found or not


def change_unit(unit: str) -> str:
    """The unit a change is in: the value's own, or percentage points for a rate."""
    return "percentage points" if is_rate(unit) else unit


def _change(current: Indicator, previous: Indicator | None, relative_rates: bool = False) -> Change:
    if previous is None:
        return Change(current, None, None, None, None, ("diff.no_previous",))
    if current.value is None or previous.value is None:
        return Change(current, previous, None, None, None, ("diff.not_reported",))
    if not comparable(previous.unit, current.unit):
        why = ("units.inconvertible", previous.unit, current.unit)
        return Change(current, previous, None, None, None, why)
    # values as written: the difference keeps the decimal places of its inputs (95 - 60.0 = 35.0)
    before = convert(previous.value, previous.unit, current.unit)
    delta = Decimal(current.value) - before
    percent = (
        None
        if before == 0 or (is_rate(current.unit) and not relative_rates)
        else derived(delta / before * 100, "percent")
    )
    qualifier = None
    if current.qualifier is not None or previous.qualifier is not None:
        from fanpin_cli.reading.references import change_qualifier

        qualifier = change_qualifier(current.qualifier, previous.qualifier)
    return Change(current, previous, before, delta, percent, (), qualifier)


def periods(dataset: Dataset) -> list[str]:
    """Every period in the dataset, sorted."""
    return sorted({i.period for i in dataset.indicators})


def diff_periods(
    dataset: Dataset,
    old: str | None,
    new: str | None,
    ids: Sequence[str] = (),
    relative_rates: bool = False,
) -> tuple[str | None, str | None, list[Change]]:
    """Records of period `new` against the same id and region in period `old`.

    Without periods, each series (id and region) compares its own latest two periods.
    """
    for option, p in (("--from", old), ("--to", new)):
        check_period_format(p, option)
    if old is not None and new is not None and old >= new:
        raise UsageError.said(("usage.from_to", old, new))
    known = periods(dataset)
    for p in (old, new):
        if p is not None and p not in known:
            raise NothingMatched.said(("match.no_period+match.periods_are", p, ", ".join(known)))
    wanted, series = _series(dataset, ids)
    out = []
    for by_period in series.values():
        # default: the series' latest period, and the one before it (only --from: after it)
        after = new if new is not None else max(by_period)
        before = old if old is not None else max((p for p in by_period if p < after), default=None)
        if after not in by_period or before is None or before not in by_period or before >= after:
            continue
        out.append(_change(by_period[after], by_period[before], relative_rates))
    if not out:
        # the same situation whether the data or only the chosen records span one period
        asked = " ".join(f"{o} {p}" for o, p in (("--from", old), ("--to", new)) if p)
        raise NothingMatched.said(
            ("match.compare_for", ", ".join(ids)) if ids else ("match.compare",),
            ("match.compare_asked", asked) if asked else (),
            ("match.two_periods",),
            listing((i.period for i in wanted), shown=None),
        )
    return old, new, out


def diff_offset(
    dataset: Dataset,
    how: str,
    period: str | None = None,
    ids: Sequence[str] = (),
    relative_rates: bool = False,
) -> list[Change]:
    """同比 (how=YOY: each record against the same period a year earlier) or 环比 (POP: against
    the previous period of the same kind), for the records of `period`; without one, each
    series' latest period of each kind (month, quarter, year). A record whose counterpart
    is not in the data is a Change without a previous value and a note naming the period."""
    from fanpin_cli.core.periods import counterpart, kind

    known = periods(dataset)
    check_period_format(period, "--to")
    if period is not None and period not in known:
        raise NothingMatched.said(("match.no_period+match.periods_are", period, ", ".join(known)))
    _, series = _series(dataset, ids)
    out = []
    for by_period in series.values():
        if period is not None:
            chosen = [period] if period in by_period else []
        else:
            latest: dict[str, str] = {}
            for p in by_period:
                latest[kind(p)] = max(p, latest.get(kind(p), p))
            chosen = sorted(latest.values())
        for p in chosen:
            other = counterpart(p, how)
            if other is None:
                note: tuple[str, ...] = ("diff.no_counterpart_kind",)
                out.append(Change(by_period[p], None, None, None, None, note))
            elif other not in by_period:
                note = ("diff.no_counterpart", other)
                out.append(Change(by_period[p], None, None, None, None, note, counterpart=other))
            else:
                change = _change(by_period[p], by_period[other], relative_rates)
                out.append(change)
    if not out:
        asked = f"--{how}" + (f" --to {period}" if period else "")
        raise NothingMatched.said(
            ("match.compare_for", ", ".join(ids)) if ids else ("match.compare",),
            ("match.compare_asked", asked),
        )
    return out


def diff_datasets(
    current: Dataset, previous: Dataset, ids: Sequence[str] = (), relative_rates: bool = False
) -> list[Change]:
    """Each record of `current` against the latest record of the same id and region before."""
    latest: dict[tuple[str, str], Indicator] = {}
    for i in previous.indicators:
        key = (i.id, i.region_code)
        if key not in latest or i.period > latest[key].period:
            latest[key] = i
    return [
        _change(i, latest.get((i.id, i.region_code)), relative_rates)
        for i in current.indicators
        if not ids or i.id in ids or i.section in ids
    ]


def _series(
    dataset: Dataset, ids: Sequence[str]
) -> tuple[list[Indicator], dict[tuple[str, str], dict[str, Indicator]]]:
    """The records `ids` name (ids or sections; all without), and each (id, region) series
    of them by period."""
    wanted = [i for i in dataset.indicators if not ids or i.id in ids or i.section in ids]
    series: dict[tuple[str, str], dict[str, Indicator]] = {}
    for i in wanted:
        series.setdefault((i.id, i.region_code), {})[i.period] = i
    return wanted, series
