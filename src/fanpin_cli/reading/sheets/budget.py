"""What fanpin reads of one spreadsheet file at most: the budget every reader keeps.

A fill-in workbook has a few hundred rows and five columns; an export of a whole province's
counties over three years has tens of thousands of rows and about 25 columns. A file that
asks for more (a far cell, a cell or a row repeated a billion times, a giant string, millions
of tiny ones) is refused with a DataError naming the file and the sheet, after reading no
more than the budget: the work is bounded by these numbers, never by what a file claims.

| what                                  | at most       |
|---------------------------------------|---------------|
| rows with content in a sheet          | MAX_ROWS      |
| columns (any cell with content)       | MAX_COLUMNS   |
| cells with content in a file          | MAX_CELLS     |
| characters in one cell                | MAX_CELL_CHARS (a spreadsheet cell's own limit) |
| characters of text in a file          | MAX_TEXT_CHARS |
| bytes of one unpacked XML part        | MAX_PART_BYTES |
| how much a part over 1 MiB unpacks    | MAX_RATIO times its packed size |
| characters in one CSV line            | MAX_LINE_CHARS |

Repeats (OpenDocument's `number-rows-repeated`, `number-columns-repeated`) count as the
cells they stand for; empty cells and rows cost nothing, however many a file repeats.
"""

from __future__ import annotations

from fanpin_cli.core.errors import DataError
from fanpin_cli.reading.sheets.cells import cell_ref

MAX_ROWS = 200_000
MAX_COLUMNS = 256
MAX_CELLS = 1_000_000
MAX_CELL_CHARS = 32_767
MAX_TEXT_CHARS = 32 * 1024 * 1024
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024
# Spreadsheet XML packs 3 to 20 times (measured on fanpin's and LibreOffice's files); a part
# packed more than 100 times is a zip bomb (Apache POI's ZipSecureFile draws the same line).
MAX_RATIO = 100
SMALL_PART = 1024 * 1024


class Budget:
    """Counts what one file has used; `cell` and `text` raise once it is spent."""

    __slots__ = ("cells", "chars")

    def __init__(self) -> None:
        self.cells = 0
        self.chars = 0

    def cell(self, sheet: str, row: int, col: int, count: int = 1) -> None:
        """`count` cells with content at 0-based (`row`, `col`) onwards along the row."""
        if col + count > MAX_COLUMNS:
            where = cell_ref(sheet, row, max(col, MAX_COLUMNS))
            raise DataError.said(("sheet.far_column", where, str(MAX_COLUMNS)))
        self.more(sheet, row, count)

    def more(self, sheet: str, row: int, count: int) -> None:
        """`count` cells with content in 0-based `row`."""
        if row >= MAX_ROWS:
            raise DataError.said(("sheet.too_many_rows", sheet, str(MAX_ROWS)))
        self.cells += count
        if self.cells > MAX_CELLS:
            raise DataError.said(("sheet.too_many_cells", sheet, str(MAX_CELLS)))

    def text(self, where: str, length: int) -> None:
        """A text of `length` characters read at `where` (a cell, or an XML part's name)."""
        if length > MAX_CELL_CHARS:
            raise DataError.said(("sheet.long_text", where, str(MAX_CELL_CHARS)))
        self.chars += length
        if self.chars > MAX_TEXT_CHARS:
            raise DataError.said(("sheet.too_much_text", where, str(MAX_TEXT_CHARS)))
