"""Reference datasets (Gansu, China): cited figures, qualifiers, benchmarking and the series."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, run

from fanpin_cli.analysis.compare import compare
from fanpin_cli.analysis.peers import against
from fanpin_cli.core.model import Indicator
from fanpin_cli.reading.load import load
from fanpin_cli.reading.references import change_qualifier, qualified_holds

REFS = DATA / "references"
ALL = ("--data", "@bundled", "--data", "@references")


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _ind(
    value: int | Decimal, unit: str = "%", qualifier: str | None = None, **kw: object
) -> Indicator:
    fields: dict[str, object] = {
        "id": "x.y", "section": "x", "name_zh": "x", "name_en": "x", "value": value,
        "unit": unit, "period": "2023", "region_code": "620100", "qualifier": qualifier,
    }  # fmt: skip
    fields.update(kw)
    return Indicator(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------ the default stays the report


def test_default_loader_does_not_pick_up_the_references() -> None:
    dataset = load()
    # exactly the records of data/*.toml, none of data/references/
    top = sum(f.read_text(encoding="utf-8").count("[[indicator]]") for f in DATA.glob("*.toml"))
    assert len(dataset.indicators) == top
    assert {i.region_code for i in dataset.indicators} <= {"620100"}
    assert not dataset.citations
    assert all(i.qualifier is None and i.citation is None for i in dataset.indicators)


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--csv"),
        ("export", "--json"),
        ("show", "monitoring", "-o", "tsv"),
        ("compare", "-o", "csv"),
        ("explain", "monitoring.risk_elimination_rate", "-o", "json"),
        ("diff", "rectification", "-o", "csv"),
    ],
)
def test_default_output_has_no_reference_columns(args: tuple[str, ...]) -> None:
    r = run(*args)
    assert r.code == 0
    for word in ("qualifier", "citation", "grade", "620000", "100000"):
        assert word not in r.out, word


def test_the_report_is_unchanged_beside_the_references() -> None:
    """Loading the references adds records; the report's own rows print as before."""
    alone = run("show", "monitoring", "-o", "csv", "--fields", "id,value,unit,source")
    both = run("show", "monitoring", "--region", "620100", *ALL, "-o", "csv",
               "--fields", "id,value,unit,source")  # fmt: skip
    assert both.code == 0 and both.out == alone.out


# ------------------------------------------------------------ check on every bundled dataset


@pytest.mark.parametrize(
    "data",
    [
        ("@bundled",),
        ("@gansu",),
        ("@china",),
        ("@references",),
        ("@bundled", "@references"),
        ("@bundled", "@gansu", "@china"),
    ],
)
def test_check_passes_on_every_bundled_dataset(data: tuple[str, ...]) -> None:
    args = [a for d in data for a in ("--data", d)]
    r = run("check", *args, "--strict", "-o", "csv")
    assert r.code == 0, r.out + r.err
    assert r.out.strip() == "rule,severity,indicators,expected,actual,file,line,message,message_zh"


def test_every_reference_figure_cites_a_page_and_keeps_its_value_in_its_key_phrase() -> None:
    dataset = load([REFS / "gansu", REFS / "china"])
    assert len(dataset.indicators) >= 30
    for ind in dataset.indicators:
        assert ind.citation in dataset.citations, ind.key
        c = dataset.citations[ind.citation]
        assert c.title and c.outlet and c.url.startswith("http") and c.grade == "secondary"
        assert ind.source and str(ind.value) in ind.source, ind.key
        # a key phrase, not a sentence copied from the page
        assert len(ind.source) <= 30 and "。" not in ind.source, ind.source
        assert ind.region_code in ("620000", "100000")


def test_unknown_bundled_name_is_a_usage_error() -> None:
    r = run("--lang", "en", "show", "--data", "@gansuu")
    assert r.code == 2
    assert "unknown dataset '@gansuu'" in r.err and "@gansu" in r.err


# ------------------------------------------------------------ check catches broken references


@pytest.fixture
def gansu_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "gansu"
    shutil.copytree(REFS / "gansu", copy)
    return copy


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_finds_a_key_phrase_without_its_value(gansu_copy: Path) -> None:
    _replace(gansu_copy / "monitoring.toml", "value = 66\n", "value = 67\n")
    r = run("check", "--data", str(gansu_copy), "-o", "csv", "--fields", "rule,expected,message")
    assert r.code == 1
    assert "quotes,67,monitoring.risk_elimination_rate: key phrase does not contain" in r.out


def test_check_finds_an_unknown_citation(gansu_copy: Path) -> None:
    _replace(gansu_copy / "income.toml", 'citation = "gssnzx-2024-02-28"', 'citation = "nope"')
    r = run("check", "--data", str(gansu_copy), "-o", "csv", "--fields", "rule,message")
    assert r.code == 1
    assert "citation 'nope' is not in citations.toml" in r.out


def test_check_finds_a_reference_figure_without_citation(gansu_copy: Path) -> None:
    _replace(gansu_copy / "income.toml", 'citation = "gssnzx-2024-02-28"\n', "")
    r = run("check", "--data", str(gansu_copy), "-o", "csv", "--fields", "rule,message")
    assert r.code == 1
    assert "income.linkage_funds_industry_share: a reference figure needs a citation" in r.out


def test_a_citation_without_address_is_a_data_error(gansu_copy: Path) -> None:
    _replace(gansu_copy / "citations.toml", 'url = "http://gssnzx.com/a/snzx/42933.html"\n', "")
    r = run("show", "--data", str(gansu_copy), "--lang", "en")
    assert r.code == 3
    assert "citations.toml:" in r.err and "url is missing" in r.err


def test_an_unknown_qualifier_is_a_data_error(gansu_copy: Path) -> None:
    _replace(gansu_copy / "income.toml", 'unit = "%"\n', 'unit = "%"\nqualifier = "~"\n')
    r = run("show", "--data", str(gansu_copy))
    assert r.code == 3
    assert "income.toml:" in r.err and "qualifier" in r.err and "'~'" in r.err


def test_check_finds_a_qualifier_without_value(gansu_copy: Path) -> None:
    target = gansu_copy / "income.toml"
    _replace(target, "value = 62.9\n", "")
    _replace(target, 'unit = "%"\n', 'unit = "%"\nqualifier = ">"\n')
    r = run("check", "--data", str(gansu_copy), "-o", "csv", "--fields", "rule,message")
    assert r.code == 1
    assert "quotes,income.linkage_funds_industry_share: qualifier > needs a value" in r.out


def test_a_reference_parent_is_not_a_complete_sum_but_a_larger_sum_is_found(
    tmp_path: Path,
) -> None:
    """Gansu's 12.1万 households are more than Lanzhou's 1294: fine; fewer is an error."""
    copy = tmp_path / "gansu"
    shutil.copytree(REFS / "gansu", copy)
    _replace(copy / "monitoring.toml", "value = 12.1\n", "value = 0.1\n")
    _replace(copy / "monitoring.toml", "累计已有12.1万户", "累计已有0.1万户")
    r = run("check", "--data", "@bundled", "--data", str(copy), "-o", "csv",
            "--fields", "rule,indicators,expected,actual")  # fmt: skip
    assert r.code == 1
    rollup = [line for line in r.out.splitlines() if line.startswith("rollup,")]
    assert rollup == ["rollup,monitoring.total_households,0.1,0.1294"]


# ------------------------------------------------------------ qualifiers


@pytest.mark.parametrize(
    ("value", "qualifier", "comparator", "threshold", "expected"),
    [
        (3300, ">", ">=", 3000, True),  # 超过3300万 meets >= 3000万
        (3000, ">", ">=", 3000, True),
        (3000, ">", ">", 3000, True),
        (3000, ">=", ">", 3000, None),
        (2900, ">", ">=", 3000, None),  # more than 2900: cannot tell
        (3100, "<", ">=", 3000, None),
        (2900, "<", ">=", 3000, False),  # less than 2900: missed for sure
        (3000, "<", ">=", 3000, False),
        (3000, ">", "<=", 3000, False),
        (3000, ">=", "<", 3000, False),
        (3000, ">=", "<=", 3000, None),
        (70, "≈", ">=", 60, True),
        (70, "≈", ">=", 70, None),  # an approximation is never exactly at the threshold
        (70, "≈", "==", 70, None),
        (3300, ">", "==", 3000, False),
        (3300, ">", "==", 3400, None),
        (3300, None, ">=", 3400, False),
    ],
)
def test_qualified_values_meet_targets_only_when_they_must(
    value: int, qualifier: str | None, comparator: str, threshold: int, expected: bool | None
) -> None:
    got = qualified_holds(Decimal(value), qualifier, comparator, Decimal(threshold))
    assert got is expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (None, None, None),
        (">", None, ">"),
        (None, ">", "<"),
        (">=", "<", ">"),
        (">", ">", "≈"),
        ("≈", None, "≈"),
        (None, "<=", ">="),
    ],
)
def test_change_qualifier(current: str | None, previous: str | None, expected: str | None) -> None:
    assert change_qualifier(current, previous) == expected


def test_a_lower_bound_below_the_target_is_not_comparable(tmp_path: Path) -> None:
    copy = tmp_path / "china"
    shutil.copytree(REFS / "china", copy)
    _replace(copy / "targets.toml", "value = 3000\n", "value = 3350\n")
    dataset = load([copy])
    by_period = {c.indicator.period: c for c in compare(dataset) if c.indicator is not None}
    assert by_period["2023"].status == "met"
    assert by_period["2022"].status == "missed"
    assert by_period["2024"].status == "not comparable"
    assert by_period["2024"].reason == ("compare.bounded", ">", "3300")


def test_every_output_shows_the_qualifier() -> None:
    tsv = run("show", "income.employment_scale", "--data", "@china", "--period", "2024")
    row = next(csv.DictReader(io.StringIO(tsv.out), delimiter="\t"))
    assert (row["value"], row["qualifier"]) == ("3300", ">")
    js = json.loads(run("export", "--json", "--data", "@china").out)
    assert [r["qualifier"] for r in js if r["period"] == "2024" and r["unit"] == "万人"] == [">"]
    assert run("get", "income.employment_scale", "--data", "@china").out.split() == [
        "3145", "3277.9", "3397", ">3300",
    ]  # fmt: skip
    assert "≈70" in run("get", "monitoring.risk_elimination_rate", "--data", "@china").out
    md = run("show", "income.employment_scale", "--data", "@china", "-o", "markdown").out
    assert "| >3300 | 万人 | 2024 |" in md


def test_explain_shows_each_figure_with_its_page_and_qualifier() -> None:
    r = run("explain", "income.employment_scale", "--data", "@china", "-o", "tsv")
    assert r.code == 0
    lines = dict(line.split("\t", 1) for line in r.out.splitlines()[1:] if "\t" in line)
    assert lines["数值 [2024 全国]"] == ">3300 万人"
    assert lines["限定 [2024 全国]"].startswith("多于 (下限")
    en = run("explain", "income.employment_scale", "--data", "@china", "-o", "tsv", "--lang", "en")
    assert "qualifier [2024 China]\tmore than (a lower bound, e.g. 超过)" in en.out
    cited = "國家統計局:2024年就業形勢保持基本穩定, 央視新聞客戶端, 2025-01-23"
    assert lines["出处 [2024 全国]"] == cited
    assert lines["网址 [2022 全国]"] == "http://www.guoyou.org.cn/show.asp?id=9975"
    assert lines["可信度 [2021 全国]"] == "转引"
    assert "grade [2021 China]\tsecondary" in en.out
    r = run("explain", "income.employment_scale", "--data", "@china", "-o", "json")
    info = json.loads(r.out)
    assert info["records"][3]["citation_date"] == "2025-01-23"


# ------------------------------------------------------------ the national series


def test_the_series_is_compared_with_its_target_year_by_year() -> None:
    r = run("compare", "--data", "@china", "-o", "csv")
    rows = _csv(r.out)
    # the floor was first set for 2022 (valid_from): 2021 is not compared with it
    assert [(x["period"], x["value"], x["qualifier"], x["status"]) for x in rows] == [
        ("2022", "3277.9", "", "met"),
        ("2023", "3397", "", "met"),
        ("2024", "3300", ">", "met"),
    ]
    assert rows[-1]["progress_status"] == "target achieved"
    assert rows[-1]["gap"] == "300"  # with qualifier > in its own column


def test_the_national_target_does_not_apply_to_a_city_or_province() -> None:
    dataset = load([Path("@bundled"), Path("@references")])
    regions = {c.indicator.region_code for c in compare(dataset, ["income.employment_scale"])
               if c.indicator is not None}  # fmt: skip
    assert regions == {"100000"}


def test_progress_notes_that_the_latest_value_is_a_bound() -> None:
    dataset = load([Path("@china")])
    latest = [c for c in compare(dataset) if c.progress is not None]
    assert len(latest) == 1 and latest[0].progress is not None
    assert latest[0].progress.status == "target achieved"
    assert "2024 >" in latest[0].progress.note


def test_show_by_period_diff_and_chart_work_on_the_series() -> None:
    pivot = run("show", "income.employment_scale", "--by", "period", "--data", "@china",
                "-o", "csv")  # fmt: skip
    # the bound is a number and its qualifier, as everywhere (issue 24, item 12)
    assert pivot.out.splitlines()[0].endswith(",2021,2022,2023,2024,2024_qualifier")
    assert pivot.out.splitlines()[1].endswith(",3145,3277.9,3397,3300,>")
    diff = _csv(run("diff", "income.employment_scale", "--from", "2021", "--to", "2023",
                    "--data", "@china", "-o", "csv").out)  # fmt: skip
    assert (diff[0]["change"], diff[0]["change_percent"]) == ("252", "8.01")
    chart = _csv(run("chart", "income.employment_scale", "--data", "@china", "-o", "csv").out)
    periods = [(r["label"], r["value"], r["qualifier"]) for r in chart if r["kind"] == "periods"]
    assert periods == [("2021", "3145", ""), ("2022", "3277.9", ""), ("2023", "3397", ""),
                       ("2024", "3300", ">")]  # fmt: skip
    titles = {r["group"] for r in chart if r["kind"] == "target"}
    assert "脱贫劳动力务工就业规模 (2024) >= 目标" in titles and len(titles) == 3  # from 2022


# ------------------------------------------------------------ benchmarking


def test_benchmark_puts_lanzhou_beside_gansu_and_china() -> None:
    r = run("benchmark", "-o", "csv")
    assert r.code == 0
    rows = {x["id"]: x for x in _csv(r.out)}
    rate = rows["monitoring.risk_elimination_rate"]
    assert (rate["value"], rate["parent_value"], rate["parent_measure"], rate["parent_result"]) == (
        "59.6", "66", "percentage points", "-6.4",
    )  # fmt: skip
    assert (rate["country_value"], rate["country_qualifier"]) == ("70", "≈")
    assert rate["country_reason"] == "periods differ (2023 vs 2021)"
    households = rows["monitoring.total_households"]
    assert (households["parent_measure"], households["parent_result"]) == ("share", "1.07")
    assert rows["income.village_employment_factories"]["parent_reason"] == "units differ (个 vs 家)"
    assert rows["income.linkage_funds_industry_share"]["parent_reason"] == "not reported"
    assert rows["monitoring.measures_per_household"]["parent_measure"] == "difference"
    # indicators only Lanzhou reports are not listed
    assert "monitoring.one_click_reports_handled" not in rows


def test_benchmark_by_hand_matches_the_arithmetic() -> None:
    lanzhou = _ind(1294, "户", basis="cumulative", additive=None)
    gansu = _ind(Decimal("12.1"), "万户", basis="cumulative", region_code="620000")
    a = against(lanzhou, gansu, "620000")
    assert (a.measure, a.result) == ("share", Decimal("1.07"))
    other_basis = against(lanzhou, gansu._replace(basis="annual"), "620000")
    assert other_basis.measure is None
    assert other_basis.why == "bases differ (cumulative vs annual)"
    bound = against(_ind(60), _ind(70, qualifier="≈", region_code="100000"), "100000")
    assert (bound.measure, bound.result, bound.qualifier) == ("percentage points", -10, "≈")


def test_benchmark_of_a_region_without_parent_is_a_usage_error() -> None:
    r = run("--lang", "en", "benchmark", "--region", "100000")
    assert r.code == 2
    assert "no parent" in r.err


def test_benchmark_of_an_unknown_region_names_it_as_unknown() -> None:
    r = run("--lang", "en", "benchmark", "--region", "999999")
    assert r.code == 2
    assert "unknown region '999999'" in r.err
    assert "no parent" not in r.err


def test_benchmark_in_english_and_for_gansu() -> None:
    r = run("benchmark", "--region", "甘肃省", "--lang", "en", "-o", "csv",
            "--fields", "id,period,parent_code,parent_reason")  # fmt: skip
    assert r.code == 0
    assert "monitoring.risk_elimination_rate,2023,100000,periods differ (2023 vs 2021)" in r.out


def test_sqlite_and_data_package_carry_the_qualifier(tmp_path: Path) -> None:
    # a bound (超过3300万人) or an approximation (近70%) must not read as an exact figure in
    # any export: the data package's CSV and the SQLite database keep the qualifier
    db = tmp_path / "refs.db"
    assert run("--data", "@references", "export", "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    rows = con.execute(
        "select id, period, value_text, qualifier from indicators"
        " where qualifier is not null order by period"
    ).fetchall()
    report = con.execute("select count(*) from indicators where qualifier is null").fetchone()
    con.close()
    assert rows == [
        ("monitoring.risk_elimination_rate", "2021", "70", "≈"),
        ("income.employment_scale", "2024", "3300", ">"),
    ]
    assert report[0] > 0
    package = tmp_path / "pkg"
    assert run("--data", "@references", "export", "--datapackage", str(package)).code == 0
    with (package / "indicators.csv").open(encoding="utf-8") as f:
        bounded = {(r["id"], r["period"]): r["qualifier"] for r in csv.DictReader(f)}
    assert bounded[("income.employment_scale", "2024")] == ">"
    assert bounded[("monitoring.risk_elimination_rate", "2021")] == "≈"


def test_a_rule_is_compared_only_with_the_years_it_covers(tmp_path: Path) -> None:
    """Issue 24 item 27: the 3000万 floor was first set for 2022; 2021 was shown as met."""
    r = run("compare", "--data", "@china", "-o", "csv", "--fields", "period,status")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["period,status", "2022,met", "2023,met", "2024,met"]
    # a period the rule does not cover matches nothing
    before = run("compare", "--data", "@china", "--period", "2021", "-o", "csv")
    assert before.code == 1 and before.out == ""
    # a user's rule from 2023 on: the 2022 record is neither compared nor a progress base
    fixtures = FIXTURES
    text = (fixtures / "synthetic-county-targets.toml").read_text("utf-8")
    targets = tmp_path / "synthetic-from-2023.toml"
    targets.write_text(text.replace("[target.basis]", 'valid_from = "2023"\n[target.basis]', 1))
    data = []
    for year in ("2022", "2023"):
        data += ["--data", str(fixtures / "synthetic-counties" / year / "620121")]
    c = run("compare", "--targets", str(targets), *data, "-o", "csv",
            "--fields", "period,status,progress_status")  # fmt: skip
    assert c.code == 0, c.err
    assert c.out.splitlines() == ["period,status,progress_status", "2023,missed,"]
    bad = tmp_path / "synthetic-bad.toml"
    bad.write_text(text.replace("[target.basis]", 'valid_from = "22"\n[target.basis]', 1))
    b = run("compare", "--targets", str(bad), *data)
    assert b.code == 3 and "valid_from" in b.err
