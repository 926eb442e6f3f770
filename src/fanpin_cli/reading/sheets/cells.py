"""The plain cells a spreadsheet reader gives (fanpin_cli.reading.sheets.workbook reads them).

Each cell keeps its value, number format and shown text; a reference names sheet and cell
(`指标!D14`) for every message about it.
"""

from __future__ import annotations

from typing import NamedTuple

CellValue = str | float | int | bool | None


class Cell(NamedTuple):
    """One cell: its value, its number format code (`0.0%`, `General`), the text shown."""

    value: CellValue = None
    number_format: str = ""
    shown: str = ""
    percent: bool = False  # the file itself says "percentage" (OpenDocument)
    formula: bool = False  # a formula saved without its value (never evaluated by fanpin)


Sheet = list[list[Cell]]


class Workbook(NamedTuple):
    """The sheets of one file, in order, by name (a CSV has one sheet named '')."""

    sheets: dict[str, Sheet]
    kind: str  # "xlsx", "xls", "ods" or "csv"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(sheet: str, row: int, col: int) -> str:
    """`指标!D14` for 0-based row 13, column 3 (`D14` in a CSV)."""
    ref = f"{column_letter(col)}{row + 1}"
    return f"{sheet}!{ref}" if sheet else ref
