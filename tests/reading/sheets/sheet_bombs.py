"""Hostile spreadsheets built in a few milliseconds and a few KB: zips written by hand.

A part that unpacks to gigabytes is made by compressing one block once and repeating its
compressed bytes (each block ends in a full flush, which byte-aligns the stream and resets
the dictionary, so every repeat compresses to the same bytes); its CRC-32 is combined from
the block's with zlib's own algorithm, so the archive is valid and a reader that unpacks it
really meets gigabytes. Nothing here is data: every figure is SYNTHETIC.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class Part:
    """One member: raw-deflate bytes, the CRC-32 and the size of what they unpack to."""

    name: str
    data: bytes
    crc: int
    size: int


def plain(name: str, text: str | bytes) -> Part:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Part(name, c.compress(raw) + c.flush(), zlib.crc32(raw), len(raw))


def repeated(name: str, head: bytes, block: bytes, times: int, tail: bytes) -> Part:
    """`head + block * times + tail`, compressed without ever being built."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    crc = crc32_combine(crc, _crc_times(zlib.crc32(block), len(block), times), len(block) * times)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
    return Part(name, first + again * times + last, crc, len(head) + len(block) * times + len(tail))


def zip_of(parts: list[Part]) -> bytes:
    """A zip archive (deflated members, no zip64: every size is below 4 GiB)."""
    out = bytearray()
    central = bytearray()
    for p in parts:
        name = p.name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, p.crc,
                           len(p.data), p.size, len(name), 0) + name + p.data  # fmt: skip
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21,
                               p.crc, len(p.data), p.size, len(name), 0, 0, 0, 0, 0,
                               offset) + name  # fmt: skip
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central),
                       start, 0)  # fmt: skip
    return bytes(out)


def xlsx(
    sheet: Part | str,
    shared: Part | str | None = None,
    sheet_name: str = "指标",
    number_formats: dict[int, str] | None = None,
) -> bytes:
    """A minimal workbook: one sheet (`sheet` is its part or its XML), shared strings, and
    cell styles `s="1"`, `s="2"`, … showing `number_formats` (numFmtId -> code) in order."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    if shared is not None:
        types += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    types += "</Types>"
    root = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
    book = (f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="{sheet_name}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
    rels = (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{RELS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
    )
    if shared is not None:
        rels += f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    if number_formats is not None:
        rels += f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>'
    rels += "</Relationships>"
    parts = [plain("[Content_Types].xml", types), plain("_rels/.rels", root),
             plain("xl/workbook.xml", book), plain("xl/_rels/workbook.xml.rels", rels)]  # fmt: skip
    name = "xl/worksheets/sheet1.xml"
    parts.append(plain(name, sheet) if isinstance(sheet, str) else sheet)
    if shared is not None:
        name = "xl/sharedStrings.xml"
        parts.append(plain(name, shared) if isinstance(shared, str) else shared)
    if number_formats is not None:
        codes = "".join(f'<numFmt numFmtId="{n}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
                        for n, code in number_formats.items())  # fmt: skip
        xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{n}"/>' for n in number_formats)
        styles = (f'<styleSheet xmlns="{MAIN}"><numFmts>{codes}</numFmts>'
                  f"<cellXfs>{xfs}</cellXfs></styleSheet>")  # fmt: skip
        parts.append(plain("xl/styles.xml", styles))
    return zip_of(parts)


def sheet_xml(rows: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>'


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_HEAD = f"<office:document-content {ODS_NS}><office:body><office:spreadsheet>"
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def ods(content: Part | str) -> bytes:
    """A minimal OpenDocument spreadsheet around `content` (content.xml or its part)."""
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    return zip_of([
        plain("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        plain("META-INF/manifest.xml", manifest),
        plain("content.xml", content) if isinstance(content, str) else content,
    ])  # fmt: skip


def ods_table(rows: str, name: str = "指标") -> str:
    return f'{ODS_HEAD}<table:table table:name="{name}">{rows}</table:table>{ODS_TAIL}'


# --- CRC-32 of concatenations (zlib's crc32_combine, in GF(2)) --------------------------


def _times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _square(mat: list[int]) -> list[int]:
    return [_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B from A's, B's and B's length."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _square(odd)
    odd = _square(even)
    while True:
        even = _square(odd)
        if len2 & 1:
            crc1 = _times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _square(even)
        if len2 & 1:
            crc1 = _times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc_times(crc: int, length: int, times: int) -> int:
    """The CRC-32 of a block repeated `times` times, by doubling."""
    result, have = 0, False
    while times:
        if times & 1:
            result = crc32_combine(result, crc, length) if have else crc
            have = True
        times >>= 1
        if times:
            crc = crc32_combine(crc, crc, length)
            length *= 2
    return result if have else 0


# --- the export layout (`fanpin export --xlsx` / `--csv`): one record, its value cell given


HEADER = ["id", "section", "name_zh", "name_en", "value", "unit", "period", "region_code"]
RECORD = ["monitoring.total_households", "monitoring", "监测户数", "Monitored households", "",
          "户", "2023", "620121"]  # fmt: skip
VALUE_COLUMN = HEADER.index("value")


def _xlsx_text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def export_xlsx(cells: dict[str, str], number_formats: dict[int, str] | None = None) -> bytes:
    """An export workbook of RECORD, each cell of `cells` (`E2` -> its `<c>` XML) replaced."""
    rows = []
    for r, values in enumerate((HEADER, RECORD), start=1):
        xml = ""
        for c, text in enumerate(values):
            ref = f"{chr(65 + c)}{r}"
            xml += cells.get(ref) or (_xlsx_text(ref, text) if text else "")
        rows.append(f'<row r="{r}">{xml}</row>')
    return xlsx(sheet_xml("".join(rows)), number_formats=number_formats)


def _ods_text(text: str) -> str:
    if not text:
        return "<table:table-cell/>"
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    return cell.format(escape(text))


def export_ods(cells: dict[str, str], rows_xml: str | None = None) -> bytes:
    """An export spreadsheet of RECORD, each cell of `cells` (`E2` -> its XML) replaced."""
    rows = []
    for r, values in enumerate((HEADER, RECORD), start=1):
        xml = ""
        for c, text in enumerate(values):
            xml += cells.get(f"{chr(65 + c)}{r}") or _ods_text(text)
        rows.append(f"<table:table-row>{xml}</table:table-row>")
    return ods(ods_table(rows_xml if rows_xml is not None else "".join(rows)))


def export_csv(value: str) -> bytes:
    import csv
    import io

    out = io.StringIO()
    record = list(RECORD)
    record[VALUE_COLUMN] = value
    csv.writer(out, lineterminator="\n").writerows([HEADER, record])
    return out.getvalue().encode("utf-8")
