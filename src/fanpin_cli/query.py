"""Select indicators by section, id, region and period, and turn them into output rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fanpin_cli.errors import UsageError
from fanpin_cli.model import Dataset, Indicator, Section
from fanpin_cli.rows import Row, indicator_row


class Selection(NamedTuple):
    """What the user asked for: section keys or ids, plus region and period filters."""

    selectors: tuple[str, ...] = ()
    region: str | None = None
    period: str | None = None


def suggest(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' suffix for an unknown name, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else ""


def resolve_region(dataset: Dataset, text: str | None) -> str | None:
    """A region code from a code or a Chinese or English name; UsageError when unknown."""
    if text is None:
        return None
    for r in dataset.regions:
        if text in (r.code, r.name_zh, r.name_en):
            return r.code
    if text.isdigit() and len(text) == 6:
        return text
    names = [r.name_zh for r in dataset.regions] + [r.code for r in dataset.regions]
    raise UsageError(f"unknown region {text!r}{suggest(text, names)}")


def select(dataset: Dataset, selection: Selection) -> list[Indicator]:
    """Indicators matching every filter, in dataset order; UsageError on unknown names."""
    section_keys = {s.key for s in dataset.sections}
    ids = {i.id for i in dataset.indicators}
    wanted_sections: set[str] = set()
    wanted_ids: set[str] = set()
    for sel in selection.selectors:
        if sel in section_keys:
            wanted_sections.add(sel)
        elif sel in ids:
            wanted_ids.add(sel)
        else:
            raise UsageError(
                f"no section or indicator {sel!r}{suggest(sel, sorted(section_keys | ids))}"
            )
    region = resolve_region(dataset, selection.region)
    out = []
    for ind in dataset.indicators:
        if (wanted_sections or wanted_ids) and not (
            ind.section in wanted_sections or ind.id in wanted_ids
        ):
            continue
        if region is not None and ind.region_code != region:
            continue
        if selection.period is not None and ind.period != selection.period:
            continue
        out.append(ind)
    return out


def get(dataset: Dataset, ids: Sequence[str], selection: Selection) -> list[Indicator]:
    """The records of each id, in the order asked; UsageError with a suggestion if unknown."""
    by_id = dataset.by_id()
    region = resolve_region(dataset, selection.region)
    out: list[Indicator] = []
    for rid in ids:
        found = by_id.get(rid)
        if not found:
            raise UsageError(f"no indicator {rid!r}{suggest(rid, by_id)}")
        for ind in found:
            if region is not None and ind.region_code != region:
                continue
            if selection.period is not None and ind.period != selection.period:
                continue
            out.append(ind)
    return out


def search(dataset: Dataset, text: str) -> list[Indicator]:
    """Indicators whose id, names, unit or quote contain `text` (case-insensitive)."""
    needle = text.casefold()
    return [
        ind
        for ind in dataset.indicators
        if needle in ind.id.casefold()
        or needle in ind.name_zh.casefold()
        or needle in ind.name_en.casefold()
        or (ind.source is not None and needle in ind.source.casefold())
    ]


def rows(dataset: Dataset, indicators: Iterable[Indicator], lang: str = "zh") -> list[Row]:
    """Output rows for indicators, with region names from the dataset's region table."""
    names = {r.code: r for r in dataset.regions}
    return [indicator_row(ind, names.get(ind.region_code), lang) for ind in indicators]


def section_rows(dataset: Dataset) -> list[Row]:
    """One row per section: key, number, titles and how many indicators it holds."""
    counts: dict[str, int] = {}
    for ind in dataset.indicators:
        counts[ind.section] = counts.get(ind.section, 0) + 1
    return [_section_row(s, counts.get(s.key, 0)) for s in dataset.sections]


def _section_row(s: Section, count: int) -> Row:
    return {
        "key": s.key,
        "number": s.number,
        "title_zh": s.title_zh,
        "title_en": s.title_en,
        "indicators": count,
    }
