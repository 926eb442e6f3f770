"""What a county types into a workbook is what fanpin reads: percentages keep the precision
typed, in LibreOffice and in Excel's formats (issue 24 item 1). Figures are the SYNTHETIC
county tests/fixtures/synthetic-counties/2023/620121 (235 of 396 households: 59.34%)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import COUNTIES, run

COUNTY = COUNTIES / "2023" / "620121"
RATE = "monitoring.risk_elimination_rate"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def ratio_findings(path: Path) -> list[str]:
    r = run("check", "--data", str(path), "-o", "csv", "--fields", "rule,message")
    return [line for line in r.out.splitlines() if line.startswith("ratios,")]


def typed_in_libreoffice(csv_text: str, fmt: str, tmp_path: Path) -> Path:
    """`csv_text` opened in LibreOffice as if typed (its input recognition: `59.3%` becomes
    0.593 formatted `0.00%`) and saved as `fmt`."""
    src = tmp_path / "指标.csv"  # LibreOffice names the sheet after the file
    src.write_text(csv_text, encoding="utf-8")
    outdir = tmp_path / fmt
    # CSV import options: comma, double quote, UTF-8, from line 1, standard columns, en-US,
    # quoted fields not forced to text, "detect special numbers" (as typing does)
    subprocess.run([SOFFICE or "soffice", "--headless",
                    f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--infilter=CSV:44,34,76,1,,1033,false,true", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    return outdir / f"指标.{fmt}"


@needs_soffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_percentage_typed_in_libreoffice_keeps_its_precision(fmt: str, tmp_path: Path) -> None:
    export = run("export", "--csv", "--data", str(COUNTY))
    lines = export.out.splitlines(keepends=True)
    [n] = [i for i, line in enumerate(lines) if line.startswith(RATE + ",")]
    assert ",59.3,%," in lines[n]
    lines[n] = lines[n].replace(",59.3,%,", ",59.3%,%,")
    saved = typed_in_libreoffice("".join(lines), fmt, tmp_path)
    if fmt == "xlsx":  # what LibreOffice made of it: 0.593 shown as 59.30%
        cells = openpyxl.load_workbook(saved).worksheets[0]
        [cell] = [row[4] for row in cells.iter_rows() if row[0].value == RATE]
        assert (cell.value, cell.number_format) == (0.593, "0.00%")
    got = run("get", RATE, "--data", str(saved))
    assert (got.code, got.out) == (0, "59.3\n")
    assert ratio_findings(saved) == []  # 235 / 396 = 59.34%: 59.3 at the precision typed


@pytest.mark.parametrize("code", ["0%", "0.0%", "0.00%"])
def test_excel_percent_formats_read_the_precision_typed(code: str, tmp_path: Path) -> None:
    book = tmp_path / "county.xlsx"
    assert run("template", "--region", "永登县", "--period", "2023", str(book)).code == 0
    wb = openpyxl.load_workbook(book)
    typed = {"monitoring.total_households": 396, "monitoring.risk_eliminated_households": 235,
             RATE: 0.593}  # fmt: skip
    for row in wb.worksheets[0].iter_rows(min_row=2):
        if row[0].value in typed:
            row[3].value = typed[row[0].value]
            if row[0].value == RATE:
                row[3].number_format = code
    wb.save(book)
    got = run("get", RATE, "--data", str(book))
    assert (got.code, got.out) == (0, "59.3\n")
    assert ratio_findings(book) == []


def test_two_decimals_written_are_held_to_two_decimals(tmp_path: Path) -> None:
    # 59.30 written (text, two decimals) claims 59.30%: 235 / 396 is 59.34%
    export = run("export", "--csv", "--data", str(COUNTY)).out
    path = tmp_path / "county.csv"
    path.write_text(export.replace(",59.3,%,", ",59.30,%,", 1), encoding="utf-8")
    assert run("get", RATE, "--data", str(path)).out == "59.30\n"
    [finding] = ratio_findings(path)
    assert "= 59.30% but monitoring.risk_eliminated_households" in finding
    assert finding.endswith("= 235 / 396 = 59.34%")


# --- a file name that says a format: followed, or refused (issue 24 items 2 and 3) ---------


@pytest.mark.parametrize("suffix", [".ods", ".xls", ".csv"])
def test_template_refuses_a_name_of_a_format_it_does_not_write(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"yd{suffix}"
    r = run("--lang", "en", "template", "--region", "永登县", "--period", "2023", str(path))
    assert (r.code, r.out) == (2, "")
    assert r.err == (f"fanpin: error: {path}: fanpin writes no {suffix} template; write .xlsx "
                     f"(Excel, WPS and LibreOffice open it and can save it as {suffix}) or a "
                     "directory (TOML)\n")  # fmt: skip
    assert not path.exists()  # no TOML directory named yd.ods


def test_export_output_follows_the_name(tmp_path: Path) -> None:
    import json
    import sqlite3
    import zipfile

    for name in ("report.xlsx", "report.db", "report.json", "report.jsonl", "report.md"):
        assert run("export", "--output", str(tmp_path / name)).code == 0, name
    with zipfile.ZipFile(tmp_path / "report.xlsx") as z:
        assert "xl/workbook.xml" in z.namelist()
    with sqlite3.connect(tmp_path / "report.db") as db:
        assert db.execute("select count(*) from indicators").fetchone()[0] > 90
    assert len(json.loads((tmp_path / "report.json").read_text("utf-8"))) > 90
    lines = (tmp_path / "report.jsonl").read_text("utf-8").splitlines()
    assert all(json.loads(line)["id"] for line in lines)
    assert (tmp_path / "report.md").read_text("utf-8").startswith("|")
    assert run("export", "--output", str(tmp_path / "report.txt")).out == ""  # CSV, as before
    assert (tmp_path / "report.txt").read_text("utf-8").startswith("id,section,")


@pytest.mark.parametrize(
    ("args", "name", "says"),
    [
        (["--csv"], "report.xlsx", "the name says --xlsx but --csv was asked for"),
        (["--excel"], "report.db", "the name says --sqlite but --excel was asked for"),
        (["--jsonl"], "report.json", "the name says --json but --jsonl was asked for"),
        (["--tsv"], "report.csv", "the name says --csv but --tsv was asked for"),
        ([], "report.ods", "fanpin writes no .ods file; for a workbook use --xlsx FILE.xlsx"),
        ([], "report.xls", "fanpin writes no .xls file; for a workbook use --xlsx FILE.xlsx"),
    ],
)
def test_export_output_refuses_a_name_that_says_another_format(
    args: list[str], name: str, says: str, tmp_path: Path
) -> None:
    target = tmp_path / name
    r = run("--lang", "en", "export", *args, "--output", str(target))
    tail = "; make the name and the format agree" if "asked" in says else ""
    assert (r.code, r.out, r.err) == (2, "", f"fanpin: error: --output {target}: {says}{tail}\n")
    assert not target.exists()


# --- one bad cell, one finding (issue 24 item 4) --------------------------------------------


def test_one_bad_cell_is_one_finding(tmp_path: Path) -> None:
    book = tmp_path / "county.xlsx"
    assert run("template", "--region", "永登县", "--period", "2023", str(book)).code == 0
    wb = openpyxl.load_workbook(book)
    [row] = [r for r in wb.worksheets[0].iter_rows(min_row=2)
             if r[0].value == "monitoring.total_households"]  # fmt: skip
    row[3].value = "1294人"
    wb.save(book)
    r = run("--lang", "en", "check", "--data", str(book), "-o", "csv",
            "--fields", "rule,severity,message")  # fmt: skip
    errors = [line for line in r.out.splitlines()[1:] if ",error," in line]
    # never also "ratio names missing ids: monitoring.total_households" (the id is there)
    cell = f"指标!D{row[0].row}"
    assert errors == [f"schema,error,{cell}: monitoring.total_households: '1294人': unit 人 "
                      "differs from this row's unit 户; write the number in 户"]  # fmt: skip
    assert r.code == 1


# --- the --xlsx report in the language asked for (issue 24 item 6) -------------------------

CJK = re.compile("[\u4e00-\u9fff]")
CODES = {"annual", "cumulative", "point-in-time", "true", "false", "threshold", "relative",
         "average", "national", "provincial", "municipal", "confirmed", "secondary", "derived",
         "met", "missed", "not reported", "up", "down"}  # fmt: skip


def test_the_xlsx_report_is_chinese_under_zh_and_reads_back(tmp_path: Path) -> None:
    from fanpin_cli.core.bundled import bundled_data_dir

    book = tmp_path / "report.xlsx"
    assert run("export", "--xlsx", str(book)).code == 0
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        untranslated = [h for h in rows[0] if not CJK.search(str(h))]
        assert untranslated == [], (ws.title, untranslated)
        english = {v for row in rows[1:] for v in row if v in CODES}
        assert english == set(), (ws.title, english)
    paths = [row[0] for row in wb["来源与数据集"].iter_rows(min_row=2, values_only=True)]
    assert paths == ["@bundled"]
    assert str(bundled_data_dir()) not in str([list(r) for r in wb["来源与数据集"].values])
    # and it reads back as the same records
    again = run("export", "--csv", "--data", str(book)).out.splitlines()
    whole = run("export", "--csv").out.splitlines()
    assert again[0] == whole[0] and sorted(again[1:]) == sorted(whole[1:])


def test_the_xlsx_report_is_english_under_en(tmp_path: Path) -> None:
    book = tmp_path / "report.xlsx"
    assert run("--lang", "en", "export", "--xlsx", str(book)).code == 0
    ws = openpyxl.load_workbook(book)["Targets and comparisons"]
    header = next(ws.iter_rows(values_only=True))
    assert not any(CJK.search(str(h)) for h in header if h != "Status (Chinese)")
    assert "Target kind" in header and "kind" not in header


# --- every spreadsheet problem names file, sheet and cell (issue 24 item 5) -----------------


def _template_with(tmp_path: Path, edit: Callable[[Any], None]) -> Path:
    book = tmp_path / "county.xlsx"
    assert run("template", "--region", "永登县", "--period", "2023", str(book)).code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    ws.protection.sheet = False
    edit(ws)
    wb.save(book)
    return book


def _row_of(ws: Any, rid: str) -> int:
    return next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == rid)


def test_a_repeated_row_names_both_cells(tmp_path: Path) -> None:
    rows: list[int] = []

    def edit(ws: Any) -> None:
        rows.append(_row_of(ws, "monitoring.total_households"))
        rows.append(ws.max_row + 1)
        ws.cell(rows[1], 1, "monitoring.total_households")
        ws.cell(rows[1], 3, "户")
        ws.cell(rows[1], 4, 396)

    book = _template_with(tmp_path, edit)
    first, again = rows
    r = run("--lang", "en", "show", "--data", str(book))
    assert (r.code, r.err) == (
        3,
        f"fanpin: error: {book}: 指标!A{again}: monitoring.total_"
        f"households is repeated (first in 指标!A{first}); keep one row\n",
    )


def test_a_slip_in_an_id_gets_a_did_you_mean(tmp_path: Path) -> None:
    rows: list[int] = []

    def edit(ws: Any) -> None:
        rows.append(_row_of(ws, "monitoring.total_households"))
        ws.cell(rows[0], 1, "monitoring.total_househods")

    book = _template_with(tmp_path, edit)
    r = run("--lang", "en", "show", "--data", str(book))
    assert (r.code, r.err) == (
        3,
        f"fanpin: error: {book}: 指标!A{rows[0]}: unknown id "
        "'monitoring.total_househods': not an indicator of this "
        "template; did you mean 'monitoring.total_households'?\n",
    )


def test_scientific_notation_is_a_number_not_a_unit(tmp_path: Path) -> None:
    def edit(ws: Any) -> None:
        ws.cell(_row_of(ws, "monitoring.total_households"), 4, "1.294E3")  # as text

    book = _template_with(tmp_path, edit)
    r = run("get", "monitoring.total_households", "--data", str(book))
    assert (r.code, r.out) == (0, "1294\n")  # never "unit E3 differs from 户"


def test_a_header_without_a_needed_column_names_the_header_row(tmp_path: Path) -> None:
    export = run("export", "--csv", "--data", str(COUNTY)).out.splitlines()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    for line in export[:3]:
        ws.append(line.split(",")[:5])  # id, section, name_zh, name_en, value: no unit, …
    book = tmp_path / "short.xlsx"
    wb.save(book)
    r = run("--lang", "en", "show", "--data", str(book))
    assert r.code == 3 and r.err.startswith(f"fanpin: error: {book}: 指标!1:1: no unit, ")


def test_check_shows_a_records_finding_at_its_cell(tmp_path: Path) -> None:
    rows: list[int] = []

    def edit(ws: Any) -> None:
        typed = {"monitoring.total_households": 396, "monitoring.risk_eliminated_households": 235,
                 RATE: "59.30"}  # fmt: skip
        for rid, value in typed.items():
            ws.cell(_row_of(ws, rid), 4, value)
        rows.append(_row_of(ws, RATE))

    book = _template_with(tmp_path, edit)
    args = ["--lang", "en", "check", "--data", str(book), "-o", "table", "--fields", "rule,where"]
    r = run(*args, env={"COLUMNS": "400"})
    [line] = [x for x in r.out.splitlines() if "ratios" in x]
    assert f"{book}: 指标!A{rows[0]}" in line  # never `county.xlsx:19`
    assert f"{book}:{rows[0]}" not in r.out
