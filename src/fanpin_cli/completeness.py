"""Completeness: how many indicators of each dataset's template are not filled in.

An indicator with no value and no note saying why is "not filled in": a template line whose
`# ` was never removed, an empty cell in a workbook. One with a note (the bundled report's
"not reported" share, a county's `无`) was answered on purpose and is not counted. A county
dataset is not asked for the indicators marked city-only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from fanpin_cli.labels import message
from fanpin_cli.model import Dataset, DatasetMeta, Finding, Indicator

SHOWN_IDS = 5  # ids named in the message; the indicators column has them all


def _owner(metas: tuple[DatasetMeta, ...]) -> Callable[[Indicator], DatasetMeta | None]:
    """The dataset an indicator was read from (its file, or the directory holding it)."""
    by_path = {m.path: m for m in metas}

    def owner(ind: Indicator) -> DatasetMeta | None:
        return by_path.get(ind.file) or by_path.get(os.path.dirname(ind.file))

    return owner


def asked_of(meta: DatasetMeta, ind: Indicator) -> bool:
    """Whether the dataset's region is asked for this indicator (counties: not city-only)."""
    county = meta.region_code is not None and not meta.region_code.endswith("00")
    return not (county and ind.city_only)


def check_completeness(
    dataset: Dataset, index: object, count: Callable[[], None]
) -> Iterator[Finding]:
    """One warning per dataset with indicators not filled in (`--strict` makes it fail)."""
    owner = _owner(dataset.metas)
    asked: dict[str, int] = {}
    missing: dict[str, list[str]] = {}
    for ind in dataset.indicators:
        meta = owner(ind)
        if meta is None or not asked_of(meta, ind):
            continue
        asked[meta.path] = asked.get(meta.path, 0) + 1
        if ind.value is None and not ind.note:
            missing.setdefault(meta.path, []).append(ind.id)
    for meta in dataset.metas:
        if meta.path not in asked:
            continue
        count()
        ids = missing.get(meta.path)
        if not ids:
            continue
        shown = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
        args = (str(len(ids)), str(asked[meta.path]), shown)
        yield Finding(
            rule="completeness",
            severity="warning",
            message=message("completeness.unfilled", args, "en"),
            indicators=tuple(ids),
            expected=str(asked[meta.path]),
            actual=str(asked[meta.path] - len(ids)),
            file=meta.path,
            line=0,
            code="completeness.unfilled",
            args=args,
        )
