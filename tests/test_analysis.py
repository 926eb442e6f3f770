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
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, county_args, run

MONTHLY = FIXTURES / "synthetic-monthly-counties"
M = ["--data", str(MONTHLY)]
GOLDEN = Path(__file__).parent / "golden"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FANPIN_WRITE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def fixture_value(code: str, rid: str, period: str) -> str | None:
    """A figure as the monthly fixture's TOML holds it (read apart from fanpin)."""
    import tomllib

    with open(MONTHLY / code / "monitoring.toml", "rb") as f:
        records = tomllib.load(f)["indicator"]
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
     (["--pop", "--to", "2022-01"], 2), (["--pop", "--to", "20x4"], 2),
     (["rectification", "--yoy"], 2)],
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
