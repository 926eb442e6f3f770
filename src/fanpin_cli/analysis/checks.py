"""Consistency rules over a Dataset: the rules named in RULES, run in that order (DESIGN.md and
docs/checks.md say what each one finds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from itertools import repeat
from operator import is_
from typing import Any

from fanpin_cli.analysis.found import Counter, Found
from fanpin_cli.analysis.quotes import check_quotes
from fanpin_cli.core.columns import ColumnRequest, Columns
from fanpin_cli.core.decimals import WIDE, format_number
from fanpin_cli.core.labels import message
from fanpin_cli.core.model import Dataset, Finding, Target
from fanpin_cli.core.schema import basis_field
from fanpin_cli.core.units import UNITS, comparable, convert, per_unit, to_base

RULES = (
    "schema", "regions", "parts", "ratios", "subsets", "ranges", "quotes", "targets", "rollup",
    "completeness", "flows", "jump",
)  # fmt: skip


@dataclass(frozen=True)
class CheckReport:
    """All findings of a check run and how many individual checks were made."""

    findings: tuple[Finding, ...]
    checks_run: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def passed(self) -> int:
        failed = len({(f.rule, f.indicators, f.file, f.line, f.message) for f in self.findings})
        return max(self.checks_run - failed, 0)


# the columns the rules read (fanpin_cli.core.columns): a warm check builds no record
COLUMNS = (
    "id", "value", "unit", "region_code", "period", "parts", "ratio", "subset_of",
    "written_as", "equivalent_unit", "note", "additive", "qualifier", "citation", "source",
    "city_only", basis_field(), "file", "line",
)  # fmt: skip
COLUMNAR = ColumnRequest(COLUMNS)  # what `fanpin check` reads of a warm cache


def columnar_of(dataset: Dataset) -> Columns:
    """The records of `dataset` as the columns the rules read."""
    if dataset.columnar is not None:
        return dataset.columnar
    return Columns.from_records(dataset.indicators, COLUMNS)


class _Index:
    """Rows by (id, region, period), for the ids the relations name (the last of a key in
    the dataset's order, as a mapping of all records would hold), built when first asked."""

    def __init__(self, columnar: Columns) -> None:
        self.columnar = columnar
        self._by_key: dict[tuple[str, str, str], int] | None = None
        self._ids: set[str] = set()

    def _build(self) -> dict[tuple[str, str, str], int]:
        if self._by_key is None:
            t = self.columnar
            named: set[str] = set()
            for name in ("parts", "ratio"):
                for ids_named in t.distinct(name):
                    named.update(ids_named or ())
            named.update(s for s in t.distinct("subset_of") if s is not None)
            ids, regions, periods = t["id"], t["region_code"], t["period"]
            rows = t.in_order(n for n, i in enumerate(ids) if i in named) if named else []
            self._by_key = {(ids[n], regions[n], periods[n]): n for n in rows}
            self._ids = {ids[n] for n in rows}
        return self._by_key

    def has(self, other_id: str) -> bool:
        """Whether any record has `other_id` (an id a relation names)."""
        self._build()
        return other_id in self._ids

    def sibling(self, row: int, other_id: str) -> int | None:
        """The row of `other_id` in `row`'s region and period, or None."""
        t = self.columnar
        return self._build().get((other_id, t["region_code"][row], t["period"][row]))


def _n(value: Decimal | int) -> str:
    return format_number(value)


def _row_in_unit(t: Columns, row: int, unit: str) -> Decimal | None:
    """Row `row`'s value in `unit`: converted, or through its declared equivalent unit; else
    None. A record may declare `equivalent_unit` (717人 counting as 717个: one person per
    post); without such a declaration persons are never compared with posts."""
    value, own, equivalent = t["value"][row], t["unit"][row], t["equivalent_unit"][row]
    if value is None:
        return None
    if comparable(own, unit):
        return convert(value, own, unit)
    if equivalent is not None and comparable(equivalent, unit):
        return convert(value, equivalent, unit)
    return None


def _unit_mismatch(found: Found, t: Columns, row: int, other: int, rule: str, at: int) -> None:
    """`row`'s unit cannot be compared with `other`'s (found checking the record at `at`)."""
    ids, units = t["id"], t["unit"]
    found.add(
        row,
        f"{rule}.units",
        *(ids[row], units[row], ids[other], units[other]),
        at=at,
        expected=f"a unit comparable with {units[other]}",
        actual=units[row],
    )


def check_parts(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """Parts add up to their total (in the total's unit); parts exist and form no cycle."""
    t = index.columnar
    rows = t.in_order(t.rows_where("parts", bool))
    if not rows:
        return iter(())
    column, ids, values, units = t["parts"], t["id"], t["value"], t["unit"]
    parts_of = {ids[n]: column[n] for n in rows}
    found = Found(t)
    for n in rows:
        count()
        ind_id, value, unit = ids[n], values[n], units[n]
        cycle = _cycle(ind_id, parts_of)
        if cycle:
            found.add(n, "parts.cycle", " -> ".join(cycle))
            continue
        missing = [p for p in column[n] if not index.has(p)]
        if missing:
            found.add(n, "parts.missing", ind_id, ", ".join(missing))
            continue
        parts = [index.sibling(n, p) for p in column[n]]
        if value is None or any(p is None or values[p] is None for p in parts):
            continue  # nothing to add up for this region and period
        converted = [_row_in_unit(t, p, unit) for p in parts if p is not None]
        if any(v is None for v in converted):
            found.add(n, "parts.units", ind_id)
            continue
        total = sum((v for v in converted if v is not None), Decimal(0))
        if total != Decimal(value):
            found.add(
                n,
                "parts.sum",
                *(ind_id, _n(value), unit, _n(total.normalize())),
                expected=_n(total.normalize()),
                actual=_n(value),
            )
    return iter(found.in_order())


def _cycle(start: str, parts_of: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A path start -> ... -> start through `parts`, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for child in parts_of.get(node, ()):
            if child == start:
                return [*path, child]
            if child not in seen:
                seen.add(child)
                stack.append((child, [*path, child]))
    return None


def check_ratios(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """A reported rate equals numerator / denominator x 100 to the precision reported."""
    t = index.columnar
    found = Found(t)
    rows = t.rows_with("ratio")
    if not rows:
        return iter(())
    ids, values, units = t["id"], t["value"], t["unit"]
    for n in rows:
        count()
        num_id, den_id = t["ratio"][n]
        missing = [x for x in (num_id, den_id) if not index.has(x)]
        if missing:
            found.add(n, "ratios.missing", ids[n], ", ".join(missing))
            continue
        num, den = index.sibling(n, num_id), index.sibling(n, den_id)
        value = values[n]
        if value is None or num is None or den is None or values[num] is None:
            continue
        if values[den] is None or to_base(values[den], units[den]) == 0:
            found.add(n, "ratios.zero", ids[n], den_id)
            continue
        if units[n] == "%":  # a share: numerator and denominator count the same things
            share = _share(t, num, den)
            if share is None:
                _unit_mismatch(found, t, num, den, "ratios", n)
                continue
            exact = share * 100
        else:  # a rate per unit (元 per 人): divide in base units
            exact = to_base(values[num], units[num]) / to_base(values[den], units[den])
        reported = Decimal(value)
        places = max(-reported.as_tuple().exponent, 0)  # type: ignore[operator]
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=WIDE)
        if rounded != reported:
            found.add(
                n,
                "ratios.differs",
                *(ids[n], _n(reported), units[n], num_id, den_id),
                *(_n(values[num]), _n(values[den]), _n(rounded)),
                expected=_n(rounded),
                actual=_n(reported),
            )
    return iter(found.in_order())


def _share(t: Columns, num: int, den: int) -> Decimal | None:
    """num / den in one unit (through a declared equivalence if need be), or None."""
    values, units = t["value"], t["unit"]
    assert values[num] is not None and values[den] is not None
    num_value = _row_in_unit(t, num, units[den])
    if num_value is not None:
        return num_value / Decimal(values[den])
    den_value = _row_in_unit(t, den, units[num])
    return None if den_value is None else Decimal(values[num]) / den_value


def check_subsets(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """A part never exceeds its whole (compared in base units)."""
    t = index.columnar
    found = Found(t)
    rows = t.rows_with("subset_of")
    if not rows:
        return iter(())
    ids, values, units, wholes = t["id"], t["value"], t["unit"], t["subset_of"]
    for n in rows:
        count()
        if not index.has(wholes[n]):
            found.add(n, "subsets.missing", ids[n], wholes[n])
            continue
        whole = index.sibling(n, wholes[n])
        if whole is None or values[whole] is None or values[n] is None:
            continue
        part_v, whole_v = _row_in_unit(t, n, units[whole]), Decimal(values[whole])
        if part_v is None:
            part_v, whole_v = Decimal(values[n]), _row_in_unit(t, whole, units[n])  # type: ignore[assignment]
        if whole_v is None:
            _unit_mismatch(found, t, n, whole, "subsets", n)
            continue
        if part_v > whole_v:
            found.add(
                n,
                "subsets.exceeds",
                *(ids[n], _n(values[n]), units[n], ids[whole], _n(values[whole]), units[whole]),
                expected=f"<= {_n(values[whole])}",
                actual=_n(values[n]),
            )
    return iter(found.in_order())


def check_ranges(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """Percentages in 0-100; counts whole and non-negative; amounts non-negative."""
    t = index.columnar
    values = t.raw("value")  # decimal text or Decimal: Decimal(v) is the figure
    found = Found(t)
    start = 0
    for unit, size in t.runs("unit"):  # the records of a run of one unit, looked at at once
        rows = range(start, start + size)
        start += size
        known = UNITS.get(unit)
        if known is None:
            continue
        run = values[rows.start : rows.stop]
        if any(map(is_, run, repeat(None))):
            kept = [n for n, v in zip(rows, run, strict=True) if v is not None]
            run = [values[n] for n in kept]
        count(len(run))
        if run:
            suspects = _suspects(run, known.unit_class)
            _ranges_of(t, [rows[k] for k in suspects] if len(run) == size else
                       [kept[k] for k in suspects], known.unit_class, found)  # fmt: skip
    return iter(found.in_order())


def _suspects(figures: list[Any], kind: str) -> list[int]:
    """Positions of the figures that may be out of range, found without Decimal: a float
    is the figure correctly rounded, and rounding keeps order, so a float strictly within
    (0, 100) (or above 0) is a figure within [0, 100] (or not below 0)."""
    whole = set(map(type, figures)) == {int}
    numbers = figures if whole else list(map(float, figures))
    low, high = min(numbers), max(numbers)
    if kind == "rate" and not (low > 0 and high < 100):
        return [k for k, x in enumerate(numbers) if x <= 0 or x >= 100]
    if kind != "rate" and low <= 0:
        suspects = [k for k, x in enumerate(numbers) if x <= 0]
        if kind == "count" and not whole:  # fractions of a count: every non-integer
            suspects = sorted(
                {*suspects, *(k for k, v in enumerate(figures) if type(v) is not int)}
            )
        return suspects
    if kind == "count" and not whole:
        return [k for k, v in enumerate(figures) if type(v) is not int]
    return []


def _ranges_of(t: Columns, rows: list[int], kind: str, found: Found) -> None:
    """The range findings of records of one unit (of class `kind`)."""
    if not rows:
        return
    values, units, additive = t.raw("value"), t["unit"], t["additive"]
    for n in rows:
        value = values[n]
        if value is None:
            continue
        v, unit = Decimal(value), units[n]
        if kind == "rate" and not 0 <= v <= 100:
            found.add(n, "ranges.percent", t["id"][n], _n(v), expected="0..100", actual=_n(v))
        elif kind != "rate" and v < 0:
            found.add(n, "ranges.negative", t["id"][n], _n(v), unit, expected=">= 0", actual=_n(v))
        elif (
            kind == "count"
            and additive[n] is not False
            and to_base(v, unit) != to_base(v, unit).to_integral_value()
        ):
            found.add(
                n,
                "ranges.whole",
                *(t["id"][n], _n(v), unit),
                expected="a whole number",
                actual=_n(v),
            )


def _target_finding(t: Target, code: str, *args: str) -> Finding:
    return Finding(
        "targets",
        "error",
        message(code, args, "en"),
        (t.indicator_id,),
        file=t.file,
        line=t.line,
        code=code,
        args=args,
    )


def check_targets(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """Every target names existing indicators, in units its kind can compare."""
    units = _units_of(index.columnar, dataset.targets)
    for t in dataset.targets:
        count()

        bad = partial(_target_finding, t)

        if t.indicator_id not in units:
            yield bad("targets.unknown", t.indicator_id)
        elif t.relative_to is not None:
            if t.relative_to not in units:
                yield bad("targets.reference", t.indicator_id, t.relative_to)
            elif not comparable(units[t.relative_to], units[t.indicator_id]):
                unit, other = units[t.indicator_id], units[t.relative_to]
                yield bad("targets.relative_units", t.indicator_id, unit, t.relative_to, other)
        elif t.per is not None:
            yield from _check_average(t, units, bad)
        elif not comparable(units[t.indicator_id], t.unit):
            yield bad("targets.units", t.indicator_id, t.unit, units[t.indicator_id])


def _units_of(columnar: Columns, targets: tuple[Target, ...]) -> dict[str, str]:
    """The unit of each id the targets name that a record has (its last record's)."""
    named = {i for t in targets for i in (t.indicator_id, t.relative_to, t.per) if i is not None}
    if not named:
        return {}
    ids = columnar["id"]
    rows = columnar.in_order(n for n, i in enumerate(ids) if i in named)
    units = columnar["unit"] if rows else []
    return {ids[n]: units[n] for n in rows}


def _check_average(
    t: Target, units: dict[str, str], bad: Callable[..., Finding]
) -> Iterator[Finding]:
    """An average target: its divisor exists, and both units convert to the target's."""
    split = per_unit(t.unit)
    if t.per is None or t.per not in units:
        yield bad("targets.per", t.indicator_id, str(t.per))
    elif split is None:
        yield bad("targets.per_unit", t.indicator_id, t.unit)
    elif not comparable(units[t.indicator_id], split[0]) or not comparable(units[t.per], split[1]):
        yield bad(
            "targets.average_units",
            *(t.indicator_id, units[t.indicator_id], units[t.per], t.per, t.unit),
        )


CHECKS = (check_parts, check_ratios, check_subsets, check_ranges, check_quotes, check_targets)


def run_checks(dataset: Dataset, rules: tuple[str, ...] = RULES) -> CheckReport:
    """Run every rule on `dataset` (schema findings come from lenient loading)."""
    from fanpin_cli.analysis.completeness import check_completeness
    from fanpin_cli.analysis.rollup import check_rollup
    from fanpin_cli.analysis.series_checks import check_flows, check_jump

    columnar = columnar_of(dataset)
    index = _Index(columnar)
    runs = [len(columnar) + len(dataset.targets)]  # schema: one check per record

    def count(times: int = 1) -> None:
        runs[0] += times

    findings = [f for f in dataset.problems if f.rule in rules]
    for check in (*CHECKS, check_rollup, check_completeness, check_flows, check_jump):
        rule = check.__name__.removeprefix("check_")
        if rule in rules:
            findings.extend(check(dataset, index, count))
    return CheckReport(tuple(findings), runs[0])
