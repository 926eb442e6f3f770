"""Values printed as written; derived values at the scale of their inputs; rates in points.

Every dataset here is SYNTHETIC: invented figures, marked so in names and metadata.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from conftest import REPO, run

MINI = REPO / "tests/fixtures/synthetic-mini"


def rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_compare_prints_the_value_as_written() -> None:
    # synthetic-mini reports the rate as 50.0 (%); show keeps it, so must compare
    shown = rows(run("show", "--data", str(MINI), "-o", "csv").out)
    assert {r["id"]: r["value"] for r in shown}["monitoring.risk_elimination_rate"] == "50.0"
    (cmp,) = rows(run("compare", "--data", str(MINI), "-o", "csv").out)
    assert (cmp["value"], cmp["threshold"]) == ("50.0", "40")
    assert cmp["gap"] == "10.0"  # 50.0 - 40 at the scale of its inputs


def two_periods(tmp_path: Path) -> Path:
    """synthetic-mini plus 2022 records: a count written 55.0 and a rate of 48.1 %."""
    d = tmp_path / "synthetic-two-periods"
    shutil.copytree(MINI, d)
    with (d / "monitoring.toml").open("a", encoding="utf-8") as f:
        f.write(
            "\n# SYNTHETIC 2022 records for the diff tests\n"
            '[[indicator]]\nid = "monitoring.unstable_households"\nname_zh = "脱贫不稳定户户数"\n'
            'name_en = "Unstable households"\nvalue = 55.0\nunit = "户"\nperiod = "2022"\n'
            'source = "其中脱贫不稳定户55.0户"\n\n'
            '[[indicator]]\nid = "monitoring.risk_elimination_rate"\nname_zh = "风险消除率"\n'
            'name_en = "Risk elimination rate"\nvalue = 48.1\nunit = "%"\nperiod = "2022"\n'
            'source = "风险消除率48.1%"\n'
        )
    return d


def test_diff_keeps_the_scale_of_its_inputs(tmp_path: Path) -> None:
    d = two_periods(tmp_path)
    r = run("diff", "monitoring.unstable_households", "--data", str(d), "-o", "csv")
    assert r.code == 0, r.err
    (row,) = rows(r.out)
    assert (row["previous"], row["value"], row["change"]) == ("55.0", "60", "5.0")
    assert row["change_unit"] == "户"
    assert row["change_percent"] == "9.09"


def test_diff_of_a_percentage_is_in_percentage_points(tmp_path: Path) -> None:
    d = two_periods(tmp_path)
    r = run("diff", "monitoring.risk_elimination_rate", "--data", str(d), "-o", "csv")
    (row,) = rows(r.out)
    assert (row["previous"], row["value"], row["change"]) == ("48.1", "50.0", "1.9")
    assert row["change_unit"] == "percentage points"
    assert row["change_percent"] == ""  # a relative change of a rate only when asked for
    asked = rows(run("diff", "monitoring.risk_elimination_rate", "--data", str(d),
                     "--relative-rates", "-o", "csv").out)  # fmt: skip
    assert asked[0]["change_percent"] == "3.95"
    table = run("diff", "monitoring.risk_elimination_rate", "--data", str(d), "-o", "table",
                env={"COLUMNS": "160"})  # fmt: skip
    assert "个百分点" in table.out


def county(root: Path, code: str, value: str) -> Path:
    d = root / f"synthetic-{code}"
    d.mkdir()
    (d / "dataset.toml").write_text(
        "# SYNTHETIC test fixture\n[dataset]\n"
        f'title_zh = "合成测试 {code}"\ntitle_en = "SYNTHETIC {code}"\n'
        f'region_code = "{code}"\nperiod = "2023"\nsynthetic = true\n'
        '[sections]\norder = ["income"]\n',
        encoding="utf-8",
    )
    (d / "income.toml").write_text(
        '# SYNTHETIC\n[section]\nkey = "income"\nnumber = "四"\ntitle_zh = "收入"\n'
        'title_en = "Income"\n\n[[indicator]]\nid = "income.synthetic_funds"\n'
        'name_zh = "合成资金"\nname_en = "Synthetic funds"\n'
        f'value = {value}\nunit = "亿元"\nsource = "合成"\n',
        encoding="utf-8",
    )
    return d


def test_rollup_sums_and_differences_keep_the_scale_of_their_inputs(tmp_path: Path) -> None:
    parts = [county(tmp_path, c, v) for c, v in
             (("620102", "0.3120"), ("620103", "0.1800"), ("620104", "0.2500"))]  # fmt: skip
    city = county(tmp_path, "620100", "1.9720")
    args = [a for d in (city, *parts) for a in ("--data", str(d))]
    r = run("rollup", "--to", "620100", *args, "-o", "csv")
    assert r.code == 0, r.err
    (row,) = rows(r.out)
    assert (row["county_sum"], row["parent_value"], row["difference"]) == (
        "0.7420",
        "1.9720",
        "-1.2300",
    )
