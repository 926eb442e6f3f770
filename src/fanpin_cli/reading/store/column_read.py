"""Reading a cache entry's records as columns (fanpin_cli.core.columns), none built as a record.

The pieces are read and checked as fanpin_cli.reading.store.read reads them (bounded, checksummed,
every value type-checked); only the columns asked for are kept, chunk after chunk, with
each row's place in the dataset, and only the chunks of one period when one is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, compress, repeat
from typing import Any

from fanpin_cli.core.columns import ColumnRequest, Columns, Runs
from fanpin_cli.core.model import DirectoryData
from fanpin_cli.reading.store.format import NAMES, PERIOD, REGION
from fanpin_cli.reading.store.read import (
    COLUMN_TYPES,
    DECLARED,
    FIX,
    LIMIT,
    Damaged,
    Reader,
    checked_runs,
    chunk_body,
    chunk_list,
    decimal_texts,
    entry_data,
    expand,
    open_entry,
)


def decode_columnar(
    fd: int,
    size: int,
    digest: str,
    still_valid: Callable[[object], bool],
    request: ColumnRequest,
) -> tuple[DirectoryData, Columns] | None:
    """As decode_file, but the records as the columns `request` names (of the chunks of its
    period, when it has one), without building a record: DirectoryData has none."""
    entry = open_entry(fd, size, digest, still_valid)
    if entry is None:
        return None
    columnar = _columnar(entry.reader, entry.base, entry.directory, request)
    return entry_data(entry), columnar


def _columnar(
    reader: Reader, base: int, directory: dict[str, Any], request: ColumnRequest
) -> Columns:
    """The columns `request` names of the chunks it wants, chunk after chunk, with each
    row's place in the dataset (every place once, over all chunks, when all are read).
    A column stored as runs in every chunk stays runs (fanpin_cli.core.columns.Columns)."""
    count, chunks = chunk_list(reader, directory)
    names = tuple(dict.fromkeys(request.columns))
    unknown = set(names) - set(NAMES)
    if unknown:
        raise ValueError(f"no such columns: {sorted(unknown)}")  # a bug, not a damaged file
    pieces: dict[str, list[list[Any] | Runs]] = {name: [] for name in names}
    is_runs: dict[str, list[bool]] = {name: [] for name in names}
    places: list[int] = []
    for groups, start, length, crc, first in chunks:
        if request.period is not None and groups[0][1] != request.period:
            continue  # a chunk holds groups of one period (cache_read.chunk_list)
        rows, columns = _chunk(reader.piece(base + start, length, crc), groups, names)
        if first:
            rows = list(map(first.__add__, rows))
        if rows and (min(rows) < 0 or max(rows) >= count):
            raise Damaged("rows")
        places += rows
        for name, (as_runs, column) in zip(names, columns, strict=True):
            pieces[name].append(column)
            is_runs[name].append(as_runs)
    if request.period is None and (len(places) != count or len(set(places)) != count):
        raise Damaged("rows")  # a record missing (or two in one place)
    lists: dict[str, list[Any]] = {}
    runs: dict[str, Runs] = {}
    raw: dict[str, list[Any]] = {}
    for name in names:
        if all(is_runs[name]) and NAMES.index(name) not in NUMBERS:
            runs[name] = list(chain.from_iterable(pieces[name]))
        else:  # figures stay as stored (decimal text) until a rule needs them as Decimal
            (raw if NAMES.index(name) in NUMBERS else lists)[name] = list(
                chain.from_iterable(
                    chain.from_iterable(repeat(v, n) for v, n in piece) if kind else piece
                    for piece, kind in zip(pieces[name], is_runs[name], strict=True)
                )
            )
    labels = {(r, p) for chunk in chunks for r, p, _ in chunk[0]}
    return Columns(lists, len(places), labels, places, runs, raw)


NUMBERS = frozenset(n for n, (_, f) in enumerate(DECLARED) if f.kind == "number")


def _chunk(
    blob: bytes, groups: list[Any], names: tuple[str, ...]
) -> tuple[list[int], list[tuple[bool, Any]]]:
    """A chunk's row positions and the columns `names`, each checked as
    cache_read._columns checks it: (True, runs) for a column stored as runs, else
    (False, its values; figures as stored, checked, until a rule needs them as Decimal)."""
    count = sum(g[2] for g in groups)
    body, rows = chunk_body(blob, count)
    if rows and {int} != set(map(type, rows)):
        raise Damaged("rows")
    columns: list[tuple[bool, Any]] = []
    for name in names:
        n = NAMES.index(name)
        if n in (REGION, PERIOD):
            columns.append((True, [(g[0 if n == REGION else 1], g[2]) for g in groups]))
            continue
        stored = body[name]
        if type(stored) is dict and "runs" in stored:
            columns.append((True, _runs(stored, count, n)))
            continue
        values = expand(stored, count, COLUMN_TYPES[n])  # joined text, steps or a list
        if n in NUMBERS:  # checked, kept as text: Decimal when a rule needs it (Columns.raw)
            _check_figures(values)
            columns.append((False, values))
        else:
            fix = FIX[n]
            columns.append((False, values if fix is None else fix(values)))
    return rows, columns


def _runs(stored: dict[str, Any], count: int, n: int) -> Runs:
    """A column stored as runs, checked (as cache_read.expand checks it) but not expanded."""
    values, counts = checked_runs(stored, count, COLUMN_TYPES[n], FIX[n])
    return list(zip(values, counts, strict=True))


def _check_figures(values: list[Any]) -> None:
    """cache_read._numbers' check, picking the texts and integers out at C speed."""
    texts = list(compress(values, map(isinstance, values, repeat(str))))
    if texts and not decimal_texts(texts):
        raise Damaged("figure")
    ints = list(compress(values, map(isinstance, values, repeat(int))))
    if ints and not (min(ints) > -LIMIT and max(ints) < LIMIT):
        raise Damaged("figure")
