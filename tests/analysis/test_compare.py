"""Targets and `fanpin compare`: evaluation rules, golden output, user targets, bad files."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, REPO, doc, run

from fanpin_cli.analysis.compare import compare, evaluate, holds
from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.labels import say
from fanpin_cli.core.model import Indicator, Target, TargetBasis
from fanpin_cli.core.target_kind import RELATIVE_UNIT
from fanpin_cli.reading.load import load

GOLDEN = REPO / "tests" / "golden"
BASIS = TargetBasis("synthetic test target", "nobody", "2023", "not a real quote", "derived")


def ind(value: object, unit: str, id_: str = "s.x", period: str = "2023") -> Indicator:
    return Indicator(id_, "s", "甲", "A", value, unit, period, "620100")  # type: ignore[arg-type]


def target(
    comp: str, value: object, unit: str, relative_to: str | None = None, **kw: str
) -> Target:
    return Target("s.x", comp, value, unit, "national", BASIS, relative_to, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("comp", "value", "expected"),
    [
        (">=", 60, True),
        (">=", 59, False),
        (">", 60, False),
        (">", 61, True),
        ("<=", 60, True),
        ("<=", 61, False),
        ("<", 60, False),
        ("<", 59, True),
        ("==", 60, True),
        ("==", 61, False),
    ],
)
def test_every_comparator_at_and_around_the_boundary(comp: str, value: int, expected: bool) -> None:
    c = evaluate(target(comp, 60, "%"), ind(value, "%"))
    assert c.status == ("met" if expected else "missed")
    assert c.gap == Decimal(value - 60)
    assert holds(Decimal(value), comp, Decimal(60)) is expected


BOUNDARY = [
    (">=", 0, True), (">=", -1, False), (">", 0, False), (">", 1, True),
    ("<=", 0, True), ("<=", 1, False), ("<", 0, False), ("<", -1, True),
    ("==", 0, True), ("==", 1, False),
]  # fmt: skip


@pytest.mark.parametrize(("comp", "offset", "expected"), BOUNDARY)
def test_relative_targets_at_and_around_the_boundary(
    comp: str, offset: int, expected: bool
) -> None:
    # 1.3 x 5580 = 7254 exactly: 7254 >= is met, 7253 is not
    t = target(comp, Decimal("1.3"), "×", relative_to="s.y")
    c = evaluate(t, ind(7254 + offset, "元"), ind(5580, "元", "s.y"))
    assert c.status == ("met" if expected else "missed")
    assert c.target_value == Decimal("7254.0")


@pytest.mark.parametrize(("comp", "offset", "expected"), BOUNDARY)
def test_average_targets_at_and_around_the_boundary(comp: str, offset: int, expected: bool) -> None:
    # 20000万元 / 4000户 = 5万元/户 exactly; one 万元 more or less moves the mean off it
    t = target(comp, 5, "万元/户", kind="average", per="s.y")
    c = evaluate(t, ind(20000 + offset, "万元"), ind(4000, "户", "s.y"))
    assert c.status == ("met" if expected else "missed")
    assert c.caveat == "average"


def test_average_converts_both_units() -> None:
    # 2.26803亿元 over 0.4590万户 against a cap in 元 per 户: 49412.4... 元/户 <= 50000
    t = target("<=", 50000, "元/户", kind="average", per="s.y")
    c = evaluate(t, ind(Decimal("2.26803"), "亿元"), ind(Decimal("0.4590"), "万户", "s.y"))
    assert c.status == "met"
    assert c.unit == "元/户"
    assert c.value is not None and round(c.value, 2) == Decimal("49412.42")
    tight = evaluate(
        target("<=", 49412, "元/户", kind="average", per="s.y"),
        ind(Decimal("2.26803"), "亿元"),
        ind(Decimal("0.4590"), "万户", "s.y"),
    )
    assert tight.status == "missed"


def test_average_that_cannot_be_computed() -> None:
    t = target("<=", 5, "万元/户", kind="average", per="s.y")
    assert evaluate(t, ind(100, "万元"), None).status == "not reported"
    assert evaluate(t, ind(None, "万元"), ind(3, "户", "s.y")).status == "not reported"
    wrong = evaluate(t, ind(100, "万元"), ind(3, "人", "s.y"))
    assert (wrong.status, wrong.reason) == (
        "not comparable",
        ("compare.average_units", "万元", "人", "万元/户"),
    )
    assert say(wrong.reason, "en") == "万元 per 人 cannot be converted to 万元/户"
    zero = evaluate(t, ind(100, "万元"), ind(0, "户", "s.y"))
    assert (zero.status, zero.reason) == ("not comparable", ("compare.zero_divisor", "s.y"))


@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("comp", [">=", ">", "<=", "<", "=="])
def test_a_reference_is_never_met_or_missed(comp: str, offset: int) -> None:
    t = target(comp, 3000, "万人", kind="reference")
    c = evaluate(t, ind(3000 + offset, "万人"))
    assert (c.status, c.gap, c.value) == ("reference", None, Decimal(3000 + offset))
    assert evaluate(t, None).status == "reference"


def test_gap_as_share_of_target() -> None:
    c = evaluate(target(">=", 99, "%"), ind(Decimal("97.96"), "%"))
    assert c.status == "missed"
    assert c.gap == Decimal("-1.04")
    assert c.gap_share is not None
    assert round(c.gap_share, 6) == Decimal("-0.010505")


def test_units_convert_exactly() -> None:
    # 3.1800万人 against a target in persons
    c = evaluate(target(">=", 31800, "人"), ind(Decimal("3.1800"), "万人"))
    assert (c.status, c.value) == ("met", Decimal("31800"))
    # 9.61亿元 against 90000万元
    c2 = evaluate(target(">", 96100, "万元"), ind(Decimal("9.61"), "亿元"))
    assert (c2.status, c2.value, c2.gap) == ("missed", Decimal("96100"), Decimal("0"))


def test_a_percentage_is_never_compared_with_a_count() -> None:
    c = evaluate(target(">=", 60, "%"), ind(771, "户"))
    assert c.status == "not comparable"
    assert c.gap is None
    assert c.reason == ("units.inconvertible", "户", "%")


def test_missing_value_is_not_reported() -> None:
    c = evaluate(target(">=", 60, "%"), ind(None, "%"))
    assert (c.status, c.gap, c.value) == ("not reported", None, None)
    assert evaluate(target(">=", 60, "%"), None).status == "not reported"


def test_relational_target_uses_both_values() -> None:
    t = target(">=", Decimal("1.3"), "×", relative_to="s.y")
    base = ind(5580, "元", "s.y")
    met = evaluate(t, ind(7260, "元"), base)
    assert met.target_value == Decimal("7254.0")
    assert met.status == "met"
    missed = evaluate(t, ind(7000, "元"), base)
    assert missed.status == "missed"
    assert missed.gap == Decimal("-254.0")
    assert evaluate(t, ind(7000, "元"), None).status == "not reported"
    assert evaluate(t, ind(7000, "元"), ind(3, "%", "s.y")).status == "not comparable"


def test_relational_target_converts_the_reference() -> None:
    t = target(">=", 1, "×", relative_to="s.y")
    c = evaluate(t, ind(12000, "户"), ind(Decimal("1.2"), "万户", "s.y"))
    assert (c.status, c.target_value) == ("met", Decimal("12000.0"))


def test_bundled_targets_have_a_basis_and_an_indicator() -> None:
    dataset = load()
    ids = {i.id for i in dataset.indicators}
    assert len(dataset.targets) == 8  # T1-T8 of the research, every one applicable
    for t in dataset.targets:
        assert t.indicator_id in ids
        assert t.relative_to is None or t.relative_to in ids
        b = t.basis
        assert all(x.strip() for x in (b.title, b.issuer, b.year, b.quote, b.confidence))
        assert b.confidence in ("confirmed", "secondary", "derived")


def test_bundled_compare_statuses_levels_and_grades() -> None:
    results = {c.target.indicator_id: c for c in compare(load())}
    got = {
        k.split(".")[1]: (c.status, c.target.kind, c.target.level, c.target.basis.confidence)
        for k, c in results.items()
    }
    assert got == {
        "linkage_funds_industry_share": ("not reported", "threshold", "national", "secondary"),
        "labour_transferred": ("reference", "reference", "national", "secondary"),
        "relocated_households_employed": ("met", "relative", "national", "derived"),
        "medical_insurance_enrolment_rate": ("met", "threshold", "national", "derived"),
        "extreme_poverty_support_standard": ("met", "relative", "provincial", "secondary"),
        "microcredit_amount": ("met", "average", "national", "secondary"),
        "startup_loans_amount": ("met", "average", "national", "secondary"),
        "compulsory_education_retention_rate": ("reference", "reference", "national", "secondary"),
    }
    # T4 is met exactly at its threshold: 99 >= 99
    t4 = results["policy.medical_insurance_enrolment_rate"]
    assert (t4.value, t4.target_value, t4.gap) == (99, 99, 0)
    # T5 is Gansu's rule, applied to 2023 by inference, and says so
    t5 = results["policy.extreme_poverty_support_standard"].target
    assert t5.basis.issuer == "甘肃省" and "inference" in (t5.basis.note or "")
    # the relocation target's basis is the 2021 guidance of 20 departments
    t3 = results["income.relocated_households_employed"].target
    assert (t3.basis.year, t3.basis.issuer) == ("2021", "国家发展改革委、国家乡村振兴局等20部门")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_compare_golden(fmt: str) -> None:
    r = run("compare", "-o", fmt)
    assert r.code == 0, r.err
    expected = (GOLDEN / f"compare.{fmt}").read_text(encoding="utf-8")
    assert r.out == expected


def test_compare_summary_and_table() -> None:
    r = run("compare", "-o", "table", env={"COLUMNS": "200"})
    assert "共 6 项目标: 达标 5, 未达标 0, 未报告 1, 不可比 0; 另有参考 2 项" in r.out
    en = run("--lang", "en", "compare", "-o", "table", env={"COLUMNS": "200"})
    assert "6 targets: 5 met, 0 missed, 1 not reported, 0 not comparable; 2 references" in en.out


USER_TARGETS = """
[[target]]
indicator = "policy.family_doctor_contract_rate"
comparator = ">="
value = 99.5
unit = "%"
level = "municipal"
[target.basis]
title = "synthetic bureau target for tests"
issuer = "test suite"
year = "2024"
quote = "synthetic: not a real requirement"
confidence = "derived"

[[target]]
indicator = "policy.safety_net_persons"
comparator = ">="
value = 30000
unit = "人"
level = "municipal"
[target.basis]
title = "synthetic bureau target for tests"
issuer = "test suite"
year = "2024"
quote = "synthetic: not a real requirement"
confidence = "derived"
"""


def test_user_targets_fail_on_miss(tmp_path: Path) -> None:
    f = tmp_path / "synthetic-targets.toml"
    f.write_text(USER_TARGETS, encoding="utf-8")
    r = run("compare", "--targets", str(f), "-o", "csv", "--fields", "id,value,unit,status")
    assert r.code == 0
    assert r.out.splitlines()[1:] == [
        "policy.family_doctor_contract_rate,99.43,%,missed",
        "policy.safety_net_persons,31800,人,met",
    ]
    failing = run("compare", "--targets", str(f), "--fail-on-miss", "-o", "json")
    assert failing.code == 1
    assert '"status": "missed"' in failing.out
    only = run("compare", "--targets", str(f), "--status", "missed", "-o", "csv", "--no-header")
    assert only.out.count("\n") == 1
    ok = run("compare", "--fail-on-miss", "-o", "json")
    assert ok.code == 0


def test_malformed_targets_file_exits_3_with_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "targets.toml"
    f.write_text(USER_TARGETS.replace('comparator = ">="', 'comparator = "=>"', 1), "utf-8")
    r = run("--lang", "en", "compare", "--targets", str(f))
    assert r.code == 3
    assert r.out == ""
    assert r.err == (
        f"fanpin: error: {f}:4: target policy.family_doctor_contract_rate: unknown comparator "
        "'=>'; use one of >= > <= < ==\n"
    )
    syntax = tmp_path / "broken.toml"
    syntax.write_text("[[target]\nindicator = 1\n", encoding="utf-8")
    r2 = run("--lang", "en", "compare", "--targets", str(syntax))
    assert r2.code == 3
    assert r2.err.startswith(f"fanpin: error: {syntax}:1: TOML syntax error")


def test_explain_shows_value_quote_relations_target() -> None:
    r = run("explain", "income.relocated_households_employed", "-o", "tsv")
    assert r.code == 0
    assert "已实现就业1259户2434人" in r.out
    assert "关系: 所属总体\tincome.relocated_households_with_labour" in r.out
    assert ">= 1259 户: 达标" in r.out
    en = run("--lang", "en", "explain", "income.relocated_households_employed", "-o", "tsv")
    assert "relation: subset of\tincome.relocated_households_with_labour" in en.out
    j = run("explain", "monitoring.total_households", "-o", "json")
    assert '"parts": ["monitoring.unstable_households"' in j.out
    assert "_where" not in j.out and '"line": 37' in j.out
    assert '"used_in_ratio": ["monitoring.risk_elimination_rate"]' in j.out
    bad = run("--lang", "en", "explain", "monitoring.total")
    assert bad.code == 2 and "did you mean" in bad.err


def test_bundled_targets_file_is_the_one_in_data() -> None:
    assert (DATA / "targets.toml").exists()


def test_explain_says_superset_of_and_shows_the_declared_equivalence() -> None:
    whole = run("--lang", "en", "explain", "income.public_welfare_posts", "-o", "tsv")
    assert "relation: superset of\tincome.public_welfare_posts_poor_and_marginal" in whole.out
    assert "supersets_of" not in whole.out
    part = run("--lang", "en", "explain", "income.public_welfare_posts_poor_and_marginal")
    assert "equivalence [2023 Lanzhou]\t1 人 = 1 个 (declared, for relations)" in part.out
    part = run("explain", "income.public_welfare_posts_poor_and_marginal", "-o", "tsv")
    assert "等同 [2023 兰州市]\t1 人 = 1 个 (已声明, 用于关系检查)" in part.out
    j = run("explain", "income.public_welfare_posts", "-o", "json")
    assert '"superset_of": ["income.public_welfare_posts_poor_and_marginal"]' in j.out


def test_explain_shows_the_average_and_what_it_cannot_prove() -> None:
    r = run("explain", "income.microcredit_amount", "-o", "tsv")
    assert r.code == 0
    assert (
        "目标平均数\t22680.30 万元 / 4590 户 (income.microcredit_households) = 4.9412 万元/户"
        in r.out
    )
    assert "目标说明\t按户计的平均数: 平均数不超过上限, 不能证明每一笔都不超过" in r.out
    en = run("--lang", "en", "explain", "income.microcredit_amount", "-o", "tsv")
    assert (
        "target caveat\ta mean per 户: a mean within the cap does not prove that every one is"
        in en.out
    )
    assert "target average\t22680.30 万元 / 4590 户 (income.microcredit_households)" in en.out
    ref = run("--lang", "en", "explain", "income.labour_transferred", "-o", "tsv")
    assert "target [2023]\t>= 3000 万人: reference" in ref.out


SYNTHETIC_REFERENCE = """
[[target]]
indicator = "policy.compulsory_education_retention_rate"
kind = "reference"
comparator = ">="
value = 101
unit = "%"
level = "national"
[target.basis]
title = "synthetic reference for tests"
issuer = "test suite"
year = "2024"
quote = "synthetic: not a real aggregate"
confidence = "derived"
"""


def test_fail_on_miss_never_counts_a_reference(tmp_path: Path) -> None:
    f = tmp_path / "synthetic-reference.toml"
    f.write_text(SYNTHETIC_REFERENCE, encoding="utf-8")
    r = run("compare", "--targets", str(f), "--fail-on-miss", "-o", "csv",
            "--fields", "id,value,threshold,gap,status")  # fmt: skip
    assert r.code == 0, r.err
    assert r.out.splitlines()[1] == "policy.compulsory_education_retention_rate,100,101,,reference"
    as_threshold = f.read_text("utf-8").replace('kind = "reference"\n', "")
    f.write_text(as_threshold, encoding="utf-8")
    assert run("compare", "--targets", str(f), "--fail-on-miss", "-o", "csv").code == 1


def test_status_filter_takes_reference() -> None:
    r = run("compare", "--status", "reference", "-o", "csv", "--fields", "id,status", "--no-header")
    assert r.out == (
        "income.labour_transferred,reference\npolicy.compulsory_education_retention_rate,reference\n"
    )


BAD_KINDS = [
    ('kind = "average"\n', "an average target needs per = an id"),
    ('kind = "ratio"\n', "kind must be one of threshold, relative, average, reference"),
    ('kind = "threshold"\nper = "income.microcredit_households"\n', "per belongs to an average"),
    ('kind = "average"\nper = "income.microcredit_households"\n',
     "an average needs a unit per unit like 万元/户, not '%'"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "message"), BAD_KINDS)
def test_target_kinds_are_validated_with_file_and_line(
    tmp_path: Path, extra: str, message: str
) -> None:
    f = tmp_path / "targets.toml"
    f.write_text(SYNTHETIC_REFERENCE.replace('kind = "reference"\n', extra), encoding="utf-8")
    r = run("--lang", "en", "compare", "--targets", str(f))
    assert r.code == 3
    assert r.err.startswith(f"fanpin: error: {f}:")
    assert message in r.err


def _readme_target_rows() -> list[list[str]]:
    readme = doc("targets.md")
    table = readme[readme.index("| indicator | target | level | basis | confidence |") :]
    lines = table[: table.index("\n\n")].splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def describe_target(t: Target) -> str:
    """The target in one line, as docs/targets.md's table writes it: '≥ 1.3 × `other.id`'."""
    rule = f"{SYMBOLS[t.comparator]} {format_number(t.value)}"
    if t.relative_to is not None:
        return f"{rule} {RELATIVE_UNIT} `{t.relative_to}`"
    if t.per is not None:
        return f"mean per `{t.per}` {rule}{t.unit}"
    if t.kind == "reference":
        return f"reference: {rule}{t.unit}"
    return f"{rule}{t.unit}"


def test_readme_targets_table_matches_targets_toml_row_for_row() -> None:
    rows = _readme_target_rows()
    targets = load().targets
    assert len(rows) == len(targets)
    for row, t in zip(rows, targets, strict=True):
        indicator, rule, level, basis, confidence = row
        assert indicator == f"`{t.indicator_id}`"
        assert rule == describe_target(t)
        assert level == t.level
        assert f'"{t.basis.quote}"' in basis and t.basis.issuer in basis, t.indicator_id
        assert t.basis.year in basis
        assert confidence.split(":")[0] == t.basis.confidence, t.indicator_id


def test_qualitative_requirements_are_quoted_as_the_report_writes_them() -> None:
    """控辍保学“常态清零” (the report), not 动态清零, in docs/targets.md, targets.toml and notes."""
    source = (DATA / "source.txt").read_text(encoding="utf-8")
    assert "控辍保学“常态清零”" in source and "动态清零" not in source
    for path in (DATA.parent / "docs" / "targets.md", DATA / "targets.toml", DATA / "policy.toml"):
        text = path.read_text(encoding="utf-8")
        assert "动态清零" not in text, path
        assert "常态清零" in text, path


def test_readme_lists_the_compare_columns() -> None:
    from fanpin_cli.views.compare import COMPARE_FIELDS

    readme = doc("targets.md")
    listed = readme[readme.index("The JSON and CSV columns: `") :].split("`")[1]
    assert tuple(" ".join(listed.split()).split(", ")) == COMPARE_FIELDS


def test_chart_draws_an_average_as_compare_shows_it_and_a_reference_as_such() -> None:
    avg = run("chart", "income.microcredit_amount", "-o", "csv")
    assert avg.out.splitlines()[1:] == [
        "发放脱贫人口小额信贷金额 <= 目标,target,数值,4.9412,万元/户,,达标",
        "发放脱贫人口小额信贷金额 <= 目标,target,目标,5,万元/户,,达标",
    ]
    ref = run("chart", "income.labour_transferred", "-o", "csv")
    assert ref.out.splitlines()[1:] == [
        "输转脱贫劳动力 >= 参考,target,数值,6.2383,万人,,参考",
        "输转脱贫劳动力 >= 参考,target,参考,3000,万人,,参考",
    ]
    tekun = run("chart", "policy.extreme_poverty_support_standard", "-o", "csv")
    assert "特困人员基本生活标准 >= 目标,target,目标,7254,元,,达标" in tekun.out


def test_derived_digits_follow_one_rule() -> None:
    """Issue 24 item 29: the T7 mean printed 15.709 where the docs say four places."""
    from fanpin_cli.core.decimals import PLACES, derived

    r = run("compare", "income", "-o", "csv", "--fields", "id,value,gap,gap_percent")
    assert r.code == 0, r.err
    assert "income.startup_loans_amount,15.7090,-4.2910,-21.46" in r.out.splitlines()
    assert "income.microcredit_amount,4.9412,-0.0588,-1.18" in r.out.splitlines()
    # half up at every kind (a tie half-even would round down), all places kept
    assert str(derived(Decimal("12.125"), "percent")) == "12.13"
    assert str(derived(Decimal("2"), "ratio")) == "2.0000"
    readme = doc("collections.md")
    places = {"four": 4, "two": 2}
    found = re.findall(r"(four|two) for a\s+(mean|percentage)", readme)
    assert {(k, places[n]) for n, k in found} == {
        ("mean", PLACES["average"]),
        ("percentage", PLACES["percent"]),
    }
