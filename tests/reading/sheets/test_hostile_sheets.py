"""Hostile spreadsheets: the bad-input corpus for .xlsx, .xls, .ods and .csv submissions.

Each case is a file a county could send (or an attacker could plant in a collection): it
is refused with exit 3 and one line naming the file, the sheet and the cell where there is
one, or read exactly; never a traceback, exit 70, a hang, or memory out of proportion to
the file. The bombs run as real processes under a 1 GB address-space limit and a 10 s
time limit, and must be refused well within both (fanpin_cli.reading.sheets.budget states the
budget). Files are built here, small on disk (tests/reading/sheets/sheet_bombs.py); all SYNTHETIC.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MINI, run
from sheet_bombs import (
    MAIN,
    ODS_HEAD,
    ODS_TAIL,
    export_csv,
    export_ods,
    export_xlsx,
    ods,
    ods_table,
    repeated,
    sheet_xml,
    xlsx,
)

MEMORY_LIMIT = 1 << 30  # 1 GB of address space
TIME_LIMIT = 10  # seconds


@dataclass
class Ran:
    code: int
    out: bytes
    err: str
    seconds: float  # wall clock
    cpu: float  # CPU seconds (user + system): the work done, whatever else the machine runs
    peak_mb: float  # the process's peak resident memory


def limited(*args: str) -> Ran:
    """`python -m fanpin_cli ARGS` under 1 GB of memory and 10 s, with its peak memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env |= {"FANPIN_LANG": "en", "FANPIN_CACHE": "0"}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT))

    start = time.monotonic()
    p = subprocess.Popen([sys.executable, "-m", "fanpin_cli", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, preexec_fn=limit)  # fmt: skip
    timer = threading.Timer(TIME_LIMIT, p.kill)
    timer.start()
    try:
        assert p.stdout is not None and p.stderr is not None
        out, err = p.stdout.read(), p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    cpu = usage.ru_utime + usage.ru_stime
    return Ran(p.returncode, out, err.decode("utf-8", "replace"), seconds, cpu,
               usage.ru_maxrss / 1024)  # fmt: skip


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """A run on a tiny valid-but-empty workbook: what start-up alone costs."""
    path = tmp_path_factory.mktemp("base") / "base.xlsx"
    path.write_bytes(
        xlsx(sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'))
    )
    return limited("show", "--data", str(path))


def _far_cell() -> bytes:
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')  # fmt: skip
    return xlsx(sheet_xml(rows, dimension="A1:XFD1048576"))


def _far_row() -> bytes:
    return xlsx(sheet_xml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "A1:A1048576"))


def _huge_shared_string() -> bytes:
    head = f'<sst xmlns="{MAIN}"><si><t>'.encode()
    big = repeated("xl/sharedStrings.xml", head, b"a" * (1 << 20), 1536, b"</t></si></sst>")
    return xlsx(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), big)  # 1.5 GB


def _many_tiny_strings() -> bytes:
    head = f'<sst xmlns="{MAIN}">'.encode()
    tiny = repeated("xl/sharedStrings.xml", head, b"<si/>" * (1 << 20), 20, b"</sst>")
    return xlsx(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), tiny)  # 20 M


def _ods_cell_repeated() -> bytes:
    cell = ('<table:table-cell office:value-type="float" office:value="1" '
            'table:number-columns-repeated="1000000000"/>')  # fmt: skip
    return ods(ods_table(f"<table:table-row>{cell}</table:table-row>"))


def _ods_rows_repeated() -> bytes:
    row = (
        '<table:table-row table:number-rows-repeated="1000000000000"><table:table-cell '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    return ods(ods_table(row))  # fmt: skip


def _ods_empty_cells() -> bytes:
    head = (ODS_HEAD + '<table:table table:name="指标"><table:table-row>').encode()
    tail = ("</table:table-row></table:table>" + ODS_TAIL).encode()
    block = b"<table:table-cell/>" * (1 << 16)
    return ods(repeated("content.xml", head, block, 200, tail))  # 250 MB of empty cells


def _commas() -> bytes:
    return b"," * (64 * 1024 * 1024)  # one line of 64 Mi empty fields: 6.7 GB as cells


# name: (suffix, file maker, what the one line on stderr says after "FILE: ")
BOMBS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "xlsx-far-cell": (".xlsx", _far_cell, "指标!XFD1048576: content beyond column 256; refused"),
    "xlsx-far-row": (".xlsx", _far_row, "sheet 指标 has more than 200000 rows"),
    "xlsx-1.5GB-shared-string": (
        ".xlsx", _huge_shared_string,
        "xl/sharedStrings.xml unpacks to 1,610,612,829 bytes, more than the 134,217,728 read; "
        "refused"),
    "xlsx-20M-tiny-strings": (
        ".xlsx", _many_tiny_strings,
        "xl/sharedStrings.xml unpacks to 104,857,677 bytes, 683 times its packed size (a zip "
        "bomb); refused"),
    "ods-cell-repeated-1e9": (".ods", _ods_cell_repeated,
                              "指标!IW1: content beyond column 256; refused"),
    "ods-rows-repeated-1e12": (".ods", _ods_rows_repeated, "sheet 指标 has more than 200000 rows"),
    "ods-250MB-empty-cells": (
        ".ods", _ods_empty_cells,
        "content.xml unpacks to 249,037,187 bytes, more than the 134,217,728 read; refused"),
    "csv-64MiB-of-commas": (".csv", _commas, "line 1: longer than 1048576 characters; refused"),
}  # fmt: skip


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_bombs_are_refused_at_once_in_little_memory(
    bomb: str, baseline: Ran, tmp_path: Path
) -> None:
    suffix, make, says = BOMBS[bomb]
    path = tmp_path / f"bomb{suffix}"
    path.write_bytes(make())
    r = limited("show", "--data", str(path))
    assert (r.code, r.out, r.err) == (3, b"", f"fanpin: error: {path}: {says}\n")
    # well under a second of work, and a few MB beyond start-up (and the file itself)
    assert r.cpu < baseline.cpu + 0.5, (r.cpu, baseline.cpu)
    # (fanpin_cli.files.safe_read reads an input file whole, in chunks then joined: twice its size)
    on_disk = path.stat().st_size / (1 << 20)
    assert r.peak_mb < baseline.peak_mb + 2 * on_disk + 16, (r.peak_mb, baseline.peak_mb)


def test_bombs_are_small_on_disk() -> None:
    sizes = {name: len(make()) for name, (suffix, make, _) in BOMBS.items() if suffix != ".csv"}
    assert max(sizes.values()) < 2 * 1024 * 1024, sizes


# --- cells read wrong in silence, or crashing: each now an error naming its cell ----------


SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(src: Path, fmt: str, tmp_path: Path) -> Path:
    """`src` saved by LibreOffice as `fmt` (its own profile in tmp_path, so runs never share)."""
    outdir = tmp_path / "lo"
    outdir.mkdir(exist_ok=True)
    subprocess.run([SOFFICE or "soffice", "--headless",
                    f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists()
    return out


def refused(path: Path, says: str) -> None:
    """`show --data PATH` exits 3 with exactly `fanpin: error: PATH: SAYS`."""
    r = run("--lang", "en", "show", "--data", str(path))
    assert (r.code, r.out, r.err) == (3, "", f"fanpin: error: {path}: {says}\n")


def _text_cell(kind: str, text: str) -> bytes:
    if kind == "xlsx":
        cell = f'<c r="E2" t="inlineStr"><is><t>{text}</t></is></c>'
        return export_xlsx({"E2": cell})
    if kind == "ods":
        xml = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
        return export_ods({"E2": xml.format(text)})
    return export_csv(text)


ODD_DIGITS = {"1294¹": ("¹", "U+00B9"), "1294①": ("①", "U+2460"), "12₃": ("₃", "U+2083"),
              "㉑": ("㉑", "U+3251")}  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "ods", "csv"])
@pytest.mark.parametrize("typed", list(ODD_DIGITS))
def test_only_ascii_and_full_width_digits_are_digits(typed: str, kind: str, tmp_path: Path) -> None:
    # NFKC would read these as 12941, 12941, 123 and 21: an error at the cell instead
    path = tmp_path / f"county.{kind}"
    path.write_bytes(_text_cell(kind, typed))
    ch, code = ODD_DIGITS[typed]
    cell = "E2" if kind == "csv" else "指标!E2"
    refused(path, f"{cell}: monitoring.total_households: {typed!r}: {ch!r} ({code}) is not a "
                  "digit 0-9; a footnote belongs in the note")  # fmt: skip


def test_full_width_digits_and_a_unit_with_a_superscript_still_read(tmp_path: Path) -> None:
    path = tmp_path / "county.csv"
    path.write_bytes(_text_cell("csv", "１２９４"))
    r = run("get", "monitoring.total_households", "--data", str(path))
    assert (r.code, r.out) == (0, "1294\n")


@needs_soffice
def test_odd_digits_in_an_xls_saved_by_libreoffice(tmp_path: Path) -> None:
    src = tmp_path / "county.xlsx"
    src.write_bytes(_text_cell("xlsx", "1294¹"))
    xls = convert(src, "xls", tmp_path)
    refused(xls, "指标!E2: monitoring.total_households: '1294¹': '¹' (U+00B9) is not a digit "
                 "0-9; a footnote belongs in the note")  # fmt: skip


# issue 25 item 5: exit 3 naming the cell, never exit 70 (InvalidOperation, sNaN)
NUMBER_CELLS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "xlsx-30-decimals": (".xlsx", lambda: export_xlsx(
        {"E2": '<c r="E2" s="1"><v>0.5</v></c>'}, {164: "0." + "0" * 30}),
        "its number format shows 30 decimal places; fanpin keeps at most 9: show fewer"),
    "xlsx-28-decimals": (".xlsx", lambda: export_xlsx(
        {"E2": '<c r="E2" s="1"><v>12.5</v></c>'}, {164: "0." + "0" * 28}),
        "its number format shows 28 decimal places; fanpin keeps at most 9: show fewer"),
    "xlsx-1e27-as-0.00": (".xlsx", lambda: export_xlsx(
        {"E2": '<c r="E2" s="1"><v>1E+27</v></c>'}, {2: "0.00"}),
        "value is too large (1e18 or more) to be a plausible figure"),
    "ods-sNaN": (".ods", lambda: export_ods({"E2": '<table:table-cell office:value-type="float" '
                                                   'office:value="sNaN"><text:p>1</text:p>'
                                                   "</table:table-cell>"}),
                 "is not a finite number"),
    "ods-shown-with-40-decimals": (".ods", lambda: export_ods(
        {"E2": '<table:table-cell office:value-type="float" office:value="0.5"><text:p>0.'
               + "5" + "0" * 39 + "</text:p></table:table-cell>"}),
        "its number format shows 40 decimal places; fanpin keeps at most 9: show fewer"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(NUMBER_CELLS))
def test_numbers_beyond_what_is_kept_are_errors_at_their_cell(case: str, tmp_path: Path) -> None:
    suffix, make, says = NUMBER_CELLS[case]
    path = tmp_path / f"county{suffix}"
    path.write_bytes(make())
    refused(path, f"指标!E2: monitoring.total_households: {says}")


FORMULA = (
    "a formula saved without its value (fanpin never computes formulas); open and save the "
    "file in a spreadsheet program, or type the figure"
)


@pytest.mark.parametrize(
    ("suffix", "make", "cell"),
    [
        (".xlsx", lambda: export_xlsx({"E2": '<c r="E2"><f>SUM(1,2)</f></c>'}), "E2"),
        (".xlsx", lambda: export_xlsx({"D2": '<c r="D2" t="str"><f>A1</f></c>'}), "D2"),
        (".ods", lambda: export_ods({"E2": '<table:table-cell table:formula="of:=1+2"/>'}), "E2"),
    ],
)
def test_a_formula_without_its_saved_value_is_said(
    suffix: str, make: Callable[[], bytes], cell: str, tmp_path: Path
) -> None:
    path = tmp_path / f"county{suffix}"
    path.write_bytes(make())
    refused(path, f"指标!{cell}: {FORMULA}" if cell != "E2" else
            f"指标!E2: monitoring.total_households: {FORMULA}")  # fmt: skip


def test_a_stale_dimension_hides_no_rows(tmp_path: Path) -> None:
    book = tmp_path / "all.xlsx"
    assert run("export", "--xlsx", str(book)).code == 0  # the bundled report: 93 records
    expected = run("show", "-o", "csv").out
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(book) as z, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:Z10"/>', data)
                assert n == 1
            out.writestr(info, data)
    got = run("show", "--data", str(stale), "-o", "csv")
    assert got.code == 0 and len(got.out.splitlines()) == len(expected.splitlines()) > 10
    assert got.out.replace(str(stale), "") == run(
        "show", "--data", str(book), "-o", "csv"
    ).out.replace(str(book), "")


@pytest.mark.parametrize("repeat", ["-1", "0", "1.5", "x"])
def test_a_row_repeat_that_is_not_a_positive_whole_number_is_refused(
    repeat: str, tmp_path: Path
) -> None:
    cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{t}</text:p>'
                    "</table:table-cell>" for t in ("id", "section"))  # fmt: skip
    rows = (f"<table:table-row>{cells}</table:table-row>"
            f'<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>'
            f"<table:table-row>{cells}</table:table-row>")  # fmt: skip
    path = tmp_path / "county.ods"
    path.write_bytes(export_ods({}, rows_xml=rows))
    refused(path, f"指标!A2: number-rows-repeated is {repeat!r}, not a positive whole number; "
                  "refused")  # fmt: skip


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
              + f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')  # fmt: skip
    path = tmp_path / "county.xlsx"
    path.write_bytes(xlsx(laughs))
    refused(path, "xl/worksheets/sheet1.xml: has a DOCTYPE (no spreadsheet program writes one); "
                  "refused")  # fmt: skip


def test_a_very_long_unit_keeps_every_rows_number_check(tmp_path: Path) -> None:
    # a unit of 300 characters: Excel drops a validation whose message passes 255, and
    # XlsxWriter said so with a raw Python warning on stderr
    mini = Path(shutil.copytree(MINI, tmp_path / "mini"))
    unit = "亩" * 300
    meta = (mini / "dataset.toml").read_text("utf-8")
    meta = meta.replace("[sections]", f'[units]\n"{unit}" = {{ dimension = "area", scale = 1 }}'
                        "\n\n[sections]")  # fmt: skip
    (mini / "dataset.toml").write_text(meta, "utf-8")
    section = (mini / "monitoring.toml").read_text("utf-8")
    section += ('\n[[indicator]]\nid = "monitoring.land"\nname_zh = "土地"\nname_en = "Land"\n'
                f'value = 5\nunit = "{unit}"\nsource = "累计监测对象100户"\n')  # fmt: skip
    (mini / "monitoring.toml").write_text(section, "utf-8")
    book = tmp_path / "county.xlsx"
    r = limited("template", "--data", str(mini), "--region", "620121", "--period", "2023",
                str(book))  # fmt: skip
    assert (r.code, r.err) == (0, ""), r.err
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    rows = len(re.findall(r'<row r="', sheet)) - 1  # the header has none
    assert sheet.count("<dataValidation ") == rows > 1


# --- round trips: what goes out comes back, or the user is told (issue 25 item 10) ---------


def _with_notes(tmp_path: Path, notes: dict[str, str]) -> Path:
    """A copy of the SYNTHETIC mini dataset whose records carry `notes` (TOML strings)."""
    mini = Path(shutil.copytree(MINI, tmp_path / "mini"))
    text = (mini / "monitoring.toml").read_text("utf-8")
    for rid, note in notes.items():
        start = text.index(f'id = "{rid}"')
        end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text.rstrip())
        text = text[:end] + f"\nnote = {note}" + text[end:]
    (mini / "monitoring.toml").write_text(text, "utf-8")
    return mini


def test_text_comes_back_from_a_workbook_as_it_went_out(tmp_path: Path) -> None:
    mini = _with_notes(tmp_path, {
        "monitoring.total_households": r'"  red \u001b[31m text _x0041_, spaces around  "',
        "monitoring.unstable_households": "\"'=1+1\"",
    })  # fmt: skip
    book = tmp_path / "out.xlsx"
    assert run("export", "--xlsx", str(book), "--data", str(mini)).code == 0
    fields = ["--fields", "id,note", "-o", "json"]
    back = run("show", "--data", str(book), *fields)
    assert back.code == 0 and back.out == run("show", "--data", str(mini), *fields).out
    assert '"  red \\u001b[31m text _x0041_, spaces around  "' in back.out
    assert '"\'=1+1"' in back.out


def test_a_text_too_long_for_a_workbook_cell_is_refused_not_cut(tmp_path: Path) -> None:
    mini = _with_notes(tmp_path, {"monitoring.total_households": '"' + "长" * 40_000 + '"'})
    book = tmp_path / "out.xlsx"
    r = run("--lang", "en", "export", "--xlsx", str(book), "--data", str(mini))
    column = 19  # 备注 (note), the 19th column of the 指标 sheet: S
    header = openpyxl_header(tmp_path, mini)
    assert header[column - 1] == "备注"
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        f"fanpin: error: {book}: Indicators!S2: a text of 40,000 characters, more than "
        "the 32,767 a workbook cell holds (it would be cut); use --csv or --json\n"
    )
    assert not book.exists()


def openpyxl_header(tmp_path: Path, mini: Path) -> list[str]:
    """The 指标 sheet's header of the mini dataset's workbook (notes shortened to fit)."""
    import openpyxl

    short = Path(shutil.copytree(mini, tmp_path / "short"))
    text = (short / "monitoring.toml").read_text("utf-8")
    (short / "monitoring.toml").write_text(re.sub("长{40000}", "长", text), "utf-8")
    book = tmp_path / "short.xlsx"
    assert run("export", "--xlsx", str(book), "--data", str(short)).code == 0
    return [str(c) for c in next(openpyxl.load_workbook(book).worksheets[0].iter_rows(
        values_only=True))]  # fmt: skip
