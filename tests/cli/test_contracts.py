"""What a script can rely on: every id accounted for, filters checked, one exit code each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, run, run_process

COUNTY_2023 = ["--data", str(REPO / "tests/fixtures/synthetic-counties/2023")]


# ---------------------------------------------------------------- get


def test_get_an_id_without_a_record_for_the_period_is_named_not_dropped() -> None:
    r = run("--lang", "en", "get", "monitoring.total_households",
            "rectification.national_assessment_issues", "--period", "2022")  # fmt: skip
    assert (r.code, r.out) == (1, "")
    assert r.err == ("fanpin: error: no record of monitoring.total_households for --period 2022\n")
    alone = run("get", "monitoring.total_households", "--period", "2022")
    assert (alone.code, alone.out) == (1, "")
    assert "monitoring.total_households" in alone.err


def test_get_names_every_id_that_matched_nothing() -> None:
    r = run("get", "monitoring.total_households", "monitoring.total_persons", "--period", "2021")
    assert r.code == 1
    assert "monitoring.total_households, monitoring.total_persons" in r.err


def test_get_allow_missing_keeps_one_line_per_id() -> None:
    r = run("get", "monitoring.total_households", "rectification.national_assessment_issues",
            "--period", "2022", "--allow-missing")  # fmt: skip
    assert (r.code, r.out) == (0, "\n22\n")


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export", "--period", "20x3"], "'20x3' is not a period"),
        (["show", "--period", "2023-13x"], "is not a period"),
        (["show", "--region", "999999"], "regions in the data: 620100 兰州市"),
        (["show", "--region", "北京"], "regions in the data: 620100 兰州市"),
        (["get", "monitoring.total_households", "--region", "999999"], "unknown region"),
        (["compare", "--region", "999999"], "unknown region"),
        (["diff", "rectification", "--from", "2022", "--to", "2021"], "not earlier than"),
        (["diff", "rectification", "--to", "20x3"], "'20x3' is not a period"),
        (["rollup", "--to", "٦٢٠١٠٠"], "unknown region '٦٢٠١٠٠'"),  # digits, but not 0-9
    ],
)
def test_malformed_or_unknown_filter_values_are_usage_errors(args: list[str], says: str) -> None:
    r = run("--lang", "en", *args)
    assert (r.code, r.out) == (2, "")
    assert says in r.err
    assert r.err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["show", "monitoring", "--period", "2022"],
        ["show", "--region", "620121"],
        ["export", "--region", "永登县"],
        ["export", "--csv", "--period", "2022", "--region", "620121"],
        ["compare", "--period", "2022"],
        ["diff", "monitoring"],  # bundled: monitoring has 2023 only
        ["diff", *COUNTY_2023],  # county data of one year
        ["diff", "rectification", "--region", "620121"],
        ["export", "--period", "2019"],  # a period no record has: named with those that do
        ["rollup", "--to", "620100", "--period", "2019"],
    ],
)
def test_well_formed_filters_that_match_nothing_say_so_and_exit_1(args: list[str]) -> None:
    r = run(*args)
    assert (r.code, r.out) == (1, "")
    assert r.err.startswith("fanpin: error: ")
    assert r.err.count("\n") == 1


# ---------------------------------------------------------------- options


def test_repeated_fields_are_refused() -> None:
    r = run("--lang", "en", "show", "monitoring", "--fields", "id,value,id", "-o", "json")
    assert (r.code, r.out) == (2, "")
    assert "--fields names id more than once" in r.err


@pytest.mark.parametrize("fmt", ["--json", "--jsonl"])
@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_json_is_utf8_only_and_encoding_is_refused_for_it(
    fmt: str, encoding: str, tmp_path: Path
) -> None:
    """Issue 24, item 13: `export --jsonl --encoding gbk` wrote GBK bytes that jq reads as
    replacement characters; JSON is UTF-8 (RFC 8259), so the option is a usage error."""
    out = tmp_path / f"out.{fmt[2:]}"  # a name that agrees with the format
    r = run("--lang", "en", "export", fmt, "--encoding", encoding, "--output", str(out))
    assert (r.code, r.out) == (2, "")
    assert (
        r.err
        == f"fanpin: error: {fmt} is always UTF-8; --encoding applies to CSV, TSV and Markdown\n"
    )
    assert not out.exists()
    assert run("export", fmt, "--encoding", "utf-8").code == 0
    tsv = run("export", "--tsv", "--encoding", encoding)
    assert tsv.code == 0 and tsv.out_bytes.decode(encoding).startswith("id\tsection")


@pytest.mark.parametrize("where", ["root", "command"])
def test_empty_data_path_is_refused(where: str) -> None:
    args = ["--data", "", "show"] if where == "root" else ["show", "--data", ""]
    r = run(*args)
    assert (r.code, r.out) == (2, "")
    assert "'--data'" in r.err and "empty" in r.err


def test_root_and_command_data_are_combined() -> None:
    county = REPO / "tests/fixtures/synthetic-counties/2023/620121"
    r = run("--data", "@bundled", "get", "--data", str(county), "monitoring.total_households")
    assert (r.code, r.out) == (0, "1294\n396\n")
    # FANPIN_DATA gives way to --data, before or after the command
    env = {"FANPIN_DATA": str(county)}
    assert run("get", "--data", "@bundled", "monitoring.total_households", env=env).out == "1294\n"


@pytest.mark.parametrize(
    ("args", "env", "code"),
    [
        (["--debug", "--data", "/nonexistent", "show"], {}, 3),
        (["--data", "/nonexistent", "show"], {"FANPIN_DEBUG": "1"}, 3),
        (["get", "monitoring.total_household", "--debug"], {}, 2),
        (["show", "--bogus"], {"FANPIN_DEBUG": "1"}, 2),
        (["show", "monitoring", "--period", "2022", "--debug"], {}, 1),
    ],
)
def test_debug_adds_a_traceback_and_keeps_the_exit_code(
    args: list[str], env: dict[str, str], code: int
) -> None:
    r = run_process(*args, env=env)
    err = r.stderr.decode("utf-8")
    assert r.returncode == code
    assert "Traceback" in err
    assert err.splitlines()[-1].startswith("fanpin: error: ")


def test_debug_after_the_command_is_accepted() -> None:
    r = run("get", "monitoring.total_persons", "--debug")
    assert (r.code, r.out, r.err) == (0, "4538\n", "")


def test_debug_keeps_exit_70_for_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    import fanpin_cli.reading.load

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(fanpin_cli.reading.load, "load", broken)
    r = run("show", "--debug")
    assert r.code == 70
    assert "Traceback" in r.err and "RuntimeError: simulated bug" in r.err


# ---------------------------------------------------------------- explain and Markdown


def test_explain_json_paths_are_relative_to_the_dataset_directory() -> None:
    import json

    info = json.loads(run("explain", "monitoring.total_households", "-o", "json").out)
    assert [r["file"] for r in info["records"]] == ["monitoring.toml"]
    assert str(REPO) not in run("explain", "monitoring.total_households", "-o", "json").out


def test_explain_takes_region_and_period_like_show() -> None:
    import json

    args = ["explain", "monitoring.total_households", *COUNTY_2023, "--data", "@bundled"]
    everything = json.loads(run(*args, "-o", "json").out)
    assert len(everything["records"]) == 9
    one = json.loads(run(*args, "--region", "永登县", "-o", "json").out)
    assert [(r["region_code"], r["value"]) for r in one["records"]] == [("620121", 396)]
    assert run(*args, "--period", "2022").code == 1
    assert run(*args, "--region", "999999").code == 2


def test_exported_markdown_is_records_only() -> None:
    out = run("export", "--markdown").out
    assert "共 96 项指标" not in out
    shown = run("show", "monitoring", "-o", "markdown")
    assert shown.out.endswith("|\n") and "共 14 项指标" not in shown.out  # stdout: data only
    assert shown.err == "共 14 项指标\n"  # the summary line: on stderr (issue 24, item 14)


# ---------------------------------------------------------------- multi-dataset exports


def test_a_data_package_of_several_datasets_is_named_and_described_from_all(
    tmp_path: Path,
) -> None:
    import json

    counties = REPO / "tests/fixtures/synthetic-counties"
    args = [
        "--data",
        "@bundled",
        "--data",
        str(counties / "2022"),
        "--data",
        str(counties / "2023"),
    ]
    r = run("export", *args, "--datapackage", str(tmp_path / "dp"))
    assert r.code == 0, r.err
    package = json.loads((tmp_path / "dp" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "fanpin-9-regions-2021-2023-synthetic"  # the records' periods
    assert package["title"].startswith("SYNTHETIC: fanpin export of 17 datasets: ")
    assert "each with a verbatim quote" not in package["description"]
    assert "16 of them are SYNTHETIC" in package["description"]
    for code in ("620100", "620102", "620121"):
        assert code in package["description"]
    assert package["keywords"] == ["synthetic"]
    only = run("export", "--data", str(counties / "2023"), "--datapackage", str(tmp_path / "c"))
    assert only.code == 0, only.err
    counties_only = json.loads((tmp_path / "c" / "datapackage.json").read_text(encoding="utf-8"))
    assert "Yongdeng" not in counties_only["title"].split(";")[0]
    assert counties_only["name"].endswith("-2023-synthetic")
    assert (
        "Chengguan" in counties_only["description"] and "Yongdeng" in counties_only["description"]
    )


def test_an_export_is_named_from_the_periods_and_regions_of_its_records(tmp_path: Path) -> None:
    """Issue 24, item 16: `--data @bundled --data @references` was named
    fanpin-100000-620000-620100-2023 (the report's year) while its records span 2020 to
    2024-06; the name and description now come from the records exported."""
    import json
    import sqlite3

    both = ["--data", "@bundled", "--data", "@references"]
    assert run("export", *both, "--datapackage", str(tmp_path / "dp")).code == 0
    package = json.loads((tmp_path / "dp" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "fanpin-100000-620000-620100-2020-2024-06"
    assert "records of 2020–2024-06 for 3 regions" in package["description"]
    assert "[620000, 2023–2024-06]" in package["description"]  # Gansu's own span
    assert "[620100, 2021–2023]" in package["title"]
    db = tmp_path / "both.db"
    assert run("export", *both, "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    (name,) = con.execute("select name from fanpin_export").fetchone()
    con.close()
    assert name == package["name"]
    # filters narrow what the export names: only Gansu's records, only Gansu named
    gansu = tmp_path / "gansu"
    assert run("export", *both, "--region", "620000", "--datapackage", str(gansu)).code == 0
    only = json.loads((gansu / "datapackage.json").read_text(encoding="utf-8"))
    assert only["name"] == "fanpin-620000-2023-2024-06"
    assert "Lanzhou" not in only["title"]


def test_a_usage_error_of_the_root_options_says_fanpin_once() -> None:
    r = run("--lang", "xx", "show")
    assert r.code == 2
    assert r.err.startswith("fanpin: error: Invalid value for '--lang'")
    assert r.err.count("fanpin") == 1
    sub = run("show", "--format", "xx")
    assert sub.code == 2 and sub.err.startswith("fanpin: error: fanpin show: Invalid value")
