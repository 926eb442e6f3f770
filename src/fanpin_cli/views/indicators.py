"""Views of indicator records: listings (show, search, export), pivots and sections."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Literal

from fanpin_cli.analysis.query import Selection, search, select
from fanpin_cli.core.labels import indicator_count, name, pick
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.reading.references import (
    REFERENCE_COLUMNS,
    has_references,
    reference_fields,
    value_text,
)
from fanpin_cli.views.output import Column, Output, column
from fanpin_cli.views.rows import INDICATOR_COLUMNS, IndicatorRows, Row, indicator_row

By = Literal["period", "region"]

INDICATOR_VIEW = (
    column("id", "label"),
    column("name"),
    column("value", "number", missing="not reported"),
    column("unit", "label"),
    column("period", "label", optional=True),
    column("region", "label", optional=True),
)
SECTION_VIEW = (
    column("key"), column("number"), column("title_zh"), column("title_en"),
    column("indicators", "number", "indicator_count"),
)  # fmt: skip


def indicators_output(
    dataset: Dataset, indicators: Sequence[Indicator], lang: str, title: str | None = None
) -> Output:
    """Indicators with the CSV contract's fields, and a compact view for tables."""
    names, en = {r.code: r for r in dataset.regions}, pick(lang, False, True)
    out_rows: Sequence[Row] = IndicatorRows(indicators, names, en)  # built when read
    fields: tuple[str, ...] = INDICATOR_COLUMNS
    view: tuple[Column, ...] = INDICATOR_VIEW
    if has_references(indicators):  # cited figures: their qualifier and page, in every format
        out_rows = [indicator_row(ind, names.get(ind.region_code), en) for ind in indicators]
        for row, ind in zip(out_rows, indicators, strict=True):
            row.update(reference_fields(ind, dataset.citations))
            row["value_text"] = value_text(ind.value, ind.qualifier)
        fields = (*INDICATOR_COLUMNS, *REFERENCE_COLUMNS)
        view = tuple(
            column("value_text", "number", "value") if c.key == "value" else c
            for c in INDICATOR_VIEW
        )
    return Output(
        rows=out_rows,
        fields=fields,
        columns=view,
        title=title,
        summary=indicator_count(len(out_rows), lang),
        plain=True,
    )


def show_output(dataset: Dataset, selection: Selection, lang: str, by: By | None = None) -> Output:
    """`fanpin show`: the selected indicators, as records or pivoted by period or region."""
    chosen = select(dataset, selection)
    if by is not None:
        return pivot(dataset, chosen, by, lang)
    section = dataset.section(selection.selectors[0]) if len(selection.selectors) == 1 else None
    title = (
        f"({section.number}) {pick(lang, section.title_zh, section.title_en)}" if section else None
    )
    return indicators_output(dataset, chosen, lang, title)


def search_output(dataset: Dataset, text: str, lang: str) -> Output:
    """`fanpin search`: indicators whose id, names or quote contain `text`."""
    output = indicators_output(dataset, search(dataset, text), lang)
    return output._replace(nothing=("match.search", text))


def sections_output(dataset: Dataset, lang: str) -> Output:
    """The sections with titles and indicator counts."""
    counts = Counter(ind.section for ind in dataset.indicators)
    rows = [
        {
            "key": s.key,
            "number": s.number,
            "title_zh": s.title_zh,
            "title_en": s.title_en,
            "indicators": counts[s.key],
        }
        for s in dataset.sections
    ]
    return Output(rows=rows, fields=tuple(c.key for c in SECTION_VIEW), columns=SECTION_VIEW)


def pivot(dataset: Dataset, indicators: Sequence[Indicator], by: By, lang: str) -> Output:
    """One row per indicator (and region or period), one column per period (or region)."""
    regions = {r.code: r for r in dataset.regions}
    if by == "period":
        across = sorted({i.period for i in indicators})
        labels = {p: p for p in across}
    else:
        order = {r.code: n for n, r in enumerate(dataset.regions)}
        across = sorted(
            {i.region_code for i in indicators}, key=lambda c: (order.get(c, 1 << 30), c)
        )
        labels = {c: name(regions[c], lang) if c in regions else c for c in across}
    rows: dict[tuple[str, str, str], Row] = {}
    qualified: set[str] = set()  # the columns with a bound or approximation
    other_key = "region_code" if by == "period" else "period"
    for ind in indicators:
        other = ind.region_code if by == "period" else ind.period
        key = (ind.id, other, ind.unit)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {"id": ind.id, "name": name(ind, lang), "unit": ind.unit}
            row[other_key] = other
            if by == "period":
                r = regions.get(other)
                row["region"] = name(r, lang) if r else other
        at = ind.period if by == "period" else ind.region_code
        row[at] = ind.value
        row[f"{at}_text"] = value_text(ind.value, ind.qualifier) if ind.value is not None else None
        if ind.qualifier is not None:  # a bound or approximation: '>3300' to people; the
            row[f"{at}_qualifier"] = ind.qualifier  # number and its qualifier to machines
            qualified.add(at)
    view = [column("id"), column("name"), column("unit", "label")]
    view.append(column("region" if by == "period" else "period", "label"))
    view += [Column(f"{a}_text", labels[a], labels[a], "number") for a in across]
    across_fields = [f for a in across for f in (a, f"{a}_qualifier")[: 2 if a in qualified else 1]]
    return Output(
        rows=list(rows.values()),
        fields=("id", "name", "unit", other_key, *across_fields),
        columns=tuple(view),
    )
