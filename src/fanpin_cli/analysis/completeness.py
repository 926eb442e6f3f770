"""Completeness: how many indicators of each dataset's template are not filled in.

An indicator with no value and no note saying why is "not filled in": a template line whose
`# ` was never removed, an empty cell in a workbook. One with a note (the bundled report's
"not reported" share, a county's `无`) was answered on purpose and is not counted. A county
dataset is not asked for the indicators marked city-only.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import repeat
from operator import is_
from typing import Any

from fanpin_cli.core.columns import Columns
from fanpin_cli.core.labels import message
from fanpin_cli.core.model import Dataset, DatasetMeta, Finding

SHOWN_IDS = 5  # ids named in the message; the indicators column has them all


def _owner(metas: tuple[DatasetMeta, ...]) -> Callable[[str], DatasetMeta | None]:
    """The dataset a file was read from (the file itself, or the directory holding it)."""
    by_path = {m.path: m for m in metas}

    def owner(file: str) -> DatasetMeta | None:
        return by_path.get(file) or by_path.get(os.path.dirname(file))

    return owner


def _any_none(values: list[Any]) -> bool:
    """Whether a value is None, by identity (Decimal == None is slow: the numbers ABCs)."""
    return any(map(is_, values, repeat(None)))


def _county(meta: DatasetMeta) -> bool:
    """Whether the dataset is a county's, which is not asked for city-only indicators."""
    return meta.region_code is not None and not meta.region_code.endswith("00")


def check_completeness(
    dataset: Dataset, index: Any, count: Callable[[], None]
) -> Iterator[Finding]:
    """One warning per dataset with indicators not filled in (`--strict` makes it fail).

    `index` is the rules' (fanpin_cli.analysis.checks), whose table holds the records as columns.
    """
    columnar: Columns = index.columnar
    owner = _owner(dataset.metas)
    owners = {file: owner(file) for file in columnar.distinct("file")}
    asked: dict[str, int] = {}
    only = columnar.rows_where("city_only", bool)  # in ascending order
    start = 0
    for file, size in columnar.runs("file"):  # every record of the file, less those not asked
        meta = owners[file]
        if meta is not None:
            asked[meta.path] = asked.get(meta.path, 0) + size
            if only and _county(meta):  # city-only records of a county's file
                asked[meta.path] -= bisect_left(only, start + size) - bisect_left(only, start)
        start += size
    asked = {path: k for path, k in asked.items() if k}  # a dataset asked nothing is not counted
    values = columnar.raw("value")  # only None or not: no figure needs to be a Decimal
    unfilled = [n for n, v in enumerate(values) if v is None] if _any_none(values) else []
    missing: dict[str, list[str]] = {}
    if unfilled:
        files, notes, city_only = columnar["file"], columnar["note"], columnar["city_only"]
        id_column = columnar["id"]
        for n in columnar.in_order(n for n in unfilled if not notes[n]):
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
