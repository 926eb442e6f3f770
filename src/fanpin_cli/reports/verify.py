"""`fanpin verify`: each figure of a draft text against the data it should agree with.

A figure is matched to an indicator as `extract` matches it (fanpin_cli.reports.match),
then compared with the data's record of that indicator (the period a sentence names, or
the one asked for; the region asked for): `matches` when the values are equal through the
unit registry (`1.6741万户` is `16741户`), `differs` when they are not, `unit differs` when
the words name an indicator reported in a unit of another kind, `reference` for a figure of
a reference dataset (context, not the report's own), `unknown` when no indicator fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.reports.figures import Figure, recognise
from fanpin_cli.reports.match import NO_MATCH, Match, Matcher, assign, part_of

STATUSES = ("differs", "unit differs", "matches", "reference", "unknown")
# a value that differs is reported only for a figure whose words say which indicator it is
SURE_ENOUGH = 0.5


class Checked(NamedTuple):
    figure: Figure
    status: str  # one of STATUSES
    match: Match
    record: Indicator | None  # the data's record it was compared with


def same_value(figure: Figure, record: Indicator) -> bool | None:
    """Whether the figure states the record's value (through the unit registry); None when
    the units cannot be compared.

    A figure with a qualifier states a bound or an approximation (超2000户, 近1300户: within
    5%); one written with decimals, or in a larger unit, states the value rounded to the
    places written (1.67万户 for 1.6741万户 or 16741户; but 60% is not 59.6%)."""
    from fanpin_cli.core.units import UNITS, comparable, convert

    if record.value is None:
        return False
    if figure.unit != record.unit and not comparable(figure.unit, record.unit):
        return None
    data = Decimal(record.value)
    try:
        stated = (Decimal(figure.value) if figure.unit == record.unit
                  else convert(figure.value, figure.unit, record.unit))  # fmt: skip
    except (ValueError, ArithmeticError):
        return None
    bound = {">": data > stated, ">=": data >= stated, "<": data < stated, "<=": data <= stated,
             "≈": abs(data - stated) <= abs(stated) * Decimal("0.05")}  # fmt: skip
    if figure.qualifier in bound:
        return bound[figure.qualifier]
    if stated == data:
        return True
    from decimal import ROUND_HALF_UP

    written = Decimal(figure.value)
    places = written.as_tuple().exponent
    mine, theirs = UNITS.get(figure.unit), UNITS.get(record.unit)
    larger = mine is not None and theirs is not None and mine.scale > theirs.scale
    if not isinstance(places, int) or not (larger or places < 0):
        return False  # a whole number in the data's own unit is exact: 60% is not 59.6%
    exact = data if figure.unit == record.unit else convert(data, record.unit, figure.unit)
    return exact.quantize(Decimal(1).scaleb(places), ROUND_HALF_UP) == written


def verify_text(
    text: str, dataset: Dataset, region: str | None, period: str | None
) -> list[Checked]:
    """Every figure of `text`, checked against `dataset` (region and period: those asked for,
    else any; a year the sentence names wins for the period)."""
    units = sorted({i.unit for i in dataset.indicators})
    figures = recognise(text, units).figures
    matcher = Matcher(dataset, text)
    by_id = dataset.by_id()
    periods = [f.period or period or "" for f in figures]
    choices = []
    for f, p in zip(figures, periods, strict=True):
        found = matcher.candidates(f, figures)
        # between two indicators the figure's words fit, the one whose value it states
        boosted = [
            m._replace(score=min(m.score + 0.15, 0.995))
            if m.id is not None and m.score < 1.0
            and any(same_value(f, r) for r in _records(by_id.get(m.id, []), region, p or None))
            else m
            for m in found
        ]  # fmt: skip
        boosted.sort(key=lambda m: (-m.score, m.id or ""))
        choices.append(boosted)
    matches = assign(
        figures, choices, periods, allow_unit_mismatch=True, part_of=part_of(dataset.indicators)
    )
    references = _reference_files(dataset)
    out = []
    for f, m, p in zip(figures, matches, periods, strict=True):
        out.append(_check(f, m, _records(by_id.get(m.id or "", []), region, p or None),
                          references))  # fmt: skip
    return out


def _records(
    records: Sequence[Indicator], region: str | None, period: str | None
) -> list[Indicator]:
    """The records of the region and period asked for; all of them when none is."""
    chosen = [r for r in records if region is None or r.region_code == region]
    dated = [r for r in chosen if period is None or r.period == period]
    return dated or (chosen if period is None else [])


def _check(f: Figure, m: Match, records: list[Indicator], references: set[str]) -> Checked:
    if m.id is None or not records:
        return Checked(f, "unknown", NO_MATCH if m.id is None else m, None)
    agreeing = [r for r in records if same_value(f, r)]
    record = agreeing[0] if agreeing else max(records, key=lambda r: r.period)
    if any(record.file.startswith(ref) for ref in references):
        return Checked(f, "reference", m, record)
    if not m.unit_fits:
        return Checked(f, "unit differs", m, record)
    if agreeing:
        return Checked(f, "matches", m, record)
    if record.value is None or m.score < SURE_ENOUGH:
        return Checked(f, "unknown", m, record)
    return Checked(f, "differs", m, record)


def _reference_files(dataset: Dataset) -> set[str]:
    """The directories of reference datasets (kind = "reference"), each ending in /."""
    return {m.path.rstrip("/") + "/" for m in dataset.metas if m.extra.get("kind") == "reference"}


def verify_reports(
    dataset: Dataset,
    reports: Sequence[tuple[str, str]],
    region: str | None,
    period: str | None,
) -> list[tuple[str, list[Checked]]]:
    """`fanpin verify`: each (name, text) checked against `dataset`; `region` a code or name."""
    from fanpin_cli.analysis.filters import NothingMatched, check_period_format
    from fanpin_cli.analysis.query import resolve_region

    check_period_format(period)
    code = resolve_region(dataset, region) if region is not None else None
    done = []
    for name, text in reports:
        checked = verify_text(text, dataset, code, period)
        if not checked:
            raise NothingMatched.said(("match.no_figures",), path=name)
        done.append((name, checked))
    return done
