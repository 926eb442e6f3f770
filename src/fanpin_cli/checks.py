"""Consistency rules over a Dataset: schema, parts, ratios, subsets, ranges, quotes, targets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from fanpin_cli.labels import message
from fanpin_cli.model import Dataset, Finding, Indicator, Target
from fanpin_cli.numerals import chinese_number
from fanpin_cli.rows import WIDE, format_number
from fanpin_cli.units import UNITS, comparable, convert, per_unit, to_base

RULES = (
    "schema", "regions", "parts", "ratios", "subsets", "ranges", "quotes", "targets", "rollup",
    "completeness",
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


def run_checks(dataset: Dataset, rules: tuple[str, ...] = RULES) -> CheckReport:
    """Run every rule on `dataset` (schema findings come from lenient loading)."""
    from fanpin_cli.completeness import check_completeness
    from fanpin_cli.rollup import check_rollup

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
