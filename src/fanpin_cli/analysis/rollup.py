"""Roll county figures up to the city: sum additive indicators, beside the city's own figure."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fanpin_cli.core.columns import ColumnRequest, Columns
from fanpin_cli.core.errors import NothingMatched, UsageError
from fanpin_cli.core.labels import message
from fanpin_cli.core.model import Dataset, Finding, Indicator
from fanpin_cli.core.schema import NAME_COLUMNS
from fanpin_cli.core.units import UNITS, comparable, convert, is_additive

# the columns the roll-up reads (fanpin_cli.core.columns)
COLUMNS = ("id", *NAME_COLUMNS, "value", "unit", "period", "region_code", "additive", "ratio")


def columnar_request(period: str | None) -> ColumnRequest:
    """What `fanpin rollup` reads of a warm cache: its columns, of `period`'s chunks."""
    return ColumnRequest(COLUMNS, period)


@dataclass(frozen=True)
class RollupRow:
    """One indicator and period: the sum over the children and the parent's own figure."""

    id: str
    name_zh: str
    name_en: str
    period: str
    unit: str
    children_reported: int
    children_expected: int
    children_sum: Decimal | None  # a rate: rebuilt from the sums of its parts (`method`)
    own: Decimal | None  # the parent's reported figure, in `unit`
    missing: tuple[str, ...]  # child codes without a value
    method: str = "sum"  # "sum", or "ratio": numerator and denominator summed, then divided
    children: tuple[tuple[str, Decimal | int | None], ...] = ()  # a rate: each child's own
    reason: tuple[str, ...] = ()  # why a rate is not computable: a labels.MESSAGES code, args

    @property
    def difference(self) -> Decimal | None:
        if self.own is None or self.children_sum is None:
            return None
        return self.children_sum - self.own

    @property
    def status(self) -> str:
        if self.children_sum is None:
            return "not computable"
        if self.own is None:
            return "no parent figure"
        if self.children_sum == self.own:
            return "match" if not self.missing else "match (incomplete)"
        return "differs" if not self.missing else "differs (incomplete)"


_POWERS = {10**k: k for k in range(29)}
_LIMITS = [10**k for k in range(29)]


def _whole_digits(unit: str) -> int:
    """How many digits a figure may have for convert(v, unit, unit) to give v itself (-1:
    none). convert multiplies and divides by the unit's scale, a power of ten 10**k for
    the units it keeps at their decimal places: exact within decimal arithmetic's 28
    digits, so for figures of up to 28 - k digits."""
    known = UNITS.get(unit)
    k = _POWERS.get(known.scale) if known is not None else None
    return -1 if k is None else 28 - k


def _unchanged(value: Decimal | int, digits: int) -> bool:
    """Whether convert gives `value` back in its own unit (see _whole_digits): a whole
    number, or a Decimal of no positive exponent, of at most `digits` digits."""
    if type(value) is int:
        return digits >= 0 and -_LIMITS[digits] < value < _LIMITS[digits]
    _, figures, exponent = value.as_tuple()  # type: ignore[union-attr]
    return type(exponent) is int and exponent <= 0 and len(figures) <= digits


def additive(ind: Indicator) -> bool:
    """Counts and amounts add up (unless the record says additive = false); rates never."""
    return ind.additive if ind.additive is not None else is_additive(ind.unit)


def children_of(dataset: Dataset, parent: str) -> list[str]:
    """Codes whose parent is `parent` in the region table, in table order."""
    return [r.code for r in dataset.regions if r.parent == parent]


def rollup(dataset: Dataset, parent: str, period: str | None = None) -> list[RollupRow]:
    """Sum each additive indicator over `parent`'s children that are in the dataset."""
    columnar = dataset.columnar
    if columnar is None:
        columnar = Columns.from_records(dataset.indicators, COLUMNS)
    names = columnar[NAME_COLUMNS[0]], columnar[NAME_COLUMNS[1]]
    sums = [row for row, _ in _rollup(dataset, columnar, parent, period, names)]
    return sums + _ratios(dataset, columnar, parent, period, names)


def _ratios(
    dataset: Dataset,
    columnar: Columns,
    parent: str,
    period: str | None,
    names: tuple[list[str], list[str]],
) -> list[RollupRow]:
    """Each rate that declares `ratio = {numerator, denominator}`, rebuilt for `parent` from
    its children's numerators and denominators summed (never a sum or a mean of the rates),
    with each child's own rate beside it. A child that reports the rate without both its
    parts makes it not computable (the reason names them)."""
    from fanpin_cli.analysis.ytd import rate

    rated = columnar.rows_with("ratio")
    if not rated:
        return []
    kids = children_of(dataset, parent)
    ids, values, units = columnar["id"], columnar.raw("value"), columnar["unit"]
    periods, regions, ratios = columnar["period"], columnar["region_code"], columnar["ratio"]
    wanted = {*kids, parent}
    rates: dict[tuple[str, str], dict[str, int]] = {}  # (id, period): {region: row}
    for n in columnar.in_order(rated):
        if regions[n] in wanted and (period is None or periods[n] == period):
            rates.setdefault((ids[n], periods[n]), {})[regions[n]] = n
    needed = {part for key in rates for part in ratios[next(iter(rates[key].values()))]}
    parts: dict[tuple[str, str, str], int] = {}
    for n in columnar.in_order(n for n, i in enumerate(ids) if i in needed):
        if regions[n] in wanted:
            parts[(ids[n], regions[n], periods[n])] = n
    out = []
    for (rid, p), by_region in rates.items():
        first = next(iter(by_region.values()))
        num_id, den_id = ratios[first]
        unit = units[by_region.get(parent, first)]
        if unit != "%":
            continue  # a share is rebuilt; a rate per unit (元 per 人) is not rolled up

        def given(row: int | None) -> bool:
            return row is not None and values[row] is not None

        reported = [k for k in kids if given(by_region.get(k)) or given(parts.get((num_id, k, p)))]
        if not reported:
            continue
        sums: list[tuple[Decimal, str]] = []  # the numerator's and denominator's, with unit
        reason: tuple[str, ...] = ()
        for part in (num_id, den_id):
            rows = [parts.get((part, k, p)) for k in reported]
            lacking = [k for k, r in zip(reported, rows, strict=True) if not given(r)]
            if lacking:
                reason = reason or ("rollup.no_parts", ", ".join(lacking), part)
                continue
            base = units[rows[0]]  # type: ignore[index]
            total = Decimal(0)
            for r in rows:
                assert r is not None
                if not comparable(units[r], base):
                    reason = reason or ("units.inconvertible", units[r], base)
                    break
                total += convert(Decimal(values[r]), units[r], base)
            sums.append((total, base))
        # rounded as the parent reports the rate (else as the first child does)
        like = next((Decimal(values[r]) for r in (by_region.get(parent), first)
                     if r is not None and values[r] is not None), None)  # fmt: skip
        value = None
        if not reason:
            (num, num_unit), (den, den_unit) = sums
            if not comparable(num_unit, den_unit):
                reason = ("units.inconvertible", num_unit, den_unit)
            else:
                value = rate(num, num_unit, den, den_unit, like)
                if value is None:
                    reason = ("ratios.zero", rid, den_id)
        own = by_region.get(parent)
        own_value = Decimal(values[own]) if own is not None and values[own] is not None else None
        out.append(
            RollupRow(
                id=rid,
                name_zh=names[0][first],
                name_en=names[1][first],
                period=p,
                unit=unit,
                children_reported=len(reported),
                children_expected=len(kids),
                children_sum=value,
                own=own_value,
                missing=tuple(k for k in kids if k not in reported),
                method="ratio",
                children=tuple((k, values[by_region[k]] if k in by_region else None) for k in kids),
                reason=reason,
            )
        )
    return out


def _rollup(
    dataset: Dataset,
    columnar: Columns,
    parent: str,
    period: str | None,
    names: tuple[list[str], list[str]] | None,
) -> list[tuple[RollupRow, int | None]]:
    """The roll-up rows (names only with `names`), each with the columns row of the parent's
    own record, in the order of the dataset's first record of each indicator and period."""
    kids = children_of(dataset, parent)
    if not kids:
        raise UsageError.said(("usage.no_children", parent))
    present = columnar.regions
    if not any(k in present for k in kids):
        raise NothingMatched.said(("match.no_child_data", parent))
    expected = kids  # every child in the region table is expected to report
    ids, values, units = columnar["id"], columnar.raw("value"), columnar["unit"]
    periods, regions = columnar["period"], columnar["region_code"]
    wanted = {*kids, parent}
    adds = {u: is_additive(u) for u in columnar.distinct("unit")}
    own_rows: list[int] = []
    kid_rows: list[int] = []
    for (region, p, unit, flag), rows in columnar.segments(
        "region_code", "period", "unit", "additive"
    ):
        additive_here = adds[unit] if flag is None else flag
        if region in wanted and (period is None or p == period) and additive_here:
            (own_rows if region == parent else kid_rows).extend(rows)
    own = {(ids[n], periods[n]): n for n in columnar.in_order(own_rows)}  # the last of a key
    # the children's records by indicator and period, each group in the dataset's order,
    # the groups in the order of their first record
    grouped: dict[tuple[str, str], list[int]] = {}
    for n in kid_rows:
        grouped.setdefault((ids[n], periods[n]), []).append(n)
    if columnar.places is not None:
        place = columnar.places.__getitem__
        for members in grouped.values():
            members.sort(key=place)
    groups = sorted(grouped.items(), key=lambda item: columnar.place(item[1][0]))
    same: dict[tuple[str, str], bool] = {}  # units that convert into each other
    whole_ok = {u: _whole_digits(u) for u in adds}
    out = []
    for key, members in groups:
        parent_row = own.get(key)
        unit = units[parent_row] if parent_row is not None else units[members[0]]
        usable = []
        for m in members:
            if values[m] is None:
                continue
            pair = (units[m], unit)
            if pair not in same:
                same[pair] = comparable(*pair)
            if same[pair]:
                usable.append(m)
        if not usable:
            continue
        digits = whole_ok[unit]
        figures = [values[m] if type(values[m]) is not str else Decimal(values[m]) for m in usable]
        total = sum(
            (
                v  # a figure in its own unit, as convert would give it
                if units[m] == unit and _unchanged(v, digits)
                else convert(v, units[m], unit)
                for v, m in zip(figures, usable, strict=True)
            ),
            Decimal(0),
        )
        reported = {regions[m] for m in usable}
        own_value = None
        if (
            parent_row is not None
            and values[parent_row] is not None
            and comparable(units[parent_row], unit)
        ):
            own_value = Decimal(values[parent_row])
        first = members[0]
        row = RollupRow(
            id=key[0],
            name_zh=names[0][first] if names else "",
            name_en=names[1][first] if names else "",
            period=key[1],
            unit=unit,
            children_reported=len(reported),
            children_expected=len(expected),
            children_sum=total,  # a sum keeps its inputs' decimal places
            own=own_value,
            missing=tuple(k for k in expected if k not in reported),
        )
        out.append((row, parent_row))
    return out


def check_rollup(dataset: Dataset, index: Any, count: Callable[[], None]) -> Iterator[Finding]:
    """County totals against the city's own figure, for every parent with children loaded.

    `index` is the rules' (fanpin_cli.analysis.checks), whose table holds the records as columns.
    """
    columnar: Columns = index.columnar
    present = columnar.regions
    parents = {r.parent for r in dataset.regions if r.parent and r.code in present}
    for parent in sorted(p for p in parents if p in present):
        for row, own_row in _rollup(dataset, columnar, parent, None, None):
            if row.own is None or own_row is None or row.children_sum is None:
                continue
            count()
            if row.children_sum == row.own:
                continue
            # counties still missing, or a reference figure (a province, the country) whose
            # regions are not all in the region table: a smaller sum proves nothing
            cited = columnar["citation"][own_row] is not None
            if (row.missing or cited) and row.children_sum < row.own:
                continue
            args: tuple[str, ...] = (row.id, row.period, str(row.children_reported))
            args += (str(row.children_sum),)
            args += (row.unit, parent, str(row.own))
            yield Finding(
                rule="rollup",
                severity="error",
                message=message("rollup.differs", args, "en"),
                indicators=(row.id,),
                expected=str(row.own),
                actual=str(row.children_sum),
                file=columnar["file"][own_row],
                line=columnar["line"][own_row],
                code="rollup.differs",
                args=args,
            )
