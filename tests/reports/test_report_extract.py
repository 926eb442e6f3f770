"""`fanpin extract`: the bundled report round-trips; a SYNTHETIC county report becomes a draft
dataset that `fanpin check` verifies, its own arithmetic included."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, run

from fanpin_cli.core.decimals import format_number
from fanpin_cli.reading.load import load

SOURCE = DATA / "source.txt"
COUNTY = FIXTURES / "reports" / "synthetic-county-report.txt"


def rows(*args: str) -> list[dict[str, str]]:
    r = run("extract", *args, "-o", "csv")
    assert r.code == 0, r.err
    return list(csv.DictReader(io.StringIO(r.out)))


def test_bundled_report_gives_the_bundled_id_value_and_unit() -> None:
    bundled = load(None)
    want = {(i.id, i.period): (format_number(i.value), i.unit)
            for i in bundled.indicators if i.value is not None}  # fmt: skip
    got = {(r["id"], r["period"]): (r["value"], r["unit"]) for r in rows(str(SOURCE))}
    same = [k for k, v in want.items() if got.get(k) == v]
    assert len(want) == 96
    assert len(same) >= 95, sorted(set(want) - set(same))


def test_nothing_is_dropped_and_no_id_is_given_twice() -> None:
    found = rows(str(SOURCE))
    keys = [(r["id"], r["region_code"], r["period"]) for r in found]
    assert len(keys) == len(set(keys))
    drafts = [r for r in found if r["id"].startswith("draft.")]
    assert [(r["value"], r["unit"]) for r in drafts] == [("1", "公里")]  # 出城1公里: kept
    requirement = [r for r in found if r["requirement"] == "true"]
    assert [(r["id"], r["value"], r["qualifier"]) for r in requirement] == [
        ("income.linkage_funds_industry_share", "60", ">=")
    ]


def test_columns_and_json() -> None:
    r = run("extract", str(SOURCE), "-o", "json")
    assert r.code == 0
    first = json.loads(r.out)[0]
    for key in ("id", "value", "unit", "qualifier", "written_as", "section", "line", "column",
                "source", "match"):  # fmt: skip
        assert key in first
    assert first["line"] == 9 and first["column"] == 61 and first["value"] == 14
    assert first["match"].startswith("quote 1.00")


def test_output_directory_passes_check_with_every_quote(tmp_path: Path) -> None:
    out = tmp_path / "draft"
    r = run("extract", str(SOURCE), "--output", str(out))
    assert r.code == 0, r.err
    assert (out / "source.txt").read_text(encoding="utf-8") == SOURCE.read_text(encoding="utf-8")
    c = run("check", "--data", str(out), "-o", "csv")
    assert c.code == 0, c.out
    assert "通过" in c.err or "passed" in c.err
    loaded = load([out])
    assert len(loaded.indicators) == 98
    assert all(i.source and i.source in loaded.sources[str(out)] for i in loaded.indicators)


def test_a_county_report_whose_categories_add_up_passes_and_a_typo_fails(tmp_path: Path) -> None:
    out = tmp_path / "county"
    r = run("extract", str(COUNTY), "--region", "620121", "--period", "2024", "--output", str(out))
    assert r.code == 0, r.err
    meta = (out / "dataset.toml").read_text(encoding="utf-8")
    assert 'region_code = "620121"' in meta and 'period = "2024"' in meta
    monitoring = (out / "monitoring.toml").read_text(encoding="utf-8")
    assert "parts = [" in monitoring  # the relation of the --like dataset came along
    c = run("check", "--data", str(out), "-o", "csv", "--fields", "rule,message")
    assert c.code == 0, c.out
    # one typo in the report: 450 households where the categories need 450
    typo = tmp_path / "typo.txt"
    typo.write_text(COUNTY.read_text(encoding="utf-8").replace("450户", "540户"), "utf-8")
    out2 = tmp_path / "county-typo"
    assert run("extract", str(typo), "--region", "620121", "--period", "2024",
               "--output", str(out2)).code == 0  # fmt: skip
    c2 = run("check", "--data", str(out2), "-o", "csv", "--fields", "rule,message")
    assert c2.code == 1
    assert "monitoring.total_households = 1250" in c2.out and "1340" in c2.out


def test_synthetic_county_figures_and_matches() -> None:
    found = rows(str(COUNTY), "--region", "620121", "--period", "2024")
    by_value = {(r["value"], r["unit"]): r for r in found}
    assert by_value[("1250", "户")]["id"] == "monitoring.total_households"
    assert by_value[("1250", "户")]["written_as"] == "1,250"
    assert by_value[("120", "户")]["id"] == "monitoring.new_households"
    assert by_value[("65.6", "%")]["id"] == "monitoring.risk_elimination_rate"
    assert by_value[("500", "户")]["part_of"] == "monitoring.total_households"
    assert by_value[("3.6", "万条")]["qualifier"] == ">"
    assert by_value[("12", "家")]["written_as"] == "十二"
    assert all(r["region_code"] == "620121" and r["period"] == "2024" for r in found)


def test_explain_lists_each_number_set_aside(tmp_path: Path) -> None:
    r = run("extract", str(COUNTY), "--region", "620121", "--period", "2024", "--explain",
            "-o", "csv", "--fields", "line,excluded,value")  # fmt: skip
    assert r.code == 0
    excluded = [row["excluded"] for row in csv.DictReader(io.StringIO(r.out)) if row["excluded"]]
    assert {"year", "date", "ordinal", "document_number", "name", "title"} <= set(excluded)
    v = run("-v", "extract", str(COUNTY), "--region", "620121", "--period", "2024", "-o", "csv")
    assert "is not a figure: document_number" in v.err


def test_never_replaces_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.toml").write_text("keep", encoding="utf-8")
    r = run("extract", str(SOURCE), "--output", str(out))
    assert r.code == 2
    assert "taken" in r.err
    assert [p.name for p in out.iterdir()] == ["mine.toml"]


def test_errors_have_their_exit_codes(tmp_path: Path) -> None:
    empty = tmp_path / "nothing.txt"
    empty.write_text("没有任何数字的文本。\n", encoding="utf-8")
    r = run("extract", str(empty))
    assert r.code == 1
    assert "nothing.txt" in r.err and ("no figures" in r.err or "没有找到数值" in r.err)
    assert run("extract", str(tmp_path / "missing.txt")).code == 3
    r = run("extract", str(SOURCE), "--region", "不存在的地方")
    assert r.code == 2
    assert run("extract", str(SOURCE), "--period", "20x3").code == 2
    assert run("extract", str(SOURCE), str(SOURCE), "--output", str(tmp_path / "o")).code == 2


def test_readme_walkthrough_runs(tmp_path: Path, monkeypatch: object) -> None:
    """docs/reading-reports.md's extract -> check -> compare commands, in a folder of their own."""
    import shlex
    import shutil

    from conftest import REPO, doc

    section = doc("reading-reports.md")
    block = section[section.index("```sh\n") + 6 :]
    commands = block[: block.index("```")].strip().splitlines()
    assert [c.split()[1] for c in commands] == ["extract", "check", "compare"]
    shutil.copytree(REPO / "docs" / "examples", tmp_path / "docs" / "examples")
    shutil.copytree(DATA, tmp_path / "data")
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        results = [run(*shlex.split(c)[1:], "-o", "csv") if "--output" not in c
                   else run(*shlex.split(c)[1:]) for c in commands]  # fmt: skip
    finally:
        os.chdir(old)
    assert [r.code for r in results] == [0, 0, 0], [r.err for r in results]
    compared = list(csv.DictReader(io.StringIO(results[2].out)))
    statuses = {r["id"]: r["status"] for r in compared}
    assert statuses["policy.medical_insurance_enrolment_rate"] == "met"


def test_categories_get_their_ids_only_under_the_total_they_belong_to(tmp_path: Path) -> None:
    """A SYNTHETIC bulletin in the shape of published ones: totals with their categories in
    parentheses; the categories of 风险消除 are not the categories of the monitored total."""
    report = tmp_path / "synthetic-bulletin.txt"
    report.write_text(
        "（SYNTHETIC 合成测试文本，数字为虚构）\n"
        "2021年末,全市“三类对象”监测总数为1000户3000人(脱贫不稳定户400户1200人、边缘易致贫户"
        "350户1000人、突发严重困难户250户800人);累计消除风险600户1700人(脱贫不稳定户300户800人、"
        "边缘易致贫户200户600人、突发严重困难户100户300人),风险消除率60%。\n",
        encoding="utf-8",
    )
    found = rows(str(report), "--region", "620121", "--period", "2021")
    ids = {(r["value"], r["unit"]): r["id"] for r in found}
    assert ids[("1000", "户")] == "monitoring.total_households"
    assert ids[("3000", "人")] == "monitoring.total_persons"
    assert ids[("400", "户")] == "monitoring.unstable_households"
    assert ids[("250", "户")] == "monitoring.sudden_hardship_households"
    assert ids[("600", "户")] == "monitoring.risk_eliminated_households"
    assert ids[("60", "%")] == "monitoring.risk_elimination_rate"
    under_risk = [r for r in found if r["part_of"] == "monitoring.risk_eliminated_households"]
    assert len(under_risk) == 3 and all(r["id"].startswith("draft.") for r in under_risk)
    out = tmp_path / "draft"
    assert run("extract", str(report), "--region", "620121", "--period", "2021",
               "--output", str(out)).code == 0  # fmt: skip
    assert run("check", "--data", str(out), "-o", "csv").code == 0


REPORTS = FIXTURES / "reports"


@pytest.mark.parametrize("name", ["source.docx", "source.pdf", "source-gbk.txt",
                                  "source-page-synthetic.html"])  # fmt: skip
def test_every_input_format_round_trips(name: str, tmp_path: Path) -> None:
    """The bundled report written by LibreOffice (.docx, .pdf), in GBK, in a saved page."""
    path = REPORTS / name
    bundled = load(None)
    want = {(i.id, i.period): (format_number(i.value), i.unit)
            for i in bundled.indicators if i.value is not None}  # fmt: skip
    got = {(r["id"], r["period"]): (r["value"], r["unit"]) for r in rows(str(path))}
    assert sum(got.get(k) == v for k, v in want.items()) >= 95
    out = tmp_path / "draft"
    assert run("extract", str(path), "--output", str(out)).code == 0
    assert (out / name).read_bytes() == path.read_bytes()  # the report as given, kept beside
    assert run("check", "--data", str(out), "-o", "csv").code == 0
    r = run("verify", str(path), "-o", "csv", "--fields", "status")
    assert r.code == 0 and "differs" not in r.out


@pytest.mark.parametrize(
    ("sentence", "value", "wanted"),
    [
        # SYNTHETIC sentences in the shapes of published bulletins
        ("全市“三类对象”监测总数为900户2700人。", "900", "monitoring.total_households"),
        ("三类监测对象共有700户2100人。", "2100", "monitoring.total_persons"),
        ("全年新增识别监测对象60户200人。", "60", "monitoring.new_households"),
        ("累计消除风险500户1500人。", "500", "monitoring.risk_eliminated_households"),
        ("未消除风险的26户86人已全部落实帮扶措施。", "26", None),
        ("监测对象实现就业730人。", "730", None),  # at work: not the monitored persons
        ("有劳动力搬迁群众稳定就业3500人。", "3500", "income.relocated_persons_employed"),
        ("累计授信脱贫小额信贷1400户3100人、金额1.7亿元。", "1.7", "income.microcredit_amount"),
        ("2022年各级财政衔接资金合计为11000万元。", "11000", "deployment.linkage_funds_invested"),
    ],
)
def test_words_of_other_reports(
    tmp_path: Path, sentence: str, value: str, wanted: str | None
) -> None:
    report = tmp_path / "synthetic.txt"
    report.write_text("（SYNTHETIC 测试用）\n" + sentence + "\n", encoding="utf-8")
    found = {
        r["value"]: r["id"] for r in rows(str(report), "--region", "620121", "--period", "2024")
    }
    if wanted is None:
        assert found[value].startswith("draft."), found
    else:
        assert found[value] == wanted, found


def test_units_fanpin_does_not_know_are_declared_in_the_draft(tmp_path: Path) -> None:
    report = tmp_path / "synthetic-units.txt"
    report.write_text(
        "（SYNTHETIC 测试用）\n亩均收益1200元/亩，建设高标准农田3.5万亩，修建道路12.5公里，种植果树"
        "8000株，新建冷库2座，增长2.5倍，八成农户参与，带动10省务工。\n",
        encoding="utf-8",
    )
    out = tmp_path / "draft"
    assert run("extract", str(report), "--region", "620121", "--period", "2024",
               "--output", str(out)).code == 0  # fmt: skip
    declared = (out / "dataset.toml").read_text(encoding="utf-8")
    for unit in ('"亩"', '"万亩"', '"元/亩"', '"公里"', '"株"', '"座"', '"倍"', '"成"', '"省"'):
        assert unit in declared, unit
    c = run("check", "--data", str(out), "-o", "csv", "--fields", "rule,message")
    assert c.code == 0, c.out


def test_a_requirement_written_in_full_width_digits_keeps_no_value(tmp_path: Path) -> None:
    report = tmp_path / "synthetic-target.txt"
    report.write_text("（SYNTHETIC 测试用）\n确保帮扶措施覆盖率不低于９０％。\n", encoding="utf-8")
    out = tmp_path / "draft"
    assert run("extract", str(report), "--region", "620121", "--period", "2024",
               "--output", str(out)).code == 0  # fmt: skip
    draft = (out / "draft.toml").read_text(encoding="utf-8")
    assert "value =" not in draft and "written_as" not in draft and "A requirement" in draft
    assert run("check", "--data", str(out), "-o", "csv").code == 0


def test_a_rate_computed_otherwise_keeps_its_value_and_says_why_its_ratio_was_left(
    tmp_path: Path,
) -> None:
    """SYNTHETIC: a rate by persons (27/60 = 45%), where the bundled one is by households."""
    report = tmp_path / "synthetic-rate.txt"
    report.write_text("（SYNTHETIC 测试用）\n全市监测总数为20户60人,累计消除风险10户27人,"
                      "风险消除率45%。\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "draft"
    assert run("extract", str(report), "--region", "620121", "--period", "2024",
               "--output", str(out)).code == 0  # fmt: skip
    text = (out / "monitoring.toml").read_text(encoding="utf-8")
    assert "value = 45" in text and "= 50% here, not 45%" in text
    assert run("check", "--data", str(out), "-o", "csv").code == 0
    # the bundled report's own rate (771 / 1294 = 59.6%) keeps its ratio
    bundled = tmp_path / "bundled"
    assert run("extract", str(SOURCE), "--output", str(bundled)).code == 0
    assert "ratio = { numerator" in (bundled / "monitoring.toml").read_text(encoding="utf-8")
