"""The view of `fanpin chart`: parts of a whole, values by period, value against target."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from fanpin_cli.analysis.compare import compare
from fanpin_cli.analysis.query import Selection, select
from fanpin_cli.core.decimals import WIDE, format_number, tidy
from fanpin_cli.core.errors import NothingMatched
from fanpin_cli.core.labels import name, term
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.core.units import comparable, convert
from fanpin_cli.views.bars import Bar, ChartGroup, render_charts
from fanpin_cli.views.compare import shown
from fanpin_cli.views.output import Column, Output


def _share(value: Decimal, scale: Decimal) -> float:
    return float(value / scale) if scale > 0 else 0.0


def _parts_group(ind: Indicator, parts: list[Indicator], lang: str) -> ChartGroup | None:
    if ind.value is None or any(p.value is None or not comparable(p.unit, ind.unit) for p in parts):
        return None
    total = Decimal(ind.value)
    values = [convert(p.value, p.unit, ind.unit) for p in parts if p.value is not None]
    bars = tuple(
        Bar(
            name(p, lang),
            tidy(v),
            ind.unit,
            _share(v, total),
            (v / total * 100).quantize(Decimal("0.1"), context=WIDE) if total else None,
        )
        for p, v in zip(parts, values, strict=True)
    )
    title = f"{term('parts of', lang)} {name(ind, lang)} = {format_number(ind.value)}{ind.unit}"
    title += f" ({ind.period})"
    return ChartGroup("parts", title, bars)


def _periods_group(records: list[Indicator], lang: str) -> ChartGroup | None:
    usable = [r for r in records if r.value is not None]
    if len(usable) < 2 or len({r.unit for r in usable}) != 1:
        return None
    scale = max(Decimal(r.value) for r in usable if r.value is not None)
    bars = tuple(
        Bar(r.period, Decimal(r.value), r.unit, _share(Decimal(r.value), scale), None, r.qualifier)
        for r in sorted(usable, key=lambda r: r.period)
        if r.value is not None
    )
    return ChartGroup("periods", f"{name(records[0], lang)} ({term('by period', lang)})", bars)


def build_charts(dataset: Dataset, selectors: Sequence[str], lang: str = "zh") -> list[ChartGroup]:
    """The bar groups that the selected sections or indicators can show."""
    chosen = select(dataset, Selection(tuple(selectors)))
    keyed = {i.key: i for i in dataset.indicators}
    groups: list[ChartGroup] = []
    seen_ids: set[str] = set()
    for ind in chosen:
        if ind.parts:
            parts = [keyed.get((p, ind.region_code, ind.period)) for p in ind.parts]
            if all(p is not None for p in parts):
                group = _parts_group(ind, [p for p in parts if p is not None], lang)
                if group:
                    groups.append(group)
        if ind.id not in seen_ids:
            seen_ids.add(ind.id)
            same = [i for i in chosen if i.id == ind.id and i.region_code == ind.region_code]
            group = _periods_group(same, lang)
            if group:
                groups.append(group)
    ids = sorted({i.id for i in chosen})
    results = compare(dataset, ids)
    series = Counter(c.target.indicator_id for c in results if c.value is not None)
    for c in results:
        if c.value is None or c.target_value is None or c.indicator is None:
            continue
        value, threshold, _ = shown(c)  # as compare shows them: an average to four places
        assert value is not None and threshold is not None
        scale = max(value, threshold)
        # a national aggregate is a reference beside the city's figure, not its target
        other = "reference" if c.status == "reference" else "target"
        label_v, label_t = term("value", lang), term(other, lang)
        # a series of years against one target: each group says which year it is
        when = f" ({c.indicator.period})" if series[c.target.indicator_id] > 1 else ""
        title = f"{name(c.indicator, lang)}{when} {c.target.comparator} {label_t}"
        bars = (
            Bar(label_v, value, c.unit, _share(value, scale), None, c.qualifier),
            Bar(label_t, threshold, c.unit, _share(threshold, scale)),
        )
        groups.append(ChartGroup("target", title, bars, status=c.status))
    if not groups:
        what = " ".join(selectors)
        raise NothingMatched.said(
            ("match.nothing_to_chart", what) if what else ("match.nothing_in_dataset_to_chart",)
        )
    return groups


CHART_FIELDS = ("group", "kind", "label", "value", "unit", "percent", "status")


def chart_output(dataset: Dataset, selectors: Sequence[str], lang: str) -> Output:
    """The bars as rows for csv, tsv, json and markdown; drawn as bars on a terminal or SVG."""
    groups = build_charts(dataset, selectors, lang)
    rows = [
        {
            "group": g.title,
            "kind": g.kind,
            "label": b.label,
            "value": b.value,
            "unit": b.unit,
            "percent": b.percent,
            "status": term(g.status, lang) if g.status else None,
            "qualifier": b.qualifier,
        }
        for g in groups
        for b in g.bars
    ]
    fields: tuple[str, ...] = CHART_FIELDS
    if any(r["qualifier"] for r in rows):  # bounds and approximations (reference figures)
        fields = (*CHART_FIELDS, "qualifier")
    return Output(
        rows=rows,
        fields=fields,
        columns=tuple(Column(k, k, k) for k in fields),
        title="fanpin chart " + " ".join(selectors),
        draw=partial(render_charts, groups, lang=lang),
    )
