"""What the recogniser finds: a figure with its place, and a number set aside with its rule."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple


class Figure(NamedTuple):
    """One figure of a report: an exact value in the unit written after it, and its place."""

    value: int | Decimal  # exactly as written: 3.1800 keeps its four decimals
    unit: str  # as written, 万/亿 included: 万户, 亿元, 个百分点, %
    written: str  # the figure as it stands in the text: 1.6741万户, 五大, 300余人
    written_as: str | None  # the number as written when it is not plain ASCII digits
    qualifier: str | None  # > >= < <= ≈ (余/多/超, 以上/不低于, 不足/以下, 近/约)
    target: bool  # a requirement (不低于, 确保…以上), not a result
    line: int  # 1-based
    column: int  # 1-based, in characters, where the number starts
    start: int  # offsets of the number in the text
    end: int  # after its unit and any qualifier after it
    sentence: str  # the whole sentence it stands in (a quote for the source field)
    headings: tuple[str, ...]  # the headings it stands under, outermost first
    label: str  # the words that name it: the text before it in its clause
    tail: str  # the words after it, to the end of its clause or the next figure
    group: int  # figures written together (1294户4538人) share a group number
    parent: int | None  # the index of the total it is a breakdown of (其中, parentheses)
    period: str | None  # a year the sentence puts it in (2021年…), else None

    @property
    def heading(self) -> str:
        return self.headings[-1] if self.headings else ""


class Excluded(NamedTuple):
    """A number that is not a figure, and the rule (a key of RULES) that says so."""

    rule: str
    text: str
    line: int
    column: int
    sentence: str


class Recognised(NamedTuple):
    figures: tuple[Figure, ...]
    excluded: tuple[Excluded, ...]
