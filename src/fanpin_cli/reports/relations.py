"""How the figures of a sentence relate: the words that name each, figures written together
(1294户4538人), 分别 lists, and the total a breakdown (其中, parentheses) stands under."""

from __future__ import annotations

import re

from fanpin_cli.reports.layout import Layout
from fanpin_cli.reports.records import Figure

PUNCT = " \t\u3000\u00a0，,；;：:。！？!?、“”\"‘’'（）()《》【】[]「」『』·—-…"


def relate(text: str, layout: Layout, figures: list[Figure]) -> list[Figure]:
    """Labels, tails, compound groups, breakdown parents and 分别 items of each figure."""
    out: list[Figure] = []
    group = 0
    for i, f in enumerate(figures):
        prev = figures[i - 1] if i else None
        c_start, c_end = layout.clause(f.start)
        together = prev is not None and text[prev.end : f.start].strip(" \u3000") == ""
        if not together:
            group += 1
        left = max(c_start, prev.end) if prev is not None else c_start
        nxt = figures[i + 1].start if i + 1 < len(figures) else len(text)
        label = _clean(text[left : f.start])
        if together and out:
            label = out[-1].label
        # 、 starts the next item, a parenthesis the figures under this one
        tail = _clean(re.split(r"[、（(]", text[f.end : min(c_end, nxt)])[0])
        out.append(f._replace(label=label, tail=tail, group=group))
    for i in range(len(out) - 2, -1, -1):  # 5818户21513人落实了低保: the group's words after it
        if out[i].group == out[i + 1].group and not out[i].tail:
            out[i] = out[i]._replace(tail=out[i + 1].tail)
    _respectively(text, layout, out)
    _parents(text, layout, out)
    return out


def _clean(words: str) -> str:
    return words.strip(PUNCT)


def _respectively(text: str, layout: Layout, figures: list[Figure]) -> None:
    """分别为 5580元、7260元: each figure is named by the item listed before 分别."""
    i = 0
    while i < len(figures):
        f = figures[i]
        c_start, _ = layout.clause(f.start)
        at = text.rfind("分别", c_start, f.start)
        if at < 0:
            i += 1
            continue
        run = [j for j in range(i, len(figures)) if layout.clause(figures[j].start)[0] == c_start]
        items = [w for w in re.split(r"[、和及与,，]", text[c_start:at]) if w.strip()]
        if len(items) == len(run):
            for k, j in enumerate(run):
                figures[j] = figures[j]._replace(label=_clean(items[k]) + " " + figures[j].label)
        i = run[-1] + 1 if run else i + 1


def _parents(text: str, layout: Layout, figures: list[Figure]) -> None:
    """其中… and parenthesised figures under the total written before them: of the totals in
    the same unit, the one whose words the part shares (新识别… under 新识别…), else the
    nearest. A sentence that begins with 其中 breaks down the sentence before it."""
    from fanpin_cli.core.units import comparable

    def same_kind(a: Figure, b: Figure) -> bool:
        return a.unit == b.unit or comparable(a.unit, b.unit)

    for i, f in enumerate(figures):
        s_start, _ = layout.sentence(f.start)
        scope = s_start
        among = text.rfind("其中", scope, f.start)
        opened = max(text.rfind("（", scope, f.start), text.rfind("(", scope, f.start))
        closed = max(text.rfind("）", scope, f.start), text.rfind(")", scope, f.start))
        if among >= 0 and closed > among:
            among = -1  # (其中…) closed before this figure
        cut = max(among, opened if opened > closed else -1)
        if cut < 0:
            continue
        if among >= 0 and text[s_start:among].strip(" \u3000") == "" and s_start > 0:
            scope = layout.sentence(max(s_start - 1, 0))[0]  # 其中 opens the sentence
        totals = [j for j in range(i - 1, -1, -1)
                  if scope <= figures[j].start < cut and same_kind(figures[j], f)
                  and figures[j].parent is None]  # fmt: skip
        if not totals:
            continue
        if cut != among:  # a parenthesis: the total written just before it
            figures[i] = f._replace(parent=totals[0])
            continue
        words = _pairs(f.label + f.tail)
        best = max(totals, key=lambda j: (len(words & _pairs(figures[j].label + figures[j].tail)),
                                          -abs(i - j)))  # fmt: skip
        figures[i] = f._replace(parent=best)


def _pairs(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)} - {"其中"}
