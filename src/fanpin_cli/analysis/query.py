"""Select indicators by section, id, region and period; search them; resolve region names."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import attrgetter, eq
from typing import NamedTuple

from fanpin_cli.analysis.filters import (
    check,
    nothing_matched,
    region_code,
    suggest,
    suggest_national,
)
from fanpin_cli.core.errors import NothingMatched, UsageError
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.reading.load import Where


class Selection(NamedTuple):
    """What the user asked for: section keys or ids, plus region and period filters."""

    selectors: tuple[str, ...] = ()
    region: str | None = None
    period: str | None = None


def resolve_region(dataset: Dataset, text: str) -> str:
    """A region code from a code or a Chinese or English name; UsageError when unknown."""
    code = region_code(dataset, text, in_data=False)
    if code is not None:
        return code
    names = [r.name_zh for r in dataset.regions] + [r.code for r in dataset.regions]
    raise UsageError.said(("usage.region", text), suggest(text, names) or suggest_national(text))


def select(dataset: Dataset, selection: Selection) -> list[Indicator]:
    """Indicators matching every filter, in dataset order; UsageError on unknown names."""
    section_keys = {s.key for s in dataset.sections}
    ids: set[str] | None = None  # only when a selector is not a section
    wanted_sections: set[str] = set()
    wanted_ids: set[str] = set()
    for sel in selection.selectors:
        if sel in section_keys:
            wanted_sections.add(sel)
            continue
        if ids is None:
            ids = {i.id for i in dataset.indicators}
        if sel in ids:
            wanted_ids.add(sel)
        else:
            raise UsageError.said(("usage.selector", sel), suggest(sel, sorted(section_keys | ids)))
    filters = check(dataset, selection.region, selection.period)
    out: Sequence[Indicator] = dataset.indicators
    if wanted_sections or wanted_ids:
        out = [i for i in out if i.section in wanted_sections or i.id in wanted_ids]
    for field, value in (("region_code", filters.region_code), ("period", filters.period)):
        if value is not None:  # compared without a loop in Python: a million records at scale
            out = tuple(compress(out, map(eq, map(attrgetter(field), out), repeat(value))))
    if not out and (selection.selectors or filters != Where()):
        raise nothing_matched(filters, selection.selectors)
    return list(out)


def get(
    dataset: Dataset, ids: Sequence[str], selection: Selection, *, allow_missing: bool = False
) -> list[list[Indicator]]:
    """For each id asked, in order, its records that pass the filters (the `get` contract).

    An id the dataset does not have is a UsageError with a suggestion. An id with no record
    under the filters is NothingMatched naming every such id, unless `allow_missing` (then
    its list is empty and `fanpin get` prints an empty line for it).
    """
    by_id = dataset.by_id()
    filters = check(dataset, selection.region, selection.period)
    out: list[list[Indicator]] = []
    for rid in ids:
        found = by_id.get(rid)
        if not found:
            raise UsageError.said(("usage.indicator", rid), suggest(rid, by_id))
        out.append(sorted((i for i in found if filters.keep(i)), key=_record_order))
    missing = [rid for rid, records in zip(ids, out, strict=True) if not records]
    if missing and not allow_missing:
        raise NothingMatched.said(
            ("match.no_record_of_for", ", ".join(missing), filters.describe())
            if filters != Where()
            else ("match.no_record_of", ", ".join(missing))
        )
    return out


def get_values(
    dataset: Dataset, ids: Sequence[str], selection: Selection, *, allow_missing: bool = False
) -> str:
    """`fanpin get`: `get`'s records as bare values, one a line (an id without records: an
    empty line); a bound or approximation keeps its qualifier (>3300): a script must not
    take it as exact."""
    from fanpin_cli.core.decimals import cell_text

    found = get(dataset, ids, selection, allow_missing=allow_missing)
    return "".join(
        "".join((i.qualifier or "") + cell_text(i.value) + "\n" for i in r) or "\n" for r in found
    )


def _record_order(ind: Indicator) -> tuple[str, str]:
    return (ind.period, ind.region_code)


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
