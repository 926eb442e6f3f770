"""The record-wise rules of `fanpin check` and `fanpin rollup`, as they were on main 8bc1f1c
(before the rules ran over columns): the reference that tests/test_checks_columns.py holds
the column-wise rules (fanpin_cli.checks, .rollup, .completeness) to, finding for finding.

A copy, not product code: it changes only when a rule's meaning changes on purpose.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from fanpin_cli.checks import RULES, CheckReport
from fanpin_cli.errors import NothingMatched, UsageError
from fanpin_cli.labels import message
from fanpin_cli.model import Dataset, DatasetMeta, Finding, Indicator, Target
from fanpin_cli.numerals import chinese_number
from fanpin_cli.rows import WIDE, format_number
from fanpin_cli.units import UNITS, comparable, convert, is_additive, per_unit, to_base


class _Index:
    """Indicators by (id, region, period) and by id, for looking up relations."""

    def __init__(self, dataset: Dataset) -> None:
        self.by_key = {i.key: i for i in dataset.indicators}
        self.ids = {i.id for i in dataset.indicators}

    def sibling(self, ind: Indicator, other_id: str) -> Indicator | None:
        return self.by_key.get((other_id, ind.region_code, ind.period))


def _n(value: Decimal | int) -> str:
    return format_number(value)


def _finding(ind: Indicator, code: str, *args: str, **kw: str | None) -> Finding:
    """A finding about `ind`: message `code` of labels.MESSAGES with `args`."""
    return Finding(
        rule=code.partition(".")[0],
        severity="warning" if kw.pop("warning", None) else "error",
        message=message(code, args, "en"),
        indicators=(ind.id,),
        expected=kw.get("expected"),
        actual=kw.get("actual"),
        file=ind.file,
        line=ind.line,
        code=code,
        args=args,
    )


Counter = Callable[[], None]


def in_unit(ind: Indicator, unit: str) -> Decimal | None:
    """`ind`'s value in `unit`: converted, or through its declared equivalent unit; else None.

    A record may declare `equivalent_unit` (717人 counting as 717个: one person per post);
    without such a declaration persons are never compared with posts.
    """
    if ind.value is None:
        return None
    if comparable(ind.unit, unit):
        return convert(ind.value, ind.unit, unit)
    if ind.equivalent_unit is not None and comparable(ind.equivalent_unit, unit):
        return convert(ind.value, ind.equivalent_unit, unit)
    return None


def _unit_mismatch(ind: Indicator, other: Indicator, rule: str) -> Finding:
    return _finding(
        ind,
        f"{rule}.units",
        *(ind.id, ind.unit, other.id, other.unit),
        expected=f"a unit comparable with {other.unit}",
        actual=ind.unit,
    )


def check_parts(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """Parts add up to their total (in the total's unit); parts exist and form no cycle."""
    parts_of = {i.id: i.parts for i in dataset.indicators if i.parts}
    for ind in dataset.indicators:
        if not ind.parts:
            continue
        count()
        cycle = _cycle(ind.id, parts_of)
        if cycle:
            yield _finding(ind, "parts.cycle", " -> ".join(cycle))
            continue
        missing = [p for p in ind.parts if p not in index.ids]
        if missing:
            yield _finding(ind, "parts.missing", ind.id, ", ".join(missing))
            continue
        parts = [index.sibling(ind, p) for p in ind.parts]
        if ind.value is None or any(p is None or p.value is None for p in parts):
            continue  # nothing to add up for this region and period
        converted = [in_unit(p, ind.unit) for p in parts if p is not None]
        if any(v is None for v in converted):
            yield _finding(ind, "parts.units", ind.id)
            continue
        total = sum((v for v in converted if v is not None), Decimal(0))
        if total != Decimal(ind.value):
            yield _finding(
                ind,
                "parts.sum",
                *(ind.id, _n(ind.value), ind.unit, _n(total.normalize())),
                expected=_n(total.normalize()),
                actual=_n(ind.value),
            )


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
    for ind in dataset.indicators:
        if ind.ratio is None:
            continue
        count()
        num_id, den_id = ind.ratio
        missing = [x for x in (num_id, den_id) if x not in index.ids]
        if missing:
            yield _finding(ind, "ratios.missing", ind.id, ", ".join(missing))
            continue
        num, den = index.sibling(ind, num_id), index.sibling(ind, den_id)
        if ind.value is None or num is None or den is None or num.value is None:
            continue
        if den.value is None or to_base(den.value, den.unit) == 0:
            yield _finding(ind, "ratios.zero", ind.id, den_id)
            continue
        if ind.unit == "%":  # a share: numerator and denominator count the same things
            share = _share(num, den)
            if share is None:
                yield _unit_mismatch(num, den, "ratios")
                continue
            exact = share * 100
        else:  # a rate per unit (元 per 人): divide in base units
            exact = to_base(num.value, num.unit) / to_base(den.value, den.unit)
        reported = Decimal(ind.value)
        places = max(-reported.as_tuple().exponent, 0)  # type: ignore[operator]
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=WIDE)
        if rounded != reported:
            yield _finding(
                ind,
                "ratios.differs",
                *(ind.id, _n(reported), ind.unit, num_id, den_id),
                *(_n(num.value), _n(den.value), _n(rounded)),
                expected=_n(rounded),
                actual=_n(reported),
            )


def _share(num: Indicator, den: Indicator) -> Decimal | None:
    """num / den in one unit (through a declared equivalence if need be), or None."""
    assert num.value is not None and den.value is not None
    num_value = in_unit(num, den.unit)
    if num_value is not None:
        return num_value / Decimal(den.value)
    den_value = in_unit(den, num.unit)
    return None if den_value is None else Decimal(num.value) / den_value


def check_subsets(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """A part never exceeds its whole (compared in base units)."""
    for ind in dataset.indicators:
        if ind.subset_of is None:
            continue
        count()
        if ind.subset_of not in index.ids:
            yield _finding(ind, "subsets.missing", ind.id, ind.subset_of)
            continue
        whole = index.sibling(ind, ind.subset_of)
        if whole is None or whole.value is None or ind.value is None:
            continue
        part_v, whole_v = in_unit(ind, whole.unit), Decimal(whole.value)
        if part_v is None:
            part_v, whole_v = Decimal(ind.value), in_unit(whole, ind.unit)  # type: ignore[assignment]
        if whole_v is None:
            yield _unit_mismatch(ind, whole, "subsets")
            continue
        if part_v > whole_v:
            yield _finding(
                ind,
                "subsets.exceeds",
                *(ind.id, _n(ind.value), ind.unit, whole.id, _n(whole.value), whole.unit),
                expected=f"<= {_n(whole.value)}",
                actual=_n(ind.value),
            )


def check_ranges(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """Percentages in 0-100; counts whole and non-negative; amounts non-negative."""
    for ind in dataset.indicators:
        unit = UNITS.get(ind.unit)
        if ind.value is None or unit is None:
            continue
        count()
        v = Decimal(ind.value)
        if unit.unit_class == "rate" and not 0 <= v <= 100:
            yield _finding(ind, "ranges.percent", ind.id, _n(v), expected="0..100", actual=_n(v))
        elif v < 0:
            yield _finding(
                ind, "ranges.negative", ind.id, _n(v), ind.unit, expected=">= 0", actual=_n(v)
            )
        elif (
            unit.unit_class == "count"
            and ind.additive is not False
            and to_base(v, ind.unit) != to_base(v, ind.unit).to_integral_value()
        ):
            yield _finding(
                ind,
                "ranges.whole",
                *(ind.id, _n(v), ind.unit),
                expected="a whole number",
                actual=_n(v),
            )


def check_quotes(dataset: Dataset, index: _Index, count: Counter) -> Iterator[Finding]:
    """Each quote is in its dataset's source document and contains the figure as written."""
    for ind in dataset.indicators:
        directory = _dataset_dir(dataset, ind)
        source = dataset.sources.get(directory) if directory is not None else None
        if ind.qualifier is not None and ind.value is None:
            yield _finding(ind, "quotes.qualifier_without_value", ind.id, ind.qualifier)
        if source is None:
            if ind.citation is not None or _is_reference(dataset, directory):
                count()
                yield from _check_citation(dataset, ind)
            continue
        count()
        if not ind.source:
            yield _finding(ind, "quotes.none", ind.id, warning="1")
            continue
        if ind.source not in source:
            yield _finding(ind, "quotes.absent", ind.id)
        elif ind.written_as is not None:
            yield from _written_as(ind, ind.source)
        elif ind.value is not None and format_number(ind.value) not in ind.source:
            yield _finding(
                ind,
                "quotes.value",
                *(ind.id, format_number(ind.value)),
                expected=format_number(ind.value),
                actual=ind.source,
            )


def _written_as(ind: Indicator, quote: str) -> Iterator[Finding]:
    """A value written in Chinese numerals: in the quote, and denoting the value."""
    written = ind.written_as or ""
    if written not in quote:
        yield _finding(ind, "quotes.written", ind.id, written, expected=written, actual=quote)
    elif ind.value is None or chinese_number(written) != ind.value:
        value = "none" if ind.value is None else format_number(ind.value)
        yield _finding(
            ind,
            "quotes.numeral",
            *(ind.id, written, value),
            expected=str(chinese_number(written)),
            actual="" if ind.value is None else format_number(ind.value),
        )


def _is_reference(dataset: Dataset, directory: str | None) -> bool:
    """Whether the dataset at `directory` says it is a reference dataset (kind = "reference")."""
    return any(m.path == directory and m.extra.get("kind") == "reference" for m in dataset.metas)


def _check_citation(dataset: Dataset, ind: Indicator) -> Iterator[Finding]:
    """A reference figure names a page it was read on and a key phrase with its value."""
    if ind.citation is None:
        yield _finding(ind, "quotes.no_citation", ind.id)
        return
    if ind.citation not in dataset.citations:
        yield _finding(ind, "quotes.unknown_citation", ind.id, ind.citation)
    if not ind.source:
        yield _finding(ind, "quotes.no_key_phrase", ind.id)
    elif ind.value is not None and format_number(ind.value) not in ind.source:
        yield _finding(
            ind,
            "quotes.key_phrase_value",
            *(ind.id, format_number(ind.value)),
            expected=format_number(ind.value),
            actual=ind.source,
        )


def _dataset_dir(dataset: Dataset, ind: Indicator) -> str | None:
    best = None
    for meta in dataset.metas:
        if ind.file.startswith(meta.path.rstrip("/") + "/") and (
            best is None or len(meta.path) > len(best)
        ):
            best = meta.path
    return best


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
    units = {i.id: i.unit for i in dataset.indicators}
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


def run_checks_by_record(dataset: Dataset, rules: tuple[str, ...] = RULES) -> CheckReport:
    """Run every rule on `dataset` (schema findings come from lenient loading)."""
    index = _Index(dataset)
    runs = [len(dataset.indicators) + len(dataset.targets)]  # schema: one check per record

    def count() -> None:
        runs[0] += 1

    findings = [f for f in dataset.problems if f.rule in rules]
    for check in (*CHECKS, check_rollup, check_completeness):
        rule = check.__name__.removeprefix("check_")
        if rule in rules:
            findings.extend(check(dataset, index, count))
    return CheckReport(tuple(findings), runs[0])


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
    children_sum: Decimal
    own: Decimal | None  # the parent's reported figure, in `unit`
    own_record: Indicator | None
    missing: tuple[str, ...]  # child codes without a value

    @property
    def difference(self) -> Decimal | None:
        return None if self.own is None else self.children_sum - self.own

    @property
    def status(self) -> str:
        if self.own is None:
            return "no parent figure"
        if self.children_sum == self.own:
            return "match" if not self.missing else "match (incomplete)"
        return "differs" if not self.missing else "differs (incomplete)"


def additive(ind: Indicator) -> bool:
    """Counts and amounts add up (unless the record says additive = false); rates never."""
    return ind.additive if ind.additive is not None else is_additive(ind.unit)


def children_of(dataset: Dataset, parent: str) -> list[str]:
    """Codes whose parent is `parent` in the region table, in table order."""
    return [r.code for r in dataset.regions if r.parent == parent]


def rollup_by_record(dataset: Dataset, parent: str, period: str | None = None) -> list[RollupRow]:
    """Sum each additive indicator over `parent`'s children that are in the dataset."""
    kids = children_of(dataset, parent)
    if not kids:
        raise UsageError(f"region {parent} has no child regions in the region table")
    present = {i.region_code for i in dataset.indicators}
    if not any(k in present for k in kids):
        raise NothingMatched(
            f"no data for any child region of {parent}; load the counties with --data"
        )
    expected = kids  # every child in the region table is expected to report
    groups: dict[tuple[str, str], list[Indicator]] = {}
    own: dict[tuple[str, str], Indicator] = {}
    for ind in dataset.indicators:
        if period is not None and ind.period != period:
            continue
        if not additive(ind):
            continue
        key = (ind.id, ind.period)
        if ind.region_code == parent:
            own[key] = ind
        elif ind.region_code in expected:
            groups.setdefault(key, []).append(ind)
    rows = []
    for key, records in groups.items():
        parent_record = own.get(key)
        unit = parent_record.unit if parent_record else records[0].unit
        usable = [r for r in records if r.value is not None and comparable(r.unit, unit)]
        if not usable:
            continue
        total = sum(
            (convert(r.value, r.unit, unit) for r in usable if r.value is not None), Decimal(0)
        )
        reported = {r.region_code for r in usable}
        own_value = None
        if (
            parent_record is not None
            and parent_record.value is not None
            and comparable(parent_record.unit, unit)
        ):
            own_value = Decimal(parent_record.value)
        first = records[0]
        rows.append(
            RollupRow(
                id=key[0],
                name_zh=first.name_zh,
                name_en=first.name_en,
                period=key[1],
                unit=unit,
                children_reported=len(reported),
                children_expected=len(expected),
                children_sum=total,  # a sum keeps its inputs' decimal places
                own=own_value,
                own_record=parent_record,
                missing=tuple(k for k in expected if k not in reported),
            )
        )
    return rows


def check_rollup(dataset: Dataset, index: Any, count: Callable[[], None]) -> Iterator[Finding]:
    """County totals against the city's own figure, for every parent with children loaded."""
    present = {i.region_code for i in dataset.indicators}
    parents = {r.parent for r in dataset.regions if r.parent and r.code in present}
    for parent in sorted(p for p in parents if p in present):
        for row in rollup_by_record(dataset, parent):
            if row.own is None or row.own_record is None:
                continue
            count()
            rec = row.own_record
            if row.children_sum == row.own:
                continue
            # counties still missing, or a reference figure (a province, the country) whose
            # regions are not all in the region table: a smaller sum proves nothing
            if (row.missing or rec.citation is not None) and row.children_sum < row.own:
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
                file=rec.file,
                line=rec.line,
                code="rollup.differs",
                args=args,
            )


SHOWN_IDS = 5  # ids named in the message; the indicators column has them all


def _owner(metas: tuple[DatasetMeta, ...]) -> Callable[[Indicator], DatasetMeta | None]:
    """The dataset an indicator was read from (its file, or the directory holding it)."""
    by_path = {m.path: m for m in metas}

    def owner(ind: Indicator) -> DatasetMeta | None:
        return by_path.get(ind.file) or by_path.get(os.path.dirname(ind.file))

    return owner


def asked_of(meta: DatasetMeta, ind: Indicator) -> bool:
    """Whether the dataset's region is asked for this indicator (counties: not city-only)."""
    county = meta.region_code is not None and not meta.region_code.endswith("00")
    return not (county and ind.city_only)


def check_completeness(
    dataset: Dataset, index: object, count: Callable[[], None]
) -> Iterator[Finding]:
    """One warning per dataset with indicators not filled in (`--strict` makes it fail)."""
    owner = _owner(dataset.metas)
    asked: dict[str, int] = {}
    missing: dict[str, list[str]] = {}
    for ind in dataset.indicators:
        meta = owner(ind)
        if meta is None or not asked_of(meta, ind):
            continue
        asked[meta.path] = asked.get(meta.path, 0) + 1
        if ind.value is None and not ind.note:
            missing.setdefault(meta.path, []).append(ind.id)
    for meta in dataset.metas:
        if meta.path not in asked:
            continue
        count()
        ids = missing.get(meta.path)
        if not ids:
            continue
        shown = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
        args = (str(len(ids)), str(asked[meta.path]), shown)
        yield Finding(
            rule="completeness",
            severity="warning",
            message=message("completeness.unfilled", args, "en"),
            indicators=tuple(ids),
            expected=str(asked[meta.path]),
            actual=str(asked[meta.path] - len(ids)),
            file=meta.path,
            line=0,
            code="completeness.unfilled",
            args=args,
        )
