"""Indicator tables for the schema's differential tests (tests/core/test_schema.py and
tests/reading/load/test_fast_columns.py): one valid SYNTHETIC record, odd values for its keys,
and a Hypothesis strategy of tables built from them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from fanpin_cli.core.schema import DatasetMeta

VALID: dict[str, Any] = {
    "id": "monitoring.synthetic_households",
    "name_zh": "合成户数",
    "name_en": "Synthetic households",
    "value": 12,
    "unit": "户",
    "period": "2023",
    "region_code": "620100",
    "basis": "annual",
    "source": "合成原文",
    "parts": ["monitoring.a", "monitoring.b"],
    "ratio": {"numerator": "monitoring.a", "denominator": "monitoring.b"},
    "subset_of": "monitoring.total",
    "note": "SYNTHETIC",
    "additive": True,
    "direction": "up",
    "written_as": "十二",
    "equivalent_unit": "人",
    "qualifier": ">",
    "citation": "synthetic-page",
    "city_only": False,
}
ODD = [
    None, "", " ", "text", "2023", "2023-Q5", "620100", "62010", "户", "percent", "annual",
    "monthly", "sideways", "2023-13", "0000", "monitoring.x", "other.x", "Monitoring.X",
    0, 7, -3, 10**18, 10**17, True, False, Decimal("1.50"), Decimal("1E+3"), Decimal("NaN"),
    Decimal("Infinity"), Decimal("-1e30"), Decimal("1E-10"),
    [], ["monitoring.a"], ["monitoring.a", 3], {}, {"numerator": "a", "denominator": "b"},
    {"numerator": "a"}, {"numerator": "a", "denominator": 1},
    {"numerator": "a", "denominator": "b", "c": "d"},
]  # fmt: skip
DEFAULTS = [DatasetMeta(), DatasetMeta(region_code="620100", period="2024")]


@st.composite
def tables(draw: st.DrawFn) -> object:
    """An [[indicator]] table: valid, or with keys dropped, retyped or unknown keys added."""
    if draw(st.integers(0, 20)) == 0:
        return draw(st.sampled_from(ODD))  # not a table at all
    rec = dict(VALID)
    for key in draw(st.lists(st.sampled_from(sorted(VALID)), max_size=4)):
        value = draw(st.sampled_from(ODD))
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    if draw(st.integers(0, 8)) == 0:
        rec["colour"] = "red"
    return rec
