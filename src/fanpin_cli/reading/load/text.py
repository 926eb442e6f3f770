"""Reading TOML files: UTF-8 text, exact decimals, and a line index built once per file."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import accumulate, count, repeat
from operator import add
from pathlib import Path
from typing import Any

from fanpin_cli.core.errors import DataError

# From this size a file in fanpin's plain layout is read without tomli (load.plain_toml); below
# it tomli takes little time and compiling the plain reader's expressions would cost more.
PLAIN_CHARS = 1 << 18


def read_text(path: Path) -> str:
    """A file's text as UTF-8 (a byte-order mark is accepted), or a DataError."""
    from fanpin_cli.files.safe_read import read_bytes

    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        said = ("load.not_utf8", f"{raw[exc.start]:02x}", str(exc.start))
        raise DataError.said(said, path=str(path), line=line) from None


def parse_toml(path: Path, text: str | None = None) -> tuple[dict[str, Any], Lines]:
    """Parse one TOML file with exact decimals; returns the document and its lines."""
    import tomli

    if text is None:
        text = read_text(path)
    if not text.strip():
        raise DataError.said(("load.empty",), path=str(path), line=1)
    if len(text) >= PLAIN_CHARS:
        from fanpin_cli.reading.load.plain_toml import plain_document

        plain = plain_document(text)
        if plain is not None:
            document, starts = plain
            return document, Lines(text, {"indicator": starts})
    try:
        return tomli.loads(text, parse_float=Decimal), Lines(text)
    except tomli.TOMLDecodeError as exc:
        msg = getattr(exc, "msg", str(exc))
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        said = ("load.syntax+load.column", msg, str(col)) if col else ("load.syntax", msg)
        raise DataError.said(said, path=str(path), line=line) from None
    except RecursionError:
        raise DataError.said(("load.nested",), path=str(path), line=1) from None
    except ValueError:  # int() refuses more than 4300 digits (CVE-2020-10735)
        m = re.search(r"[0-9][0-9_]{4299,}", text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise DataError.said(("load.digits",), path=str(path), line=line) from None


class Lines:
    """A file's text and, split once when first needed, its lines: where keys and tables are.

    Looking up a key scans only the record it belongs to, so a file with a problem in every
    record is read in time linear in its size (benchmarks/problems.py).
    """

    __slots__ = ("_lines", "_tables", "text")

    def __init__(self, text: str, tables: dict[str, list[int]] | None = None) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._tables = tables or {}  # header lines the reader found already, by table name

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def tables(self, name: str, expected: int | None = None) -> list[int]:
        """Line numbers of each `[[name]]` header, in order, to point errors at records.

        Headers written plainly at line starts are found with str.find (fast on big files);
        when that does not account for `expected` records (an indented or spaced header),
        a regular expression looks again.
        """
        known = self._tables.get(name)
        if known is not None and (expected is None or len(known) == expected):
            return list(known)
        text, header = self.text, f"[[{name}]]"
        lines: list[int] = [1] if text.startswith(header) else []
        # the text between headers, its newlines counted and summed at C speed: header k
        # (from 1) is on the line after the newlines before it, its own included
        between = text.split("\n" + header)[:-1]
        newlines = accumulate(map(str.count, between, repeat("\n")))
        lines += map(add, newlines, count(2))
        if expected is None or len(lines) == expected:
            return lines
        pattern = re.compile(r"^[ \t]*\[\[[ \t]*" + re.escape(name) + r"[ \t]*\]\]", re.MULTILINE)
        lines, pos, line = [], 0, 1
        for m in pattern.finditer(text):
            line += text.count("\n", pos, m.start())
            pos = m.start()
            lines.append(line)
        return lines

    def key(self, start_line: int, key: str) -> int:
        """The line of `key = ...` in the record that starts at `start_line` (or the start)."""
        lines = self.lines()
        for number in range(start_line, len(lines)):
            raw = lines[number].lstrip(" \t")
            if raw.startswith("[["):
                break
            if raw.startswith(key) and raw[len(key) :].lstrip(" \t").startswith("="):
                return number + 1
        return start_line

    def header(self, header: str) -> int:
        """The line of a `[header]` table, or 1."""
        pattern = r"^[ \t]*\[[ \t]*" + re.escape(header) + r"[ \t]*\]"
        m = re.search(pattern, self.text, re.MULTILINE)
        return self.text.count("\n", 0, m.start()) + 1 if m else 1
