"""One declaration of each record's fields (fanpin_cli.schema), and what is derived from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanpin_cli.load.problems import FileContext, Problems
from fanpin_cli.load.records import IndicatorRules
from fanpin_cli.load.text import Lines
from fanpin_cli.schema import DatasetMeta, Indicator, keys

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
}
ODD = [
    None, "", " ", "text", "2023", "2023-Q5", "620100", "62010", "户", "percent", "annual",
    "monthly", "monitoring.x", "other.x", "Monitoring.X", 0, 7, -3, 10**18, 10**17, True, False,
    Decimal("1.50"), Decimal("1E+3"), Decimal("NaN"), Decimal("Infinity"), Decimal("-1e30"),
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


def judge(rec: object, defaults: DatasetMeta) -> tuple[object, object, list[str]]:
    """The fast path's record, the full check's record and the full check's problems."""
    problems = Problems(strict=False)
    rules = IndicatorRules(
        FileContext("synthetic.toml", Lines(""), problems), "monitoring", defaults
    )
    fast = rules.fast(rec, 3)
    full = rules.full(rec, 3)
    return fast, full, [f.message for f in problems.found]


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(tables(), st.sampled_from(DEFAULTS))
def test_fast_path_and_full_check_agree(rec: object, defaults: DatasetMeta) -> None:
    fast, full, problems = judge(rec, defaults)
    if fast is not None:  # the fast path accepts only what the full check accepts silently
        assert (full, problems) == (fast, [])
        assert [type(v) for v in full] == [type(v) for v in fast]  # type: ignore[union-attr]
    else:  # and it refuses something only when the full check has something to say
        assert problems, rec


def test_the_agreement_is_not_vacuous() -> None:
    fast, full, problems = judge(dict(VALID), DEFAULTS[0])
    assert fast is not None and fast == full and problems == []
    assert fast.value == 12 and fast.ratio == ("monitoring.a", "monitoring.b")
    fast, full, problems = judge({**VALID, "value": Decimal("1E+3")}, DEFAULTS[0])
    assert fast is not None and str(fast.value) == "1000"
    bad = {k: v for k, v in VALID.items() if k != "period"}
    fast, full, problems = judge(bad, DEFAULTS[0])
    assert (fast, full) == (None, None)
    assert problems == [
        "monitoring.synthetic_households: period is missing (and dataset.toml sets none)"
    ]
    fast, full, problems = judge(bad, DEFAULTS[1])
    assert fast is not None and fast.period == "2024"


def test_toml_keys_are_the_declared_fields() -> None:
    assert keys(Indicator) == set(VALID)
