"""The cache file's format: a header, a directory and chunks, each length-checked and
checksummed, holding JSON (fanpin_cli.reading.store.cache says when it is read and written).

    fanpin-cache 7\n                 magic line (the format's number)
    LLLLLLLLLLLLLLLLCCCCCCCC\n        directory length (16 hex digits) and CRC-32 (8)
    {directory}                      JSON: key, dependencies, count, small, chunks
    {small}{chunk}{chunk}...         JSON pieces at offsets the directory gives

`small` holds the dataset's metadata, sections, targets, regions, source text and
problems, each record by field name (fanpin_cli.core.schema). Each chunk holds the records of
whole (region, period) groups of one period, one group after the other, CHUNK_RECORDS or
so in all (the directory lists its groups: [[region, period, count], ...]), as columns by
field name (a column of a few runs of one value as {"runs": [[value, count], ...]}, a
column of text as {"text": ...}, its values joined by SEPARATOR), with each record's
position in the dataset ("rows"). A chunk a group would make a few records into small
pieces whose decoding costs more than their records (9,300 chunks of 11 records for
100,000 realistic records in section files).

This module writes it (and parses its JSON pieces, `loads`); fanpin_cli.reading.store.read reads
it, and cannot crash on any bytes.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from itertools import groupby
from operator import itemgetter, sub
from typing import Any

from fanpin_cli.core.model import DirectoryData
from fanpin_cli.core.schema import Indicator, fields

FORMAT = 9  # 2: Indicator.direction; 3: fields by name; 4: written_as, equivalent_unit,
# Target.kind and per; 5: JSON chunks, stat key; 6: text columns joined; 7: problems stored
# with the codes of the spreadsheet and usage messages (an entry of 6 would keep English);
# 8: Target.valid_from; 9: chunks of several (region, period) groups
CHUNK_RECORDS = 2_000  # a chunk is closed once it holds this many records (or a new period)
SEPARATOR = "\x7f"  # between the values of a text column (JSON writes it as it is)
MAGIC = b"fanpin-cache %d\n" % FORMAT
HEAD = len(MAGIC) + 25  # 16 hex digits of directory length, 8 of its CRC-32, a newline

NAMES = Indicator._fields
REGION, PERIOD = NAMES.index("region_code"), NAMES.index("period")
NUMBERS = tuple(n for n, (_, f) in enumerate(fields(Indicator)) if f.kind == "number")


def _plain_value(value: object) -> object:
    """A field value as JSON holds it: Decimals as text, nested records and maps as dicts."""
    if type(value) is Decimal:
        return format(value, "f")
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return _fields_of(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _fields_of(record: Any) -> dict[str, object]:
    return {name: _plain_value(v) for name, v in zip(record._fields, record, strict=True)}


def _json(obj: object) -> bytes:
    import json  # only to write: a warm run reads with fanpin_cli.reading.store.read.loads

    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@cache
def _decoder() -> Any:
    import json  # only where a cache entry is read (~2 ms of imports)

    def refuse(name: str) -> Any:
        raise ValueError(f"JSON constant {name}")

    return json.JSONDecoder(parse_constant=refuse)


def loads(blob: bytes) -> Any:
    """A piece as `_json` wrote it (UTF-8, one value and nothing around it, no NaN) or
    ValueError: lists, dicts, strings and numbers (fanpin_cli.reading.store.read checks them)."""
    text = blob.decode("utf-8")
    value, end = _decoder().raw_decode(text)
    if end != len(text):
        raise ValueError("not one JSON value")
    return value


Groups = list[list[Any]]  # a chunk's [[region, period, records], ...], in its order
Chunks = list[tuple[Groups, int, bytes]]  # (groups, records, JSON columns)


def chunks_of(indicators: Sequence[Indicator]) -> Chunks:
    """The records' chunks as the cache stores them, their positions counted from 0.

    The worker processes that parse a big dataset call chunks_of_columns for their own
    file, in parallel; the cache then only adds each file's first position (`write`'s
    `parts`).
    """
    return chunks_of_columns(list(zip(*indicators, strict=True))) if indicators else []


def chunks_of_columns(columns: Sequence[Sequence[Any]]) -> Chunks:
    """chunks_of for records given as columns (one per Indicator field, in field order)."""
    return list(_chunks(columns))


def _chunks(by_field: Sequence[Sequence[Any]]) -> Iterator[tuple[Groups, int, bytes]]:
    """(groups, count, JSON columns) of each chunk, with each row's position.

    The rows of each region and period are found in one pass (each group keeps the
    dataset's order); the groups, in (period, region) order, are gathered into chunks of one
    period and about CHUNK_RECORDS records, and each chunk picks its values from every
    column; a column of one value throughout (a section, a file, a field no record has) is
    not picked from.
    """
    if not by_field or not by_field[0]:
        return
    groups: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for n, key in enumerate(zip(by_field[PERIOD], by_field[REGION], strict=True)):
        groups[key].append(n)
    columns: list[Any] = list(by_field)
    for n in NUMBERS:
        columns[n] = [format(v, "f") if type(v) is Decimal else v for v in columns[n]]
    count = len(columns[0])
    stored = [
        (name, column, column.count(column[0]) == count)
        for n, (name, column) in enumerate(zip(NAMES, columns, strict=True))
        if n != REGION and n != PERIOD
    ]
    keys: Groups = []
    rows: list[int] = []
    for (period, region), found in sorted(groups.items()):
        if rows and (len(rows) >= CHUNK_RECORDS or period != keys[-1][1]):
            yield keys, len(rows), _chunk_json(rows, stored)
            keys, rows = [], []
        keys.append([region, period, len(found)])
        rows += found
    yield keys, len(rows), _chunk_json(rows, stored)


def _chunk_json(rows: list[int], stored: list[tuple[str, Any, bool]]) -> bytes:
    pick = itemgetter(*rows) if len(rows) > 1 else lambda column, at=rows[0]: (column[at],)
    body: dict[str, object] = {"rows": _runs(rows)}
    for name, column, constant in stored:
        body[name] = _same(column[0], len(rows)) if constant else _runs(pick(column))
    return _json(body)


def _same(value: object, count: int) -> object:
    """_runs of `count` times `value`: one run (a few values are kept as they are)."""
    return {"runs": [[value, count]]} if count >= 8 else _runs([value] * count)


def _runs(column: Sequence[object]) -> object:
    """A column as it is stored: {"runs": [[value, count], ...]} when a few runs of equal
    values make it (a section, a file, a basis, empty parts: each run's value is one
    object in memory), {"steps": [[first, step, count], ...]} when a few arithmetic runs
    make a column of integers (positions, lines), {"text": "a\x7fb..."} when it is only
    text without that separator (split, not parsed value by value: the fastest to read),
    else its values."""
    sample = column[:64]
    if len(column) >= 8 and sum(1 for _ in groupby(sample)) <= len(sample) // 8:
        runs = [[value, len(list(group))] for value, group in groupby(column)]
        if len(runs) * 4 <= len(column):
            return {"runs": runs}
    types = set(map(type, column))
    if types == {int} and len(column) >= 8:
        steps = _steps(column)  # type: ignore[arg-type]
        if steps is not None:
            return {"steps": steps}
    if column and types == {str}:
        text = SEPARATOR.join(column)  # type: ignore[arg-type]
        if text.count(SEPARATOR) == len(column) - 1:  # no value holds the separator
            return {"text": text}
    return column


def _steps(column: Sequence[int]) -> list[list[int]] | None:
    """Integers as runs of equal steps ([first, step, count], ...), when a few make them."""
    diffs = list(map(sub, column[1:], column[:-1]))
    if sum(1 for _ in groupby(diffs[:64])) > 4:
        return None
    steps: list[list[int]] = []
    at = done = 0  # the first difference of the group; the first value not yet stored
    for step, group in groupby(diffs):
        end = at + sum(1 for _ in group)  # values at .. end go up by `step`
        if end > done:  # two values or more not yet stored (else the next run starts at end)
            steps.append([column[done], step, end - done + 1])
            done = end + 1
        at = end
        if len(steps) * 4 > len(column):
            return None
    if done < len(column):
        steps.append([column[done], 0, 1])
    return steps


def encode(
    digest: str,
    data: DirectoryData,
    dependencies: list[list[Any]] | None = None,
    parts: Sequence[Chunks] | None = None,
) -> bytes:
    """The cache file's bytes for `data` (`parts`: its records' chunks, one list per file in
    the dataset's order, as the worker processes made them)."""
    return b"".join(encode_pieces(digest, data, dependencies, parts))


def encode_pieces(
    digest: str,
    data: DirectoryData,
    dependencies: list[list[Any]] | None = None,
    parts: Sequence[Chunks] | None = None,
    total: int | None = None,
) -> list[bytes]:
    """`encode`'s bytes as the pieces they are joined from, to be written one after the
    other (a million records' chunks are not copied into one more bytes object).

    `total`: the number of records `parts` hold when `data` holds none of them (a cache
    filled from the worker processes' chunks, fanpin_cli.reading.load.directory.Filled)."""
    small = _json(
        {
            "meta": _fields_of(data.meta),
            "sections": list(map(_fields_of, data.sections)),
            "targets": list(map(_fields_of, data.targets)),
            "regions": list(map(_fields_of, data.regions)),
            "source_text": data.source_text,
            "problems": list(map(_fields_of, data.problems)),
        }
    )
    count = len(data.indicators) if total is None else total
    if parts is None or sum(c for part in parts for _, c, _ in part) != count:
        if total is not None:
            raise ValueError("the chunks do not hold the records they are said to")
        parts = [chunks_of(data.indicators)]
    blobs: list[bytes] = [small]
    chunks: list[list[object]] = []
    offset, first = len(small), 0
    for part in parts:
        for groups, _, blob in part:
            chunks.append([groups, offset, len(blob), zlib.crc32(blob), first])
            blobs.append(blob)
            offset += len(blob)
        first += sum(count for _, count, _ in part)
    directory = _json(
        {
            "key": digest,
            "dependencies": dependencies or [],
            "count": count,
            "small": [0, len(small), zlib.crc32(small)],
            "chunks": chunks,
        }
    )
    head = MAGIC + b"%016x%08x\n" % (len(directory), zlib.crc32(directory))
    return [head, directory, *blobs]
