"""Rows and columns for rollup and diff output."""

from __future__ import annotations

from collections.abc import Sequence

from fanpin_cli.diff import Change
from fanpin_cli.formats.base import Column, Output
from fanpin_cli.model import Dataset
from fanpin_cli.rollup import RollupRow

ROLLUP_FIELDS = (
    "id", "name_zh", "name_en", "period", "unit", "counties_reported", "counties_expected",
    "county_sum", "parent_value", "difference", "status", "missing",
)  # fmt: skip
ROLLUP_VIEW = (
    Column("id", "ID", "ID"),
    Column("name", "指标", "Indicator"),
    Column("period", "期间", "Period", "label"),
    Column("county_sum", "县区合计", "County sum", "number"),
    Column("parent_value", "本级数", "Parent's figure", "number"),
    Column("difference", "差额", "Difference", "number"),
    Column("unit", "单位", "Unit", "label"),
    Column("reported", "已报", "Reported", "label"),
    Column("status_text", "状态", "Status", "label"),
)
ROLLUP_ZH = {
    "match": "一致",
    "match (incomplete)": "一致(未报齐)",
    "differs": "不一致",
    "differs (incomplete)": "不一致(未报齐)",
    "no parent figure": "无本级数",
}


def rollup_output(dataset: Dataset, parent: str, rows: Sequence[RollupRow], lang: str) -> Output:
    """Roll-up rows with a summary of how many indicators match the parent's figure."""
    out = []
    for r in rows:
        out.append(
            {
                "id": r.id,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "name": r.name_en if lang == "en" else r.name_zh,
                "period": r.period,
                "unit": r.unit,
                "counties_reported": r.children_reported,
                "counties_expected": r.children_expected,
                "county_sum": r.children_sum,
                "parent_value": r.own,
                "difference": r.difference,
                "status": r.status,
                "status_text": r.status if lang == "en" else ROLLUP_ZH[r.status],
                "missing": list(r.missing) or None,
                "reported": f"{r.children_reported}/{r.children_expected}",
            }
        )
    region = dataset.region(parent)
    name = region.name(lang) if region else parent
    differs = sum(1 for r in rows if r.status.startswith("differs"))
    summary = (
        f"{len(rows)} indicators rolled up to {name} ({parent}); {differs} differ"
        if lang == "en"
        else f"共 {len(rows)} 项指标汇总到{name}({parent}); {differs} 项不一致"
    )
    return Output(rows=out, fields=ROLLUP_FIELDS, columns=ROLLUP_VIEW, summary=summary)


DIFF_FIELDS = (
    "id", "name_zh", "name_en", "region_code", "region_name", "unit", "previous_period",
    "previous", "period", "value", "change", "change_percent", "note",
)  # fmt: skip
DIFF_VIEW = (
    Column("id", "ID", "ID"),
    Column("name", "指标", "Indicator"),
    Column("region_name", "地区", "Region", "label"),
    Column("previous", "上期", "Previous", "number"),
    Column("value", "本期", "Current", "number"),
    Column("change", "变化", "Change", "number"),
    Column("change_percent", "变化%", "Change %", "number"),
    Column("unit", "单位", "Unit", "label"),
)


def diff_output(
    dataset: Dataset, changes: Sequence[Change], lang: str, title: str | None
) -> Output:
    """Diff rows: previous and current value, change and percentage change."""
    regions = {r.code: r for r in dataset.regions}
    out = []
    for c in changes:
        cur, prev = c.current, c.previous
        region = regions.get(cur.region_code)
        out.append(
            {
                "id": cur.id,
                "name_zh": cur.name_zh,
                "name_en": cur.name_en,
                "name": cur.name(lang),
                "region_code": cur.region_code,
                "region_name": region.name(lang) if region else cur.region_code,
                "unit": cur.unit,
                "previous_period": prev.period if prev else None,
                "previous": c.previous_value,
                "period": cur.period,
                "value": cur.value,
                "change": c.change,
                "change_percent": c.change_percent,
                "note": c.note or None,
            }
        )
    return Output(rows=out, fields=DIFF_FIELDS, columns=DIFF_VIEW, title=title)
