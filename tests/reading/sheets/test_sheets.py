"""Spreadsheets: fill-in workbooks, what people type, reading .xlsx/.xls/.ods/.csv submissions.

Every figure typed into a workbook here is SYNTHETIC (invented for the test).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import FIXTURES, run

from fanpin_cli.core.labels import say
from fanpin_cli.reading.load import load
from fanpin_cli.reading.sheets.numbers import format_decimals, from_float, from_text

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")


# ------------------------------------------------------------ what people type


@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [
        ("1294", "户", 1294),
        ("1,294", "户", 1294),
        ("1 294", "户", 1294),
        ("1\u00a0294", "户", 1294),  # no-break space, as Excel's French/Russian locales write
        ("１２９４", "户", 1294),  # full-width digits from a Chinese input method
        ("１，２９４", "户", 1294),
        ("1294户", "户", 1294),
        ("1294 户", "户", 1294),
        ("59.6%", "%", Decimal("59.6")),
        ("５９．６％", "%", Decimal("59.6")),
        ("59.6", "%", Decimal("59.6")),
        ("3.1800", "万人", Decimal("3.1800")),
        ("22680.30", "万元", Decimal("22680.30")),
        ("-3", "户", -3),
    ],
)
def test_typed_numbers(typed: str, unit: str, value: object) -> None:
    got = from_text(typed, unit)
    assert got.error is None and got.value == value
    assert str(got.value) == str(value)  # precision as typed: 3.1800 stays 3.1800


@pytest.mark.parametrize("typed", ["-", "/", "无", "—", "N/A", " 无 "])
def test_not_reported_on_purpose(typed: str) -> None:
    got = from_text(typed, "户")
    assert got.value is None and got.error is None and got.not_reported == typed.strip()


def test_empty_cell_is_not_filled_in() -> None:
    got = from_text("   ", "户")
    assert got.value is None and got.not_reported is None and got.error is None


@pytest.mark.parametrize(
    ("typed", "unit", "says"),
    [
        ("1294人", "户", "unit 人 differs from this row's unit 户"),
        ("12.94万户", "户", "unit 万户 differs"),
        ("59.6%", "户", "is a percentage but this row's unit is 户"),
        ("1,29", "户", "cannot read '1,29' as a number"),
        ("abc", "户", "cannot read 'abc'"),
        ("1.2.3", "户", "cannot read"),
    ],
)
def test_typed_errors(typed: str, unit: str, says: str) -> None:
    got = from_text(typed, unit)
    assert got.value is None and got.error is not None and says in say(got.error, "en")
    assert re.search("[\u4e00-\u9fff]", say(got.error, "zh"))  # and in Chinese under zh


def test_numeric_cells_read_as_shown() -> None:
    # a percentage cell stores 0.596 and shows 59.6%: never 0.596 for a % indicator
    assert from_float(0.596, 1, percent=True, unit="%").value == Decimal("59.6")
    # the precision typed, not the format's: 59.3% typed in LibreOffice is formatted 0.00%
    assert str(from_float(0.593, 2, percent=True, unit="%").value) == "59.3"
    bad = from_float(0.596, 1, percent=True, unit="户")
    assert bad.value is None and bad.error and "formatted as a percentage" in say(bad.error, "en")
    # 3.18 formatted 0.0000 is the 3.1800 the reader sees
    assert str(from_float(3.18, 4, percent=False, unit="万人").value) == "3.1800"
    # binary-float noise never appears
    assert str(from_float(22680.300000000003, None, percent=False, unit="万元").value) == "22680.3"
    assert str(from_float(22680.300000000003, 2, percent=False, unit="万元").value) == "22680.30"
    assert str(from_float(0.1 + 0.2, None, percent=False, unit="%").value) == "0.3"
    one = from_float(1294.0, None, percent=False, unit="户").value
    assert one == 1294 and type(one) is int
    # a format showing fewer decimals than stored never loses the stored figure
    assert from_float(1294.4, 0, percent=False, unit="户").value == Decimal("1294.4")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("General", (None, False)), ("0.0000", (4, False)), ("#,##0", (0, False)),
     ("0.0%", (1, True)), ("0%", (0, True)), ("@", (None, False)),
     ('0.00"万元"', (2, False)), ("#,##0.00_);[Red](#,##0.00)", (2, False))],
)  # fmt: skip
def test_number_format_codes(code: str, expected: tuple[int | None, bool]) -> None:
    assert format_decimals(code) == expected


# ------------------------------------------------------------ fill-in workbooks


def make_template(tmp_path: Path, *extra: str, name: str = "永登县2023.xlsx") -> Path:
    path = tmp_path / "sub" / "dir" / name  # parents are created, as mkdir -p would
    r = run("template", "--region", "永登县", "--period", "2023", str(path), *extra)
    assert r.code == 0, r.err
    assert r.out == f"{path}\n"
    return path


def fill(path: Path, out: Path, values: dict[str, Any], formats: dict[str, str] | None = None,
         notes: dict[str, str] | None = None) -> Path:  # fmt: skip
    """Type `values` into the 数值 column the way a person (or a script) would."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        rid = row[0].value
        if rid in values:
            row[3].value = values[rid]
            if formats and rid in formats:
                row[3].number_format = formats[rid]
        if notes and rid in notes:
            row[4].value = notes[rid]
    wb.save(out)
    return out


def values_of(path: Path) -> dict[str, object]:
    return {i.id: i.value for i in load([path]).indicators}


def test_template_workbook_layout(tmp_path: Path) -> None:
    path = make_template(tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["指标", "数据集", "填写说明"]
    ws = wb["指标"]
    assert [c.value for c in ws[1]] == ["编号", "指标", "单位", "数值", "备注/来源"]
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet is True
    ids = [r[0].value for r in ws.iter_rows(min_row=2)]
    bundled = {i.id: i for i in load().indicators}
    assert set(ids) <= set(bundled) and len(ids) == len(set(ids))
    # locked id/name/unit, editable value and note
    row2 = ws[2]
    assert row2[0].protection.locked and row2[1].protection.locked and row2[2].protection.locked
    assert not row2[3].protection.locked and not row2[4].protection.locked
    assert row2[2].value == bundled[row2[0].value].unit
    # a number validation on every value cell, its input message naming the unit
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert len(rules) == len(ids)
    dv = rules["D2"]
    assert dv.type == "decimal" and row2[2].value in (dv.prompt or "")
    # Chinese text gets wide columns
    assert ws.column_dimensions["B"].width >= 30
    assert wb["_fanpin_indicators"].sheet_state == "hidden"
    meta = {r[0].value: r[2].value for r in wb["数据集"].iter_rows(min_row=2)}
    assert meta["region_code"] == "620121" and meta["period"] == "2023"


def test_template_workbook_in_english(tmp_path: Path) -> None:
    path = make_template(tmp_path, "--lang", "en", name="yongdeng.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["Indicators", "Dataset", "Instructions"]
    assert [c.value for c in wb["Indicators"][1]] == ["id", "Indicator", "Unit", "Value",
                                                      "Note / source"]  # fmt: skip
    filled = fill(path, tmp_path / "f.xlsx", {"monitoring.total_households": 396})
    assert values_of(filled)["monitoring.total_households"] == 396


def test_template_refuses_to_overwrite_a_workbook(tmp_path: Path) -> None:
    path = make_template(tmp_path)
    before = path.read_bytes()
    r = run("--lang", "en", "template", "--region", "永登县", "--period", "2023", str(path))
    assert r.code == 2 and "already exists" in r.err
    assert path.read_bytes() == before


TYPED: dict[str, Any] = {  # SYNTHETIC figures, typed the ways people type them
    "monitoring.total_households": 396,
    "monitoring.unstable_households": "1,294",
    "monitoring.marginal_households": "１２９４",
    "monitoring.sudden_hardship_households": "1294户",
    "monitoring.total_persons": "1 294",
    "monitoring.risk_elimination_rate": 0.596,  # formatted as a percentage below
    "policy.family_doctor_contract_rate": "59.6%",
    "policy.safety_net_persons": 3.18,  # formatted 0.0000
    "income.microcredit_amount": 22680.300000000003,
    "monitoring.new_households": "无",
    "monitoring.new_persons": "-",
    "monitoring.unstable_persons": "/",
}
EXPECTED: dict[str, object] = {
    "monitoring.total_households": 396,
    "monitoring.unstable_households": 1294,
    "monitoring.marginal_households": 1294,
    "monitoring.sudden_hardship_households": 1294,
    "monitoring.total_persons": 1294,
    "monitoring.risk_elimination_rate": Decimal("59.6"),
    "policy.family_doctor_contract_rate": Decimal("59.6"),
    "policy.safety_net_persons": Decimal("3.1800"),
    "income.microcredit_amount": Decimal("22680.3"),
    "monitoring.new_households": None,
    "monitoring.new_persons": None,
    "monitoring.unstable_persons": None,
}
FORMATS = {"monitoring.risk_elimination_rate": "0.0%", "policy.safety_net_persons": "0.0000"}


def filled_workbook(tmp_path: Path) -> Path:
    path = make_template(tmp_path)
    assert set(TYPED) <= {i.id for i in load().indicators}
    return fill(path, tmp_path / "filled.xlsx", TYPED, FORMATS)


def test_filled_workbook_reads_as_typed(tmp_path: Path) -> None:
    filled = filled_workbook(tmp_path)
    got = values_of(filled)
    for rid, value in EXPECTED.items():
        assert got[rid] == value, rid
        assert str(got[rid]) == str(value), rid
    inds = {i.id: i for i in load([filled]).indicators}
    assert inds["monitoring.new_households"].note == "未报告 (not reported): 无"
    assert {(i.region_code, i.period) for i in inds.values()} == {("620121", "2023")}
    out = run("get", "policy.safety_net_persons", "income.microcredit_amount", "--data",
              str(filled))  # fmt: skip
    assert out.out == "3.1800\n22680.3\n"


@needs_soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_saved_by_libreoffice_loads_with_the_same_figures(tmp_path: Path, fmt: str) -> None:
    filled = filled_workbook(tmp_path)
    outdir = tmp_path / "lo"
    outdir.mkdir()
    src = tmp_path / "in" / "county.xlsx"
    src.parent.mkdir()
    shutil.copy(filled, src)
    subprocess.run([SOFFICE or "soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    saved = outdir / f"county.{fmt}"
    assert saved.exists()
    got = values_of(saved)
    for rid, value in EXPECTED.items():
        assert str(got[rid]) == str(value), (fmt, rid)
    assert got == values_of(filled)


def test_rows_reordered_deleted_and_added(tmp_path: Path) -> None:
    path = make_template(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    ws.protection.sheet = False
    ws.delete_rows(2, ws.max_row)
    rows.reverse()  # reordered
    kept = [r for r in rows if r[0] != "monitoring.total_households"]  # one deleted
    for i, r in enumerate(kept, start=2):
        for j, v in enumerate(r, start=1):
            ws.cell(i, j, v)
    ws.cell(2, 4, 7)  # a value on the (new) first row
    first = kept[0][0]
    # the deleted indicator added again below, its value typed in
    ws.cell(len(kept) + 3, 1, "monitoring.total_households")
    ws.cell(len(kept) + 3, 3, "户")
    ws.cell(len(kept) + 3, 4, 396)
    wb.save(tmp_path / "moved.xlsx")
    got = values_of(tmp_path / "moved.xlsx")
    assert got[first] == 7 and got["monitoring.total_households"] == 396
    # a row deleted for good is an indicator not filled in, never an error
    ws.delete_rows(len(kept) + 3)
    wb.save(tmp_path / "deleted.xlsx")
    assert values_of(tmp_path / "deleted.xlsx")["monitoring.total_households"] is None


def test_errors_name_file_sheet_and_cell(tmp_path: Path) -> None:
    path = make_template(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "monitoring.total_households")
    n = row[0].row
    row[3].value = "1294人"
    wb.save(tmp_path / "永登县2023.xlsx")
    r = run("--lang", "en", "show", "--data", str(tmp_path / "永登县2023.xlsx"))
    assert r.code == 3
    assert r.err == (f"fanpin: error: {tmp_path}/永登县2023.xlsx: 指标!D{n}: "
                     "monitoring.total_households: '1294人': unit 人 differs from this row's "
                     "unit 户; write the number in 户\n")  # fmt: skip
    zh = run("--lang", "zh", "show", "--data", str(tmp_path / "永登县2023.xlsx"))
    assert (zh.code, zh.err) == (3, f"fanpin: error: {tmp_path}/永登县2023.xlsx: 指标!D{n}: "
                                 "monitoring.total_households: '1294人': 单位 人 与此行的单位 户 "
                                 "不同; 请以 户 填写数值\n")  # fmt: skip
    # check reports it as a finding (exit 1) with the same location
    c = run("check", "--data", str(tmp_path / "永登县2023.xlsx"), "-o", "csv",
            "--fields", "rule,severity,file,message")  # fmt: skip
    assert c.code == 1 and f"指标!D{n}: monitoring.total_households" in c.out


def test_unknown_id_is_an_error_changed_name_or_unit_a_finding(tmp_path: Path) -> None:
    path = make_template(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws.protection.sheet = False
    last = ws.max_row + 1
    ws.cell(last, 1, "monitoring.made_up")
    ws.cell(last, 4, 5)
    wb.save(tmp_path / "unknown.xlsx")
    r = run("--lang", "en", "show", "--data", str(tmp_path / "unknown.xlsx"))
    assert r.code == 3 and f"指标!A{last}: unknown id 'monitoring.made_up'" in r.err
    zh = run("--lang", "zh", "show", "--data", str(tmp_path / "unknown.xlsx"))
    assert (
        zh.code == 3 and f"指标!A{last}: 未知 id 'monitoring.made_up': 不是此模板中的指标" in zh.err
    )
    ws.delete_rows(last)
    ws.cell(2, 2, "改过的名字")
    ws.cell(3, 3, "万户")
    wb.save(tmp_path / "changed.xlsx")
    c = run("check", "--data", str(tmp_path / "changed.xlsx"), "-o", "csv",
            "--fields", "severity,message,message_zh")  # fmt: skip
    assert c.code == 1
    assert "warning,指标!B2:" in c.out and "the name was changed to '改过的名字'" in c.out
    assert "error,指标!C3:" in c.out and "the unit was changed to '万户'" in c.out
    assert "名称被改为 '改过的名字'" in c.out and "单位被改为 '万户'" in c.out


def test_data_dir_loads_a_tree_of_submissions_and_verbose_says_which(tmp_path: Path) -> None:
    filled = filled_workbook(tmp_path)
    tree = tmp_path / "counties"
    (tree / "2023" / "620121").mkdir(parents=True)
    shutil.copy(filled, tree / "2023" / "620121" / "永登县2023.xlsx")
    county = FIXTURES / "synthetic-counties" / "2023" / "620122"
    shutil.copytree(county, tree / "2023" / "620122")
    (tree / "2023" / ".~lock.永登县2023.xlsx#").write_text("lock", encoding="utf-8")
    r = run("--verbose", "show", "monitoring.total_households", "--data", str(tree), "-o", "csv",
            "--fields", "region_code,value")  # fmt: skip
    assert r.code == 0, r.err
    assert r.out == "region_code,value\n620121,396\n620122,258\n"
    assert f"fanpin: read {tree}/2023/620121/永登县2023.xlsx: 1 file" in r.err
    assert f"fanpin: read {tree}/2023/620122: 8 TOML files" in r.err
    quiet = run("show", "monitoring.total_households", "--data", str(tree), "-o", "csv")
    assert quiet.err == ""


# ------------------------------------------------------------ completeness


def test_a_forgotten_hash_in_a_toml_template_is_a_check_warning(tmp_path: Path) -> None:
    target = tmp_path / "620122"
    assert run("template", "--region", "620122", "--period", "2024", str(target)).code == 0
    f = target / "monitoring.toml"
    text = f.read_text(encoding="utf-8")
    # the county types its figure but keeps the `# `: the value is silently not reported
    text = text.replace("# value =         <- fill in as: value = 123", "# value = 30", 1)
    f.write_text(text, encoding="utf-8")
    asked = len(load([target]).indicators)
    r = run(
        "check", "--data", str(target), "-o", "csv", "--fields", "rule,severity,expected,actual"
    )
    assert r.code == 0  # a warning
    assert r.out.splitlines()[1:] == [f"completeness,warning,{asked},0"]
    strict = run("check", "--strict", "--data", str(target), "-o", "csv", "--fields", "rule")
    assert strict.code == 1 and strict.out.splitlines()[1:] == ["completeness"]
    zh = run("check", "--data", str(target), "-o", "csv", "--fields", "message_zh")
    assert f"模板 {asked} 个指标中有 {asked} 个未填写" in zh.out


def test_completeness_counts_empty_cells_not_answers(tmp_path: Path) -> None:
    filled = filled_workbook(tmp_path)
    inds = load([filled]).indicators
    empty = [i.id for i in inds if i.value is None and not i.note]
    answered = {
        "monitoring.new_households",
        "monitoring.new_persons",
        "monitoring.unstable_persons",
    }
    assert answered.isdisjoint(empty)  # 无, - and / were answers, not forgotten
    r = run("check", "--data", str(filled), "-o", "csv", "--fields", "rule,expected,actual")
    assert f"completeness,{len(inds)},{len(inds) - len(empty)}" in r.out.splitlines()


def test_the_bundled_report_is_complete() -> None:
    # its one figure without a value has a note saying the report gives none
    r = run("check", "--strict", "-o", "csv", "--fields", "rule")
    assert r.code == 0 and r.out == "rule\n"


# ------------------------------------------------------------ export, import, round trips


def test_xlsx_export_layout(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    r = run("export", "--xlsx", str(path))
    assert r.code == 0 and r.out == "", r.err
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["指标", "目标与比较", "来源与数据集", "章节"]
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["编号", "章节", "指标名称", "指标名称(英文)", "数值", "单位", "期间",
                          "地区代码"]  # fmt: skip
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref is not None
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    persons = rows["policy.safety_net_persons"][4]
    assert persons.data_type == "n" and persons.value == 3.18 and persons.number_format == "0.0000"
    households = rows["monitoring.total_households"][4]
    assert households.value == 1294 and households.number_format == "0"
    assert rows["income.linkage_funds_industry_share"][4].value is None
    assert rows["monitoring.total_households"][6].data_type == "s"  # period "2023" is text
    compared = run("compare", "-o", "csv").out.splitlines()
    assert wb["目标与比较"].max_row == len(compared) and wb["来源与数据集"]["B2"].value
    en = tmp_path / "en.xlsx"
    assert run("export", "--xlsx", str(en), "--lang", "en").code == 0
    assert openpyxl.load_workbook(en).sheetnames[0] == "Indicators"


def test_xlsx_export_never_writes_a_formula(tmp_path: Path) -> None:
    mini = tmp_path / "mini"
    shutil.copytree(FIXTURES / "synthetic-mini", mini)
    f = mini / "monitoring.toml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace('name_en = "', 'name_en = "=HYPERLINK(1)+', 1), encoding="utf-8")
    path = tmp_path / "x.xlsx"
    assert run("export", "--xlsx", str(path), "--data", str(mini)).code == 0
    ws = openpyxl.load_workbook(path)["指标"]
    cell = next(c for c in ws["D"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix  # text, shown as typed, never run
    back = run("export", "--csv", "--data", str(path))
    assert "=HYPERLINK(1)+" in back.out


def test_export_round_trips_through_xlsx_csv_and_import(tmp_path: Path) -> None:
    original = run("export", "--csv").out
    xlsx, csv_file = tmp_path / "all.xlsx", tmp_path / "all.csv"
    assert run("export", "--xlsx", str(xlsx)).code == 0
    csv_file.write_text(original, encoding="utf-8")
    assert run("export", "--csv", "--data", str(xlsx)).out == original
    assert run("export", "--csv", "--data", str(csv_file)).out == original
    excel_csv = tmp_path / "excel.csv"
    assert run("export", "--csv", "--excel", "--output", str(excel_csv)).code == 0
    assert run("export", "--csv", "--data", str(excel_csv)).out == original
    # import: the TOML written from the workbook is the same data (the records; policy
    # targets stay in the city's targets.toml)
    out = tmp_path / "imported"
    r = run("import", str(xlsx), str(out))
    assert r.code == 0, r.err
    assert f"{out}/dataset.toml" in r.out.splitlines()
    assert run("export", "--csv", "--data", str(out)).out == original
    assert load([out]).targets == ()
    again = run("--lang", "en", "import", str(xlsx), str(out))
    assert again.code == 2 and "not empty" in again.err


def test_import_makes_its_directory_as_template_does(tmp_path: Path, mini: Path) -> None:
    """Both build the directory through atomic.atomic_directory: same permission bits."""
    xlsx = tmp_path / "mini.xlsx"
    assert run("export", "--xlsx", str(xlsx), "--data", str(mini)).code == 0
    imported, template = tmp_path / "imported", tmp_path / "template"
    assert run("import", str(xlsx), str(imported)).code == 0
    assert run("template", "--region", "620121", "--period", "2024", str(template)).code == 0
    assert imported.stat().st_mode == template.stat().st_mode
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_repeated_row_is_an_error_naming_both_rows(tmp_path: Path, mini: Path) -> None:
    rows = run("export", "--csv", "--data", str(mini)).out.splitlines(keepends=True)
    twice = tmp_path / "twice.csv"
    twice.write_text("".join([*rows, rows[-1]]), encoding="utf-8")
    n, rate = len(rows), "monitoring.risk_elimination_rate"
    said = f"A{n + 1}: {rate} is repeated (first in A{n}); keep one row"
    shown = run("--lang", "en", "show", "--data", str(twice))
    assert (shown.code, shown.err) == (3, f"fanpin: error: {twice}: {said}\n")
    checked = run("--lang", "en", "check", "--data", str(twice), "-o", "json")
    assert checked.code == 1 and f'"line": null, "message": "{said}"' in checked.out


def test_import_of_a_filled_template_and_an_invalid_one(tmp_path: Path) -> None:
    filled = filled_workbook(tmp_path)
    out = tmp_path / "counties" / "2023" / "620121"
    assert run("import", str(filled), str(out)).code == 0
    assert values_of(out) == values_of(filled)
    meta = (out / "dataset.toml").read_text(encoding="utf-8")
    assert 'region_code = "620121"' in meta and 'period = "2023"' in meta
    wb = openpyxl.load_workbook(filled)
    wb.worksheets[0]["D2"] = "12.5万"
    wb.save(tmp_path / "bad.xlsx")
    bad = run("import", str(tmp_path / "bad.xlsx"), str(tmp_path / "nothing"))
    assert bad.code == 3 and "指标!D2:" in bad.err
    assert not (tmp_path / "nothing").exists()


@needs_soffice
def test_libreoffice_reads_the_xlsx_export_with_the_same_values(tmp_path: Path) -> None:
    import csv
    import io

    xlsx = tmp_path / "all.xlsx"  # in English: codes (annual, true) as the CSV writes them
    assert run("--lang", "en", "export", "--xlsx", str(xlsx)).code == 0
    subprocess.run([SOFFICE or "soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    "--outdir", str(tmp_path / "lo"), str(xlsx)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    theirs = list(csv.reader(io.StringIO((tmp_path / "lo" / "all.csv").read_text("utf-8"))))
    ours = list(csv.reader(io.StringIO(run("export", "--csv").out)))
    assert theirs[0][:3] == ["id", "Section", "Name (Chinese)"]
    assert len(theirs) == len(ours) == len(load().indicators) + 1
    for mine, lo in zip(ours[1:], theirs[1:], strict=True):
        assert lo[: len(mine)] == mine  # 3.1800 shows as 3.1800, 22680.30 as 22680.30


COUNTIES = FIXTURES / "synthetic-counties" / "2023"


def test_the_county_flow_on_workbooks(tmp_path: Path) -> None:
    """template -> fill -> check -> rollup -> export, every county on a workbook.

    Each county's workbook is filled with that county's SYNTHETIC figures from the TOML
    fixtures (as text, the way they are typed, for a third of them), a few saved by
    LibreOffice as .xls and .ods; the city then gets exactly what the TOML fixtures give.
    """
    tree = tmp_path / "counties" / "2023"
    for i, county in enumerate(sorted(COUNTIES.iterdir())):
        code = county.name
        blank = tree / code / f"{code}.xlsx"
        assert run("template", "--region", code, "--period", "2023", str(blank)).code == 0
        figures: dict[str, Any] = {}
        shown: dict[str, str] = {}  # 60.0 is typed into a cell formatted to show it
        for ind in load([county]).indicators:
            if ind.value is not None:
                figures[ind.id] = f"{ind.value:,}" if i % 3 == 0 else ind.value
                places = -ind.value.as_tuple().exponent if isinstance(ind.value, Decimal) else 0
                if places > 0:
                    shown[ind.id] = "0." + "0" * int(places)
        filled = fill(blank, tmp_path / f"{code}.xlsx", figures, shown)
        blank.unlink()
        if SOFFICE is not None and i in (1, 2):
            fmt = "xls" if i == 1 else "ods"
            subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                            "--convert-to", fmt, "--outdir", str(tree / code), str(filled)],
                           check=True, capture_output=True, timeout=180)  # fmt: skip
        else:
            shutil.copy(filled, tree / code / f"{code}.xlsx")
    city = ["--data", "@bundled", "--data", str(tree)]
    toml = ["--data", "@bundled", "--data", str(COUNTIES)]
    fields = ["-o", "csv", "--fields", "rule,indicators,expected,actual"]
    checked = run("check", *city, *fields)
    assert checked.code == 1  # the fixtures' deliberate error of 2 persons in 榆中县
    rollup_rows = [r for r in checked.out.splitlines() if r.startswith("rollup,")]
    assert rollup_rows == [r for r in run("check", *toml, *fields).out.splitlines()
                           if r.startswith("rollup,")]  # fmt: skip
    assert len(rollup_rows) == 2
    assert sum(r.startswith("completeness,") for r in checked.out.splitlines()) == 8
    rolled = run("rollup", "--to", "620100", *city, "-o", "csv")
    assert (
        rolled.code == 0 and rolled.out == run("rollup", "--to", "620100", *toml, "-o", "csv").out
    )
    assert "monitoring.total_persons" in rolled.out
    report = tmp_path / "report" / "lanzhou-2023.xlsx"
    report.parent.mkdir()
    assert run("export", "--xlsx", str(report), *city).code == 0
    assert run("export", "--csv", "--data", str(report)).out == run("export", "--csv", *city).out


# ------------------------------------------------- docs/spreadsheets.md's walk-through


def test_readme_spreadsheet_flow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/spreadsheets.md's `console spreadsheet-flow` blocks, run in order in a scratch
    directory.

    After the template is written, a script types 永登县's SYNTHETIC figures into it, a third
    of them as people type them (`1,294`), as the county would before sending it back.
    """
    import re
    import shlex

    from conftest import doc

    readme = doc("spreadsheets.md")
    blocks = re.findall(r"```console spreadsheet-flow\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) == 5
    monkeypatch.chdir(tmp_path)
    for i, block in enumerate(blocks):
        first, _, expected = block.partition("\n")
        assert first.startswith("$ fanpin ")
        r = run(*shlex.split(first[2:])[1:])
        assert r.code == 0, (first, r.err)
        assert r.out == expected, first
        if i == 0:
            workbook = tmp_path / r.out.strip()
            figures: dict[str, Any] = {}
            for n, ind in enumerate(load([COUNTIES / "620121"]).indicators):
                if ind.value is not None:
                    figures[ind.id] = f"{ind.value:,}" if n % 3 == 0 else ind.value
            fill(workbook, workbook, figures)
    assert openpyxl.load_workbook(tmp_path / "lanzhou-2023.xlsx").sheetnames[0] == "指标"


def test_readme_spreadsheet_error_comes_from_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/spreadsheets.md's `console spreadsheet-error` block: `1294人` typed for the
    households of the template the walk-through makes; the error must be what fanpin says,
    cell and all."""
    import shlex

    from conftest import doc

    readme = doc("spreadsheets.md")
    [block] = re.findall(r"```console spreadsheet-error\n(.*?)```", readme, re.DOTALL)
    first, _, expected = block.partition("\n")
    args = shlex.split(first[2:])[1:]
    monkeypatch.chdir(tmp_path)
    book = Path(args[args.index("--data") + 1])
    assert run("template", "--region", "永登县", "--period", "2023", str(book)).code == 0
    fill(book, book, {"monitoring.total_households": "1294人"})
    r = run(*args)
    assert (r.code, r.out, r.err) == (3, "", expected)


# ------------------------------------------------------------ city-only indicators


CITY_ONLY = {
    "deployment.responsibility_letters_city_leaders",
    "deployment.responsibility_letters_city_departments",
    "deployment.responsibility_letters_counties",
    "deployment.coordination_meetings",
    "rectification.supervision_rounds",
    "rectification.national_assessment_aspects",
    "rectification.national_assessment_issues",
    "rectification.provincial_assessment_aspects",
    "rectification.provincial_assessment_issues",
    # figures counties cannot have: the city's own 市级 villages and their funds, 全国台联's
    # paired assistance to 榆中县 alone, and a count of counties (issue 24 item 8)
    "construction.city_harmonious_villages_planned",
    "construction.harmonious_villages_funds_planned",
    "cooperation.taiwan_federation_funds",
    "cooperation.taiwan_federation_consumption",
    "income.rangers_poverty_counties",
}


def test_county_templates_leave_out_city_only_indicators(tmp_path: Path) -> None:
    assert {i.id for i in load().indicators if i.city_only} == CITY_ONLY
    county = make_template(tmp_path)
    ids = {r[0].value for r in openpyxl.load_workbook(county).worksheets[0].iter_rows(min_row=2)}
    everything = {i.id for i in load().indicators}
    assert ids.isdisjoint(CITY_ONLY) and ids == everything - CITY_ONLY
    city = tmp_path / "city.xlsx"
    assert run("template", "--region", "兰州市", "--period", "2024", str(city)).code == 0
    ids = {r[0].value for r in openpyxl.load_workbook(city).worksheets[0].iter_rows(min_row=2)}
    assert ids == everything
    # the flag travels with the definition: the city's workbook reads back with it
    assert {i.id for i in load([city]).indicators if i.city_only} == CITY_ONLY
    toml_dir = tmp_path / "620100"
    assert run("template", "--region", "620100", "--period", "2024", str(toml_dir)).code == 0
    assert "city_only = true" in (toml_dir / "deployment.toml").read_text(encoding="utf-8")


def test_completeness_does_not_ask_a_county_for_city_only_figures(tmp_path: Path) -> None:
    city = tmp_path / "city.xlsx"
    assert run("template", "--region", "兰州市", "--period", "2024", str(city)).code == 0
    wb = openpyxl.load_workbook(city)
    wb["数据集"]["C2"] = "620121"  # the city's workbook handed to a county by mistake
    wb.save(tmp_path / "county.xlsx")
    r = run("check", "--data", str(tmp_path / "county.xlsx"), "-o", "csv",
            "--fields", "expected,actual")  # fmt: skip
    asked = len({i.id for i in load().indicators} - CITY_ONLY)
    assert r.out.splitlines()[1:] == [f"{asked},0"]


# ------------------------------------------------------------ units a dataset declares


def test_a_dataset_declares_its_units(tmp_path: Path) -> None:
    mini = tmp_path / "mini"
    shutil.copytree(FIXTURES / "synthetic-mini", mini)
    text = (mini / "monitoring.toml").read_text(encoding="utf-8")
    extra = ('\n[[indicator]]\nid = "monitoring.farmland_synthetic"\nname_zh = "耕地(合成)"\n'
             'name_en = "Farmland (SYNTHETIC)"\nvalue = 12.5\nunit = "万亩"\n'
             '\n[[indicator]]\nid = "monitoring.roads_synthetic"\nname_zh = "道路(合成)"\n'
             'name_en = "Roads (SYNTHETIC)"\nvalue = 38\nunit = "公里"\n')  # fmt: skip
    (mini / "monitoring.toml").write_text(text + extra, encoding="utf-8")
    r = run("show", "--data", str(mini), "-o", "csv", "--lang", "en")
    assert r.code == 3
    assert "unknown unit '万亩'; declare it in dataset.toml, e.g. [units] \"万亩\" = {" in r.err
    zh = run("show", "--data", str(mini), "-o", "csv")
    assert "未知单位 '万亩'; 请在 dataset.toml 中声明, 如 [units] \"万亩\" = {" in zh.err
    meta = mini / "dataset.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + '\n[units]\n'
                    '"亩" = { dimension = "area", scale = 1, name_en = "mu" }\n'
                    '"万亩" = { dimension = "area", scale = 10000 }\n'
                    '"公里" = { dimension = "length", scale = 1, name_en = "kilometres" }\n',
                    encoding="utf-8")  # fmt: skip
    ok = run("get", "monitoring.farmland_synthetic", "monitoring.roads_synthetic", "--data",
             str(mini))  # fmt: skip
    assert ok.code == 0 and ok.out == "12.5\n38\n", ok.err
    from fanpin_cli.core import units

    load([mini])
    assert units.convert(Decimal("12.5"), "万亩", "亩") == 125000
    assert units.is_additive("万亩")  # an amount: summed in roll-ups
    load()  # another load forgets them: each dataset's units are its own
    assert "万亩" not in units.UNITS
    # a bad declaration names dataset.toml and the line
    meta.write_text(meta.read_text(encoding="utf-8").replace("scale = 10000", "scale = 0"),
                    encoding="utf-8")  # fmt: skip
    bad = run("show", "--data", str(mini), "--lang", "en")
    assert bad.code == 3 and "dataset.toml" in bad.err and "scale must be a positive" in bad.err
    zh = run("show", "--data", str(mini))
    assert zh.err == bad.err.replace("scale must be a positive whole number", "scale 应为正整数")
    meta.write_text(meta.read_text(encoding="utf-8").replace("scale = 0", "scale = 1")
                    .replace('"亩" = { dimension = "area"', '"户" = { dimension = "area"'),
                    encoding="utf-8")  # fmt: skip
    clash = run("show", "--data", str(mini), "--lang", "en")
    assert clash.code == 3 and "unit '户' is already households" in clash.err
