"""Excel- and WPS-safe CSV: BOM, CRLF, formula-injection guard; and checked output encodings."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from fanpin_cli.core.decimals import cell_text
from fanpin_cli.core.errors import DataError
from fanpin_cli.views.output import Output
from fanpin_cli.views.rows import Row

# A spreadsheet treats a cell beginning with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ... also after characters it drops or does not show: LibreOffice strips a leading NUL and
# runs "\x00=1+1" as =1+1. So leading control (Cc), invisible format (Cf: zero-width, bidi,
# byte-order mark) and space characters are looked past.
_INVISIBLE = "".join(
    chr(c)
    for first, last in (
        (0x00, 0x20), (0x7F, 0xA0), (0xAD, 0xAD), (0x1680, 0x1680), (0x180E, 0x180E),
        (0x2000, 0x200F), (0x2028, 0x202F), (0x205F, 0x206F), (0x3000, 0x3000),
        (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB),
    )
    for c in range(first, last + 1)
)  # fmt: skip


# ... and, beyond that list, every character of a kind nobody sees: controls (Cc), format
# characters (Cf: U+061C, the tags from U+E0001, ...), separators (Z*) and marks that draw
# on nothing (Mn, Me), and blank letters and signs (the Hangul fillers, the blank braille).
_HIDDEN = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula: its first character that can
    be seen (or a tab or CR) is one of FORMULA_STARTS."""
    import unicodedata

    for char in text:
        if char in FORMULA_STARTS:
            return True
        if char in _INVISIBLE or char in _BLANK or unicodedata.category(char) in _HIDDEN:
            continue
        return False
    return False


def neutralise(value: object) -> str:
    """A cell as text; text that a spreadsheet would run as a formula gets a leading '."""
    text = cell_text(value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return text  # numbers stay numbers, negative ones too
    return "'" + text if runs_as_formula(text) else text


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
    hint = ("export.unencodable", repr(char), f"{ord(char):04X}", encoding)
    or_else = ("export.or_gb18030",) if encoding == "gbk" else ()
    for row in output.rows:
        for field in output.fields:
            if char in cell_text(row.get(field)):
                return _located(row, ("export.field_has", str(row.get("id", "")), field),
                                hint, or_else)  # fmt: skip
    return DataError.said(hint, or_else)


def _located(row: Row, *reasons: tuple[str, ...]) -> DataError:
    where = row.get("_where")
    if isinstance(where, str) and ":" in where:
        path, _, line = where.rpartition(":")
        return DataError.said(*reasons, path=path, line=int(line) if line.isdigit() else None)
    return DataError.said(*reasons)
