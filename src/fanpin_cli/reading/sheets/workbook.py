"""Read a spreadsheet file into plain cells (fanpin_cli.reading.sheets.cells), per sheet.

One small reader per format, each importing its library only when called, each within the
budget of fanpin_cli.reading.sheets.budget (cells, columns, rows, text; a file past it is refused):
- `.xlsx`: the OOXML parts streamed through expat (fanpin_cli.reading.sheets.xlsx; cached values: a
  formula is never evaluated), with each cell's number format, so 59.6% (stored as 0.596)
  and 3.1800 are read as shown;
- `.xls`: xlrd with formatting information (the same facts from the BIFF format records);
- `.ods`: the OpenDocument XML itself, streamed (fanpin_cli.reading.sheets.ods): each cell says its
  value type (`percentage`, `float`, `string`) and carries the text shown;
- `.csv`: the CSV `fanpin export` writes (UTF-8 with or without a byte-order mark, or the
  GBK/GB18030 of `--encoding`), one sheet without a name.
python-calamine reads all three spreadsheet formats faster, but without number formats it
cannot tell 59.6% from 0.596, so it is not used (measurements in docs/spreadsheets.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fanpin_cli.core.errors import DataError
from fanpin_cli.reading.sheets.cells import Cell, CellValue, Sheet, Workbook, cell_ref


def read_workbook(path: Path) -> Workbook:
    """Every sheet of a spreadsheet file, or a DataError naming the file."""
    import io

    from fanpin_cli.files.safe_read import read_bytes

    suffix = path.suffix.lower()
    raw = read_bytes(path)  # a regular file within the size limit, or a DataError
    # from here on the readers parse bytes in memory: no file system errors
    try:
        if suffix == ".xlsx":
            from fanpin_cli.reading.sheets.xlsx import read_xlsx

            return Workbook(read_xlsx(io.BytesIO(raw)), "xlsx")
        if suffix == ".xls":
            return Workbook(_read_xls(raw), "xls")
        if suffix == ".ods":
            from fanpin_cli.reading.sheets.ods import read_ods

            return Workbook(read_ods(io.BytesIO(raw)), "ods")
        if suffix == ".csv":
            return Workbook({"": _read_csv(raw, path)}, "csv")
    except DataError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise
    except MemoryError:
        raise DataError.said(("sheet.too_large",), path=str(path)) from None
    except Exception as exc:  # every reader's own "not a valid file" errors
        why = f"{type(exc).__name__}: {exc}".rstrip(": ")
        raise DataError.said(("sheet.unreadable", suffix[1:], why), path=str(path)) from None
    raise DataError.said(("sheet.not_spreadsheet", suffix), path=str(path))


def _read_xls(raw: bytes) -> dict[str, Sheet]:
    import xlrd

    from fanpin_cli.reading.sheets.budget import MAX_COLUMNS, MAX_ROWS, Budget

    book = xlrd.open_workbook(
        file_contents=raw, formatting_info=True, on_demand=True, ragged_rows=True
    )
    budget = Budget()
    try:
        sheets: dict[str, Sheet] = {}
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            rows: Sheet = []
            for r in range(ws.nrows):
                cells: list[Cell] = []
                for c in range(ws.row_len(r)):
                    cell = ws.cell(r, c)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        cells.append(Cell())
                        continue
                    budget.cell(ws.name, r, c)
                    fmt = ""
                    if cell.xf_index is not None and cell.xf_index < len(book.xf_list):
                        key = book.xf_list[cell.xf_index].format_key
                        found = book.format_map.get(key)
                        fmt = found.format_str if found is not None else ""
                    value: CellValue
                    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(cell.value)
                    elif cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                        value = float(cell.value)
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = "#ERROR"
                    else:
                        value = str(cell.value)
                        budget.text(cell_ref(ws.name, r, c), len(value))
                    cells.append(Cell(value, fmt))
                while cells and cells[-1].value is None:
                    cells.pop()
                rows.append(cells[:MAX_COLUMNS])
            while rows and not rows[-1]:
                rows.pop()
            if len(rows) > MAX_ROWS:  # pragma: no cover - BIFF8 holds at most 65,536 rows
                raise DataError.said(("sheet.too_many_rows", ws.name, str(MAX_ROWS)))
            sheets[ws.name] = rows
            book.unload_sheet(index)
        return sheets
    finally:
        book.release_resources()


def _read_csv(raw: bytes, path: Path) -> Sheet:
    """The rows of a CSV file: UTF-8 (a byte-order mark or none), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return _csv_rows(raw, encoding, path)
        except UnicodeDecodeError:
            continue
    raise DataError.said(("sheet.encoding",), path=str(path))


def _csv_rows(raw: bytes, encoding: str, path: Path) -> Sheet:
    """Rows decoded and split as they are read, each line and field within the budget."""
    import csv
    import io

    from fanpin_cli.reading.sheets.budget import MAX_COLUMNS, MAX_LINE_CHARS, MAX_ROWS, Budget

    stream = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline="")
    number = [0]

    def lines() -> Iterator[str]:
        while line := stream.readline(MAX_LINE_CHARS + 1):
            number[0] += 1
            if len(line) > MAX_LINE_CHARS:
                at = ("sheet.at_line", str(number[0]))
                raise DataError.said(at, ("sheet.long_line", str(MAX_LINE_CHARS)), path=str(path))
            yield line

    budget = Budget()
    rows: Sheet = []
    try:
        for row in csv.reader(lines()):
            r = len(rows)
            if len(row) > MAX_COLUMNS:
                budget.cell("", r, 0, len(row))
            if r >= MAX_ROWS:
                raise DataError.said(("sheet.too_many_rows", "CSV", str(MAX_ROWS)), path=str(path))
            cells = []
            for c, v in enumerate(row):
                if v == "":
                    cells.append(Cell())
                    continue
                budget.cell("", r, c)
                budget.text(cell_ref("", r, c), len(v))
                cells.append(Cell(v))
            rows.append(cells)
    except csv.Error as exc:
        raise DataError.said(("sheet.csv", str(exc)), path=str(path)) from None
    return rows
