"""Where a figure stands in a report's text: lines, sentences, clauses, headings, quoted
names, and the year a sentence puts its figures in (part of fanpin_cli.reports.figures)."""

from __future__ import annotations

import bisect
import re

SENTENCE_END = "。！？!?"
CLAUSE_END = "，,；;：:。！？!?"
QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "《": "》", "〈": "〉"}
HEADINGS = (
    (1, re.compile(r"[一二三四五六七八九十]+[、.．]")),
    (2, re.compile(r"[（(][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"[0-9０-９]{1,2}[.．、](?![0-9０-９])")),
    (4, re.compile(r"[（(][0-9０-９]{1,2}[)）]")),
    (5, re.compile(r"[一二三四五六七八九十]+是")),
)
MARKDOWN_HEADING = re.compile(r"(#{1,6})\s+")
INLINE_POINT = re.compile(r"(?:^|(?<=[。；;：:！？!?\s]))([一二三四五六七八九十]+是)")
YEAR_AT_START = re.compile(
    r"[\s　]*(?:[（(]?[一二三四五六七八九十0-9]+[)）、.．]|[一二三四五六七八九十]+是)?"
    r"[\s　]*(?:截至|截止|到|在|今年|全年)?[\s　]*((?:19|20)[0-9]{2})\s*年(?!以来|以前|前)"
)


class Layout:
    """Lines, sentences, clauses, headings, periods and quoted spans of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.headings = self._headings()
        self.quoted = self._quoted()
        self.soft = self._soft_breaks()

    def _soft_breaks(self) -> set[int]:
        """Line breaks inside a sentence: a hard-wrapped paragraph (text taken from a PDF, a
        page saved with fixed lines) goes on after a long line that ends without a stop."""
        text, soft = self.text, set()
        heading_at = {at for at, _, _ in self.headings}
        for start in self.line_starts[1:]:
            brk = start - 1
            prev_start = self.line_start(brk)
            prev = text[prev_start:brk].rstrip(" \t\u3000\u00a0\r")
            nxt = text[start : self.line_end(start)].strip(" \t\u3000\u00a0\r")
            if len(prev) < 20 or not nxt or prev[-1] in SENTENCE_END + "：:；;":
                continue
            body = len(text[prev_start:brk]) - len(text[prev_start:brk].lstrip())
            if prev_start + body in heading_at and len(prev) < 30:
                continue  # a heading of its own line
            lead = len(text[start : self.line_end(start)]) - len(
                text[start : self.line_end(start)].lstrip(" \t\u3000\u00a0")
            )
            if start + lead in heading_at or MARKDOWN_HEADING.match(nxt):
                continue
            soft.add(brk)
        return soft

    def para_start(self, offset: int) -> int:
        start = self.line_start(offset)
        while start - 1 in self.soft:
            start = self.line_start(start - 1)
        return start

    def para_end(self, offset: int) -> int:
        end = self.line_end(offset)
        while end in self.soft:
            end = self.line_end(end + 1)
        return end

    def place(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        n = bisect.bisect_right(self.line_starts, offset) - 1
        return n + 1, offset - self.line_starts[n] + 1

    def line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def sentence(self, offset: int) -> tuple[int, int]:
        """The span of the sentence around `offset`: to a full stop or the paragraph's end."""
        text, lo, hi = self.text, self.para_start(offset), self.para_end(offset)
        start = offset
        while start > lo and text[start - 1] not in SENTENCE_END:
            start -= 1
        end = offset
        while end < hi and text[end] not in SENTENCE_END:
            end += 1
        if end < hi:
            end += 1  # the full stop belongs to the sentence
        while start < end and text[start] in " \t\u3000\u00a0":
            start += 1
        return start, end

    def clause(self, offset: int) -> tuple[int, int]:
        text, lo, hi = self.text, self.para_start(offset), self.para_end(offset)
        start = offset
        while start > lo and text[start - 1] not in CLAUSE_END:
            start -= 1
        end = offset
        while end < hi and text[end] not in CLAUSE_END:
            end += 1
        return start, end

    def _headings(self) -> list[tuple[int, int, str]]:
        """(offset, level, text) of every heading, in order."""
        found: list[tuple[int, int, str]] = []
        text = self.text
        for start in self.line_starts:
            end = self.line_end(start)
            body = start
            while body < end and text[body] in " \t\u3000\u00a0":
                body += 1
            md = MARKDOWN_HEADING.match(text, body, end)
            if md:
                found.append((body, len(md.group(1)), text[md.end() : end].strip()[:60]))
                continue
            for level, pattern in HEADINGS:
                if pattern.match(text, body, end):
                    found.append((body, level, _heading_text(text, body, end)))
                    break
            for m in INLINE_POINT.finditer(text, body, end):
                if m.start(1) != body:
                    found.append((m.start(1), 5, _heading_text(text, m.start(1), end)))
        found.sort()
        return found

    def headings_at(self, offset: int) -> tuple[str, ...]:
        stack: list[tuple[int, str]] = []
        for at, level, title in self.headings:
            if at > offset:
                break
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
        return tuple(t for _, t in stack)

    def _quoted(self) -> list[tuple[int, int, str]]:
        """(start, end, opening mark) of short quoted names and titles, line by line."""
        spans: list[tuple[int, int, str]] = []
        text = self.text
        for start in self.line_starts:
            end = self.line_end(start)
            i = start
            while i < end:
                close = QUOTES.get(text[i])
                if close is not None:
                    j = text.find(close, i + 1, min(end, i + 40))
                    if j > 0:
                        spans.append((i, j + 1, text[i]))
                        i = j + 1
                        continue
                i += 1
        return spans

    def quote_at(self, offset: int) -> str | None:
        for start, end, mark in self.quoted:
            if start < offset < end:
                return mark
            if start > offset:
                break
        return None

    def period_at(self, offset: int) -> str | None:
        """A year written at the start of the sentence part (to 。 or ；) holding `offset`."""
        text, lo = self.text, self.para_start(offset)
        start = offset
        while start > lo and text[start - 1] not in "。；;！？!?：:":
            start -= 1
        m = YEAR_AT_START.match(text, start, offset)
        return m.group(1) if m else None


def _heading_text(text: str, start: int, end: int) -> str:
    stop = start
    while stop < end and text[stop] not in "。！？!?；;":
        stop += 1
    title = text[start:stop].strip()
    return title if len(title) <= 40 else title[:40] + "…"


def one_of(ch: str, chars: str) -> bool:
    """`ch` is one character of `chars` (an empty string is not: `"" in "abc"` is True)."""
    return len(ch) == 1 and ch in chars


def is_heading_number(text: str, start: int, end: int, layout: Layout) -> bool:
    """1. or （2） at the start of a line, or （3） anywhere: a list number."""
    if start > 0 and text[start - 1] in "（(" and one_of(text[end : end + 1], ")）"):
        return True
    line_start = layout.line_start(start)
    lead = text[line_start:start].strip(" \t\u3000\u00a0")
    return (
        lead in ("", "（", "(")
        and one_of(text[end : end + 1], ".．、)）")
        and not (one_of(text[end : end + 1], ".．") and text[end + 1 : end + 2].isdigit())
    )
