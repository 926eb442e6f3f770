"""The first commands: sections, show, get, search, export, global options and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from conftest import REPO, run, run_process

from fanpin_cli.views.rows import INDICATOR_COLUMNS


def test_sections_lists_seven_with_counts() -> None:
    r = run("sections", "-o", "csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [row["key"] for row in rows] == [
        "deployment",
        "monitoring",
        "policy",
        "income",
        "cooperation",
        "construction",
        "rectification",
    ]
    assert sum(int(row["indicators"]) for row in rows) == 97
    assert rows[1]["title_zh"].startswith("精准监测帮扶")


def test_show_monitoring_prints_every_monitoring_figure() -> None:
    r = run("show", "monitoring")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0].split("\t")[:5] == ["id", "section", "name_zh", "name_en", "value"]
    values = [line.split("\t")[4] for line in lines[1:]]
    assert values == [
        "6041", "259", "1010", "1294", "4538", "421", "1438", "671", "2285", "202", "815",
        "4.1", "771", "59.6",
    ]  # fmt: skip


def test_show_table_has_units_and_right_aligned_numbers() -> None:
    r = run("show", "policy", "-o", "table", env={"COLUMNS": "140"})
    assert r.code == 0
    assert "3.1800" in r.out and "万人" in r.out
    line = next(x for x in r.out.splitlines() if "policy.safety_net_households" in x)
    cells = [c.strip() for c in line.split("│")]
    assert "1.6741" in cells
    assert "\x1b[" not in r.out  # not a terminal: no escape codes


def test_show_by_id_and_unknown_selector() -> None:
    r = run("show", "income.microcredit_amount", "-o", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [(x["value"], x["unit"]) for x in rows] == [("22680.30", "万元")]
    bad = run("--lang", "en", "show", "monitorin")
    assert bad.code == 2
    assert bad.out == ""
    assert bad.err.count("\n") == 1
    assert "did you mean monitoring" in bad.err


def test_get_prints_bare_values() -> None:
    r = run("get", "monitoring.total_households", "policy.safety_net_persons")
    assert (r.code, r.out) == (0, "1294\n3.1800\n")
    periods = run("get", "rectification.national_assessment_issues")
    assert periods.out == "19\n22\n"
    assert run("get", "rectification.national_assessment_issues", "--period", "2022").out == "22\n"
    assert run("get", "income.linkage_funds_industry_share").out == "\n"


def test_get_unknown_id_exits_2_with_suggestion() -> None:
    r = run("--lang", "en", "get", "monitoring.total_household")
    assert r.code == 2
    assert r.out == ""
    assert r.err.startswith("fanpin: error: no indicator 'monitoring.total_household'")
    assert "did you mean monitoring.total_households" in r.err


def test_search_finds_chinese_and_english() -> None:
    zh = run("search", "护林员", "--fields", "id", "--no-header")
    assert zh.out.split() == [
        "income.forest_and_grassland_rangers",
        "income.rangers_poverty_counties",
        "income.ecological_rangers_poverty_counties",
    ]
    en = run("search", "microcredit", "--fields", "id", "--no-header")
    assert en.out.split() == ["income.microcredit_households", "income.microcredit_amount"]


def test_export_csv_columns_and_every_record() -> None:
    r = run("export", "--csv")
    assert r.code == 0
    reader = csv.reader(io.StringIO(r.out))
    header = next(reader)
    assert header[:8] == [
        "id", "section", "name_zh", "name_en", "value", "unit", "period", "region_code",
    ]  # fmt: skip
    assert tuple(header) == INDICATOR_COLUMNS
    records = list(reader)
    assert len(records) == 97
    by_id = {(row[0], row[6]): row for row in records}
    assert by_id[("policy.safety_net_persons", "2023")][4:6] == ["3.1800", "万人"]
    assert by_id[("income.microcredit_amount", "2023")][4] == "22680.30"
    assert all(row[header.index("source")] for row in records)
    assert "\r" not in r.out


def test_export_json_is_exact_and_unescaped() -> None:
    r = run("export", "--json")
    assert "累计监测对象户数" in r.out  # not \\u escaped
    assert '"value": 3.1800' in r.out
    assert '"value": null' in r.out
    data = json.loads(r.out)
    assert len(data) == 97


def test_export_jsonl_one_object_per_line() -> None:
    r = run("export", "--jsonl")
    lines = r.out.splitlines()
    assert len(lines) == 97
    assert all(json.loads(line)["id"] for line in lines)


def test_export_markdown() -> None:
    r = run("export", "--markdown")
    assert r.out.splitlines()[0].startswith("| id | section | name_zh")
    # header, rule and rows only: a machine-readable document carries no caption
    assert len(r.out.splitlines()) == 97 + 2
    assert all(line.startswith("| ") or line.startswith("|---") for line in r.out.splitlines())


def test_export_two_formats_is_a_usage_error() -> None:
    r = run("export", "--csv", "--json")
    assert r.code == 2 and r.out == ""


def test_export_output_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old contents\n", encoding="utf-8")
    ok = run("export", "--csv", "--output", str(target))
    assert ok.code == 0 and ok.out == ""
    assert target.read_text(encoding="utf-8").startswith("id,section")
    # a failing run (bad data) leaves the previous file untouched and no temporary files
    target.write_text("old contents\n", encoding="utf-8")
    bad = run("--data", str(tmp_path / "missing"), "export", "--output", str(target))
    assert bad.code == 3
    assert target.read_text(encoding="utf-8") == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_export_output_into_missing_directory(tmp_path: Path) -> None:
    r = run("--lang", "en", "export", "--output", str(tmp_path / "nope" / "x.csv"))
    assert r.code == 2
    assert "directory does not exist" in r.err
    assert not (tmp_path / "nope").exists()


def test_lang_en_and_env(tmp_path: Path) -> None:
    r = run("--lang", "en", "show", "monitoring", "-o", "markdown")
    assert "| ID | Indicator | Value |" in r.out
    r2 = run("show", "monitoring", "-o", "markdown", env={"FANPIN_LANG": "en"})
    assert r2.out == r.out
    bad = run("show", env={"FANPIN_LANG": "fr"})
    assert bad.code == 2 and "FANPIN_LANG" in bad.err


def test_data_option_and_env(data_copy: Path) -> None:
    text = (data_copy / "monitoring.toml").read_text(encoding="utf-8")
    (data_copy / "monitoring.toml").write_text(text.replace("value = 259", "value = 260"), "utf-8")
    assert run("--data", str(data_copy), "get", "monitoring.new_households").out == "260\n"
    assert run("get", "monitoring.new_households", "--data", str(data_copy)).out == "260\n"
    via_env = run("get", "monitoring.new_households", env={"FANPIN_DATA": str(data_copy)})
    assert via_env.out == "260\n"


def test_version() -> None:
    r = run("--version")
    assert r.code == 0 and r.out.startswith("fanpin ")


def test_every_command_has_help_with_an_example() -> None:
    from fanpin_cli.cli.app import app

    names = [c.name for c in app.registered_commands]
    assert {"sections", "show", "get", "search", "export"} <= set(names)
    for name in names:
        assert name is not None
        r = run(name, "--help")  # Chinese by default (tests/cli/test_help.py)
        assert r.code == 0, name
        assert "示例:" in r.out, name
        assert f"fanpin {name}" in r.out, name
        english = run(name, "--help", "--lang", "en")
        assert "Example:" in english.out, name


def test_bad_option_value_is_one_line_exit_2() -> None:
    r = run("show", "-o", "xml")
    assert r.code == 2
    assert r.err.count("\n") == 1 and r.err.startswith("fanpin: error:")


def test_module_entry_point_and_debug() -> None:
    p = run_process("get", "monitoring.total_persons")
    assert (p.returncode, p.stdout) == (0, b"4538\n")
    bad = run_process("--data", "/nonexistent", "show")
    assert bad.returncode == 3
    assert b"Traceback" not in bad.stderr
    dbg = run_process("--debug", "--data", "/nonexistent", "show")
    assert dbg.returncode != 0
    assert b"Traceback" in dbg.stderr
    dbg_env = run_process("--data", "/nonexistent", "show", env={"FANPIN_DEBUG": "1"})
    assert b"Traceback" in dbg_env.stderr


@pytest.mark.skipif(os.name != "posix", reason="uses a POSIX shell pipeline")
def test_bundled_data_found_from_another_directory(tmp_path: Path) -> None:
    p = run_process("export", "--csv", cwd=tmp_path)
    assert p.returncode == 0
    assert "1294" in p.stdout.decode("utf-8")


def test_bundled_data_in_a_checkout_is_the_repository_data_directory() -> None:
    # uv run imports the package from src/ (an editable install): the dataset it reads is
    # data/ at the repository root itself, not a copy and not a symlink.
    from fanpin_cli.core.bundled import bundled_data_dir

    assert bundled_data_dir().resolve() == (REPO / "data").resolve()
    assert not (REPO / "src" / "fanpin_cli" / "data").exists()


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import fanpin_cli.reading.load

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(fanpin_cli.reading.load, "load", interrupted)
    r = run("show")
    assert (r.code, r.out, r.err) == (130, "", "fanpin: interrupted\n")


def test_unexpected_errors_are_one_line_with_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    import fanpin_cli.reading.load

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(fanpin_cli.reading.load, "load", broken)
    r = run("show")
    assert r.code == 70
    assert r.err == (
        "fanpin: error: internal error: RuntimeError: simulated bug "
        "(rerun with --debug and report it)\n"
    )
