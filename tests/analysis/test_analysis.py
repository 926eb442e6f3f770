"""The city office's analysis (issue 23) on the SYNTHETIC monthly fixture and the bundled data
with the synthetic counties: 同比/环比, 累计, rates rebuilt, rank, scorecard, jumps.

Golden files (tests/golden/synthetic-*.csv|json) are rewritten with FANPIN_WRITE_GOLDEN=1;
read the diff before committing them. The tests beside them check the numbers against the
fixture's own generator, so a golden file is never the only proof.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import COUNTY_ARGS, FIXTURES, REPO, county_args, run

MONTHLY = FIXTURES / "synthetic-monthly-counties"
M = ["--data", str(MONTHLY)]
GOLDEN = REPO / "tests" / "golden"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FANPIN_WRITE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def fixture_value(code: str, rid: str, period: str) -> str | None:
    """A figure as the monthly fixture's TOML holds it (read apart from fanpin)."""
    import tomli

    with open(MONTHLY / code / "monitoring.toml", "rb") as f:
        records = tomli.load(f)["indicator"]
    for r in records:
        if r["id"] == rid and r["period"] == period:
            return str(r["value"])
    return None


GOLDEN_CASES = {
    "diff-yoy": ["diff", "--yoy", *M],
    "diff-pop-2024-01": ["diff", "monitoring", "--pop", "--to", "2024-01", *M],
}


@pytest.mark.parametrize("name", GOLDEN_CASES)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_golden(name: str, fmt: str) -> None:
    r = run(*GOLDEN_CASES[name], "-o", fmt)
    assert r.code == 0, r.err
    golden(f"synthetic-monthly-{name}.{fmt}", r.out)


# 同比 and 环比


@pytest.mark.parametrize(
    ("how", "period", "before"),
    [("--yoy", "2024-03", "2023-03"), ("--pop", "2024-03", "2024-02"),
     ("--pop", "2024-01", "2023-12"), ("--yoy", "2024", "2023"), ("--pop", "2024", "2023")],
)  # fmt: skip
def test_diff_counterparts(how: str, period: str, before: str) -> None:
    r = run("diff", "monitoring.new_households", how, "--to", period, *M, "-o", "csv")
    assert r.code == 0, r.err
    got = rows(r.out)
    assert len(got) == 8  # every county
    for row in got:
        assert (row["period"], row["previous_period"]) == (period, before)
        now = fixture_value(row["region_code"], "monitoring.new_households", period)
        then = fixture_value(row["region_code"], "monitoring.new_households", before)
        assert (row["value"], row["previous"]) == (now, then)
        assert Decimal(row["change"]) == Decimal(str(now)) - Decimal(str(then))
        assert row["change_unit"] == "户" and row["change_percent"]


def test_diff_rate_changes_in_points() -> None:
    r = run("diff", "monitoring.risk_elimination_rate", "--yoy", "--to", "2024-12", *M, "-o", "csv")
    row = next(x for x in rows(r.out) if x["region_code"] == "620121")
    assert (row["previous"], row["value"], row["change"]) == ("48.2", "63.0", "14.8")
    assert row["change_unit"] == "percentage points" and row["change_percent"] == ""


def test_diff_missing_counterpart_is_said() -> None:
    """2023-05 has no 2022-05: every record is listed, with the period it lacks."""
    r = run("diff", "--yoy", "--to", "2023-05", *M, "-o", "csv")
    assert r.code == 0, r.err
    got = rows(r.out)
    assert len(got) == 8 * 4
    assert all(x["previous"] == "" and x["note"] == "no record for 2022-05" for x in got)
    zh = run("diff", "--yoy", "--to", "2023-05", *M, "-o", "table", env={"COLUMNS": "200"})
    assert zh.code == 0


def test_diff_county_yoy_on_bundled_counties() -> None:
    r = run("diff", "monitoring.risk_elimination_rate", "--yoy", *county_args("2022", "2023"),
            "-o", "csv", "--region", "永登县")  # fmt: skip
    assert r.code == 0, r.err
    (row,) = rows(r.out)
    assert (row["previous_period"], row["previous"], row["value"]) == ("2022", "35.4", "59.3")
    assert row["change"] == "23.9"


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--yoy", "--pop"], 2), (["--yoy", "--from", "2023-01"], 2),
     (["--pop", "--to", "2022-01"], 1),  # well-formed, no record has it: nothing matched
     (["--pop", "--to", "20x4"], 2), (["rectification", "--yoy"], 2)],
)  # fmt: skip
def test_diff_offset_usage(args: list[str], code: int) -> None:
    r = run("diff", *args, *M)
    assert r.code == code and r.out == "" and r.err.count("\n") == 1, r.err


def test_diff_offset_bundled_city() -> None:
    r = run("--lang", "en", "diff", "rectification", "--yoy", "-o", "csv")
    assert r.code == 0, r.err
    notes = {x["id"]: x["note"] for x in rows(r.out)}
    assert notes["rectification.supervision_rounds"] == "no record for 2022"
    assert notes["rectification.national_assessment_issues"] == ""


# 累计 (year to date) by basis


GOLDEN_CASES |= {
    "show-ytd-2024-06": ["show", "--ytd", "--period", "2024-06", *M],
    "rollup-ytd-2024-06": ["rollup", "--to", "620100", "--ytd", "--period", "2024-06", *M],
    "rollup-2024-11": ["rollup", "--to", "620100", "--period", "2024-11", *M],
}


def ytd(period: str, rid: str, *extra: str) -> dict[str, dict[str, str]]:
    r = run("show", rid, "--ytd", "--period", period, *M, *extra, "-o", "csv")
    assert r.code == 0, r.err
    return {x["region_code"]: x for x in rows(r.out)}


def test_monthly_flow_adds_up_to_its_year() -> None:
    """累计 to December equals the annual figure in every county but the planted one."""
    to_december = ytd("2024-12", "monitoring.new_households")
    annual = run("show", "monitoring.new_households", "--period", "2024", *M, "-o", "csv")
    year = {x["region_code"]: x["value"] for x in rows(annual.out)}
    assert len(year) == 8
    for code, value in year.items():
        months = sum(
            int(fixture_value(code, "monitoring.new_households", f"2024-{m:02d}") or 0)
            for m in range(1, 13)
        )
        assert to_december[code]["value"] == str(months)
        assert (months == int(value)) == (code != "620122"), code  # the planted month


def test_ytd_sums_flows_keeps_stocks_rebuilds_rates() -> None:
    code = "620121"
    flow = ytd("2024-03", "monitoring.new_households")[code]
    three = [fixture_value(code, "monitoring.new_households", f"2024-0{m}") for m in (1, 2, 3)]
    assert flow["value"] == str(sum(int(v or 0) for v in three))
    assert flow["period"] == "2024-03" and flow["note"] == "累计 2024-01 至 2024-03: 各期之和"
    stock = ytd("2024-03", "monitoring.total_households")[code]
    assert stock["value"] == fixture_value(code, "monitoring.total_households", "2024-03")
    rate = ytd("2024-03", "monitoring.risk_elimination_rate", "--lang", "en")[code]
    num = int(fixture_value(code, "monitoring.risk_eliminated_households", "2024-03") or 0)
    den = int(fixture_value(code, "monitoring.total_households", "2024-03") or 0)
    assert Decimal(rate["value"]) == (Decimal(num * 100) / den).quantize(Decimal("0.1"))
    assert rate["note"].startswith("year to date to 2024-03: rebuilt from its numerator")


def test_ytd_of_a_quarter_and_usage(tmp_path: Path) -> None:
    assert run("show", "--ytd", "--period", "2023-2024", *M).code == 2
    assert run("show", "--ytd", "--period", "2022-03", *M).code == 1  # no record has it
    # a year is its own year to date: the annual record of a flow, a stock as it stands
    year = rows(run("show", "--ytd", "--period", "2024", *M, "-o", "csv").out)
    assert {(x["id"], x["period"]) for x in year} == {("monitoring.new_households", "2024")}
    bundled = rows(run("show", "monitoring", "--ytd", "-o", "csv").out)  # whole years: 2023
    assert {x["period"] for x in bundled} == {"2023"} and len(bundled) > 10
    assert run("rollup", "--to", "620100", "--ytd", "--period", "2019-03", *M).code == 1


def test_ytd_with_a_month_missing_is_not_a_partial_sum(tmp_path: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(MONTHLY / "620121", tmp_path / "620121"))
    f = copy / "monitoring.toml"
    text = f.read_text(encoding="utf-8")
    # drop the February 2024 flow record
    blocks = text.split("[[indicator]]")
    kept = [b for b in blocks if not ('"monitoring.new_households"' in b and '"2024-02"' in b)]
    assert len(kept) == len(blocks) - 1
    f.write_text("[[indicator]]".join(kept), encoding="utf-8")
    r = run("--lang", "en", "show", "monitoring.new_households", "--ytd", "--period", "2024-03",
            "--data", str(copy), "-o", "csv")  # fmt: skip
    (row,) = rows(r.out)
    assert row["value"] == "" and row["note"] == "cannot add up: no figure for 2024-02"


# Rates rebuilt, never summed or averaged


def test_rollup_rebuilds_a_rate_from_its_parts() -> None:
    """The city's rate is sum(numerators) / sum(denominators): not the sum, not the mean of
    the county rates (a roll-up that summed or averaged them fails here)."""
    r = run("rollup", "--to", "620100", "--period", "2024-12", *M, "-o", "csv")
    got = {x["id"]: x for x in rows(r.out)}
    rate = got["monitoring.risk_elimination_rate"]
    codes = [c.split("=")[0] for c in rate["county_values"].split(";")]
    nums = [int(fixture_value(c, "monitoring.risk_eliminated_households", "2024-12") or 0)
            for c in codes]  # fmt: skip
    dens = [int(fixture_value(c, "monitoring.total_households", "2024-12") or 0) for c in codes]
    rates = [Decimal(fixture_value(c, "monitoring.risk_elimination_rate", "2024-12") or 0)
             for c in codes]  # fmt: skip
    rebuilt = (Decimal(sum(nums) * 100) / sum(dens)).quantize(Decimal("0.1"))
    assert Decimal(rate["county_value"]) == rebuilt
    assert rate["county_sum"] == "" and rate["method"] == "ratio"
    assert Decimal(rate["county_value"]) != sum(rates)
    assert Decimal(rate["county_value"]) != (sum(rates) / len(rates)).quantize(Decimal("0.1"))
    assert rate["county_values"] == ";".join(f"{c}={v}" for c, v in zip(codes, rates, strict=True))
    # the parts themselves are summed
    assert got["monitoring.total_households"]["county_value"] == str(sum(dens))


def test_rollup_rate_weighted_not_mean() -> None:
    """Library level, two counties of very different size: 1/10 and 90/100 -> 91/110."""
    from fanpin_cli.analysis.rollup import rollup
    from fanpin_cli.reading.load import load

    dataset = load([MONTHLY])
    two = dataset._replace(
        indicators=tuple(
            i._replace(value={"monitoring.risk_eliminated_households": 1 if i.region_code ==
                              "620102" else 90, "monitoring.total_households": 10 if
                              i.region_code == "620102" else 100,
                              "monitoring.risk_elimination_rate": Decimal("10.0") if
                              i.region_code == "620102" else Decimal("90.0")}[i.id])
            for i in dataset.indicators
            if i.period == "2024-12" and i.region_code in ("620102", "620103")
            and i.id != "monitoring.new_households"
        )
    )  # fmt: skip
    (row,) = [r for r in rollup(two, "620100", "2024-12") if r.method == "ratio"]
    assert row.children_sum == Decimal("82.7")  # 91 / 110, not (10 + 90) / 2 = 50, nor 100


def test_rollup_rate_not_computable_names_the_county() -> None:
    r = run("--lang", "en", "rollup", "--to", "620100", "--period", "2024-11", *M, "-o", "csv")
    rate = {x["id"]: x for x in rows(r.out)}["monitoring.risk_elimination_rate"]
    assert rate["county_value"] == "" and rate["status"] == "not computable"
    assert rate["reason"] == (
        "the rate is reported without monitoring.risk_eliminated_households by 620111: it "
        "cannot be rebuilt from its parts"
    )
    zh = run("rollup", "--to", "620100", "--period", "2024-11", *M, "-o", "table",
             env={"COLUMNS": "250"})  # fmt: skip
    assert "无法重算" in zh.out and "620111 报告了比率但未报告" in zh.out


def test_rollup_ytd_matches_the_counties_ytd() -> None:
    r = run("rollup", "--to", "620100", "--ytd", "--period", "2024-12", *M, "-o", "csv")
    got = {x["id"]: x for x in rows(r.out)}
    counties = ytd("2024-12", "monitoring.new_households")
    assert got["monitoring.new_households"]["county_value"] == str(
        sum(int(x["value"]) for x in counties.values())
    )


# check: months against their year (flows), jumps


def test_check_flows_and_jumps() -> None:
    r = run("--lang", "en", "check", *M, "-o", "csv")
    assert r.code == 1  # the planted month is an error
    found = rows(r.out)
    flows = [x for x in found if x["rule"] == "flows"]
    assert [(x["expected"], x["actual"]) for x in flows] == [("171", "166")]
    assert (
        "620122 2024: the months add up to 171户 but the year's figure is 166户"
        in (flows[0]["message"])
    )
    jumps = [x for x in found if x["rule"] == "jump"]
    assert [x["severity"] for x in jumps] == ["warning", "warning"]
    assert jumps[0]["message"] == (
        "monitoring.new_households 620104: 11户 in 2024-04 to 44户 in 2024-05, beyond ×3 / ÷3"
    )
    assert jumps[0]["actual"] == "11 -> 44" and jumps[1]["actual"] == "44 -> 8"


def _without_planted_month(tmp_path: Path) -> list[str]:
    import shutil

    args = []
    for d in sorted(MONTHLY.iterdir()):
        if d.name != "620122":
            args += ["--data", str(shutil.copytree(d, tmp_path / d.name))]
    return args


def test_jump_is_a_warning_strict_fails_and_limits_are_settable(tmp_path: Path) -> None:
    args = _without_planted_month(tmp_path)
    assert run("check", *args, "-o", "csv").code == 0
    assert run("check", "--strict", *args, "-o", "csv").code == 1
    meta = tmp_path / "620104" / "dataset.toml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("synthetic = true\n", 'synthetic = true\njump_factor = "6"\n'),
                    encoding="utf-8")  # fmt: skip
    r = run("check", "--strict", *args, "-o", "csv")
    assert r.code == 0 and "jump" not in r.out  # 44 / 11 = 4, 44 / 8 = 5.5: below 6
    meta.write_text(text.replace("synthetic = true\n", 'synthetic = true\njump_points = "1"\n'),
                    encoding="utf-8")  # fmt: skip
    r = run("check", *args, "-o", "csv", "--fields", "rule,indicators")
    assert "jump,monitoring.risk_elimination_rate" in r.out  # rates move by more than 1 pp
    for wrong in ("abc", "0.5", "-1", "NaN"):
        setting = f'synthetic = true\njump_factor = "{wrong}"\n'
        meta.write_text(text.replace("synthetic = true\n", setting), encoding="utf-8")
        r = run("check", *args, "-o", "csv", "--fields", "rule,file,message")
        assert r.code == 1 and f"jump_factor = '{wrong}' is not a limit" in r.out, r.err


def test_jump_on_the_bundled_data_with_the_counties() -> None:
    """The synthetic counties' 2022 rates are 0.6 of the risk eliminated: 35.4% -> 59.3% is a
    jump of 23.9 pp (> 20)."""
    r = run("check", *county_args("2022", "2023"), "-o", "csv")
    jumps = [x for x in rows(r.out) if x["rule"] == "jump"]
    assert jumps and all(x["indicators"] == "monitoring.risk_elimination_rate" for x in jumps)
    assert any(x["actual"] == "35.4 -> 59.3" for x in jumps)


# rank


RATE = "monitoring.risk_elimination_rate"
GOLDEN_CASES |= {
    "rank-pop": ["rank", RATE, "--pop", *M],
    "rank-new-households-2024-05": [
        "rank",
        "monitoring.new_households",
        "--period",
        "2024-05",
        "--yoy",
        *M,
    ],
}


def test_rank_contract_columns_and_competition_ranks() -> None:
    r = run("rank", RATE, "--pop", *M, "-o", "csv")
    assert r.code == 0, r.err
    got = rows(r.out)
    head = r.out.splitlines()[0].split(",")
    assert head[:8] == ["region_code", "region_name", "period", "value", "rank", "rank_change",
                        "gap", "gap_unit"]  # fmt: skip
    values = {x["region_code"]: Decimal(x["value"]) for x in got}
    for x in got:  # competition ranking: 1 + how many are higher, read from the fixture
        region_value = Decimal(fixture_value(x["region_code"], RATE, "2024-12") or "0")
        assert Decimal(x["value"]) == region_value
        assert int(x["rank"]) == 1 + sum(1 for v in values.values() if v > region_value)
    assert [x["rank"] for x in got] == ["1", "2", "3", "4", "5", "5", "7", "8"]  # the tie
    assert {x["region_code"] for x in got if x["tied"] == "true"} == {"620102", "620103"}
    before = {x["region_code"]: Decimal(fixture_value(x["region_code"], RATE, "2024-11") or "0")
              for x in got}  # fmt: skip
    for x in got:
        was = 1 + sum(1 for v in before.values() if v > before[x["region_code"]])
        assert int(x["rank_change"]) == was - int(x["rank"])
    # the city's rate rebuilt from the counties' parts; the gap in percentage points
    assert {x["parent_value_from"] for x in got} == {"rolled up"}
    assert all(x["gap_unit"] == "percentage points" for x in got)
    city = Decimal(got[0]["parent_value"])
    assert all(Decimal(x["gap"]) == Decimal(x["value"]) - city for x in got)


def test_rank_not_reported_last_and_ascending(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "counties"
    shutil.copytree(MONTHLY, copy)
    f = copy / "620105" / "monitoring.toml"  # 安宁区 ranks first in 2024-11; now unreported
    text = f.read_text(encoding="utf-8")
    blocks = text.split("[[indicator]]")
    kept = [b for b in blocks if not (f'"{RATE}"' in b and '"2024-11"' in b)]
    f.write_text("[[indicator]]".join(kept), encoding="utf-8")
    r = run("rank", RATE, "--period", "2024-11", "--data", str(copy), "-o", "csv")
    got = rows(r.out)
    assert got[-1]["region_code"] == "620105" and got[-1]["rank"] == ""
    assert got[-1]["status"] == "not reported" and got[0]["rank"] == "1"
    asc = rows(run("rank", RATE, "--period", "2024-11", "--ascending", "--data", str(copy),
                   "-o", "csv").out)  # fmt: skip
    assert [x["region_code"] for x in asc[:-1]] == [x["region_code"] for x in got[:-1]][::-1]
    assert asc[-1]["region_code"] == "620105"
    text_zh = run("rank", RATE, "--period", "2024-11", "--data", str(copy), "-o", "text").out
    assert text_zh.splitlines()[-1] == "安宁区风险消除率未报告"


def test_rank_sentence_is_generated_from_the_row(tmp_path: Path) -> None:
    """The sentence changes when the figure changes: it is made from the rank row."""
    import shutil

    r = run("rank", RATE, "--pop", *M, "-o", "text")
    assert r.code == 0, r.err
    line = next(x for x in r.out.splitlines() if x.startswith("永登县"))
    assert line == "永登县风险消除率63.0%，高于全市0.2个百分点，居全市第4位，较上月上升3位"
    copy = tmp_path / "counties"
    shutil.copytree(MONTHLY, copy)
    f = copy / "620121" / "monitoring.toml"
    text = f.read_text(encoding="utf-8")
    blocks = text.split("[[indicator]]")
    for n, b in enumerate(blocks):  # 63.0 -> 66.0: first place (the city's rate is rebuilt
        if f'"{RATE}"' in b and '"2024-12"' in b:  # from the parts, which do not change)
            blocks[n] = b.replace("value = 63.0", "value = 66.0")
    f.write_text("[[indicator]]".join(blocks), encoding="utf-8")
    changed = run("rank", RATE, "--pop", "--data", str(copy), "-o", "text").out
    line = next(x for x in changed.splitlines() if x.startswith("永登县"))
    assert line == "永登县风险消除率66.0%，高于全市3.2个百分点，居全市第2位，较上月上升5位"
    en = run("--lang", "en", "rank", RATE, "--pop", "--data", str(copy), "-o", "text").out
    assert (
        "Yongdeng County: Risk elimination rate 66.0%, 3.2 percentage points above Lanzhou, "
        "2nd in Lanzhou, up 5 places on last month"
    ) in en
    # each sentence is the row's: the JSON carries it beside the figures
    import json

    data = json.loads(run("rank", RATE, "--pop", "--data", str(copy), "-o", "json").out)
    assert [d["sentence"] for d in data] == changed.splitlines()


def test_rank_on_the_bundled_city_with_counties() -> None:
    r = run("rank", RATE, "--yoy", *county_args("2022", "2023", city=True), "-o", "text")
    assert r.code == 0, r.err
    assert "永登县风险消除率59.3%，低于全市0.3个百分点，居全市第8位，较上年下降4位" in r.out
    assert "居全市第3位(并列)" in r.out  # 七里河区 and 皋兰县 both 59.7
    csv_rows = rows(run("rank", RATE, *county_args("2023", city=True), "-o", "csv").out)
    assert {x["parent_value"] for x in csv_rows} == {"59.6"}  # the city's reported rate
    assert {x["parent_value_from"] for x in csv_rows} == {"reported"}


@pytest.mark.parametrize(
    ("args", "code"),
    [(["monitoring.nope"], 2), ([RATE, "--period", "2021-01"], 1),  # no record: nothing matched
     ([RATE, "--among", "620199"], 2), ([RATE, "--among", "无此县"], 2),
     ([RATE, "--yoy", "--pop"], 2), ([RATE, "--period", "2023"], 1), ([RATE, "-o", "nope"], 2)],
)  # fmt: skip
def test_rank_errors(args: list[str], code: int) -> None:
    r = run("rank", *args, *M)
    assert r.code == code and r.out == "" and r.err.count("\n") == 1, (r.code, r.err)


# scorecard

MONTHLY_TARGETS = FIXTURES / "synthetic-monthly-targets.toml"
TARGETS = ["--targets", str(MONTHLY_TARGETS)]
GOLDEN_CASES |= {
    "scorecard": ["scorecard", *M, *TARGETS],
    "scorecard-rate-2024-11": ["scorecard", RATE, "--period", "2024-11", *M, *TARGETS],
}


def test_scorecard_cells_are_value_status_rank() -> None:
    r = run("scorecard", *M, *TARGETS, "-o", "csv")
    assert r.code == 0, r.err
    got = {x["region_code"]: x for x in rows(r.out)}
    assert len(got) == 8 and {x["period"] for x in got.values()} == {"2024-12"}
    ranks = {x["region_code"]: x for x in rows(run("rank", RATE, *M, "-o", "csv").out)}
    for code, row in got.items():
        value = Decimal(fixture_value(code, RATE, "2024-12") or "0")
        assert Decimal(row[RATE]) == value
        assert row[f"{RATE}:status"] == ("met" if value >= 62 else "missed")  # the target
        assert row[f"{RATE}:rank"] == ranks[code]["rank"]
        households = int(fixture_value(code, "monitoring.new_households", "2024-12") or 0)
        status = row["monitoring.new_households:status"]
        assert status == ("met" if households <= 15 else "missed")  # a maximum
        assert row["monitoring.total_households:status"] == "no target"
    # a maximum: the fewest new households rank first
    assert got["620121"]["monitoring.new_households:rank"] == "1"


def test_scorecard_not_reported(tmp_path: Path) -> None:
    r = run("scorecard", RATE, "--period", "2024-11", *M, *TARGETS, "-o", "csv")
    assert r.code == 0
    r = run("scorecard", "monitoring.total_households", "--period", "2024-11", *M, "-o", "csv")
    row = {x["region_code"]: x for x in rows(r.out)}["620111"]  # the county without parts
    assert row["monitoring.total_households"] == ""
    assert row["monitoring.total_households:status"] == "not reported"
    assert row["monitoring.total_households:rank"] == ""


def test_scorecard_terminal_coloured_and_never_cut() -> None:
    wide = run("scorecard", *M, *TARGETS, "-o", "table",
               env={"COLUMNS": "120", "FORCE_COLOR": "1"})  # fmt: skip
    assert wide.code == 0
    assert "\x1b[32m63.0% 达标 第4位" in wide.out  # met: green
    assert "\x1b[31m61.1% 未达标 第5位" in wide.out  # missed: red
    narrow = run("--lang", "en", "scorecard", *M, *TARGETS, "-o", "table", env={"COLUMNS": "50"})
    for line in narrow.out.splitlines():
        assert len(line) <= 50 or ":" in line  # a block's line folds, never cut
    assert "Risk elimination rate: 63.0% met #4" in narrow.out
    assert narrow.out.count("Region: ") == 8


def test_scorecard_svg(tmp_path: Path) -> None:
    svg = tmp_path / "card.svg"
    r = run("scorecard", *M, *TARGETS, "--svg", str(svg), "-o", "csv")
    assert r.code == 0 and svg.read_text(encoding="utf-8").startswith("<svg")
    assert "永登县" in svg.read_text(encoding="utf-8")


def test_scorecard_xlsx_frozen_and_conditionally_formatted(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "card.xlsx"
    r = run("scorecard", *M, *TARGETS, "--xlsx", str(book), "-o", "csv")
    assert r.code == 0, r.err
    ws = openpyxl.load_workbook(book).active
    assert ws is not None
    assert ws.freeze_panes == "C3"
    rules = [rule.formula for cf in ws.conditional_formatting for rule in cf.rules]
    assert ['$E3="met"'] in rules and ['$N3="missed"'] in rules
    header = [c.value for c in ws[1]]
    assert header == r.out.splitlines()[0].split(",")
    assert ws["M3"].value == 61.1 and ws["M3"].number_format == "0.0"


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_scorecard_xlsx_in_libreoffice_has_the_csv_values(tmp_path: Path) -> None:
    import subprocess

    book = tmp_path / "card.xlsx"
    r = run("scorecard", *M, *TARGETS, "--xlsx", str(book), "-o", "csv")
    assert r.code == 0, r.err
    subprocess.run(
        [shutil.which("soffice") or "soffice", "--headless",
         f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path / "lo"), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    lines = (tmp_path / "lo" / "card.csv").read_text(encoding="utf-8").splitlines()
    expected = r.out.splitlines()
    assert lines[0] == expected[0]  # the machine header
    assert "风险消除率" in lines[1]  # the names, in the chosen language
    assert lines[2:] == expected[1:]  # every value as the CSV has it


def test_scorecard_on_the_bundled_city_with_counties() -> None:
    r = run("scorecard", "monitoring", *COUNTY_ARGS, "--targets", str(FIXTURES /
            "synthetic-county-targets.toml"), "-o", "csv")  # fmt: skip
    assert r.code == 0, r.err
    got = {x["region_code"]: x for x in rows(r.out)}
    assert set(got) == {"620102", "620103", "620104", "620105", "620111", "620121", "620122",
                        "620123"}  # fmt: skip
    assert got["620121"][RATE] == "59.3" and got["620121"][f"{RATE}:status"] == "missed"
    assert got["620121"][f"{RATE}:rank"] == "8"
    en = run("--lang", "en", "scorecard", "monitoring", *COUNTY_ARGS, "-o", "table",
             env={"COLUMNS": "300"})  # fmt: skip
    assert "Yongdeng County" in en.out and "no target" in en.out


def test_scorecard_imports_xlsxwriter_only_for_xlsx() -> None:
    import subprocess
    import sys

    code = ("import sys; from fanpin_cli.cli.app import main; "
            f"main(['scorecard', '--data', {str(MONTHLY)!r}, '-o', 'csv']); "
            "sys.stderr.write(str('xlsxwriter' in sys.modules))")  # fmt: skip
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       check=False)  # fmt: skip
    assert p.stderr.endswith("False"), p.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [(["nope"], 2), (["--period", "2021-01"], 1), (["--among", "无此县"], 2),
     (["monitoring.new_households", "--period", "2023-13"], 2), ([RATE, "--period", "2023"], 1)],
)  # fmt: skip
def test_scorecard_errors(args: list[str], code: int) -> None:
    r = run("scorecard", *args, *M)
    assert r.code == code and r.out == "" and r.err.count("\n") == 1, (r.code, r.err)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rank_text_golden(lang: str) -> None:
    r = run("--lang", lang, "rank", RATE, "--pop", *M, "-o", "text")
    assert r.code == 0, r.err
    golden(f"synthetic-monthly-rank-pop.{lang}.txt", r.out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_and_diff_golden_in_both_languages(lang: str) -> None:
    """The machine columns are the same in both languages; the names follow --lang."""
    for name, args in (("scorecard", GOLDEN_CASES["scorecard"]),
                       ("diff-yoy", GOLDEN_CASES["diff-yoy"])):  # fmt: skip
        r = run("--lang", lang, *args, "-o", "csv")
        assert r.code == 0, r.err
        golden(f"synthetic-monthly-{name}.{lang}.csv", r.out)


def test_rank_of_a_lone_child_has_no_gap() -> None:
    """The bundled city alone: Gansu's only child in the region table is not Gansu's whole,
    so there is no figure of Gansu's to measure a gap to."""
    r = run("rank", "monitoring.total_households", "-o", "csv")
    assert r.code == 0, r.err
    (row,) = rows(r.out)
    assert (row["region_code"], row["rank"], row["gap"], row["parent_value"]) == (
        "620100", "1", "", "")  # fmt: skip
    text = run("rank", "monitoring.total_households", "-o", "text").out
    assert text == "兰州市累计监测对象户数1294户，居全省第1位\n"


def test_rank_change_yoy_is_against_the_same_month_a_year_before() -> None:
    rid = "monitoring.new_households"
    r = run("rank", rid, "--period", "2024-05", "--yoy", *M, "-o", "csv")
    got = rows(r.out)
    assert {x["compared_period"] for x in got} == {"2023-05"}

    def ranks(period: str) -> dict[str, int]:
        values = {x["region_code"]: int(fixture_value(x["region_code"], rid, period) or 0)
                  for x in got}  # fmt: skip
        return {c: 1 + sum(1 for v in values.values() if v > mine) for c, mine in values.items()}

    now, then = ranks("2024-05"), ranks("2023-05")
    assert {x["region_code"]: int(x["rank"]) for x in got} == now
    assert {x["region_code"]: int(x["rank_change"]) for x in got} == {
        c: then[c] - now[c] for c in now
    }
    assert then != ranks("2024-04")  # a year before is not the month before here
