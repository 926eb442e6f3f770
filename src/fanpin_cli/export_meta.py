"""The name, title and description of an export (data package, SQLite) made from every
dataset it holds: a multi-dataset export is not named after its first dataset, and one
synthetic input marks the whole export synthetic."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from fanpin_cli.model import DatasetMeta

SHOWN = 3  # datasets named in a title before "and N more"


class ExportInfo(NamedTuple):
    name: str  # lower-case a-z0-9._- (a Frictionless package name)
    title: str
    description: str
    synthetic: bool  # any dataset in it is synthetic
    sources: tuple[str, ...]  # each real dataset's report: title (publisher, date)


def _span(values: Sequence[str]) -> str:
    found = sorted(set(values))
    if not found:
        return ""
    return found[0] if len(found) == 1 else f"{found[0]}-{found[-1]}"


def _one(meta: DatasetMeta) -> str:
    title = meta.title_en or meta.title_zh or meta.path or "dataset"
    where = ", ".join(x for x in (meta.region_code, meta.period) if x)
    if where and (meta.region_code or "") not in title:
        title = f"{title} [{where}]"
    marked = meta.synthetic and "SYNTHETIC" not in title.upper()
    return title + (" (SYNTHETIC)" if marked else "")


def describe(metas: Sequence[DatasetMeta]) -> ExportInfo:
    """What an export of these datasets is called and says about itself."""
    synthetic = any(m.synthetic for m in metas)
    sources = tuple(
        f"{m.title_zh} ({m.publisher_zh}, {m.published})"
        for m in metas
        if m.publisher_en and not m.synthetic
    )
    if len(metas) <= 1:
        meta = metas[0] if metas else DatasetMeta()
        title = meta.title_en or "fanpin indicators"
        raw = f"fanpin-{meta.region_code or ''}-{meta.period or ''}" if metas else "fanpin"
        description = meta.notes or title
    else:
        codes = sorted({m.region_code for m in metas if m.region_code})
        regions = "-".join(codes) if len(codes) <= SHOWN else f"{len(codes)}-regions"
        raw = f"fanpin-{regions}-{_span([m.period for m in metas if m.period])}"
        named = [_one(m) for m in metas]
        more = len(named) - SHOWN
        title = f"fanpin export of {len(metas)} datasets: " + "; ".join(named[:SHOWN])
        if more > 0:
            title += f"; and {more} more"
        description = f"{len(metas)} datasets in one export: " + "; ".join(named) + "."
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
