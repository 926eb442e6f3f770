"""Completeness: how many indicators of each dataset's template are not filled in.

An indicator with no value and no note saying why is "not filled in": a template line whose
`# ` was never removed, an empty cell in a workbook. One with a note (the bundled report's
"not reported" share, a county's `无`) was answered on purpose and is not counted. A county
dataset is not asked for the indicators marked city-only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from fanpin_cli.labels import message
from fanpin_cli.model import Dataset, DatasetMeta, Finding
from fanpin_cli.table import Table

SHOWN_IDS = 5  # ids named in the message; the indicators column has them all


def _owner(metas: tuple[DatasetMeta, ...]) -> Callable[[str], DatasetMeta | None]:
    """The dataset a file was read from (the file itself, or the directory holding it)."""
    by_path = {m.path: m for m in metas}

    def owner(file: str) -> DatasetMeta | None:
        return by_path.get(file) or by_path.get(os.path.dirname(file))

    return owner


def _county(meta: DatasetMeta) -> bool:
    """Whether the dataset is a county's, which is not asked for city-only indicators."""
    return meta.region_code is not None and not meta.region_code.endswith("00")


def check_completeness(
    dataset: Dataset, index: Any, count: Callable[[], None]
) -> Iterator[Finding]:
    """One warning per dataset with indicators not filled in (`--strict` makes it fail).

    `index` is the rules' (fanpin_cli.checks), whose table holds the records as columns.
    """
    table: Table = index.table
    files, values, notes, id_column = table["file"], table["value"], table["note"], table["id"]
    city_only = table["city_only"]
    owner = _owner(dataset.metas)
    owners = {file: owner(file) for file in set(files)}
    asked: dict[str, int] = {}
    for file, meta in owners.items():  # every record of the file, less those not asked
        if meta is not None:
            asked[meta.path] = asked.get(meta.path, 0) + files.count(file)
    not_asked = {f for f, m in owners.items() if m is not None and _county(m)}
    if not_asked:
        for n, only in enumerate(city_only):
            if only and files[n] in not_asked:
                asked[owners[files[n]].path] -= 1  # type: ignore[union-attr]
    asked = {path: k for path, k in asked.items() if k}  # a dataset asked nothing is not counted
    unfilled = table.in_order(n for n, v in enumerate(values) if v is None and not notes[n])
    missing: dict[str, list[str]] = {}
    for n in unfilled:
        meta = owners[files[n]]
        if meta is None or (city_only[n] and _county(meta)):
            continue
        missing.setdefault(meta.path, []).append(id_column[n])
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
