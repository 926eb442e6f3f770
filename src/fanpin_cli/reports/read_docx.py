"""The text of a Word .docx file, read with the standard library (zipfile and ElementTree).

One line per paragraph, in document order; a table row is one line, its cells joined by a
tab; a line break inside a paragraph starts a new line; the paragraphs of a text box follow
the paragraph that holds it. Deleted revisions, field codes and Word's fallback copies of
drawings are not text. (python-docx and docx2python were measured and not needed: see
fanpin_cli.reports.read.)
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from xml.etree import ElementTree as ET

from fanpin_cli.core.errors import DataError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
# What zipfile and ElementTree raise on a broken or hostile file (a missing part is KeyError,
# bad compressed data zlib.error or EOFError, an encrypted entry RuntimeError or
# NotImplementedError for an unknown compression)
_BROKEN = (zipfile.BadZipFile, zlib.error, struct.error, EOFError, KeyError, ET.ParseError,
           ValueError, RecursionError, RuntimeError, NotImplementedError, OSError)  # fmt: skip
# The decompressed document part is read up to this size: a zip bomb stops here.
MAX_XML_BYTES = 256 * 1024 * 1024


def docx_text(raw: bytes, name: str) -> str:
    """The text of the .docx whose bytes are `raw`, or a DataError naming file `name`."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            root = ET.fromstring(_part(zf, _main_part(zf)))
        lines: list[str] = []
        body = root.find(f"{_W}body")
        if body is None:
            raise ValueError("no document body")
        _blocks(body, lines)
    except _BROKEN as exc:
        raise DataError.said(("load.bad_docx", _why(exc)), path=name) from None
    text = "\n".join(lines)
    if not text.strip():
        raise DataError.said(("load.empty",), path=name)
    return text


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _main_part(zf: zipfile.ZipFile) -> str:
    """The name of the main document part, as the package's relationships say."""
    try:
        rels = ET.fromstring(_part(zf, "_rels/.rels"))
    except KeyError:
        return "word/document.xml"
    for rel in rels.iter(_RELS):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("Target"):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return "word/document.xml"


def _part(zf: zipfile.ZipFile, part: str) -> bytes:
    with zf.open(part) as f:
        data = f.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ValueError(f"{part} is over {MAX_XML_BYTES >> 20} MiB uncompressed")
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise ValueError(f"{part} declares a DTD, which no Word document does")
    return data


def _blocks(container: ET.Element, lines: list[str]) -> None:
    """Append the lines of the paragraphs and tables in `container` (a body, cell, box)."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            boxes: list[ET.Element] = []
            lines.extend(_paragraph(child, boxes).split("\n"))
            for box in boxes:
                _blocks(box, lines)
        elif tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = []
                for cell in row.findall(f"{_W}tc"):
                    inner: list[str] = []
                    _blocks(cell, inner)
                    cells.append(" ".join(s.strip() for s in inner if s.strip()))
                lines.append("\t".join(cells))
        elif tag != _MC_FALLBACK:  # w:sdt, w:sdtContent, w:customXml, ... hold blocks too
            _blocks(child, lines)


def _paragraph(p: ET.Element, boxes: list[ET.Element]) -> str:
    out: list[str] = []
    _runs(p, out, boxes)
    return "".join(out)


def _runs(el: ET.Element, out: list[str], boxes: list[ET.Element]) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag == f"{_W}br" or tag == f"{_W}cr":
            if child.get(f"{_W}type") not in ("page", "column"):
                out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag != _MC_FALLBACK and tag != f"{_W}tbl":
            _runs(child, out, boxes)
