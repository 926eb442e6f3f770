"""Which indicator a figure of a report is: its words against each indicator's name and quotes.

A figure is matched by the words around it (its label before and its tail after, within its
clause) against an indicator's Chinese name and the words around the value in each of its
quotes, two-character pieces weighted by how rare they are among the indicators; a figure
standing in a copy of an indicator's quote (the digits aside) matches it outright. Units
must be of one dimension (户 with 万户, 人 with 名). No two figures get one id for one
period: the stronger match keeps it, the weaker tries its next indicator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fanpin_cli.model import Dataset, Indicator
from fanpin_cli.reports.figures import NUMBER, Figure

# a figure matches an indicator at this score or above; below, it is a draft
THRESHOLD = 0.34
# the words of a unit dimension's synonyms also count as one unit (人 名 位 are persons)
_DIGITS = re.compile(r"[0-9０-９][0-9０-９,.．]*")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# words too common in these reports to say which indicator a figure is
_COMMON = frozenset(
    ("全市", "全县", "全区", "全省", "今年", "共有", "实现", "完成", "开展", "其中",
     "达到", "共计", "合计", "分别", "工作", "进一步")
)  # fmt: skip


class Profile(NamedTuple):
    """What an indicator of the `--like` dataset is recognised by."""

    id: str
    section: str
    unit: str
    name_zh: str
    keys: tuple[frozenset[str], ...]  # word pieces of its name and of each quote's clause
    contexts: tuple[tuple[str, str], ...]  # each quote's text before and after its value
    record: Indicator  # its first record: the definition carried to extracted records


class Match(NamedTuple):
    """A figure's indicator (or None), how sure (0-1), how, and the words that matched."""

    id: str | None
    score: float
    how: str  # quote, words or "" (no match)
    words: tuple[str, ...]
    unit_fits: bool = True

    def describe(self) -> str:
        if self.id is None:
            return ""
        return f"{self.how} {self.score:.2f}" + (f": {' '.join(self.words)}" if self.words else "")


NO_MATCH = Match(None, 0.0, "", ())


def mask(text: str) -> str:
    return _DIGITS.sub("#", text)


def pieces(text: str) -> set[str]:
    """The two-character pieces of the Chinese words of `text`."""
    out: set[str] = set()
    for run in _CJK.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            out.add(run)
    return out - _COMMON


def value_place(quote: str, ind: Indicator) -> int | None:
    """Where the indicator's value stands in its quote (the start of its number)."""
    from fanpin_cli.rows import format_number

    if ind.value is None:
        return None
    shown = ind.written_as or format_number(ind.value)
    best = None
    for m in re.finditer(re.escape(shown), quote):
        s, e = m.start(), m.end()
        if s and (quote[s - 1].isdigit() or quote[s - 1] == "."):
            continue
        if e < len(quote) and (quote[e].isdigit() or quote[e] == "."):
            continue
        if best is None:
            best = s
        unit = ind.unit[:1]
        if quote[e : e + 1] in (unit, "大", "余", "多") or quote[e : e + 2] == ind.unit[:2]:
            return s
    return best


def profiles(dataset: Dataset) -> dict[str, Profile]:
    """The indicators of `dataset` by id, as the matcher knows them."""
    out: dict[str, Profile] = {}
    seen: dict[str, list[Indicator]] = {}
    for ind in dataset.indicators:
        seen.setdefault(ind.id, []).append(ind)
    for ind_id, records in seen.items():
        first = records[0]
        keys: list[frozenset[str]] = [frozenset(pieces(first.name_zh))]
        contexts: list[tuple[str, str]] = []
        for rec in records:
            quote = rec.source or ""
            at = value_place(quote, rec) if quote else None
            if at is None:
                if quote:
                    keys.append(frozenset(pieces(quote)))
                continue
            number = NUMBER.match(quote, at)
            end = number.end() if number else at
            lead, tail = quote[:at], quote[end:]
            contexts.append((mask(lead), mask(tail)))
            clause_lead = re.split(r"[，,；;：:。、]", lead)[-1]
            clause_tail = re.split(r"[，,；;：:。、0-9]", tail)[0]
            keys.append(frozenset(pieces(clause_lead + " " + clause_tail)))
        out[ind_id] = Profile(
            ind_id, first.section, first.unit, first.name_zh, tuple(keys), tuple(contexts), first
        )
    return out


class Matcher:
    """Scores figures of one text against the indicators of a dataset."""

    def __init__(self, dataset: Dataset, text: str) -> None:
        self.text = text
        self.profiles = profiles(dataset)
        df: dict[str, int] = {}
        for p in self.profiles.values():
            for piece in set().union(*p.keys):
                df[piece] = df.get(piece, 0) + 1
        n = max(len(self.profiles), 1)
        self.idf = {k: math.log(1 + n / v) for k, v in df.items()}
        self.titles = {s.key: pieces(s.title_zh) for s in dataset.sections}

    def weight(self, words: Iterable[str]) -> float:
        return sum(self.idf.get(w, math.log(1 + len(self.profiles))) for w in words)

    def candidates(self, figure: Figure, figures: Sequence[Figure]) -> list[Match]:
        """Every indicator the figure could be, best first (units of one dimension only)."""
        from fanpin_cli.units import comparable

        own = pieces(figure.label + " " + figure.tail)
        if len(_CJK.sub("", figure.label)) == len(figure.label) or len(figure.label) < 4:
            own |= pieces(self._previous_clause(figure))  # 落实帮扶措施…，户均近5项
        heading = pieces(" ".join(figure.headings))
        left, right = self._around(figure)
        found: list[Match] = []
        for p in self.profiles.values():
            fits = p.unit == figure.unit or comparable(p.unit, figure.unit)
            exact = self._quote_score(left, right, p)
            best, words = 0.0, frozenset[str]()
            for key in p.keys:
                if not key:
                    continue
                shared = key & own
                if not shared:
                    continue
                if _contrary(key, own):
                    continue
                recall = self.weight(shared) / self.weight(key)
                precision = self.weight(shared) / max(self.weight(own), 1e-9)
                score = 0.75 * recall + 0.25 * precision
                if score > best:
                    best, words = score, shared
            title = self.titles.get(p.section, set())
            if title and heading & title and best > 0:
                best += 0.08 * len(heading & title) / len(title)
            if exact >= 1.0:
                found.append(Match(p.id, 1.0, "quote", _words(words, figure), fits))
            elif best > 0 or exact > 0:
                score = max(best, exact * 0.9)
                how = "quote" if exact * 0.9 > best else "words"
                found.append(Match(p.id, min(score, 0.99), how, _words(words, figure), fits))
        found.sort(key=lambda m: (-m.score, m.id or ""))
        return found

    def _previous_clause(self, figure: Figure) -> str:
        """The clause before the figure's own, within its sentence."""
        s = self.text.rfind(figure.sentence, 0, figure.start + len(figure.sentence))
        if s < 0 or s > figure.start:
            return ""
        before = re.split(r"[，,；;：:]", self.text[s : figure.start])
        return before[-2] if len(before) >= 2 else ""

    def _around(self, figure: Figure) -> tuple[str, str]:
        """The figure's sentence before its number and after it, digits masked."""
        s = self.text.rfind(figure.sentence, 0, figure.start + len(figure.sentence))
        if s < 0 or s > figure.start:
            s = figure.start
        number = NUMBER.match(self.text, figure.start)
        end = number.end() if number else figure.start
        return mask(self.text[s : figure.start]), mask(self.text[end : s + len(figure.sentence)])

    @staticmethod
    def _quote_score(left: str, right: str, p: Profile) -> float:
        """1.0 when the figure stands in a copy of one of the indicator's quotes (digits
        aside); otherwise how much of the quote's surroundings it shares, from 0."""
        best = 0.0
        for lead, tail in p.contexts:
            if len(lead) + len(tail) < 4:
                continue
            if left.endswith(lead) and right.startswith(tail):
                return 1.0
            shared = len(_common_suffix(left, lead)) + len(_common_prefix(right, tail))
            best = max(best, shared / (len(lead) + len(tail)))
        return best if best >= 0.85 else 0.0


# words that tell two indicators of one thing apart: a figure that says one of them is not
# the indicator whose words say the other (累计识别… is not 新识别…)
_CONTRARY = (
    (frozenset({"新识", "新增", "新纳", "当年", "本年", "年内"}), frozenset({"累计"})),
    (frozenset({"消除", "解除"}), frozenset({"识别", "纳入"})),
)


def _contrary(key: frozenset[str], own: set[str]) -> bool:
    for one, other in _CONTRARY:
        if (key & one and own & other and not own & one) or (
            key & other and own & one and not own & other
        ):
            return True
    return False


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n :]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _words(shared: Iterable[str], figure: Figure) -> tuple[str, ...]:
    """The matched pieces joined back into the words of the figure's text they form."""
    text = figure.label + " " + figure.tail
    marks = [False] * len(text)
    for piece in shared:
        at = text.find(piece)
        while at >= 0:
            for k in range(at, at + len(piece)):
                marks[k] = True
            at = text.find(piece, at + 1)
    words: list[str] = []
    current = ""
    for ch, on in zip(text, marks, strict=True):
        if on:
            current += ch
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return tuple(dict.fromkeys(words))


def assign(
    figures: Sequence[Figure],
    choices: Sequence[list[Match]],
    periods: Sequence[str],
    *,
    allow_unit_mismatch: bool = False,
) -> list[Match]:
    """One match a figure, no id twice for one period: strongest first, the weaker figure
    taking its next indicator (or none)."""
    pairs = [
        (m.score, -i, i, m)
        for i, ms in enumerate(choices)
        for m in ms
        if m.score >= THRESHOLD and (m.unit_fits or allow_unit_mismatch)
    ]
    pairs.sort(key=lambda t: (-t[0], -t[1], t[3].id or ""))
    chosen: dict[int, Match] = {}
    taken: set[tuple[str, str]] = set()
    for _, _, i, m in pairs:
        if i in chosen or m.id is None or (m.id, periods[i]) in taken:
            continue
        if not m.unit_fits and any(c.unit_fits and c.score >= THRESHOLD for c in choices[i]):
            continue  # a unit that fits wins over one that does not
        chosen[i] = m
        taken.add((m.id, periods[i]))
    return [chosen.get(i, NO_MATCH) for i in range(len(figures))]
