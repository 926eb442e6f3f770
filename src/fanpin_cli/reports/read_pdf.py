"""The text layer of a PDF report, read with pypdf (imported here only).

A PDF has no paragraphs, only lines placed on pages; a report's sentences wrap from one line
to the next. So that a sentence (and a number: `12` at a line's end, `85人` on the next) is
whole, a line that runs to the right margin and does not end a sentence is joined with the
next one, unless that one is indented; a page number alone at the top or foot of a page is
left out. Each line of the text is then a paragraph, and `pdf_text` says on which page each
one starts.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings

from fanpin_cli.core.errors import DataError

# A line at least this share of the widest line's width runs to the margin.
FULL_LINE = 0.85
_SENTENCE_END = tuple("。！？!?")
# `3`, `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 9 页`, `3/9`: a page number, not a figure
_PAGE_NUMBER = re.compile(
    r"[\s\-—–－]*(?:第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[\s\-—–－]*"
)


def pdf_text(raw: bytes, name: str) -> tuple[str, tuple[int, ...]]:
    """The text of the PDF whose bytes are `raw`, and the page (from 1) each line starts on;
    a DataError naming file `name` when it cannot be read or has no text at all (a scan)."""
    pages = _page_lines(raw, name)
    if not any(line.strip() for page in pages for line in page):
        raise DataError.said(("load.no_text_layer",), path=name)
    return _paragraphs(pages)


def _page_lines(raw: bytes, name: str) -> list[list[str]]:
    import pypdf

    # pypdf reports what it repairs through logging and warnings: not the user's business
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(raw))
            # copy protection: encrypted, but with an empty password for reading
            if reader.is_encrypted and not reader.decrypt(""):
                raise DataError.said(("load.pdf_password",), path=name)
            return [_lines(page.extract_text()) for page in reader.pages]
    except DataError:
        raise
    except pypdf.errors.DependencyError:  # AES needs the cryptography package
        raise DataError.said(("load.pdf_aes",), path=name) from None
    except RecursionError:
        raise DataError.said(("load.bad_pdf", "nested too deeply"), path=name) from None
    except Exception as exc:  # a broken PDF raises almost anything inside pypdf
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError.said(("load.bad_pdf", why), path=name) from None


def _lines(text: str) -> list[str]:
    lines = re.sub(r"\r\n?", "\n", text).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    for end in (-1, 0):  # a page number at the foot, or the top
        if lines and _PAGE_NUMBER.fullmatch(lines[end]):
            lines.pop(end)
    return lines


def _width(line: str) -> int:
    """How wide a line prints: a Chinese character is two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line.rstrip())


def _paragraphs(pages: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    widest = max((_width(line) for page in pages for line in page), default=0)
    out: list[str] = []
    starts: list[int] = []
    joining = False  # the last line ran to the margin mid-sentence
    for number, page in enumerate(pages, 1):
        for line in page:
            if joining and line[:1].strip() and out:
                out[-1] = _joined(out[-1], line)
            else:
                out.append(line)
                starts.append(number)
            stripped = line.rstrip()
            joining = (
                bool(stripped)
                and not stripped.endswith(_SENTENCE_END)
                and (_width(line) >= FULL_LINE * widest)
            )
    return "\n".join(out), tuple(starts)


def _joined(left: str, right: str) -> str:
    """Two pieces of one wrapped line: with a space only between two Latin letters."""
    left = left.rstrip()
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return left + " " + right
    return left + right
