"""Contracts that hold for every command (issue 24, items 10 and 11): `--lang` written after
the command, and one rule for exit codes: nothing matched is exit 1 with a message on
stderr, a request naming something unknown is exit 2. Each table has a row for every
command of fanpin_cli.cli.app.COMMANDS: a new command adds its own."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import COUNTIES, FIXTURES, REPO, run

from fanpin_cli.cli.app import COMMANDS

COUNTY = ["--data", str(COUNTIES / "2023" / "620121")]
WORKBOOK = str(FIXTURES / "no-such-workbook.xlsx")
REPORT = str(REPO / "data" / "source.txt")
NO_FIGURES = "a report without a figure"  # written to a file by the test that uses it

# A run of each command that works (import: one that fails on its input, which still says
# so in the language asked for), and what its output or error says in English only.
IN_ENGLISH: dict[str, tuple[list[str], int, str]] = {
    "sections": (["-o", "table"], 0, "Title (en)"),
    "show": (["monitoring", "-o", "markdown"], 0, "| Indicator |"),
    "get": (["monitoring.total_household"], 2, "did you mean"),
    "search": (["护林员", "-o", "table"], 0, "Indicator"),
    "explain": (["monitoring.total_households", "-o", "table"], 0, "name_en"),
    "compare": (["-o", "table"], 0, "Status"),
    "check": (["-o", "csv"], 0, "checks run"),
    "chart": (["monitoring", "-o", "table"], 0, "parts of"),
    "export": (["--csv", "--json"], 2, "choose one of"),
    "template": (["--region", "北京", "--period", "2024", "unused"], 2, "unknown region"),
    "import": ([WORKBOOK, "unused"], 3, "no such file"),
    "rollup": (["--to", "620100"], 1, "no data for any child region"),
    "diff": (["rectification", "-o", "table"], 0, "Change"),
    "benchmark": (["monitoring.total_households", *COUNTY], 1, "no figures of region"),
    "rank": (["monitoring.total_households", "--period", "2019", *COUNTY], 1, "no records"),
    "scorecard": (["nosuch", *COUNTY], 2, "no section or indicator"),
    "extract": ([REPORT, "-o", "csv"], 0, "matched to known indicators"),
    "verify": ([REPORT, "-o", "csv"], 0, "0 differ"),
}


def test_every_command_has_a_row() -> None:
    assert set(IN_ENGLISH) == set(COMMANDS)
    assert {c for c, _ in NOTHING} | set(NOT_APPLICABLE) == set(COMMANDS)
    assert {c for c, _ in UNKNOWN} | {"import"} == set(COMMANDS)


@pytest.mark.parametrize("command", list(IN_ENGLISH))
def test_every_command_takes_lang_after_it(command: str) -> None:
    args, code, english = IN_ENGLISH[command]
    after = run(command, *args, "--lang", "en")
    assert after.code == code, after.err
    assert english in after.out + after.err
    assert run("--lang", "en", command, *args).out == after.out  # the same as before it
    assert run(command, *args, "--lang=en").err == after.err
    chinese = run(command, *args)  # zh by default
    assert chinese.code == code
    assert english not in chinese.out + chinese.err


def test_lang_after_the_command_wins_over_the_environment() -> None:
    r = run("get", "monitoring.total_household", "--lang", "en", env={"FANPIN_LANG": "zh"})
    assert "no indicator" in r.err
    r = run("get", "monitoring.total_household", env={"FANPIN_LANG": "en"})
    assert "no indicator" in r.err
    r = run("get", "monitoring.total_household", "--lang", "zh", env={"FANPIN_LANG": "en"})
    assert "没有指标" in r.err


def test_lang_after_double_dash_is_an_argument_and_a_bad_one_is_refused() -> None:
    r = run("--lang", "en", "search", "--", "--lang")
    assert (r.code, r.out) == (1, "")
    assert "'--lang'" in r.err
    bad = run("show", "--lang", "xx")
    assert (bad.code, bad.out) == (2, "")
    assert "'xx' is not one of 'zh', 'en'" in bad.err


def test_every_command_lists_lang_in_its_help() -> None:
    for command in COMMANDS:
        r = run(command, "--help")
        assert r.code == 0, command
        assert "--lang" in r.out, command


# ---------------------------------------------------------------- exit codes

# Per command: requests that are well-formed and name only what exists but select nothing
# (exit 1), and requests naming something unknown or malformed (exit 2). A command that
# takes no filter or name has no row of that kind, and says why.
NOTHING: list[tuple[str, list[str]]] = [
    ("show", ["--region", "永登县"]),  # a known region with no data
    ("show", ["--period", "2019"]),  # a well-formed period with no data
    ("show", ["monitoring", "--period", "2022"]),
    ("get", ["monitoring.total_households", "--period", "2019"]),
    ("get", ["monitoring.total_households", "--region", "永登县"]),
    ("search", ["zzzzzz"]),
    ("explain", ["monitoring.total_households", "--period", "2019"]),
    ("explain", ["monitoring.total_households", "--region", "永登县"]),
    ("compare", ["--status", "missed"]),  # nothing missed in the report
    ("compare", ["--period", "2019"]),
    ("compare", ["--region", "永登县"]),
    ("chart", ["deployment"]),  # nothing a chart can show
    ("export", ["--period", "2019"]),
    ("export", ["--region", "永登县", "--json"]),
    ("rollup", ["--to", "620100"]),  # no county data loaded
    ("rollup", ["--to", "620100", "--period", "2019"]),
    ("diff", ["--from", "2019", "--to", "2023"]),
    ("diff", ["--region", "永登县"]),
    ("benchmark", ["--period", "2019"]),
    ("benchmark", ["--region", "永登县"]),
    ("rank", ["monitoring.total_households", "--period", "2019", *COUNTY]),
    ("scorecard", ["monitoring", "--period", "2019", *COUNTY]),
    ("extract", [NO_FIGURES]),
    ("verify", [NO_FIGURES]),
]
UNKNOWN: list[tuple[str, list[str]]] = [
    ("show", ["--region", "北京"]),  # a region neither the region table nor the data has
    ("show", ["--region", "999999"]),
    ("show", ["--period", "20x3"]),
    ("show", ["nosuchsection"]),
    ("get", ["monitoring.nosuch"]),
    ("get", ["monitoring.total_households", "--region", "北京"]),
    ("search", ["户", "--fields", "colour"]),
    ("explain", ["monitoring.nosuch"]),
    ("explain", ["monitoring.total_households", "--region", "北京"]),
    ("compare", ["--region", "北京"]),
    ("compare", ["--status", "lost"]),
    ("compare", ["nosuchsection"]),
    ("check", ["--fields", "colour"]),
    ("chart", ["nosuchsection"]),
    ("export", ["--region", "北京"]),
    ("export", ["--period", "2019-13"]),
    ("sections", ["--fields", "colour"]),
    ("template", ["--region", "北京", "--period", "2024", "unused"]),
    ("rollup", ["--to", "北京"]),
    ("diff", ["--region", "北京"]),
    ("diff", ["--from", "2023", "--to", "2021"]),
    ("benchmark", ["--region", "北京"]),
    ("benchmark", ["--region", "100000"]),  # the country: no level above it to put beside
    ("rank", ["monitoring.total_households", "--among", "北京", *COUNTY]),
    ("rank", ["monitoring.nosuch", *COUNTY]),
    ("scorecard", ["--among", "北京", *COUNTY]),
    ("scorecard", ["nosuch", *COUNTY]),
    ("extract", [REPORT, "--region", "北京"]),
    ("verify", [REPORT, "--region", "北京"]),
]
NOT_APPLICABLE = {
    "sections": "lists every section: takes no filter, so nothing can fail to match",
    "check": "checks the whole dataset: no findings is its answer (exit 0), not 'nothing'",
    "template": "writes a new dataset for any region of the table: there is nothing to match",
    "import": "reads one file whole: a problem with it is a data error (exit 3)",
}


@pytest.mark.parametrize(
    ("command", "args"), NOTHING, ids=[f"{c} {' '.join(a)}" for c, a in NOTHING]
)
@pytest.mark.parametrize("fmt", ["default", "json"])
def test_nothing_matched_is_exit_1_with_a_message(
    command: str, args: list[str], fmt: str, tmp_path: Path
) -> None:
    if NO_FIGURES in args:
        (tmp_path / "draft.txt").write_text("今年工作取得明显成效。\n", encoding="utf-8")
        args = [str(tmp_path / "draft.txt") if a == NO_FIGURES else a for a in args]
    extra = ["-o", "json"] if fmt == "json" and command not in ("get", "export") else []
    r = run(command, *args, *extra, "--lang", "en")
    assert (r.code, r.out) == (1, ""), r.err
    assert r.err.startswith("fanpin: error: ") and r.err.count("\n") == 1
    assert "Traceback" not in r.err


@pytest.mark.parametrize(
    ("command", "args"), UNKNOWN, ids=[f"{c} {' '.join(a)}" for c, a in UNKNOWN]
)
def test_naming_something_unknown_is_exit_2(command: str, args: list[str]) -> None:
    r = run(command, *args)
    assert (r.code, r.out) == (2, ""), r.err
    assert r.err.startswith("fanpin: error: ") and r.err.count("\n") == 1


def test_the_same_known_period_and_region_say_what_exists() -> None:
    period = run("--lang", "en", "show", "--period", "2019")
    assert "periods in the data: 2021, 2022, 2023" in period.err
    region = run("--lang", "en", "show", "--region", "北京")
    assert "regions in the data: 620100 兰州市" in region.err


def test_search_and_status_say_what_was_asked() -> None:
    assert run("--lang", "en", "search", "zzzzzz").err == (
        "fanpin: error: no indicator's id, name or quote contains 'zzzzzz'\n"
    )
    assert run("search", "zzzzzz").err == "fanpin: error: 没有 id、名称或引文包含 'zzzzzz' 的指标\n"
    missed = run("--lang", "en", "compare", "--status", "missed", "-o", "json")
    assert missed.err == "fanpin: error: no comparison has status missed\n"
    both = run("compare", "--status", "missed", "--status", "met", "-o", "csv")
    assert both.code == 0 and ",met," in both.out


def test_check_without_findings_is_success_not_nothing_matched() -> None:
    r = run("check", "-o", "json")
    assert (r.code, r.out) == (0, "[]\n")


# ---------------------------------------------------------------- stdout carries data only

SUMMARISED = {  # commands whose table ends in a summary line, and that line
    ("show", "monitoring"): "共 14 项指标",
    ("search", "户"): "共 27 项指标",
    ("compare",): "共 6 项目标: 达标 5, 未达标 0, 未报告 1, 不可比 0; 另有参考 2 项",
    ("check",): "运行 323 项检查: 通过 323, 错误 0, 警告 0",
    ("benchmark", "monitoring"): "共 6 项指标有上级数据, 可比 6 项",
}


@pytest.mark.parametrize("args", list(SUMMARISED), ids=" ".join)
@pytest.mark.parametrize("fmt", ["tsv", "csv", "json", "jsonl", "markdown"])
def test_a_summary_line_is_never_on_stdout_off_the_table(args: tuple[str, ...], fmt: str) -> None:
    """Issue 24, item 14: `-o markdown` printed its summary on stdout; the table (for people
    on a terminal) keeps it as its caption, Markdown says it on stderr, machine formats only
    for check."""
    summary = SUMMARISED[args]
    assert run(*args, "-o", "table").out.rstrip("\n").endswith(summary)
    r = run(*args, "-o", fmt)
    assert r.code == 0, r.err
    assert summary not in r.out
    said = fmt == "markdown" or args == ("check",)
    assert r.err == (summary + "\n" if said else "")


# ---------------------------------------------------------------- qualified figures

QUALIFIED_TEXT = re.compile(r"^[<>≈]=?\s*[-+]?\d")  # '>3300', '≈70', '>-97': a figure as text
WITH_BOUNDS = [  # outputs that hold a bound (>3300, 2024) or an approximation (≈70, 2021)
    ["show", "--data", "@china"],
    ["show", "income.employment_scale", "monitoring", "--data", "@china", "--by", "period"],
    ["compare", "--data", "@china"],
    ["diff", "income.employment_scale", "--data", "@china"],
    ["diff", "--data", "@china", "--against", "@bundled"],
    ["benchmark"],  # the country's ≈70% beside Lanzhou's rate
    ["benchmark", "--region", "620000", "--data", "@references"],
    ["chart", "income.employment_scale", "--data", "@china"],
    ["explain", "income.employment_scale", "--data", "@china"],
]


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("args", WITH_BOUNDS, ids=" ".join)
def test_a_qualified_figure_is_a_number_and_a_qualifier_in_every_json(args: list[str]) -> None:
    """Issue 24, item 12: diff and benchmark wrote '>3300' and '≈70' as JSON strings where
    show and compare write the number and a `qualifier` field."""
    r = run(*args, "-o", "json")
    assert r.code == 0, r.err
    document = json.loads(r.out)
    assert [s for s in _strings(document) if QUALIFIED_TEXT.match(s)] == []
    assert any(q in _strings(document) for q in (">", "≈"))  # the qualifiers are there
    if args[0] != "explain":  # CSV: the same fields, the same numbers
        table = list(csv.reader(io.StringIO(run(*args, "-o", "csv").out)))
        assert table[0] == list(document[0])
        assert [c for row in table for c in row if QUALIFIED_TEXT.match(c)] == []


def test_diff_and_benchmark_give_the_number_and_its_qualifier() -> None:
    diff = json.loads(run("diff", "income.employment_scale", "--data", "@china", "-o", "json").out)
    (row,) = [r for r in diff if r["period"] == "2024"]
    assert (row["value"], row["qualifier"]) == (3300, ">")
    assert (row["previous"], row["previous_qualifier"]) == (3397, None)
    assert (row["change"], row["change_qualifier"]) == (-97, ">")
    bench = json.loads(run("benchmark", "monitoring.risk_elimination_rate", "-o", "json").out)
    assert (bench[0]["country_value"], bench[0]["country_qualifier"]) == (70, "≈")
    assert (bench[0]["value"], bench[0]["qualifier"]) == (59.6, None)
    shown = run("--lang", "en", "diff", "income.employment_scale", "--data", "@china",
                "-o", "table", env={"COLUMNS": "200"})  # fmt: skip
    assert ">3300" in shown.out and ">-97" in shown.out  # people see them together
