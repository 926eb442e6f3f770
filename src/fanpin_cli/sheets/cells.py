"""Read a spreadsheet file into plain cells: value, number format and shown text, per sheet.

One small reader per format, each importing its library only when called:
- `.xlsx`: openpyxl (read-only, cached values: a formula is never evaluated), which gives
  each cell's number format, so 59.6% (stored as 0.596) and 3.1800 are read as shown;
- `.xls`: xlrd with formatting information (the same facts from the BIFF format records);
- `.ods`: the OpenDocument XML itself (zip + ElementTree from the standard library): each
  cell says its value type (`percentage`, `float`, `string`) and carries the text shown;
- `.csv`: the CSV `fanpin export` writes (UTF-8 with or without a byte-order mark, or the
  GBK/GB18030 of `--encoding`), one sheet without a name.
python-calamine reads all three spreadsheet formats faster, but without number formats it
cannot tell 59.6% from 0.596, so it is not used (measurements in the README).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, NamedTuple

from fanpin_cli.errors import DataError

CellValue = str | float | int | bool | None


class Cell(NamedTuple):
    """One cell: its value, its number format code (`0.0%`, `General`), the text shown."""

    value: CellValue = None
    number_format: str = ""
    shown: str = ""
    percent: bool = False  # the file itself says "percentage" (OpenDocument)


Sheet = list[list[Cell]]


class Workbook(NamedTuple):
    """The sheets of one file, in order, by name (a CSV has one sheet named '')."""

    sheets: dict[str, Sheet]
    kind: str  # "xlsx", "xls", "ods" or "csv"


MAX_ROWS = 200_000  # far beyond any submission; guards against a file claiming a million rows


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


def read_workbook(path: Path) -> Workbook:
    """Every sheet of a spreadsheet file, or a DataError naming the file."""
    import io

    from fanpin_cli.safe_read import read_bytes

    suffix = path.suffix.lower()
    raw = read_bytes(path)  # a regular file within the size limit, or a DataError
    # from here on the readers parse bytes in memory: no file system errors
    try:
        if suffix == ".xlsx":
            return Workbook(_read_xlsx(io.BytesIO(raw)), "xlsx")
        if suffix == ".xls":
            return Workbook(_read_xls(raw), "xls")
        if suffix == ".ods":
            return Workbook(_read_ods(io.BytesIO(raw), path), "ods")
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


def _read_xlsx(stream: IO[bytes]) -> dict[str, Sheet]:
    import openpyxl

    book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        sheets: dict[str, Sheet] = {}
        for ws in book.worksheets:
            rows: Sheet = []
            for row in ws.iter_rows():
                cells = []
                for c in row:
                    value = getattr(c, "value", None)
                    if value is not None and not isinstance(value, (str, int, float, bool)):
                        value = str(value)  # a date or time: kept as its text
                    cells.append(Cell(value, getattr(c, "number_format", "") or ""))
                rows.append(cells)
                if len(rows) > MAX_ROWS:
                    raise DataError.said(("sheet.too_many_rows", ws.title, str(MAX_ROWS)))
            sheets[ws.title] = rows
        return sheets
    finally:
        book.close()


def _read_xls(raw: bytes) -> dict[str, Sheet]:
    import xlrd

    book = xlrd.open_workbook(file_contents=raw, formatting_info=True, on_demand=True)
    try:
        sheets: dict[str, Sheet] = {}
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            rows: Sheet = []
            for r in range(min(ws.nrows, MAX_ROWS + 1)):
                cells = []
                for c in range(ws.ncols):
                    cell = ws.cell(r, c)
                    fmt = ""
                    if cell.xf_index is not None and cell.xf_index < len(book.xf_list):
                        key = book.xf_list[cell.xf_index].format_key
                        found = book.format_map.get(key)
                        fmt = found.format_str if found is not None else ""
                    value: CellValue
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = None
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(cell.value)
                    elif cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                        value = float(cell.value)
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = "#ERROR"
                    else:
                        value = str(cell.value)
                    cells.append(Cell(value, fmt))
                rows.append(cells)
            sheets[ws.name] = rows
            book.unload_sheet(index)
        return sheets
    finally:
        book.release_resources()


_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _q(ns: str, name: str) -> str:
    return "{" + _NS[ns] + "}" + name


def _read_ods(stream: IO[bytes], path: Path) -> dict[str, Sheet]:
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(stream) as z:
        info = z.getinfo("content.xml")
        if info.file_size > 256 * 1024 * 1024:
            raise DataError.said(("sheet.content_too_large",), path=str(path))
        root = ElementTree.fromstring(z.read(info))
    sheets: dict[str, Sheet] = {}
    t_row, t_cell = _q("table", "table-row"), _q("table", "table-cell")
    t_cov = _q("table", "covered-table-cell")
    rows_rep, cols_rep = _q("table", "number-rows-repeated"), _q("table", "number-columns-repeated")
    vtype, val, bval = (_q("office", n) for n in ("value-type", "value", "boolean-value"))
    for table in root.iter(_q("table", "table")):
        name = table.get(_q("table", "name"), "")
        rows: dict[int, list[Cell]] = {}
        r = 0
        for row in table.iter(t_row):
            cells: list[Cell] = []
            c = 0
            for cell in row:
                if cell.tag not in (t_cell, t_cov):
                    continue
                repeat = int(cell.get(cols_rep, "1"))
                kind = cell.get(vtype)
                text = "\n".join("".join(p.itertext()) for p in cell.iter(_q("text", "p")))
                parsed: CellValue = None
                if kind in ("float", "percentage", "currency"):
                    parsed = cell.get(val, "")  # the exact decimal text the file stores
                elif kind == "boolean":
                    parsed = cell.get(bval) == "true"
                elif kind is not None or text:
                    parsed = text
                if parsed is None or parsed == "":
                    c += repeat
                    continue
                while len(cells) < c:
                    cells.append(Cell())
                entry = Cell(parsed, "ods-number" if kind in ("float", "currency") else "",
                             text, kind == "percentage")  # fmt: skip
                cells.extend([entry] * min(repeat, 1024))
                c += repeat
            repeat_rows = int(row.get(rows_rep, "1"))
            if cells:
                for k in range(min(repeat_rows, 1024)):
                    rows[r + k] = cells
            r += repeat_rows
            if len(rows) > MAX_ROWS:
                raise DataError.said(("sheet.too_many_rows", name, str(MAX_ROWS)), path=str(path))
        last = max(rows) + 1 if rows else 0
        sheets[name] = [rows.get(i, []) for i in range(last)]
    return sheets


def _read_csv(raw: bytes, path: Path) -> Sheet:
    import csv
    import io

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError.said(("sheet.encoding",), path=str(path)) from None
    try:
        return [
            [Cell(v if v != "" else None) for v in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as exc:
        raise DataError.said(("sheet.csv", str(exc)), path=str(path)) from None
