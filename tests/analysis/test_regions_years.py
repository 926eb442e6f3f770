"""Many regions and years: region table, templates, roll-up, pivots, diff and progress."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

from conftest import CODES, COUNTIES, MINI, run
from conftest import COUNTY_TARGETS as TARGETS
from conftest import county_args as data_args

from fanpin_cli.analysis.progress import classify, measure
from fanpin_cli.reading.load import load


def rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


# ---------------------------------------------------------------- regions


def test_bundled_region_table() -> None:
    regions = {r.code: r for r in load().regions}
    assert regions["620100"].name_zh == "兰州市" and regions["620100"].parent == "620000"
    assert {c for c, r in regions.items() if r.parent == "620100"} == set(CODES)
    assert regions["620121"].name_zh == "永登县" and regions["620121"].name_en == "Yongdeng County"


def test_region_by_name_or_code() -> None:
    by_name = run("show", "monitoring.total_households", *data_args("2023"), "--region", "永登县",
                  "-o", "csv", "--fields", "region_code,region_name_zh,value")  # fmt: skip
    by_code = run("show", "monitoring.total_households", *data_args("2023"), "--region", "620121",
                  "-o", "csv", "--fields", "region_code,region_name_zh,value")  # fmt: skip
    assert by_name.out == by_code.out == "region_code,region_name_zh,value\n620121,永登县,396\n"
    # a known region without records in the bundled data: said on stderr, exit 1
    none = run("--lang", "en", "show", "--region", "Yongdeng County")
    assert (none.code, none.out) == (1, "")
    assert none.err == "fanpin: error: no records match --region 620121\n"
    bad = run("--lang", "en", "show", "--region", "永登")
    assert bad.code == 2 and "unknown region '永登'" in bad.err and "永登县" in bad.err


def test_a_dataset_can_add_regions(mini: Path) -> None:
    d = mini
    (d / "regions.toml").write_text(
        '[[region]]\ncode = "620199"\nname_zh = "合成区"\nname_en = "Synthetic District"\n'
        'parent = "620100"\n',
        encoding="utf-8",
    )
    text = (d / "dataset.toml").read_text(encoding="utf-8").replace('"620121"', '"620199"')
    (d / "dataset.toml").write_text(text, encoding="utf-8")
    r = run(
        "show", "--data", str(d), "--region", "合成区", "-o", "csv", "--fields", "region_name_en"
    )
    assert r.out.splitlines()[1] == "Synthetic District"


# ---------------------------------------------------------------- templates


def test_template_has_every_indicator_and_no_values(tmp_path: Path) -> None:
    target = tmp_path / "620121"
    r = run("template", "--region", "永登县", "--period", "2024", str(target))
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == f"{target}/dataset.toml"
    dataset = load([target])
    bundled_ids = {i.id for i in load().indicators}
    city_only = {i.id for i in load().indicators if i.city_only}
    assert {i.id for i in dataset.indicators} == bundled_ids - city_only  # a county's template
    assert len(dataset.indicators) == len(bundled_ids) - len(city_only) == 93 - 14
    assert all(i.value is None for i in dataset.indicators)
    assert {(i.region_code, i.period) for i in dataset.indicators} == {("620121", "2024")}
    units = {i.id: i.unit for i in load().indicators}
    assert all(units[i.id] == i.unit for i in dataset.indicators)
    assert run("check", "--data", str(target)).code == 0


def test_template_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "620122"
    run("template", "--region", "620122", "--period", "2024", str(target))
    f = target / "monitoring.toml"
    text = f.read_text(encoding="utf-8")
    for rid, value in (("monitoring.total_households", 30), ("monitoring.unstable_households", 10),
                       ("monitoring.marginal_households", 15),
                       ("monitoring.sudden_hardship_households", 5)):  # fmt: skip
        block = text.index(f'id = "{rid}"')
        line = text.index("# value =", block)
        text = text[:line] + f"value = {value}" + text[text.index("\n", line) :]
    f.write_text(text, encoding="utf-8")  # SYNTHETIC figures
    assert run("check", "--data", str(target)).code == 0
    got = run("get", "monitoring.total_households", "--data", str(target))
    assert got.out == "30\n"
    f.write_text(text.replace("value = 15", "value = 16"), encoding="utf-8")
    bad = run("check", "--data", str(target), "-o", "csv", "--fields", "rule,message")
    assert bad.code == 1 and "parts add up to 31户" in bad.out


def test_template_refuses_to_overwrite_and_bad_arguments(tmp_path: Path) -> None:
    target = tmp_path / "x"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    r = run("--lang", "en", "template", "--region", "620121", "--period", "2024", str(target))
    assert r.code == 2 and "not an empty directory" in r.err
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert run("template", "--region", "北京", "--period", "2024", str(tmp_path / "y")).code == 2
    assert run("template", "--region", "620121", "--period", "24", str(tmp_path / "z")).code == 2
    assert not (tmp_path / "y").exists() and not (tmp_path / "z").exists()


# ---------------------------------------------------------------- many datasets


def test_several_datasets_load_together() -> None:
    r = run("show", "monitoring.total_households", *data_args("2022", "2023", city=True),
            "-o", "csv", "--fields", "region_code,period,value")  # fmt: skip
    got = {(x["region_code"], x["period"]): x["value"] for x in rows(r.out)}
    assert len(got) == 1 + 16
    assert got[("620100", "2023")] == "1294"


def test_pivot_by_region_and_by_period() -> None:
    by_region = run("show", "monitoring.total_households", "--by", "region",
                    *data_args("2023", city=True), "-o", "csv")  # fmt: skip
    header, line = by_region.out.splitlines()
    assert header == "id,name,unit,period,620100," + ",".join(CODES)
    values = [int(x) for x in line.split(",")[4:]]
    assert values[0] == 1294 and sum(values[1:]) == 1294
    by_period = run("show", "monitoring.total_households", "--by", "period",
                    *data_args("2022", "2023"), "--region", "永登县", "-o", "csv")  # fmt: skip
    assert by_period.out.splitlines() == [
        "id,name,unit,region_code,2022,2023",
        "monitoring.total_households,累计监测对象户数,户,620121,316,396",
    ]
    table = run("show", "rectification", "--by", "period", "-o", "table", env={"COLUMNS": "160"})
    assert "2021" in table.out and "2022" in table.out


def test_rollup_sums_counts_never_rates() -> None:
    r = run("rollup", "--to", "620100", *data_args("2023", city=True), "-o", "csv")
    assert r.code == 0, r.err
    got = {x["id"]: x for x in rows(r.out)}
    assert got["monitoring.total_households"]["county_sum"] == "1294"
    assert got["monitoring.total_households"]["parent_value"] == "1294"
    assert got["monitoring.total_households"]["status"] == "match"
    assert got["monitoring.total_persons"]["difference"] == "2"
    assert got["monitoring.total_persons"]["status"] == "differs"
    assert got["monitoring.new_households"]["counties_reported"] == "8"
    for never in ("monitoring.measures_per_household", "policy.dibao_standard"):
        assert never not in got
    # a rate with its numerator and denominator is rebuilt from their sums (issue 23), never
    # summed: 771 / 1294 = 59.58% reported as 59.6
    rate = got["monitoring.risk_elimination_rate"]
    assert (rate["county_sum"], rate["method"], rate["county_value"]) == ("", "ratio", "59.6")
    assert "2 项不一致" in run("rollup", "--to", "兰州市", *data_args("2023", city=True),
                              "-o", "table").out  # fmt: skip


def test_rollup_with_missing_counties_and_unit_conversion(tmp_path: Path) -> None:
    partial = ["--data", "@bundled", "--data", str(COUNTIES / "2023" / "620121")]
    r = run("rollup", "--to", "620100", *partial, "-o", "csv")
    got = {x["id"]: x for x in rows(r.out)}
    assert got["monitoring.total_households"]["counties_reported"] == "1"
    assert got["monitoring.total_households"]["status"] == "differs (incomplete)"
    # 万户 at the city, 户 in the county: converted before summing
    assert "policy.safety_net_households" not in got  # the county did not fill it in
    assert run("rollup", "--to", "620100").code == 1  # no county data loaded: nothing matched


def test_check_flags_county_totals_that_do_not_match_the_city() -> None:
    r = run("check", *data_args("2023", city=True), "-o", "json")
    assert r.code == 1
    findings = [f for f in json.loads(r.out) if f["rule"] == "rollup"]
    assert [f["indicators"] for f in findings] == [
        ["monitoring.total_persons"],
        ["monitoring.unstable_persons"],
    ]
    assert findings[0]["expected"] == "4538" and findings[0]["actual"] == "4540"
    assert findings[0]["file"].endswith("data/monitoring.toml")
    assert run("check", *data_args("2023")).code == 0  # counties alone are consistent


def test_diff_between_periods() -> None:
    r = run("diff", "rectification", "--from", "2021", "--to", "2022", "-o", "csv",
            "--fields", "id,previous,value,change,change_percent")  # fmt: skip
    assert r.out.splitlines() == [
        "id,previous,value,change,change_percent",
        "rectification.national_assessment_aspects,5,5,0,0.00",
        "rectification.national_assessment_issues,19,22,3,15.79",
        "rectification.provincial_assessment_aspects,11,11,0,0.00",
        "rectification.provincial_assessment_issues,21,24,3,14.29",
    ]
    default = run("diff", "rectification", "-o", "csv", "--fields", "id,change")
    assert default.out.count("\n") == 5  # each series: its own latest two periods
    counties = run("diff", "monitoring.total_households", *data_args("2022", "2023"),
                   "--region", "620121", "-o", "csv",
                   "--fields", "previous,value,change")  # fmt: skip
    assert counties.out.splitlines()[1] == "316,396,80"
    assert run("diff", "--from", "1999").code == 1  # a well-formed period no record has


def test_diff_against_another_dataset_converts_units(tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(MINI, old)
    f = old / "monitoring.toml"
    f.write_text(
        f.read_text(encoding="utf-8").replace(
            'value = 100\nunit = "户"', 'value = 0.0090\nunit = "万户"'
        ),
        encoding="utf-8",
    )  # SYNTHETIC: 90 households written in 万户
    new = MINI
    r = run("diff", "monitoring.total_households", "--data", str(new), "--against", str(old),
            "-o", "csv", "--fields", "previous,value,unit,change,change_percent")  # fmt: skip
    assert r.out.splitlines()[1] == "90,100,户,10,11.11"


# ---------------------------------------------------------------- progress (Open SDG)


def d(x: str) -> Decimal:
    return Decimal(x)


def test_progress_hand_worked_increasing() -> None:
    # observed (60/50)^(1/2)-1 = 0.095445; required (80/50)^(1/5)-1 = 0.098561; ratio 0.9684
    p = measure([(2020, d("50")), (2022, d("60"))], d("80"), ">=", 2025)
    assert p.status == "substantial progress"
    assert p.observed_rate is not None and round(p.observed_rate, 6) == 0.095445
    assert p.required_rate is not None and round(p.required_rate, 6) == 0.098561
    assert p.ratio is not None and round(p.ratio, 4) == 0.9684
    slower = measure([(2020, d("50")), (2022, d("55"))], d("80"), ">=", 2025)
    # (55/50)^(1/2)-1 = 0.048809; / 0.098561 = 0.4952: limited
    assert slower.status == "limited progress" and round(slower.ratio or 0, 4) == 0.4952
    moderate = measure([(2020, d("50")), (2022, d("57"))], d("80"), ">=", 2025)
    # (57/50)^(1/2)-1 = 0.067708; / 0.098561 = 0.6870
    assert moderate.status == "moderate progress" and round(moderate.ratio or 0, 4) == 0.6870


def test_progress_already_past_the_target() -> None:
    p = measure([(2021, d("70")), (2023, d("95"))], d("90"), ">=", 2025)
    assert p.status == "target achieved" and p.ratio is None


def test_progress_decreasing_indicator_with_a_maximum() -> None:
    # observed (8/10)^(1/2)-1 = -0.105573; required (5/10)^(1/5)-1 = -0.129449
    # ratio = 1 * (-1) * -0.105573 / 0.129449 = 0.8156: moderate
    p = measure([(2020, d("10")), (2022, d("8"))], d("5"), "<=", 2025)
    assert p.status == "moderate progress" and p.direction == -1
    assert round(p.ratio or 0, 4) == 0.8156
    worse = measure([(2020, d("10")), (2022, d("12"))], d("5"), "<=", 2025)
    assert worse.status == "deterioration" and (worse.ratio or 0) < 0
    done = measure([(2020, d("10")), (2022, d("4"))], d("5"), "<", 2025)
    assert done.status == "target achieved"


def test_progress_not_available() -> None:
    one_year = measure([(2023, d("5"))], d("9"), ">=", 2025)
    assert one_year.note == "needs two or more years from 2015 on"
    no_year = measure([(2022, d("5")), (2023, d("6"))], d("9"), ">=", None)
    assert (no_year.status, no_year.note) == ("not available", "no target year")
    assert no_year.departure == "no_target_year"
    flipped = measure([(2022, d("-5")), (2023, d("6"))], d("9"), ">=", 2025)
    assert flipped.status == "not available"
    unknown = measure([(2022, d("5")), (2023, d("6"))], d("9"), "!=", 2025)
    assert (unknown.status, unknown.note) == ("not available", "no direction for a != target")
    assert classify(0.95) == "substantial progress" and classify(0.6) == "moderate progress"
    assert classify(0.0) == "limited progress" and classify(-0.01) == "deterioration"


def test_compare_shows_progress_and_explain_its_components() -> None:
    args = ["--targets", str(TARGETS), *data_args("2022", "2023")]
    r = run("compare", *args, "--region", "永登县", "-o", "csv",
            "--fields", "period,value,status,progress_status,progress_ratio")  # fmt: skip
    assert r.out.splitlines() == [
        "period,value,status,progress_status,progress_ratio",
        "2022,35.4,missed,,",
        "2023,59.3,missed,substantial progress,2.1619",
    ]
    e = run("explain", "monitoring.risk_elimination_rate", "--targets", str(TARGETS),
            "--data", str(COUNTIES / "2022" / "620121"),
            "--data", str(COUNTIES / "2023" / "620121"), "-o", "json")  # fmt: skip
    info = json.loads(e.out)
    p = next(t["progress"] for t in info["targets"] if "progress" in t)
    assert (p["base_year"], p["current_year"], p["target_year"]) == (2022, 2023, 2025)
    assert (p["base_value"], p["current_value"], p["target"]) == (35.4, 59.3, 80.0)
    # observed 59.3/35.4-1 = 0.675141; required (80/35.4)^(1/3)-1 = 0.312287
    assert round(p["observed_rate"], 6) == 0.675141 and round(p["required_rate"], 6) == 0.312287
    text = run("explain", "monitoring.risk_elimination_rate", "--targets", str(TARGETS),
               "--data", str(COUNTIES / "2022" / "620121"),
               "--data", str(COUNTIES / "2023" / "620121"), "-o", "tsv")  # fmt: skip
    assert re.search(r"进度\t进展显著; 基年 2022 = 35.4, 当前 2023 = 59.3", text.out)


def test_fixtures_say_they_are_synthetic() -> None:
    for meta in COUNTIES.glob("*/*/dataset.toml"):
        text = meta.read_text(encoding="utf-8")
        assert "synthetic = true" in text and "SYNTHETIC" in text
    assert "SYNTHETIC" in TARGETS.read_text(encoding="utf-8")
    assert all(m.synthetic for m in load([COUNTIES / "2023" / c for c in CODES]).metas)
