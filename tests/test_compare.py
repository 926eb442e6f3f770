"""Targets and `fanpin compare`: evaluation rules, golden output, user targets, bad files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, run

from fanpin_cli.compare import compare, evaluate, holds
from fanpin_cli.load import load
from fanpin_cli.model import Indicator, Target, TargetBasis

GOLDEN = Path(__file__).parent / "golden"
BASIS = TargetBasis("synthetic test target", "nobody", "2023", "not a real quote", "derived")


def ind(value: object, unit: str, id_: str = "s.x", period: str = "2023") -> Indicator:
    return Indicator(id_, "s", "甲", "A", value, unit, period, "620100")  # type: ignore[arg-type]


def target(comp: str, value: object, unit: str, relative_to: str | None = None) -> Target:
    return Target("s.x", comp, value, unit, "national", BASIS, relative_to)  # type: ignore[arg-type]


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
    base = ind(5580, "元/人·年", "s.y")
    met = evaluate(t, ind(7260, "元/人·年"), base)
    assert met.target_value == Decimal("7254.0")
    assert met.status == "met"
    missed = evaluate(t, ind(7000, "元/人·年"), base)
    assert missed.status == "missed"
    assert missed.gap == Decimal("-254.0")
    assert evaluate(t, ind(7000, "元/人·年"), None).status == "not reported"
    assert evaluate(t, ind(7000, "元/人·年"), ind(3, "%", "s.y")).status == "not comparable"


def test_relational_target_converts_the_reference() -> None:
    t = target(">=", 1, "×", relative_to="s.y")
    c = evaluate(t, ind(12000, "户"), ind(Decimal("1.2"), "万户", "s.y"))
    assert (c.status, c.target_value) == ("met", Decimal("12000.0"))


def test_bundled_targets_have_a_basis_and_an_indicator() -> None:
    dataset = load()
    ids = {i.id for i in dataset.indicators}
    assert len(dataset.targets) >= 2
    for t in dataset.targets:
        assert t.indicator_id in ids
        assert t.relative_to is None or t.relative_to in ids
        b = t.basis
        assert all(x.strip() for x in (b.title, b.issuer, b.year, b.quote, b.confidence))
        assert b.confidence in ("confirmed", "secondary", "derived")


def test_bundled_compare_shows_industry_share_as_not_reported() -> None:
    results = {c.target.indicator_id: c for c in compare(load())}
    assert results["income.linkage_funds_industry_share"].status == "not reported"
    assert results["income.relocated_households_employed"].status == "met"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_compare_golden(fmt: str) -> None:
    r = run("compare", "-o", fmt)
    assert r.code == 0, r.err
    expected = (GOLDEN / f"compare.{fmt}").read_text(encoding="utf-8")
    assert r.out == expected


def test_compare_summary_and_table() -> None:
    r = run("compare", "-o", "table", env={"COLUMNS": "200"})
    assert "共 2 项目标: 达标 1, 未达标 0, 未报告 1, 不可比 0" in r.out
    en = run("--lang", "en", "compare", "-o", "table", env={"COLUMNS": "200"})
    assert "2 targets: 1 met, 0 missed, 1 not reported, 0 not comparable" in en.out


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
    r = run("compare", "--targets", str(f))
    assert r.code == 3
    assert r.out == ""
    assert r.err == (
        f"fanpin: error: {f}:4: target policy.family_doctor_contract_rate: unknown comparator "
        "'=>'; use one of >= > <= < ==\n"
    )
    syntax = tmp_path / "broken.toml"
    syntax.write_text("[[target]\nindicator = 1\n", encoding="utf-8")
    r2 = run("compare", "--targets", str(syntax))
    assert r2.code == 3
    assert r2.err.startswith(f"fanpin: error: {syntax}:1: TOML syntax error")


def test_explain_shows_value_quote_relations_target() -> None:
    r = run("explain", "income.relocated_households_employed", "-o", "tsv")
    assert r.code == 0
    assert "已实现就业1259户2434人" in r.out
    assert "relation: subset_of\tincome.relocated_households_with_labour" in r.out
    assert ">= 1259 户: 达标" in r.out
    j = run("explain", "monitoring.total_households", "-o", "json")
    assert '"parts": ["monitoring.unstable_households"' in j.out
    assert "_where" not in j.out and '"line": 37' in j.out
    assert '"used_in_ratio": ["monitoring.risk_elimination_rate"]' in j.out
    bad = run("explain", "monitoring.total")
    assert bad.code == 2 and "did you mean" in bad.err


def test_bundled_targets_file_is_the_one_in_data() -> None:
    assert (DATA / "targets.toml").exists()
