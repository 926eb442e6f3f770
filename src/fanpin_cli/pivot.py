"""Pivot tables: indicators down, periods (or regions) across."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from fanpin_cli.formats.base import Column, Output
from fanpin_cli.model import Dataset, Indicator
from fanpin_cli.rows import Row

By = Literal["period", "region"]


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
        labels = {c: regions[c].name(lang) if c in regions else c for c in across}
    rows: dict[tuple[str, str, str], Row] = {}
    for ind in indicators:
        other = ind.region_code if by == "period" else ind.period
        column = ind.period if by == "period" else ind.region_code
        key = (ind.id, other, ind.unit)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "id": ind.id,
                "name": ind.name(lang),
                "unit": ind.unit,
                "region_code" if by == "period" else "period": other,
            }
            if by == "period":
                r = regions.get(other)
                row["region"] = r.name(lang) if r else other
        row[column] = ind.value
    fixed = ("id", "name", "unit", "region_code" if by == "period" else "period")
    view = [
        Column("id", "ID", "ID"),
        Column("name", "指标", "Indicator"),
        Column("unit", "单位", "Unit", "label"),
    ]
    view.append(
        Column("region", "地区", "Region", "label")
        if by == "period"
        else Column("period", "期间", "Period", "label")
    )
    view += [Column(a, labels[a], labels[a], "number") for a in across]
    return Output(rows=list(rows.values()), fields=(*fixed, *across), columns=tuple(view))
