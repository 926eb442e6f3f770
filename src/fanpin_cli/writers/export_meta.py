"""The name, title and description of an export (data package, SQLite) made from every
dataset it holds: a multi-dataset export is not named after its first dataset, and one
synthetic input marks the whole export synthetic."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fanpin_cli.core.model import DatasetMeta, Indicator

SHOWN = 3  # datasets named in a title before "and N more"


class ExportInfo(NamedTuple):
    name: str  # lower-case a-z0-9._- (a Frictionless package name)
    title: str
    description: str
    synthetic: bool  # any dataset in it is synthetic
    sources: tuple[str, ...]  # each real dataset's report: title (publisher, date)


class Covered(NamedTuple):
    """The regions and periods a dataset's exported records have (its dataset.toml may say
    one period, the report's, while its records go back years)."""

    regions: frozenset[str]
    periods: frozenset[str]


def _span(values: Iterable[str], dash: str = "-") -> str:
    """The first and last of `values` joined by `dash` ('2020-2024-06' in a package name,
    '2020–2024-06' in text), the one value, or ''."""
    found = sorted(set(values))
    if not found:
        return ""
    return found[0] if len(found) == 1 else f"{found[0]}{dash}{found[-1]}"


def _one(meta: DatasetMeta, covered: Covered | None) -> str:
    title = meta.title_en or meta.title_zh or meta.path or "dataset"
    if covered is not None:
        where = [*sorted(covered.regions), _span(covered.periods, "–")]
    else:
        where = [meta.region_code or "", meta.period or ""]
    shown = ", ".join(x for x in where if x)
    if shown:
        title = f"{title} [{shown}]"
    marked = meta.synthetic and "SYNTHETIC" not in title.upper()
    return title + (" (SYNTHETIC)" if marked else "")


def coverage(metas: Sequence[DatasetMeta], records: Iterable[Indicator]) -> dict[int, Covered]:
    """For each dataset (by its place in `metas`), the regions and periods of its records
    among `records` (a record belongs to the dataset whose folder, or file, holds it)."""
    where = {m.path: n for n, m in enumerate(metas) if m.path}
    regions: dict[int, set[str]] = {}
    periods: dict[int, set[str]] = {}
    for r in records:
        n = where.get(os.path.dirname(r.file), where.get(r.file))
        if n is None:
            continue
        regions.setdefault(n, set()).add(r.region_code)
        periods.setdefault(n, set()).add(r.period)
    return {n: Covered(frozenset(regions[n]), frozenset(periods[n])) for n in regions}


def describe(metas: Sequence[DatasetMeta], records: Sequence[Indicator] = ()) -> ExportInfo:
    """What an export of these datasets is called and says about itself; with the exported
    `records`, the regions and periods it names are theirs, and only the datasets that
    have records in it are named."""
    covered = coverage(metas, records)
    if covered:
        metas = [m for n, m in enumerate(metas) if n in covered]
        covered = {n: c for n, c in enumerate(covered[k] for k in sorted(covered))}
    synthetic = any(m.synthetic for m in metas)
    sources = tuple(
        f"{m.title_zh} ({m.publisher_zh}, {m.published})"
        for m in metas
        if m.publisher_en and not m.synthetic
    )
    if records:
        codes = sorted({r.region_code for r in records})
        periods = {r.period for r in records}
    else:
        codes = sorted({m.region_code for m in metas if m.region_code})
        periods = {m.period for m in metas if m.period}
    regions = "-".join(codes) if len(codes) <= SHOWN else f"{len(codes)}-regions"
    raw = f"fanpin-{regions}-{_span(periods)}" if metas else "fanpin"
    if len(metas) <= 1:
        meta = metas[0] if metas else DatasetMeta()
        title = meta.title_en or "fanpin indicators"
        description = meta.notes or title
        if records:
            description += f" Records of {_span(periods, '–')} for {', '.join(codes)}."
    else:
        named = [_one(m, covered.get(n)) for n, m in enumerate(metas)]
        more = len(named) - SHOWN
        title = f"fanpin export of {len(metas)} datasets: " + "; ".join(named[:SHOWN])
        if more > 0:
            title += f"; and {more} more"
        description = f"{len(metas)} datasets in one export"
        if records:
            description += f", records of {_span(periods, '–')} for {len(codes)} regions"
        description += ": " + "; ".join(named) + "."
        fake = sum(m.synthetic for m in metas)
        if fake:
            description += (
                f" {fake} of them are SYNTHETIC (invented figures for tests, not real data);"
                " their rows carry no real values and may have no quotes."
            )
    name = re.sub(r"[^a-z0-9._-]+", "-", raw.lower()).strip("-") or "fanpin"
    if synthetic and "synthetic" not in name:
        name = f"{name}-synthetic"
    if synthetic and not title.upper().startswith("SYNTHETIC"):
        title = f"SYNTHETIC: {title}"
    return ExportInfo(name, title, description, synthetic, sources)
