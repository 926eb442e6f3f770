"""What both readers of spreadsheet submissions share: cells as text or figures, problems
reported at their cells (`指标!D14`), sheets found by either language's name."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fanpin_cli.core.model import DatasetMeta, Indicator, Section
from fanpin_cli.reading.load.problems import FileContext, Problems, Reason, joined
from fanpin_cli.reading.load.records import IndicatorRules
from fanpin_cli.reading.load.text import Lines
from fanpin_cli.reading.sheets import layout
from fanpin_cli.reading.sheets.cells import Cell, Sheet, Workbook, cell_ref
from fanpin_cli.reading.sheets.numbers import Reading, format_decimals, from_float, from_text

FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # `--excel` put a ' before these

SHEET_KEY = "_indicators_sheet"  # DatasetMeta.extra of a spreadsheet: its indicators sheet


class CellContext(FileContext):
    """Problems of one row reported at the cell of the field they concern."""

    __slots__ = ("columns", "rules", "sheet")

    def __init__(self, path: str, problems: Problems, sheet: str, columns: dict[str, int]):
        super().__init__(path, Lines(""), problems)
        self.sheet = sheet
        self.columns = columns
        self.rules: dict[str, IndicatorRules] = {}

    def build(
        self, rec: dict[str, Any], row: int, section: str, defaults: DatasetMeta
    ) -> Indicator | None:
        """`rec` through the TOML validator (fanpin_cli.core.schema), problems at their cells."""
        rules = self.rules.get(section)
        if rules is None:
            rules = self.rules[section] = IndicatorRules(self, section, defaults)
        return rules.full(rec, row)

    def bad(self, start: int, key: str | None, said: Reason, ids: Sequence[str] = ()) -> None:
        self.report(start, key, said, ids)

    def warn(self, line: int, said: Reason, ids: Sequence[str] = ()) -> None:
        self.report(line, None, said, ids, "warning")

    def report(self, row: int, key: str | None, said: Reason, ids: Sequence[str] = (),
               severity: str = "error") -> None:  # fmt: skip
        """A problem at the cell of `key`'s column in `row` (the id column if it has none)."""
        col = self.columns.get(key or "id", self.columns.get("id", 0))
        self.report_at(row, col, said, ids, severity)

    def report_at(self, row: int, col: int, said: Reason, ids: Sequence[str] = (),
                  severity: str = "error") -> None:  # fmt: skip
        cell = cell_ref(self.sheet, row, col)
        self.problems.add(joined(("of.indicator", cell), said), path=self.path, line=0, ids=ids,
                          severity=severity)  # fmt: skip

    def formulas(self, row: int, cells: list[Cell], ids: Sequence[str] = ()) -> bool:
        """Report each cell of the row's columns holding a formula saved without its value
        (the value column's own is reported as its figure); whether there was one."""
        value = self.columns.get("value")
        found = False
        for col in self.columns.values():
            if col != value and col < len(cells) and cells[col].formula:
                self.report_at(row, col, ("sheet.formula_no_value",), ids)
                found = True
        return found


def cell_text(cell: Cell | None, *, strip: bool = True, guard: bool = True) -> str:
    """A cell as text: surrounding spaces dropped unless not `strip` (free text keeps them),
    and with `guard` the `'` that `--excel` puts before a formula's first character."""
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    text = str(v).strip() if strip else str(v)
    return text[1:] if guard and text.startswith(FORMULA_GUARD) else text


def cell_at(row: list[Cell], index: int | None) -> Cell | None:
    if index is None or index >= len(row):
        return None
    return row[index]


def read_figure(cell: Cell | None, unit: str, kind: str) -> Reading:
    """The figure a cell holds for a row in `unit` (see fanpin_cli.reading.sheets.numbers)."""
    if cell is not None and cell.formula:
        return Reading(error=("sheet.formula_no_value",))
    if cell is None or cell.value is None:
        return Reading()
    value = cell.value
    if isinstance(value, bool):
        return Reading(error=("sheet.boolean",))
    if isinstance(value, (int, float)):
        decimals, percent = format_decimals(cell.number_format)
        return from_float(float(value), decimals, percent=percent, unit=unit)
    if kind == "ods" and (cell.number_format == "ods-number" or cell.percent):
        return _ods_number(cell, unit)
    return from_text(str(value), unit)


def _ods_number(cell: Cell, unit: str) -> Reading:
    """An OpenDocument number: the exact decimal the file stores, shown precision kept."""
    raw = str(cell.value)
    try:
        number = Decimal(raw)
    except ArithmeticError:
        return Reading(error=("sheet.not_number", raw))
    if not number.is_finite():  # NaN, sNaN, Infinity
        return Reading(error=("sheet.infinite",))
    shown = cell.shown.replace("%", "").strip()
    decimals = len(shown.split(".", 1)[1]) if "." in shown and shown[-1:].isdigit() else 0
    reading = from_float(float(number), decimals if "." in shown else None,
                         percent=cell.percent, unit=unit, shown=cell.shown)  # fmt: skip
    return reading


def find_rows(book: Workbook, key: str) -> tuple[str, Sheet] | None:
    name = layout.find_sheet(list(book.sheets), key)
    return (name, book.sheets[name]) if name is not None else None


def sections_in(rows: Sheet) -> list[Section]:
    """The sections a sheet lists under its header: key, number, Chinese and English title."""
    out = []
    for row in rows[1:]:
        key, number, zh, en = (cell_text(cell_at(row, i)) for i in range(4))
        if key:
            out.append(Section(key, zh, en, number))
    return out
