"""`fanpin verify`: the bundled report agrees with the bundled data; planted changes are found.

The changed copies are SYNTHETIC (the report with numbers altered on purpose)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import DATA, run

SOURCE = DATA / "source.txt"
# ten figures of the report, each changed in its own sentence (old, new, indicator)
CHANGES = [
    ("累计达到1294户4538人", "累计达到1249户4538人", "monitoring.total_households"),
    ("风险消除率59.6%", "风险消除率56.9%", "monitoring.risk_elimination_rate"),
    ("家庭医生签约率99.43%", "家庭医生签约率99.34%", "policy.family_doctor_contract_rate"),
    ("4590户22680.30万元", "4590户22608.30万元", "income.microcredit_amount"),
    ("创劳务收入17.21亿元", "创劳务收入17.12亿元", "income.labour_income"),
    ("吸纳就业1964人", "吸纳就业1946人", "income.factory_jobs"),
    ("引进落地企业20家", "引进落地企业21家", "cooperation.enterprises_attracted"),
    ("进村入户5631次", "进村入户5613次", "cooperation.household_visits"),
    ("实施相关项目151个", "实施相关项目115个", "construction.demonstration_projects"),
    ("兰州市11方面24个问题", "兰州市11方面42个问题", "rectification.provincial_assessment_issues"),
]


def verify(path: Path, *args: str) -> tuple[int, list[dict[str, str]], str]:
    r = run("verify", str(path), *args, "-o", "csv")
    return r.code, list(csv.DictReader(io.StringIO(r.out))), r.err


def test_the_bundled_report_has_no_figure_that_differs() -> None:
    code, rows, err = verify(SOURCE)
    assert code == 0, err
    statuses = [r["status"] for r in rows]
    assert "differs" not in statuses and "unit differs" not in statuses
    assert statuses.count("matches") == 96
    assert "96" in err


def test_ten_planted_changes_are_exactly_the_figures_that_differ(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    for old, new, _ in CHANGES:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    changed = tmp_path / "changed.txt"
    changed.write_text(text, encoding="utf-8")
    code, rows, _ = verify(changed)
    assert code == 1
    differing = [r for r in rows if r["status"] == "differs"]
    assert sorted(r["id"] for r in differing) == sorted(i for _, _, i in CHANGES)
    assert rows[: len(differing)] == differing  # what differs comes first
    first = next(r for r in differing if r["id"] == "monitoring.total_households")
    assert (first["value"], first["data_value"], first["unit"]) == ("1249", "1294", "户")


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("全市共有兜底保障对象16741户。", "matches"),  # 1.6741万户 in the data
        ("全市共有兜底保障对象1.6741万户3.18万人。", "matches"),
        ("全市共有兜底保障对象16714户。", "differs"),
        ("累计识别监测对象1294人。", "differs"),  # the persons total is 4538
        ("户均落实帮扶措施4.1个。", "unit differs"),  # 4.1项 in the data
        ("全市修建公园3座。", "unknown"),
    ],
)
def test_statuses(tmp_path: Path, sentence: str, status: str) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("（SYNTHETIC 测试用稿）\n" + sentence + "\n", encoding="utf-8")
    code, rows, _ = verify(draft)
    assert rows[0]["status"] == status, rows
    assert code == (1 if status in ("differs", "unit differs") else 0)


def test_no_figures_and_bad_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("没有数字。\n", encoding="utf-8")
    r = run("verify", str(empty))
    assert r.code == 1 and "empty.txt" in r.err
    assert run("verify", str(tmp_path / "missing.txt")).code == 3
    assert run("verify", str(SOURCE), "--region", "不存在的地方").code == 2


def test_a_figure_of_a_reference_dataset_is_reference(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "（SYNTHETIC 测试用稿）\n2023年全国脱贫人口务工规模达3397万人。\n", encoding="utf-8"
    )
    china = str(DATA / "references" / "china")
    r = run("verify", str(draft), "--data", "@bundled", "--data", china, "-o", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert r.code == 0
    assert [(x["status"], x["id"], x["data_value"]) for x in rows] == [
        ("reference", "income.employment_scale", "3397")
    ]


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("全市共有兜底保障对象1.67万户。", "matches"),  # 16741户 rounded to the places written
        ("全市共有兜底保障对象1.68万户。", "differs"),
        ("累计达到近1300户。", "matches"),  # 1294: about 1300
        ("累计达到超2000户。", "differs"),  # 1294 is not more than 2000
        ("累计达到1300户。", "differs"),  # written without 近, 1300 is not 1294
    ],
)
def test_bounds_and_rounding(tmp_path: Path, sentence: str, status: str) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("（SYNTHETIC 测试用稿）\n" + sentence + "\n", encoding="utf-8")
    _, rows, _ = verify(draft)
    assert rows[0]["status"] == status, rows


def test_a_whole_number_in_the_same_unit_is_not_rounding(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "（SYNTHETIC 测试用稿）\n风险消除率60%。全市共有兜底保障对象2万户。\n", "utf-8"
    )
    _, rows, _ = verify(draft)
    assert [(r["value"], r["status"]) for r in rows] == [("60", "differs"), ("2", "differs")]
