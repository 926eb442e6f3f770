"""A report's text from a .txt/.md (UTF-8 or GB18030/GBK), .docx, .html/.mhtml or .pdf file.

Every reader returns the text as lines joined by "\\n", so that a line number means
something to the user: a text file's own lines, a .docx paragraph per line, an HTML page's
article paragraphs, a PDF's paragraphs (wrapped lines joined, each line's page kept).
Parsers are imported only by the reader of their format. Whatever cannot be read is a
DataError (exit 3) naming the file.

Choices, measured on the bundled report (2026-12-07, 2 busy cores; tests/fixtures/reports):
- encodings: strict UTF-8, then GB18030 (0.03-0.08 ms) rather than charset-normalizer
  (92 ms to import, 25 ms to detect GBK; same answer);
- .docx: zipfile + ElementTree (5 ms, the .txt's lines exactly) rather than python-docx
  (400-640 ms to import, 22-54 ms to read) or docx2python (200-350 ms, 185-200 ms, and its
  text differs);
- .html: html.parser (6 ms for a 7 kB page, 120 ms for 95 kB) rather than selectolax (0.5 and
  6 ms, but a compiled dependency for a step run once per report);
- .pdf: pypdf (250 ms to read, 450-900 ms to import) rather than pdfminer.six (570-850 ms,
  300-520 ms): the same text, without spaces, as the .txt from both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fanpin_cli.core.errors import DataError

KINDS = ("txt", "md", "docx", "html", "pdf")
_SUFFIXES = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".pdf": "pdf",
    ".mht": "mhtml", ".mhtml": "mhtml",
}  # fmt: skip
# Byte-order marks: Windows Notepad saves "Unicode" as UTF-16 with one.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Newlines as editors count them: \r\n, \r or \n (not str.splitlines' \x0c, \u2028, ...).
_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True)
class ReportText:
    """A report's text, its lines joined by "\\n"; the encoding it was decoded from (None
    for formats that declare their own, such as .docx and .pdf); which kind of file it was."""

    text: str
    encoding: str | None
    kind: str
    path: str = ""
    # a PDF's: the page (from 1) each line of `text` starts on; empty for other kinds
    pages: tuple[int, ...] = ()

    def lines(self) -> list[str]:
        return self.text.split("\n")


def read_report(path: Path) -> ReportText:
    """The text of the report at `path`, or a DataError (exit 3) saying why it cannot be read.

    The kind is the file's content where that is unmistakable (a PDF, a Word document, an
    HTML page: web sites often save one under another's name), else its suffix; a file with
    no known suffix and no known signature is read as text.
    """
    from fanpin_cli.files.safe_read import read_bytes

    name = str(path)
    raw = read_bytes(path, "file")
    kind = _sniff(raw) or _SUFFIXES.get(path.suffix.lower(), "txt")
    if kind == "doc":
        raise DataError.said(("load.word97",), path=name)
    if kind == "docx":
        from fanpin_cli.reports.read_docx import docx_text

        return ReportText(_NEWLINES.sub("\n", docx_text(raw, name)), None, "docx", name)
    if kind == "pdf":
        from fanpin_cli.reports.read_pdf import pdf_text

        text, pages = pdf_text(raw, name)
        return ReportText(text, None, "pdf", name, pages)
    if kind == "mhtml":  # a page saved as one file (Edge, IE, Chrome's "single file")
        raw = _mhtml_page(raw, name)
        kind = "html"
    text, encoding = decode_text(raw, name)
    if kind == "html":
        from fanpin_cli.reports.read_html import html_text

        return ReportText(html_text(text, name), encoding, "html", name)
    return ReportText(text, encoding, kind, name)


def _sniff(raw: bytes) -> str | None:
    """The kind a file's first bytes say it is, or None."""
    if b"%PDF-" in raw[:1024]:  # the standard lets a little come before it
        return "pdf"
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Word 97-2003 (.doc)
        return "doc"
    if raw.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in raw[:65536] else None
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith((b"<!--", b"<?xml")) and b"<html" in head  # IE's "saved from url"
    ):
        return "html"
    if head.startswith((b"from:", b"mime-version:", b"content-type:")) and (
        b"multipart/related" in head
    ):
        return "mhtml"
    return None


def _mhtml_page(raw: bytes, name: str) -> bytes:
    """The HTML part of a web archive (MIME multipart/related), its transfer encoding
    undone; its text is then decoded as any page's."""
    from email import message_from_bytes

    html = next(
        (part for part in message_from_bytes(raw).walk()
         if part.get_content_type() == "text/html"),
        None,
    )  # fmt: skip
    payload = html.get_payload(decode=True) if html is not None else None
    if not isinstance(payload, bytes) or not payload.strip():
        raise DataError.said(("load.no_article",), path=name)
    return payload


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """A text file's text with newlines made "\\n", and the encoding it was read in.

    UTF-8 is tried strictly first, then GB18030 (a superset of GBK and GB2312): a Chinese
    text in GBK essentially never decodes as UTF-8, so the order decides. A text with a NUL
    byte, or bytes neither encoding accepts, is not text: a DataError naming line and byte.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decoded(raw, name, encoding), "utf-16" if bom != _BOMS[0][0] else "utf-8"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decoded(raw, name, "gb18030"), "gb18030"
    return _checked(text, name), "utf-8"


def _decoded(raw: bytes, name: str, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        said = ("load.not_text", f"{raw[exc.start]:02x}", str(exc.start))
        raise DataError.said(said, path=name, line=line) from None
    return _checked(text, name)


def _checked(text: str, name: str) -> str:
    text = _NEWLINES.sub("\n", text)
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise DataError.said(("load.binary",), path=name, line=line)
    if not text.strip():
        raise DataError.said(("load.empty",), path=name)
    return text
