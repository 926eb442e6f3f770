"""The progress measure against its reference, case by case, and on any input a dataset holds.

The reference is open-sdg/sdg-build pull request #318, sdg/ProgressMeasure.py at commit
6d3d128af8826a62c4ed26626663c961f0a94b3c. Its answers for 75 SYNTHETIC series are in
tests/golden/synthetic-progress-reference-cases.json, grouped by class: a class fanpin agrees
with must agree to the bit; every other class is asserted as its named departure.
"""

from __future__ import annotations

import json
import math
import re
import struct
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanpin_cli.labels import DEPARTURES, TERMS_ZH, progress_status
from fanpin_cli.model import COMPARATORS
from fanpin_cli.progress import (
    REFERENCE,
    REFERENCE_STATUS,
    STATUSES,
    Progress,
    classify,
    measure,
)


def status_text(p: Progress, lang: str) -> str:
    return progress_status(p.status, p.departure, lang)


ROOT = Path(__file__).parent.parent
DOC = json.loads(
    (ROOT / "tests" / "golden" / "synthetic-progress-reference-cases.json").read_text("utf-8")
)
CASES: list[dict[str, Any]] = DOC["cases"]
COMMIT = "6d3d128af8826a62c4ed26626663c961f0a94b3c"

# Classes where fanpin gives the reference's answer (after issue 17)...
AGREEING = {
    "agree",
    "base_zero",
    "current_zero",
    "equals_comparator",
    "no_target",
    "years_before_2015",
}
# ...and those where it keeps its own, named by the departure code in the result.
DEPARTING = {
    "met_at_base_then_lost": "met_at_base_then_lost",
    "target_equals_base": "target_equals_base",
    "no_target_year": "no_target_year",
    "other": "target_year_not_after_base",
    "target_zero": "target_zero_achievement",
}


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def fanpin_status(reference_status: str | None) -> str:
    return "not available" if reference_status is None else REFERENCE_STATUS[reference_status]


def run_case(case: dict[str, Any], declare: bool = True) -> Progress:
    points = [(year, Decimal(repr(value))) for year, value in case["points"]]
    if case["target"] is None:
        # The no-target cases carry the desired direction as a comparator (>= up, <= down).
        desired = ("up" if case["comparator"] in (">=", ">") else "down") if declare else None
        return measure(points, None, None, None, desired)
    target = Decimal(repr(case["target"]))
    return measure(points, target, case["comparator"], case["target_year"])


def case_id(case: dict[str, Any]) -> str:
    same = [c for c in CASES if c["class"] == case["class"]]
    return f"{case['class']}-{same.index(case)}"


def test_cases_cover_every_class() -> None:
    assert DOC["synthetic"] is True and COMMIT in DOC["reference"]
    assert len(CASES) == 75
    assert {c["class"] for c in CASES} == AGREEING | set(DEPARTING)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_reference_case(case: dict[str, Any]) -> None:
    p = run_case(case)
    ref_ratio = case["reference_ratio"]
    if case["class"] in AGREEING:
        assert p.departure == ""
        assert p.status == fanpin_status(case["reference_status"])
        if ref_ratio is None or math.isnan(ref_ratio):  # NaN: the reference's 0/0 for base 0
            assert p.ratio is None
        else:
            assert p.ratio is not None and bits(p.ratio) == bits(ref_ratio)
        return
    assert p.departure == DEPARTING[case["class"]]
    if case["class"] == "met_at_base_then_lost":
        # The reference divides by the required rate's sign, so a value that has moved off a
        # target met at the base year is on_track; fanpin keeps the sign of the direction.
        assert case["reference_status"] == "on_track"
        assert p.status == "deterioration"
        assert p.ratio is not None and bits(p.ratio) == bits(-ref_ratio)
    elif case["class"] == "target_equals_base":
        assert math.isinf(ref_ratio)
        assert p.status == "deterioration" and p.ratio is None
    elif case["class"] in ("no_target_year", "other"):
        assert case["reference_status"] is not None
        assert p.status == "not available" and p.ratio is None
    else:  # target_zero: fanpin judges the target as 0, the reference as 0.001
        assert case["reference_status"] == "target_achieved"
        assert p.status == case["fanpin_status_today"]
        assert p.ratio is not None and bits(p.ratio) == bits(case["fanpin_ratio_today"])


def test_no_target_without_a_declared_direction_is_refused() -> None:
    for case in (c for c in CASES if c["class"] == "no_target"):
        p = run_case(case, declare=False)
        assert (p.status, p.ratio, p.departure) == ("not available", None, "no_direction")
        assert p.method == 1


def test_no_target_growth_thresholds() -> None:
    def growth(end: str, desired: str = "up") -> Progress:
        return measure([(2020, Decimal("100")), (2021, Decimal(end))], None, None, None, desired)

    # yearly growth from 1.5% is on track (substantial), from 0.5% needs acceleration
    # (moderate), from 0 limited; (101.5 / 100) - 1 rounds below 0.015, so not tested at 1.5
    assert growth("101.6").status == "substantial progress"
    assert growth("101.4").status == "moderate progress"
    assert growth("100.6").status == "moderate progress"
    assert growth("100.4").status == "limited progress"
    assert growth("100").status == "limited progress"
    assert growth("99.9").status == "deterioration"
    assert growth("98.4", "down").status == "substantial progress"
    assert growth("101.6", "down").status == "deterioration"
    negative = measure([(2020, Decimal("-10")), (2021, Decimal("-9"))], None, None, None, "up")
    assert negative.status == "substantial progress" and negative.ratio == pytest.approx(0.1)


def test_equals_target_above_the_base_is_approached_upwards() -> None:
    up = measure([(2020, Decimal("50")), (2022, Decimal("60"))], Decimal("80"), "==", 2025)
    # ratio 0.968 as in test_progress_hand_worked_increasing, with the direction inferred
    assert (up.direction, up.departure) == (1, "equals_target_from_below")
    assert up.status == "substantial progress"
    down = measure([(2020, Decimal("90")), (2022, Decimal("85"))], Decimal("80"), "==", 2025)
    assert (down.direction, down.departure) == (-1, "")
    # a declared direction is for targetless indicators only: the target gives the direction
    declared = measure(
        [(2020, Decimal("50")), (2022, Decimal("60"))], Decimal("80"), "==", 2025, "down"
    )
    assert declared == up


def test_base_zero_is_not_replaced() -> None:
    # Before issue 17 fanpin replaced the base 0 by 0.001 "as Open SDG does" (ratio 14.2);
    # the reference gives no status.
    p = measure([(2020, Decimal("0")), (2022, Decimal("8"))], Decimal("20"), ">=", 2025)
    assert (p.status, p.ratio, p.observed_rate) == ("not available", None, None)
    assert "0.001" not in p.note


def test_reference_is_named_and_statuses_mapped_in_code_and_readme() -> None:
    import fanpin_cli.progress as progress

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("**6. Progress towards targets**") :]
    section = section[: section.index("\n## ")]
    for text in (progress.__doc__ or "", REFERENCE, section):
        assert "open-sdg/sdg-build" in text and "#318" in text and COMMIT in text
    assert "as Open SDG does" not in readme and "as Open SDG does" not in (progress.__doc__ or "")
    for ref_name, name in REFERENCE_STATUS.items():
        assert name in STATUSES
        assert re.search(rf"`{ref_name}`.*{re.escape(name)}", section), ref_name
    for code in DEPARTURES:
        assert f"`{code}`" in section, code


def test_departure_shown_with_the_status() -> None:
    p = measure([(2020, Decimal("50")), (2022, Decimal("40"))], Decimal("45"), ">=", 2025)
    assert p.departure == "met_at_base_then_lost"
    assert status_text(p, "en") == "deterioration [target met at the base year and lost since]"
    assert status_text(p, "zh").startswith(TERMS_ZH["deterioration"] + " [")
    plain = measure([(2020, Decimal("50")), (2022, Decimal("60"))], Decimal("80"), ">=", 2025)
    assert status_text(plain, "en") == plain.status


def test_classify_thresholds() -> None:
    assert classify(0.95) == "substantial progress" and classify(0.6) == "moderate progress"
    assert classify(0.0) == "limited progress" and classify(-0.01) == "deterioration"


# Values a dataset can hold: finite decimals below 1e18 in magnitude (load.MAX_ABS), of any
# precision and exponent, after unit conversion; years from four-digit periods.
VALUES = st.one_of(
    st.decimals(min_value=-(10**18) + 1, max_value=10**18 - 1, allow_nan=False, places=None),
    st.sampled_from([Decimal(0), Decimal("-0"), Decimal("1E-400"), Decimal("-1E-400")]),
    st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1).map(Decimal),
)
YEARS = st.integers(min_value=1000, max_value=9999)


@settings(max_examples=200, deadline=None)
@given(
    series=st.lists(st.tuples(YEARS, VALUES), max_size=6),
    target=st.none() | VALUES,
    comparator=st.none() | st.sampled_from([*COMPARATORS, "!=", ""]),
    target_year=st.none() | YEARS,
    desired=st.none() | st.sampled_from(["up", "down", "sideways"]),
)
def test_measure_never_raises(
    series: list[tuple[int, Decimal]],
    target: Decimal | None,
    comparator: str | None,
    target_year: int | None,
    desired: str | None,
) -> None:
    p = measure(series, target, comparator, target_year, desired)
    assert p.status in STATUSES
    assert p.departure in ("", *DEPARTURES)
    for rate in (p.ratio, p.observed_rate, p.required_rate):
        assert rate is None or math.isfinite(rate)
    if p.ratio is not None:
        assert p.status not in ("target achieved", "not available")


def test_compare_and_explain_show_the_departure(tmp_path: Path) -> None:
    from conftest import run

    fixtures = ROOT / "tests" / "fixtures"
    # SYNTHETIC: the fixture's target turned into a maximum of 40%, met by 35.4 in 2022 and
    # lost by 59.3 in 2023.
    text = (fixtures / "synthetic-county-targets.toml").read_text("utf-8")
    targets = tmp_path / "synthetic-maximum.toml"
    targets.write_text(
        text.replace('comparator = ">="', 'comparator = "<="').replace("value = 80", "value = 40"),
        "utf-8",
    )
    data = []
    for year in ("2022", "2023"):
        data += ["--data", str(fixtures / "synthetic-counties" / year / "620121")]
    r = run("compare", "--targets", str(targets), *data, "-o", "csv",
            "--fields", "period,status,progress_status,progress_departure")  # fmt: skip
    assert r.code == 0, r.err
    assert r.out.splitlines()[1:] == [
        "2022,met,,",
        "2023,missed,deterioration,met_at_base_then_lost",
    ]
    table = run("compare", "--targets", str(targets), *data, "--lang", "en", "-o", "table",
                env={"COLUMNS": "300"})  # fmt: skip
    assert "deterioration [target met at the base year and lost since]" in table.out
    e = run("explain", "monitoring.risk_elimination_rate", "--targets", str(targets), *data,
            "-o", "tsv")  # fmt: skip
    assert "退步 [基年已达目标, 其后未达]; 基年 2022 = 35.4" in e.out


# ------------------------------------------------- the declared direction (no-target method)


def _with_direction(tmp_path: Path, direction: str) -> list[str]:
    """The SYNTHETIC county fixture for 2022 and 2023, declaring `direction` on one indicator."""
    import shutil

    args = []
    for year in ("2022", "2023"):
        src = ROOT / "tests" / "fixtures" / "synthetic-counties" / year / "620121"
        dst = tmp_path / year
        shutil.copytree(src, dst)
        f = dst / "monitoring.toml"
        line = 'id = "monitoring.unstable_households"\n'
        text = f.read_text("utf-8")
        assert line in text
        f.write_text(text.replace(line, line + f"direction = {direction}\n"), "utf-8")
        args += ["--data", str(dst)]
    return args


def test_declared_direction_gives_growth_progress_in_explain(tmp_path: Path) -> None:
    from conftest import run

    data = _with_direction(tmp_path, '"down"')
    e = run("explain", "monitoring.unstable_households", *data, "-o", "json")
    assert e.code == 0, e.err
    [p] = json.loads(e.out)["progress"]
    # SYNTHETIC 103 -> 129 households: growth 129/103 - 1 = 25.24%, the wrong way for "down"
    assert (p["region_code"], p["method"], p["direction"]) == ("620121", 1, -1)
    assert p["status"] == "deterioration" and round(p["ratio"], 6) == -0.252427
    tsv = run("explain", "monitoring.unstable_households", *data, "-o", "tsv", "--lang", "en")
    assert "progress [Yongdeng County]\tdeterioration; base 2022 = 103, current 2023 = 129" in (
        tsv.out
    )
    assert "growth in the desired direction (down) -25.2427%" in tsv.out
    plain = run("explain", "monitoring.total_households", *data, "-o", "json")
    assert json.loads(plain.out)["progress"] == []  # no direction declared: not measured


@pytest.mark.parametrize(
    ("direction", "message"),
    [('"sideways"', "direction 'sideways' is not one of up, down"), ("1", "direction")],
)
def test_bad_direction_is_a_data_error(tmp_path: Path, direction: str, message: str) -> None:
    from conftest import run

    data = _with_direction(tmp_path, direction)
    r = run("show", "monitoring", *data, "--lang", "en")
    assert r.code == 3 and r.out == ""
    assert re.search(r"monitoring\.toml:\d+: .*" + re.escape(message), r.err), r.err
    findings = run("check", *data, "-o", "csv", "--fields", "rule,line,message")
    assert findings.code == 1 and re.search(r"schema,53,.*" + re.escape(message), findings.out)


def test_template_carries_the_direction() -> None:
    from fanpin_cli.model import Indicator
    from fanpin_cli.template import _record

    ind = Indicator("s.x", "s", "甲", "A", None, "户", "2023", "620121", direction="down")
    assert 'direction = "down"' in _record(ind).splitlines()
