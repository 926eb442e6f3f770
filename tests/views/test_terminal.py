"""Terminal tables never cut a number, an id or a status, at any width; chart colour."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import CODES, README, REPO, county_args, run

COUNTIES = REPO / "tests/fixtures/synthetic-counties/2023"
ROLLUP_DATA = ["--data", "@bundled"] + [
    a for d in sorted(COUNTIES.iterdir()) for a in ("--data", str(d))
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# command, then the CSV fields whose every value must appear whole in its table
CASES = {
    "show": (["show"], ["id", "value"]),
    "compare": (["compare"], ["status_zh", "value", "target"]),
    "rollup": (["rollup", "--to", "620100", *ROLLUP_DATA], ["id", "county_sum", "parent_value"]),
    "diff": (["diff", "rectification"], ["id", "value", "previous", "change"]),
}


def whole(value: str) -> re.Pattern[str]:
    """`value` not touching other letters, digits, dots or underscores (so not cut)."""
    return re.compile(r"(?<![0-9A-Za-z_.])" + re.escape(value) + r"(?![0-9A-Za-z_.])")


def assert_whole(table: str, args: list[str], fields: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run(*args, "-o", "csv").out)))
    assert rows
    flat = re.sub(r"\s*[│┃]\s*", " ", table)
    for row in rows:
        for field in fields:
            value = row[field]
            if (value and field != "target") or (field == "target" and value):
                assert whole(value).search(flat), (field, value)
        if "status_zh" in row and row["status_zh"] == "未报告":
            assert "未报告" in flat
    for line in table.splitlines():
        assert len(line) <= 400  # sanity: the table is drawn, not dumped


@pytest.mark.parametrize("width", [60, 80, 100, 160])
@pytest.mark.parametrize("case", sorted(CASES))
def test_tables_never_cut_values_ids_or_statuses(case: str, width: int) -> None:
    args, fields = CASES[case]
    r = run(*args, "-o", "table", env={"COLUMNS": str(width)})
    assert r.code == 0
    from rich.cells import cell_len

    assert max(cell_len(line) for line in r.out.splitlines()) <= width
    assert_whole(r.out, args, fields)


def test_a_narrowed_table_says_which_columns_it_left_out() -> None:
    r = run("compare", "-o", "table", env={"COLUMNS": "100"})
    assert "终端较窄, 未显示: 进度、层级、可信度、依据" in r.out
    en = run("compare", "-o", "table", "--lang", "en", env={"COLUMNS": "100"})
    assert "narrow terminal, not shown:" in en.out


def test_too_narrow_for_any_table_prints_a_block_per_record() -> None:
    r = run("show", "monitoring", "-o", "table", env={"COLUMNS": "60"})
    assert "ID: monitoring.total_households\n" in r.out
    assert "数值: 1294\n" in r.out


def test_unreported_values_show_the_words() -> None:
    show = run("show", "income.linkage_funds_industry_share", "-o", "table",
               env={"COLUMNS": "160"})  # fmt: skip
    assert "未报告" in show.out
    en = run("show", "income.linkage_funds_industry_share", "-o", "markdown", "--lang", "en")
    assert "| not reported |" in en.out
    explained = run("explain", "income.linkage_funds_industry_share", "-o", "tsv")
    assert "数值 [2023 兰州市]\t未报告\n" in explained.out
    compared = run("compare", "income", "-o", "table", env={"COLUMNS": "160"})
    assert compared.out.count("未报告") >= 2  # the value and the status
    # machine formats keep the empty cell
    assert run("get", "income.linkage_funds_industry_share").out == "\n"


needs_script = pytest.mark.skipif(
    shutil.which("script") is None or os.name != "posix", reason="needs script(1)"
)


def in_terminal(
    command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a shell command under script(1): a real pseudo-terminal, sized by stty."""
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    full = {k: v for k, v in full.items() if not k.startswith(("FANPIN_", "FORCE_COLOR"))}
    full.update(env or {})
    full["FANPIN_CACHE"] = "0"
    fanpin = f'"{sys.executable}" -m fanpin_cli'
    return subprocess.run(
        ["script", "-qec", command.replace("fanpin", fanpin), "/dev/null"],
        stdin=subprocess.DEVNULL,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_script
@pytest.mark.parametrize("width", [60, 80])
def test_real_narrow_terminal_shows_compare_whole(width: int) -> None:
    p = in_terminal(f"stty cols {width} rows 50; fanpin compare")
    assert p.returncode == 0
    table = ANSI.sub("", p.stdout).replace("\r", "")
    from rich.cells import cell_len

    assert max(cell_len(line) for line in table.splitlines()) <= width
    assert_whole(table, ["compare"], ["status_zh", "value", "target"])


@needs_script
def test_terminal_of_zero_columns_falls_back_to_80() -> None:
    p = in_terminal("stty cols 0; fanpin show monitoring")
    out = ANSI.sub("", p.stdout).replace("\r", "")
    assert p.returncode == 0
    assert "monitoring.total_households" in out and "1294" in out
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) == 80


@needs_script
def test_chart_colour_on_a_terminal_as_the_readme_says() -> None:
    coloured = in_terminal("stty cols 80; fanpin chart monitoring")
    assert ANSI.search(coloured.stdout)
    plain = in_terminal("stty cols 80; fanpin chart monitoring", env={"NO_COLOR": "1"})
    assert not ANSI.search(plain.stdout)
    assert "on a terminal the bars are coloured (`NO_COLOR`\nturns that off)" in README
    assert "plain text without colour. `--svg" not in README
    piped = run("chart", "monitoring", "-o", "table")
    assert not ANSI.search(piped.out)


@needs_script
@pytest.mark.parametrize("width", [60, 100])
def test_check_on_a_terminal_summarises_long_lists_of_ids(width: int) -> None:
    """Issue 24, item 15: each completeness row listed its ~80 ids, 400-500 lines of a
    terminal for 2 errors and 8 warnings; a terminal gets the first ids, the count and how
    to see them all, and machine formats keep every id."""
    data = " ".join(f"--data {COUNTIES / code}" for code in CODES)
    p = in_terminal(f"stty cols {width} rows 50; fanpin check --data @bundled {data}")
    assert p.returncode == 1  # 2 errors (the synthetic counties do not add up) and 8 warnings
    out = ANSI.sub("", p.stdout).replace("\r", "")
    assert out.count("… 共 80") == 8 and "-o csv" in out  # the count, once per county
    assert "income.labour_transferred" not in out  # the 26th id of each list: not shown
    assert "deployment.coordination_meetings" not in out  # the 4th: not in the message
    assert len(out.splitlines()) < 130  # 507 lines at 60 columns, 483 at 120 before
    every = run("check", "--data", "@bundled", *county_args("2023"), "-o", "json")
    rows = json.loads(every.out)
    assert [len(r["indicators"]) for r in rows if r["rule"] == "completeness"] == [80] * 8
    assert "income.labour_transferred" in rows[-1]["indicators"]
