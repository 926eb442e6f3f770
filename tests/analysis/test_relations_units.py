"""`check` compares only what is comparable: relations are unit-aware, equivalences declared."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA, run


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(DATA, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


FIELDS = ("-o", "csv", "--fields", "rule,indicators,expected,actual,message", "--no-header")


def test_bundled_check_passes() -> None:
    r = run("check", "-o", "csv")
    assert r.code == 0, r.out
    assert r.out.splitlines() == [
        "rule,severity,indicators,expected,actual,file,line,message,message_zh"
    ]


def test_a_subset_in_persons_of_a_whole_in_posts_needs_a_declared_equivalence(
    tmp_path: Path,
) -> None:
    """717人 of 718个: without `equivalent_unit` persons are not compared with posts."""
    copy = _copy(tmp_path)
    _edit(copy / "income.toml", 'equivalent_unit = "个"\n', "")
    r = run("check", "--data", str(copy), *FIELDS)
    assert r.code == 1
    assert r.out == (
        "subsets,income.public_welfare_posts_poor_and_marginal,a unit comparable with 个,人,"
        "income.public_welfare_posts_poor_and_marginal in 人 cannot be compared with "
        "income.public_welfare_posts in 个 (declare equivalent_unit where one counts as the "
        "other)\n"
    )


def test_a_declared_equivalence_still_catches_a_part_above_its_whole(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit(copy / "income.toml", "value = 718\n", "value = 716\n")
    _edit(copy / "income.toml", "开发乡村公益性岗位718个", "开发乡村公益性岗位716个")
    r = run("check", "--data", str(copy), *FIELDS)
    assert r.code == 1
    assert "subsets,income.public_welfare_posts_poor_and_marginal,<= 716,717," in r.out


def test_a_share_of_things_in_different_units_is_a_finding(tmp_path: Path) -> None:
    """59.6% = 771户 / 1294户; with the denominator in 人 the share means nothing."""
    copy = _copy(tmp_path)
    _edit(
        copy / "monitoring.toml",
        'ratio = { numerator = "monitoring.risk_eliminated_households", '
        'denominator = "monitoring.total_households" }',
        'ratio = { numerator = "monitoring.risk_eliminated_households", '
        'denominator = "monitoring.total_persons" }',
    )
    r = run("check", "--data", str(copy), *FIELDS)
    assert r.code == 1
    assert r.out.startswith(
        "ratios,monitoring.risk_eliminated_households,a unit comparable with 人,户,"
    )


def test_a_value_written_in_chinese_numerals_is_checked_against_the_quote(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit(copy / "deployment.toml", "value = 5\nwritten_as", "value = 6\nwritten_as")
    r = run("check", "--data", str(copy), *FIELDS)
    assert r.code == 1
    assert r.out == (
        "quotes,deployment.task_forces,5,6,deployment.task_forces: written_as 五 does not "
        "denote the value 6\n"
    )
    _edit(copy / "deployment.toml", 'value = 6\nwritten_as = "五"', 'value = 6\nwritten_as = "六"')
    again = run("check", "--data", str(copy), *FIELDS)
    assert "quote does not contain the value as written (六)" in again.out


def test_without_written_as_a_chinese_numeral_count_fails_the_quote_check(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit(copy / "deployment.toml", 'written_as = "五"\n', "")
    r = run("check", "--data", str(copy), *FIELDS)
    assert r.code == 1
    assert "deployment.task_forces: quote does not contain the value 5 as written" in r.out


def test_average_targets_are_checked_for_their_divisor_and_units(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    targets = copy / "targets.toml"
    _edit(targets, 'per = "income.microcredit_households"', 'per = "income.microcredit_persons"')
    _edit(targets, 'per = "income.startup_loans_count"', 'per = "income.labour_transferred"')
    r = run("check", "--data", str(copy), "-o", "csv", "--fields", "rule,message", "--no-header")
    assert r.code == 1
    assert r.out == (
        "targets,target income.microcredit_amount: per names unknown "
        "income.microcredit_persons\n"
        "targets,target income.startup_loans_amount: 万元 per 万人 (income.labour_transferred) "
        "cannot be compared with 万元/笔\n"
    )
