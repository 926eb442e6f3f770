"""Read an .xlsx workbook's cells (value, number format) with the standard library, in budget.

The parts are streamed through expat (fanpin_cli.reading.sheets.xmlparts) and every cell with
content is counted against fanpin_cli.reading.sheets.budget as it is read, so a file's own claims
cost nothing: the `<dimension>` a sheet declares is never used (a stale `A1:Z10` hides no
rows, a claimed `A1:XFD1048576` pads none), and a far cell, a giant string or millions of
tiny ones are refused by name after reading no more than the budget. Values are the cached
ones a spreadsheet program saved: a formula is never evaluated, and one saved without its
value is marked `formula` so that the reader can say so at its cell.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import IO

from fanpin_cli.core.errors import DataError
from fanpin_cli.reading.sheets.budget import MAX_CELLS, Budget
from fanpin_cli.reading.sheets.cells import Cell, CellValue, Sheet, cell_ref
from fanpin_cli.reading.sheets.xmlparts import local, parse_part, unescape

# Excel's built-in number formats (ECMA-376 part 1, 18.8.30), by numFmtId
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@",
}  # fmt: skip
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})\Z")
_DATE_CODE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_REL_TYPE = "/relationships/"


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time (its d, m, y, h or s outside quotes)."""
    bare = _DATE_CODE.sub("", code).lower()
    return bare != "general" and any(ch in bare for ch in "dmyhs")


def read_xlsx(stream: IO[bytes]) -> dict[str, Sheet]:
    """Every worksheet of the workbook, in order, by name."""
    with zipfile.ZipFile(stream) as z:
        names = set(z.namelist())
        book_part = _office_document(z, names)
        folder = posixpath.dirname(book_part)
        rels = _relationships(z, names, book_part)
        sheets, date1904 = _workbook(z, book_part)
        budget = Budget()
        strings: list[str] = []
        formats: list[str] = []
        for kind, target in rels.values():
            if kind == "sharedStrings":
                strings = _shared_strings(z, _join(folder, target), budget)
            elif kind == "styles":
                formats = _cell_formats(z, _join(folder, target))
        out: dict[str, Sheet] = {}
        for name, rid in sheets:
            kind, target = rels.get(rid, ("", ""))
            if kind != "worksheet":
                continue  # a chart sheet holds no cells
            part = _join(folder, target)
            reader = _SheetReader(name, strings, formats, date1904, budget)
            try:
                parse_part(z, part, reader.start, reader.end, reader.text)
            except KeyError:
                raise DataError.said(("sheet.unreadable", "xlsx", f"no {part}")) from None
            out[name] = reader.rows()
        return out


def _join(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _office_document(z: zipfile.ZipFile, names: set[str]) -> str:
    """The workbook part the package's root relationships name (xl/workbook.xml)."""
    if "_rels/.rels" in names:
        for kind, target in _relationships(z, names, "").values():
            if kind == "officeDocument":
                return _join("", target)
    if "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    raise DataError.said(("sheet.unreadable", "xlsx", "no workbook part"))


def _relationships(z: zipfile.ZipFile, names: set[str], part: str) -> dict[str, tuple[str, str]]:
    """id -> (type's last word, target) of `part`'s relationships."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if rels_name not in names:
        return found

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "Relationship" and len(found) < 10_000:
            kind = attrs.get("Type", "")
            kind = kind[kind.rfind(_REL_TYPE) + len(_REL_TYPE) :] if _REL_TYPE in kind else kind
            found[attrs.get("Id", "")] = (kind.rsplit("/", 1)[-1], attrs.get("Target", ""))

    parse_part(z, rels_name, start)
    return found


def _workbook(z: zipfile.ZipFile, part: str) -> tuple[list[tuple[str, str]], bool]:
    """(sheet name, relationship id) in order, and whether dates count from 1904."""
    sheets: list[tuple[str, str]] = []
    date1904 = [False]

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "sheet" and len(sheets) < 10_000:
            rid = next((v for k, v in attrs.items() if local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))
        elif tag == "workbookPr":
            date1904[0] = attrs.get("date1904", "") in ("1", "true")

    parse_part(z, part, start)
    return sheets, date1904[0]


def _shared_strings(z: zipfile.ZipFile, part: str, budget: Budget) -> list[str]:
    """The shared strings, each the text of its runs (phonetic guides left out)."""
    strings: list[str] = []
    pieces: list[str] = []
    size = [0]
    depth = {"si": 0, "t": 0, "rPh": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag in depth:
            depth[tag] += 1
        if tag == "si":
            pieces.clear()
            size[0] = 0

    def end(name: str) -> None:
        tag = local(name)
        if tag in depth:
            depth[tag] -= 1
        if tag == "si":
            if len(strings) >= MAX_CELLS:
                raise DataError.said(("sheet.too_many_strings", part, str(MAX_CELLS)))
            strings.append(unescape("".join(pieces)))

    def text(data: str) -> None:
        if depth["t"] and depth["si"] and not depth["rPh"]:
            size[0] += len(data)
            budget.text(part, size[0])
            pieces.append(data)

    try:
        parse_part(z, part, start, end, text)
    except KeyError:
        return []
    return strings


def _cell_formats(z: zipfile.ZipFile, part: str) -> list[str]:
    """The number format code of each cell style (`s` of a cell), in order."""
    codes: dict[int, str] = {}
    formats: list[str] = []
    inside = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "numFmt" and len(codes) < 10_000:
            number = attrs.get("numFmtId", "")
            if number.isascii() and number.isdigit() and len(number) < 9:
                codes[int(number)] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            inside[0] += 1
        elif tag == "xf" and inside[0] and len(formats) < 100_000:
            number = attrs.get("numFmtId", "0")
            ok = number.isascii() and number.isdigit() and len(number) < 9
            formats.append(number if ok else "0")

    def end(name: str) -> None:
        if local(name) == "cellXfs":
            inside[0] -= 1

    try:
        parse_part(z, part, start, end)
    except KeyError:
        return []
    return [codes.get(int(n), BUILTIN_FORMATS.get(int(n), "General")) for n in formats]


class _SheetReader:
    """The expat handlers of one worksheet: cells with content, placed by their reference."""

    def __init__(
        self, name: str, strings: list[str], formats: list[str], date1904: bool, budget: Budget
    ) -> None:
        self.name = name
        self.strings = strings
        self.formats = formats
        self.date1904 = date1904
        self.budget = budget
        self.cells: dict[int, list[Cell]] = {}
        self.row = -1
        self.col = -1
        self.kind = ""
        self.style = ""
        self.formula = False
        self.value: list[str] | None = None  # <v> text
        self.inline: list[str] | None = None  # <is> text
        self.capture: list[str] | None = None
        self.size = 0
        self.in_phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            ref = attrs.get("r")
            if ref is None:
                self.col += 1
            else:
                m = _REF.match(ref)
                if m is None:
                    raise DataError.said(("sheet.bad_ref", self.name, ref[:40]))
                self.col = _column_index(m.group(1))
                self.row = int(m.group(2)) - 1
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s", "")
            self.formula = False
            self.value = self.inline = self.capture = None
            self.size = 0
        elif tag == "row":
            ref = attrs.get("r")
            self.row = self.row + 1 if ref is None or not ref.isdigit() else int(ref) - 1
            self.col = -1
        elif tag == "v":
            self.value = self.capture = []
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.inline = []
        elif tag == "t" and self.inline is not None and not self.in_phonetic:
            self.capture = self.inline
        elif tag == "rPh":
            self.in_phonetic += 1

    def end(self, name: str) -> None:
        tag = local(name)
        if tag in ("v", "t"):
            self.capture = None
        elif tag == "rPh":
            self.in_phonetic -= 1
        elif tag == "c":
            self._cell()

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.size += len(data)
            if self.size > 64:  # numbers and indices are short: count only real text
                self.budget.text(cell_ref(self.name, max(self.row, 0), max(self.col, 0)),
                                 self.size)  # fmt: skip
            self.capture.append(data)

    def _cell(self) -> None:
        row, col = max(self.row, 0), max(self.col, 0)
        fmt = self._format()
        raw = "".join(self.value) if self.value is not None else None
        value: CellValue = None
        if self.kind == "inlineStr":
            value = unescape("".join(self.inline or []))
        elif raw is None:
            if not self.formula:
                return  # a styled empty cell
        elif self.kind == "s":
            try:
                value = self.strings[int(raw)]
            except (ValueError, IndexError):
                where = cell_ref(self.name, row, col)
                raise DataError.said(("sheet.no_string", where, raw[:20])) from None
        elif self.kind in ("str", "e", "d"):
            value = unescape(raw)  # a formula's text, an error (#DIV/0!), an ISO date
        elif self.kind == "b":
            value = raw.strip() in ("1", "true")
        else:
            value = _number(raw.strip(), fmt, self.date1904)
        if (value is None and not self.formula) or value == "":
            return
        self.budget.cell(self.name, row, col)
        cells = self.cells.setdefault(row, [])
        while len(cells) < col:
            cells.append(Cell())
        cell = Cell(value, fmt, formula=self.formula and raw is None)
        if len(cells) == col:
            cells.append(cell)
        else:
            cells[col] = cell

    def _format(self) -> str:
        if not self.style:
            return "General"
        try:
            return self.formats[int(self.style)]
        except (ValueError, IndexError):
            return "General"

    def rows(self) -> Sheet:
        last = max(self.cells) + 1 if self.cells else 0
        return [self.cells.get(i, []) for i in range(last)]


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def _number(text: str, fmt: str, date1904: bool) -> CellValue:
    """A numeric cell's value: int or float as stored, a date's text, or the text itself."""
    try:
        number: int | float = float(text) if any(ch in text for ch in ".eEnN") else int(text, 10)
    except ValueError:
        return text  # not a number after all: read as the text it is, to be reported
    if is_date_format(fmt) and isinstance(number, (int, float)) and 0 <= number < 2_958_466:
        return _date_text(float(number), date1904)
    return number


def _date_text(serial: float, date1904: bool) -> str:
    """A date cell as text (`2023-12-31`, or `2023-12-31 08:30:00` with a time of day)."""
    from datetime import datetime, timedelta

    if date1904:
        epoch = datetime(1904, 1, 1)
    else:
        epoch = datetime(1899, 12, 30) if serial >= 61 else datetime(1899, 12, 31)
    moment = epoch + timedelta(days=round(serial * 86400) / 86400)
    return moment.date().isoformat() if moment.time() == datetime.min.time() else str(moment)
