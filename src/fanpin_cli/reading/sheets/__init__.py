"""Spreadsheets: fill-in workbooks, reading .xlsx/.xls/.ods/.csv submissions, .xlsx export.

TOML stays the canonical store; workbooks are the forms people fill in and the reports they
open. Each heavy library (xlrd, XlsxWriter) is imported only by the function that
needs it, so commands that never touch a spreadsheet start as fast as before.
"""

from __future__ import annotations

# Suffixes `--data` reads as one dataset each (`.csv`: the CSV `fanpin export` writes).
SHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")


def is_sheet(name: str) -> bool:
    """Whether a file name is a spreadsheet fanpin reads (by suffix, any case)."""
    return name.lower().endswith(SHEET_SUFFIXES) and not name.startswith((".~lock", "~$"))
