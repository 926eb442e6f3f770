"""Read an OpenDocument spreadsheet's cells (value, type, text shown), streamed, in budget.

content.xml is parsed as it unpacks (fanpin_cli.reading.sheets.xmlparts). Each cell says its value
type (`percentage`, `float`, `string`, …) and carries the text shown. Repeats
(`number-columns-repeated`, `number-rows-repeated`) are counted against
fanpin_cli.reading.sheets.budget as the cells they stand for: empty ones cost nothing, a cell or a
row with content repeated past the budget is refused by name, and a repeat that is not a
positive whole number is an error (never rows dropped in silence). Comments (annotations)
are not part of a cell's text.
"""

from __future__ import annotations

import zipfile
from typing import IO

from fanpin_cli.core.errors import DataError
from fanpin_cli.reading.sheets.budget import MAX_CELL_CHARS, MAX_ROWS, Budget
from fanpin_cli.reading.sheets.cells import Cell, CellValue, Sheet, cell_ref
from fanpin_cli.reading.sheets.xmlparts import parse_part

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")
_NUMBERS = ("float", "percentage", "currency")


def read_ods(stream: IO[bytes]) -> dict[str, Sheet]:
    with zipfile.ZipFile(stream) as z:
        reader = _Reader()
        try:
            parse_part(z, "content.xml", reader.start, reader.end, reader.text)
        except KeyError:
            raise DataError.said(("sheet.unreadable", "ods", "no content.xml")) from None
        return reader.sheets


def _repeat(attrs: dict[str, str], key: str, where: str) -> int:
    text = attrs.get(TABLE + key)
    if text is None:
        return 1
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
        raise DataError.said(("sheet.bad_repeat", where, key, text[:40]))
    return int(text)


class _Reader:
    """The expat handlers: sheets of rows of cells, each with content placed where it is."""

    def __init__(self) -> None:
        self.sheets: dict[str, Sheet] = {}
        self.budget = Budget()
        self.name = ""
        self.rows: dict[int, list[Cell]] = {}
        self.r = 0
        self.row_repeat = 1
        self.cells: list[Cell] = []
        self.c = 0
        self.cell: dict[str, str] | None = None
        self.cell_repeat = 1
        self.paragraphs: list[list[str]] = []
        self.size = 0
        self.hidden = 0  # inside a comment (office:annotation)

    def where(self) -> str:
        return cell_ref(self.name, min(self.r, MAX_ROWS), self.c)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in _CELLS:
            self.cell = attrs
            self.cell_repeat = _repeat(attrs, "number-columns-repeated", self.where())
            self.paragraphs = []
            self.size = 0
        elif self.cell is not None:
            if name == OFFICE + "annotation":
                self.hidden += 1
            elif self.hidden:
                return
            elif name == TEXT + "p":
                self.paragraphs.append([])
            elif name == TEXT + "s" and self.paragraphs:
                count = attrs.get(TEXT + "c", "1")
                spaces = int(count) if count.isascii() and count.isdigit() and len(count) < 9 else 1
                self._add(" " * min(spaces, MAX_CELL_CHARS + 1))
            elif name == TEXT + "tab" and self.paragraphs:
                self._add("\t")
            elif name == TEXT + "line-break" and self.paragraphs:
                self._add("\n")
        elif name == TABLE + "table-row":
            self.row_repeat = _repeat(attrs, "number-rows-repeated", cell_ref(self.name, self.r, 0))
            self.cells = []
            self.c = 0
        elif name == TABLE + "table":
            self.name = attrs.get(TABLE + "name", "")
            self.rows = {}
            self.r = 0

    def text(self, data: str) -> None:
        if self.cell is not None and self.paragraphs and not self.hidden:
            self._add(data)

    def _add(self, data: str) -> None:
        self.size += len(data)
        self.budget.text(self.where(), self.size)
        self.paragraphs[-1].append(data)

    def end(self, name: str) -> None:
        if name in _CELLS:
            self._cell()
            self.cell = None
        elif name == OFFICE + "annotation":
            self.hidden -= 1
        elif name == TABLE + "table-row":
            self._row()
        elif name == TABLE + "table":
            last = max(self.rows) + 1 if self.rows else 0
            self.sheets[self.name] = [self.rows.get(i, []) for i in range(last)]

    def _cell(self) -> None:
        attrs = self.cell or {}
        repeat = self.cell_repeat
        kind = attrs.get(OFFICE + "value-type")
        text = "\n".join("".join(p) for p in self.paragraphs)
        parsed: CellValue = None
        if kind in _NUMBERS:
            parsed = attrs.get(OFFICE + "value", "")  # the exact decimal the file stores
        elif kind == "boolean":
            parsed = attrs.get(OFFICE + "boolean-value") == "true"
        elif kind is not None or text:
            parsed = text
        formula = kind is None and TABLE + "formula" in attrs
        if (parsed is None or parsed == "") and not formula:
            self.c += repeat
            return
        self.budget.cell(self.name, min(self.r, MAX_ROWS), self.c, repeat)
        while len(self.cells) < self.c:
            self.cells.append(Cell())
        fmt = "ods-number" if kind in ("float", "currency") else ""
        entry = Cell(parsed, fmt, text, kind == "percentage", formula)
        self.cells.extend([entry] * repeat)
        self.c += repeat

    def _row(self) -> None:
        repeat = self.row_repeat
        if self.cells:
            filled = sum(1 for c in self.cells if c.value is not None or c.formula)
            if self.r + repeat > MAX_ROWS:
                raise DataError.said(("sheet.too_many_rows", self.name, str(MAX_ROWS)))
            for k in range(repeat):
                if k:  # the first was counted cell by cell
                    self.budget.more(self.name, self.r + k, filled)
                self.rows[self.r + k] = self.cells
        self.r += repeat
