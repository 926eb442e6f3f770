"""Hostile spreadsheets: the bad-input corpus for .xlsx, .xls, .ods and .csv submissions.

Each case is a file a county could send (or an attacker could plant in a collection): it
is refused with exit 3 and one line naming the file, the sheet and the cell where there is
one, or read exactly; never a traceback, exit 70, a hang, or memory out of proportion to
the file. The bombs run as real processes under a 1 GB address-space limit and a 10 s
time limit, and must be refused well within both (fanpin_cli.sheets.budget states the
budget). Files are built here, small on disk (tests/sheet_bombs.py); all SYNTHETIC.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sheet_bombs import (
    MAIN,
    ODS_HEAD,
    ODS_TAIL,
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
    # (fanpin_cli.safe_read reads an input file whole, in chunks then joined: twice its size)
    on_disk = path.stat().st_size / (1 << 20)
    assert r.peak_mb < baseline.peak_mb + 2 * on_disk + 16, (r.peak_mb, baseline.peak_mb)


def test_bombs_are_small_on_disk() -> None:
    sizes = {name: len(make()) for name, (suffix, make, _) in BOMBS.items() if suffix != ".csv"}
    assert max(sizes.values()) < 2 * 1024 * 1024, sizes
