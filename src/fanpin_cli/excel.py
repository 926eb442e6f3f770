"""Excel- and WPS-safe CSV: BOM, CRLF, formula-injection guard; and checked output encodings."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from fanpin_cli.errors import DataError
from fanpin_cli.formats.base import Output
from fanpin_cli.rows import Row, cell_text

# A spreadsheet treats a cell beginning with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell as text; text that a spreadsheet would run as a formula gets a leading '."""
    text = cell_text(value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return text  # numbers stay numbers, negative ones too
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def excel_csv(output: Output, header: bool = True) -> str:
    """CSV for Excel and WPS: CRLF line ends and neutralised text cells (BOM added on encode)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow([neutralise(f) for f in output.fields])
    for row in output.rows:
        w.writerow([neutralise(row.get(f)) for f in output.fields])
    return buf.getvalue()


def encode(text: str, encoding: str, output: Output, bom: bool = False) -> bytes:
    """`text` in `encoding`, or a DataError naming the record whose text it cannot hold."""
    if encoding == "utf-8":
        return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start]
        raise _unencodable(output, bad, encoding) from None


def _unencodable(output: Output, char: str, encoding: str) -> DataError:
    hint = f"{char!r} (U+{ord(char):04X}) cannot be written in {encoding}; use --encoding utf-8"
    if encoding == "gbk":
        hint += " or gb18030"
    for row in output.rows:
        for field in output.fields:
            if char in cell_text(row.get(field)):
                return _located(row, f"{row.get('id', '')}: {field} has {hint}")
    return DataError(hint)


def _located(row: Row, message: str) -> DataError:
    where = row.get("_where")
    if isinstance(where, str) and ":" in where:
        path, _, line = where.rpartition(":")
        return DataError(message, path=path, line=int(line) if line.isdigit() else None)
    return DataError(message)
