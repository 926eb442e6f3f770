"""Stream one XML part of a zipped spreadsheet (.xlsx, .ods) through expat, within budget.

A part is read in chunks and parsed as it comes: memory is what the handlers keep, never
the part's size. A part that unpacks to more than MAX_PART_BYTES, or (beyond SMALL_PART)
to more than MAX_RATIO times its packed size, is refused before a byte of it is read
(zipfile never hands out more than the size the archive declares: a part that would unpack
to more fails its CRC), and so is any DOCTYPE, which no spreadsheet writes (no entities,
so no entity expansion, local or external).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

from fanpin_cli.core.errors import DataError
from fanpin_cli.reading.sheets.budget import MAX_PART_BYTES, MAX_RATIO, SMALL_PART

Start = Callable[[str, dict[str, str]], None]
End = Callable[[str], None]
Text = Callable[[str], None]


def local(name: str) -> str:
    """`table-cell` of `urn:…:table:1.0}table-cell` (expat's namespaced names)."""
    return name[name.rfind("}") + 1 :]


def part_size(z: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """The member `name`, refused when it unpacks to more than the budget."""
    info = z.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        size, most = f"{info.file_size:,}", f"{MAX_PART_BYTES:,}"
        raise DataError.said(("sheet.part_too_large", name, size, most))
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > SMALL_PART and ratio > MAX_RATIO:
        raise DataError.said(("sheet.part_ratio", name, f"{info.file_size:,}", str(ratio)))
    return info


def parse_part(
    z: zipfile.ZipFile, name: str, start: Start, end: End | None = None, text: Text | None = None
) -> None:
    """Feed member `name` to expat with namespaced `start`, `end` and `text` handlers."""
    from xml.parsers import expat

    info = part_size(z, name)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def doctype(*_: object) -> None:
        raise DataError.said(("sheet.doctype", name))

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """OOXML's escapes of characters XML cannot hold: `_x001B_` is ESC, `_x005F_` is `_`."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
