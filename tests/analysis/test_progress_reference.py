"""The progress measure against its reference, case by case, and on any input a dataset holds.

The reference is open-sdg/sdg-build pull request #318, sdg/ProgressMeasure.py at commit
6d3d128af8826a62c4ed26626663c961f0a94b3c. Its answers for 2,065 SYNTHETIC series are in
tests/golden/synthetic-progress-reference-cases.json: fanpin's status agrees with the
reference's (and its ratio to the bit), or the result names a departure; a departure is
named only where the statuses differ.
"""

from __future__ import annotations

import json
import math
import re
import struct
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ALL_DOCS, REPO, doc
from hypothesis import given, settings
from hypothesis import strategies as st

from fanpin_cli.analysis.progress import (
    BASE_YEAR,
    REFERENCE,
    REFERENCE_STATUS,
    STATUSES,
    Progress,
    classify,
    measure,
    reference_status,
)
from fanpin_cli.core.labels import DEPARTURES, TERMS_ZH, progress_status
from fanpin_cli.core.model import COMPARATORS


def status_text(p: Progress, lang: str) -> str:
    return progress_status(p.status, p.departure, lang)


ROOT = REPO
DOC = json.loads(
    (ROOT / "tests" / "golden" / "synthetic-progress-reference-cases.json").read_text("utf-8")
)
CASES: list[dict[str, Any]] = DOC["cases"]
COMMIT = "6d3d128af8826a62c4ed26626663c961f0a94b3c"


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def reference_answer(case: dict[str, Any]) -> str:
    """The reference's status in fanpin's names: none (or an exception) is "not available"."""
    status = case["reference_status"]
    return "not available" if status is None else REFERENCE_STATUS[status]


def reference_ratio(case: dict[str, Any]) -> float | None:
    ratio = case["reference_ratio"]
    return None if ratio is None else float(ratio)  # "NaN", "Infinity", "-Infinity" as strings


def run_case(case: dict[str, Any], declare: bool = True) -> Progress:
    points = [(year, Decimal(repr(value))) for year, value in case["points"]]
    if case["target"] is None:
        return measure(points, None, None, None, case["desired"] if declare else None)
    target = Decimal(repr(case["target"]))
    return measure(points, target, case["comparator"], case["target_year"])


def answers(case: dict[str, Any]) -> tuple[str, str, str]:
    """(fanpin's status, its departure, the reference's status) for one golden case."""
    p = run_case(case)
    return p.status, p.departure, reference_answer(case)


def test_cases_cover_both_methods_and_every_departure() -> None:
    assert DOC["synthetic"] is True and COMMIT in DOC["reference"]
    assert len(CASES) == 2065
    assert {c["target"] is None for c in CASES} == {True, False}
    assert {run_case(c).departure for c in CASES} == {"", *DEPARTURES}


def test_every_answer_agrees_or_names_its_departure() -> None:
    """Issue 24: 124 answers differed with no label and 122 agreeing ones carried a label."""
    tally: Counter[str] = Counter()
    wrong = []
    for case in CASES:
        p = run_case(case)
        ref, ratio = reference_answer(case), reference_ratio(case)
        if p.status == ref:
            tally["agree"] += 1
            ok = p.departure == "" and (
                p.ratio is None or p.ratio == ratio  # to the bit (0.0 == -0.0 where they differ)
            )
        else:
            tally[p.departure or "unlabelled"] += 1
            ok = p.departure in DEPARTURES
        if not ok:
            wrong.append((case, p.status, p.departure, p.ratio))
    assert wrong == [], wrong[:3]
    assert tally["agree"] == 1435 and tally["unlabelled"] == 0
    assert sum(tally.values()) - tally["agree"] == 630


def _ends(case: dict[str, Any]) -> tuple[tuple[int, float], tuple[int, float]] | None:
    measured = sorted((y, v) for y, v in case["points"] if y >= BASE_YEAR)
    return (measured[0], measured[-1]) if len(measured) >= 2 else None


def test_the_reference_rules_fanpin_names_departures_by_give_its_answers() -> None:
    """progress.reference_status states the reference's rules; checked on every case."""
    wrong = []
    for case in CASES:
        ends = _ends(case)
        if ends is None:
            assert case["reference_status"] is None
            continue
        target = case["target"]
        stated = reference_status(*ends, target, case["comparator"], case["target_year"],
                                  case["desired"])  # fmt: skip
        if stated != reference_answer(case):
            wrong.append((case, stated))
    assert wrong == [], wrong[:3]


def _departed(code: str) -> list[tuple[dict[str, Any], Progress]]:
    found = [(c, p) for c in CASES if (p := run_case(c)).departure == code]
    assert found, code
    return found


def test_each_departure_is_the_case_it_names() -> None:
    for case, p in _departed("met_at_base_then_lost"):
        # The reference divides by the required rate's sign: a value that has moved off a
        # target met at the base year gets a positive ratio; fanpin keeps the direction's.
        ratio = reference_ratio(case)
        assert p.status == "deterioration" and reference_answer(case) != "deterioration"
        assert ratio is not None and ratio > 0
        if p.ratio is not None:  # None: a required growth that rounds to 0 (ratio infinite)
            assert bits(p.ratio) == bits(-ratio)
    for case, p in _departed("target_equals_base"):
        assert math.isinf(reference_ratio(case) or 0.0)
        assert p.status == "deterioration" and p.ratio is None
    for code in ("no_target_year", "target_year_not_after_base"):
        for case, p in _departed(code):
            assert p.status == "not available" and p.ratio is None
            assert case["reference_status"] is not None
    for case, p in _departed("target_zero_achievement"):
        assert case["target"] == 0
        assert (p.status == "target achieved") != (case["reference_status"] == "target_achieved")
    for case, p in _departed("reached_not_met"):
        # the reference knows no strict comparator and no == target: at or past is achieved
        assert case["comparator"] in (">", "<", "==")
        assert case["reference_status"] == "target_achieved" or case["comparator"] == "=="
        assert p.status != "target achieved"
    for case, p in _departed("equals_target_from_below"):
        assert case["comparator"] == "==" and p.direction == 1
    for case, p in _departed("target_zero_past_base"):
        base = p.base_value
        assert case["target"] == 0 and base is not None and 0 < abs(base) <= 0.001
    for _case, p in _departed("required_growth_zero"):
        assert p.required_rate == 0 and p.ratio is None
    for case, p in _departed("negative_base_growth"):
        ratio = reference_ratio(case)
        assert p.method == 1 and p.base_value is not None and p.base_value < 0
        assert ratio is not None and p.ratio is not None and bits(p.ratio) == bits(-ratio)
    for _case, p in _departed("base_zero_growth"):
        assert p.method == 1 and p.base_value == 0 and p.ratio is None
    for case, p in _departed("no_direction"):
        assert case["target"] is None and case["desired"] is None and p.status == "not available"


def test_no_target_without_a_declared_direction_is_refused() -> None:
    for case in (c for c in CASES if c["class"] == "no_target"):
        p = run_case(case, declare=False)
        ends = _ends(case)
        # a departure where the reference, assuming down, gives a status
        down = "not available" if ends is None else reference_status(*ends, None, None, None, None)
        departure = "" if down == "not available" else "no_direction"
        assert (p.status, p.ratio, p.departure) == ("not available", None, departure)
        assert p.method == (None if ends is None else 1)


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
    import fanpin_cli.analysis.progress as progress

    readme = ALL_DOCS
    section = doc("collections.md")
    section = section[section.index("**6. Progress towards targets**") :]
    for text in (progress.__doc__ or "", REFERENCE, section):
        assert "open-sdg/sdg-build" in text and "#318" in text and COMMIT in text
    assert "as Open SDG does" not in readme and "as Open SDG does" not in (progress.__doc__ or "")
    for ref_name, name in REFERENCE_STATUS.items():
        assert name in STATUSES
        assert re.search(rf"`{ref_name}`.*{re.escape(name)}", section), ref_name
    for code in DEPARTURES:
        assert f"`{code}`" in section, code
    # issue 24 item 25: the earlier revisions said negligible_progress, not limited progress
    assert "keeps the names of the earlier revision" not in section
    assert "`negligible_progress`" in section and "a7410d2" in section


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
    from fanpin_cli.core.model import Indicator
    from fanpin_cli.writers.template_toml import _record

    ind = Indicator("s.x", "s", "甲", "A", None, "户", "2023", "620121", direction="down")
    assert 'direction = "down"' in _record(ind).splitlines()


# ------------------------------------------ docs/collections.md's departure table


def _answers_text(counts: Counter[str], code: bool) -> str:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(
        f"{f'`{name}`' if code and name[0] != '(' else name} {n}" for name, n in ranked
    )


def departure_columns() -> dict[str, tuple[str, str, str]]:
    """For each departure: (cases, the reference's answers, fanpin's) over the golden cases."""
    seen: dict[str, tuple[Counter[str], Counter[str]]] = {
        code: (Counter(), Counter()) for code in DEPARTURES
    }
    for case in CASES:
        p = run_case(case)
        if p.departure:
            error = case["reference_error"]
            ref = case["reference_status"] or (f"({error})" if error else "(no status)")
            seen[p.departure][0][ref] += 1
            seen[p.departure][1][p.status] += 1
    return {
        code: (str(sum(ref.values())), _answers_text(ref, True), _answers_text(ours, False))
        for code, (ref, ours) in seen.items()
    }


def test_readme_departure_table_comes_from_the_golden_cases() -> None:
    readme = doc("collections.md")
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 6 and cells[0].strip("`") in DEPARTURES:
            rows[cells[0].strip("`")] = tuple(cells[2:5])
    expected = departure_columns()
    assert set(rows) == set(expected)
    for code, columns in expected.items():
        assert rows[code] == columns, f"| `{code}` | … | {' | '.join(columns)} | … |"


# ------------------------------------------------- issue 24, items 19 to 24, one by one


def _series(*points: tuple[int, str]) -> list[tuple[int, Decimal]]:
    return [(year, Decimal(value)) for year, value in points]


def test_growth_from_a_negative_base_is_read_the_way_the_value_moved() -> None:
    # item 19: -10 -> -9, direction up: a rise (the reference: -10% growth, deterioration)
    p = measure(_series((2020, "-10"), (2021, "-9")), None, None, None, "up")
    assert (p.status, p.departure) == ("substantial progress", "negative_base_growth")
    assert p.ratio == pytest.approx(0.1)
    assert status_text(p, "en").endswith(
        "[negative base value: growth read the way the value moved]"
    )


def test_growth_from_a_base_of_zero_follows_the_reference() -> None:
    # item 20: 0 -> 5 is the reference's infinite growth: on track (up), deterioration (down)
    up = measure(_series((2020, "0"), (2023, "5")), None, None, None, "up")
    assert (up.status, up.ratio, up.departure) == ("substantial progress", None, "")
    down = measure(_series((2020, "0"), (2023, "5")), None, None, None, "down")
    assert (down.status, down.departure) == ("deterioration", "")
    flat = measure(_series((2020, "0"), (2023, "0")), None, None, None, "up")
    assert (flat.status, flat.departure) == ("not available", "")
    # a fall from 0 over two or more years: the reference's (-inf) ** (1/3) is +inf
    fall = measure(_series((2020, "0"), (2023, "-5")), None, None, None, "up")
    assert (fall.status, fall.departure) == ("deterioration", "base_zero_growth")


def test_target_method_values_of_opposite_signs_over_one_year() -> None:
    # item 21: 5 in 2022 -> -1 in 2023, target >= 10: -120% observed, as the reference
    p = measure(_series((2022, "5"), (2023, "-1")), Decimal(10), ">=", 2025)
    assert (p.status, p.departure) == ("deterioration", "")
    assert p.observed_rate == pytest.approx(-1.2)
    # over two years the root of a negative value is not real: no status in either
    two = measure(_series((2021, "5"), (2023, "-1")), Decimal(10), ">=", 2025)
    assert (two.status, two.departure) == ("not available", "")


def test_item_22_cases() -> None:
    # target 0 with a base between 0 and 0.001: moving away from 0 is deterioration, labelled
    p = measure(_series((2020, "0.0005"), (2022, "0.002")), Decimal(0), "<=", 2025)
    assert (p.status, p.departure) == ("deterioration", "target_zero_past_base")
    # opposite signs in the growth method, over one year: as the reference
    g = measure(_series((2020, "5"), (2021, "-1")), None, None, None, "up")
    assert (g.status, g.departure) == ("deterioration", "")
    # a required growth that rounds to 0: an infinite ratio towards the target
    base = 61.71
    target = Decimal(repr(math.nextafter(base, 0)))  # a maximum just under the base value
    r = measure(_series((2015, "61.71"), (2016, "65.37")), target, "<=", 2030)
    assert (r.status, r.required_rate, r.departure) == (
        "deterioration",
        0.0,
        "required_growth_zero",
    )
    falling = measure(_series((2015, "61.71"), (2016, "60")),
                      Decimal(repr(math.nextafter(base, 100))), ">=", 2030)  # fmt: skip
    assert (falling.status, falling.departure) == ("deterioration", "")


def test_a_label_only_where_the_answers_differ() -> None:
    # item 23: a target year equal to the base year is a ZeroDivisionError in the reference
    # (no status), as fanpin's "not available": no departure
    p = measure(_series((2018, "0.81"), (2021, "0.97")), Decimal("0.34"), "<=", 2018)
    assert (p.status, p.departure) == ("not available", "")
    # an == target reached from below: "target achieved" in both
    q = measure(_series((2015, "90.18"), (2020, "112.06")), Decimal("112.06"), "==", None)
    assert (q.status, q.departure) == ("target achieved", "")


@pytest.mark.parametrize(
    ("comparator", "latest", "target"),
    [(">", "80", "80"), ("<", "30", "30"), ("==", "25", "30")],  # == from above, passed
)
def test_a_target_compare_misses_is_not_achieved(comparator: str, latest: str, target: str) -> None:
    # item 24: compare says missed for 80 > 80; progress no longer says target achieved
    p = measure(_series((2020, "50"), (2022, latest)), Decimal(target), comparator, 2025)
    assert p.status not in ("target achieved", "not available")
    assert p.departure == "reached_not_met"


def test_compare_and_progress_give_one_answer_at_a_strict_target(tmp_path: Path) -> None:
    from conftest import run

    fixtures = ROOT / "tests" / "fixtures"
    # SYNTHETIC: the fixture's target made strict (> 59.3), which the 2023 value equals
    text = (fixtures / "synthetic-county-targets.toml").read_text("utf-8")
    targets = tmp_path / "synthetic-strict.toml"
    targets.write_text(
        text.replace('comparator = ">="', 'comparator = ">"').replace("value = 80", "value = 59.3"),
        "utf-8",
    )
    data = []
    for year in ("2022", "2023"):
        data += ["--data", str(fixtures / "synthetic-counties" / year / "620121")]
    r = run("compare", "--targets", str(targets), *data, "-o", "csv",
            "--fields", "period,value,status,progress_status,progress_departure")  # fmt: skip
    assert r.code == 0, r.err
    assert r.out.splitlines()[1:] == [
        "2022,35.4,missed,,",
        "2023,59.3,missed,substantial progress,reached_not_met",
    ]
