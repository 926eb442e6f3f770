"""The cache file's format: a header, a directory and chunks, each length-checked and
checksummed, holding JSON (fanpin_cli.cache says when it is read and written).

    fanpin-cache 4\n                 magic line (the format's number)
    LLLLLLLLLLLLLLLLCCCCCCCC\n        directory length (16 hex digits) and CRC-32 (8)
    {directory}                      JSON: key, dependencies, count, small, chunks
    {small}{chunk}{chunk}...         JSON pieces at offsets the directory gives

`small` holds the dataset's metadata, sections, targets, regions, source text and
problems, each record by field name (fanpin_cli.schema). Each chunk holds the records of
one region and period as columns by field name (a column of a few runs of one value as
{"runs": [[value, count], ...]}), with each record's position in the dataset ("rows").

The reader cannot crash on any bytes: every piece is within the file and matches its
CRC-32 before JSON, which builds only lists, dicts, strings and numbers, reads it; then
every value is checked for shape and type (figures against the loader's own limits)
before a record is built. Anything else raises Damaged, which the cache takes as absent.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import partial
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import Any

from fanpin_cli.model import DirectoryData, Finding
from fanpin_cli.schema import DatasetMeta, Indicator, Region, Section, Target, fields

FORMAT = 5  # 2: Indicator.direction; 3: fields by name; 4: written_as, equivalent_unit,
# Target.kind and per; 5: JSON chunks, stat key
MAGIC = b"fanpin-cache %d\n" % FORMAT
HEAD = len(MAGIC) + 25  # 16 hex digits of directory length, 8 of its CRC-32, a newline

NAMES = Indicator._fields
REGION, PERIOD = NAMES.index("region_code"), NAMES.index("period")


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
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _decimal_text(v: object) -> object:
    return format(v, "f") if type(v) is Decimal else v


Chunks = list[tuple[str, str, int, bytes]]  # (region, period, records, JSON columns)


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


def _chunks(by_field: Sequence[Sequence[Any]]) -> Iterator[tuple[str, str, int, bytes]]:
    """(region, period, count, JSON columns) for each region and period, with each row's
    position.

    The rows of each region and period are found in one pass (each chunk keeps the
    dataset's order), and each chunk picks its values from every column; a column of one
    value throughout (a section, a file, a field no record has) is not picked from.
    """
    if not by_field or not by_field[0]:
        return
    groups: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for n, key in enumerate(zip(by_field[REGION], by_field[PERIOD], strict=True)):
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
    for (region, period), rows in sorted(groups.items()):
        pick = itemgetter(*rows) if len(rows) > 1 else lambda column, at=rows[0]: (column[at],)
        body: dict[str, object] = {"rows": rows}
        for name, column, constant in stored:
            body[name] = _same(column[0], len(rows)) if constant else _runs(pick(column))
        yield region, period, len(rows), _json(body)


def _same(value: object, count: int) -> object:
    """_runs of `count` times `value`: one run (a few values are kept as they are)."""
    return {"runs": [[value, count]]} if count >= 8 else [value] * count


def _runs(column: Sequence[object]) -> object:
    """A column as it is stored: its values, or {"runs": [[value, count], ...]} when a few
    runs of equal values make it (a section, a file, a basis, empty parts): smaller, faster
    to read, and each run's value is one object in memory."""
    sample = column[:64]
    if len(column) < 8 or sum(1 for _ in groupby(sample)) > len(sample) // 8:
        return column
    runs = [[value, len(list(group))] for value, group in groupby(column)]
    return {"runs": runs} if len(runs) * 4 <= len(column) else column


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
) -> list[bytes]:
    """`encode`'s bytes as the pieces they are joined from, to be written one after the
    other (a million records' chunks are not copied into one more bytes object)."""
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
    if parts is None or sum(c for part in parts for _, _, c, _ in part) != len(data.indicators):
        parts = [chunks_of(data.indicators)]
    blobs: list[bytes] = [small]
    chunks: list[list[object]] = []
    offset, first = len(small), 0
    for part in parts:
        for region, period, _, blob in part:
            chunks.append([region, period, offset, len(blob), zlib.crc32(blob), first])
            blobs.append(blob)
            offset += len(blob)
        first += sum(count for _, _, count, _ in part)
    directory = _json(
        {
            "key": digest,
            "dependencies": dependencies or [],
            "count": len(data.indicators),
            "small": [0, len(small), zlib.crc32(small)],
            "chunks": chunks,
        }
    )
    head = MAGIC + b"%016x%08x\n" % (len(directory), zlib.crc32(directory))
    return [head, directory, *blobs]


# ------------------------------------------------------------------ decoding

DECLARED = fields(Indicator)
_TYPES: dict[str, frozenset[type]] = {
    "text": frozenset({str}), "unit": frozenset({str}), "integer": frozenset({int}),
    "flag": frozenset({bool}), "ids": frozenset({list}), "ratio": frozenset({list}),
    "number": frozenset({int, str}),
}  # fmt: skip
_NONE = frozenset({type(None)})
# the JSON types each Indicator field's column may hold
COLUMN_TYPES = tuple(
    _TYPES[f.kind] | _NONE
    if f.read and not f.required and Indicator._field_defaults.get(name) is None
    else _TYPES[f.kind]
    for name, f in DECLARED
)
NUMBERS = tuple(n for n, (_, f) in enumerate(DECLARED) if f.kind == "number")
IDS = tuple(n for n, (_, f) in enumerate(DECLARED) if f.kind == "ids")
RATIOS = tuple(n for n, (_, f) in enumerate(DECLARED) if f.kind == "ratio")
# a figure as the loader accepts it (fanpin_cli.load.validate: under 1e18, <= 9 decimals)
DECIMALS = re.compile(r"(?:-?[0-9]{1,18}(?:\.[0-9]{1,9})?\n)*")
LIMIT = 10**18


class Damaged(Exception):
    """The cache file is not a whole, valid entry: it is ignored and rebuilt."""


def _check_numbers(column: list[Any]) -> None:
    texts = [v for v in column if type(v) is str]
    if texts and not DECIMALS.fullmatch("\n".join(texts) + "\n"):
        raise Damaged("figure")
    ints = [v for v in column if type(v) is int]
    if ints and not (min(ints) > -LIMIT and max(ints) < LIMIT):
        raise Damaged("figure")


def _expand(stored: object, count: int, kinds: frozenset[type]) -> list[Any]:
    """A stored column as its `count` values (each of a type in `kinds`); runs expanded."""
    if type(stored) is dict:
        runs = stored["runs"]
        if type(runs) is not list or not all(type(r) is list and len(r) == 2 for r in runs):
            raise Damaged("runs")
        values = [v for v, _ in runs]
        counts = [c for _, c in runs]
        if {int} != set(map(type, counts)) or min(counts) < 1 or sum(counts) != count:
            raise Damaged("runs")
        if not kinds.issuperset(map(type, values)):
            raise Damaged("type")
        if list in kinds:  # one tuple per run, shared by its records
            values = [tuple(v) if type(v) is list else v for v in values]
        return list(chain.from_iterable(map(repeat, values, counts)))
    if type(stored) is not list or len(stored) != count:
        raise Damaged("column")
    if not kinds.issuperset(map(type, stored)):
        raise Damaged("type")
    return stored


def _columns(
    blob: bytes, region: str, period: str, wanted: frozenset[str] | None = None
) -> tuple[list[int], list[Any]]:
    """A chunk's row positions and its checked columns, in field order (with `wanted`, only
    those: the others are None)."""
    body = json.loads(blob)
    if type(body) is not dict or set(body) != {"rows", *NAMES} - {NAMES[REGION], NAMES[PERIOD]}:
        raise Damaged("fields")
    rows = body["rows"]
    count = len(rows)
    columns: list[Any] = []
    for n, name in enumerate(NAMES):
        column: Any
        if wanted is not None and name not in wanted:
            column = None
        elif n == REGION:
            column = [region] * count
        elif n == PERIOD:
            column = [period] * count
        else:
            column = _expand(body[name], count, COLUMN_TYPES[n])
        columns.append(column)
    if {int} != set(map(type, rows)) and rows:
        raise Damaged("rows")
    for n in NUMBERS:
        if columns[n] is None:
            continue
        _check_numbers(columns[n])
        columns[n] = [Decimal(v) if type(v) is str else v for v in columns[n]]
    for n in IDS:
        if columns[n] is None:
            continue
        if not {str}.issuperset(map(type, chain.from_iterable(columns[n]))):
            raise Damaged("ids")
        columns[n] = [v if type(v) is tuple else tuple(v) for v in columns[n]]
    for n in RATIOS:
        if columns[n] is None:
            continue
        pairs = [r for r in columns[n] if r is not None]
        if any(len(r) != 2 for r in pairs) or not {str}.issuperset(
            map(type, chain.from_iterable(pairs))
        ):
            raise Damaged("ratio")
        columns[n] = [tuple(r) if type(r) is list else r for r in columns[n]]
    return rows, columns


_KINDS: dict[str, tuple[type, ...]] = {
    "text": (str,), "unit": (str,), "integer": (int,), "flag": (bool,), "number": (int, str),
    "ids": (list,), "ratio": (list,), "table": (dict,), "mapping": (dict,),
}  # fmt: skip


def _record(record: type[Any], raw: object) -> Any:
    """A record rebuilt from its fields by name, each checked against its declaration."""
    if type(raw) is not dict or set(raw) != set(record._fields):
        raise Damaged("fields differ")
    values = dict(raw)
    if record is Finding:
        declared: Sequence[tuple[str, str]] = [
            (n, "ids" if n in ("indicators", "args") else "integer" if n == "line" else "text")
            for n in Finding._fields
        ]
    else:
        declared = [(name, f.kind) for name, f in fields(record)]
    for name, kind in declared:
        value = values[name]
        if value is None and record._field_defaults.get(name, 0) is None:
            continue
        if type(value) not in _KINDS[kind]:
            raise Damaged(f"{record.__name__}.{name}")
        if kind == "number":
            _check_numbers([value])
            values[name] = Decimal(value) if type(value) is str else value
        elif kind in ("ids", "ratio"):
            if not all(type(v) is str for v in value):
                raise Damaged(name)
            values[name] = tuple(value)
        elif kind == "table":
            values[name] = _record(record.__annotations__[name].__origin__, value)
        elif kind == "mapping" and not all(type(v) is str for v in value.values()):
            raise Damaged(name)
    return record(**values)


def _pread(fd: int, length: int, start: int) -> bytes:
    """`length` bytes at `start` (os.pread where there is one; Windows has not)."""
    if hasattr(os, "pread"):
        return os.pread(fd, length, start)
    os.lseek(fd, start, os.SEEK_SET)
    return os.read(fd, length)


class _Reader:
    """Bounded reads of one open cache file: every piece is within the file and checksummed."""

    def __init__(self, fd: int, size: int) -> None:
        self.fd, self.size = fd, size

    def piece(self, start: int, length: object, crc: object) -> bytes:
        if type(length) is not int or type(start) is not int or type(crc) is not int:
            raise Damaged("piece")
        if start < 0 or length < 0 or start + length > self.size:
            raise Damaged("bounds")
        data = _pread(self.fd, length, start)
        if len(data) != length or zlib.crc32(data) != crc:
            raise Damaged("checksum")
        return data


def decode_file(
    fd: int,
    size: int,
    digest: str,
    still_valid: Callable[[object], bool],
    region: str | None = None,
    period: str | None = None,
    indicators: bool = True,
) -> DirectoryData | None:
    """The entry in the open file `fd` of `size` bytes when its key is `digest` and
    `still_valid` accepts its dependencies; None or Damaged otherwise."""
    reader = _Reader(fd, size)
    entry = _entry(reader, digest, still_valid)
    if entry is None:
        return None
    directory, base = entry
    records: list[Any] = []
    if indicators:
        records = _indicators(reader, base, directory, region, period)
    return _small(reader, base, directory, tuple(records))


def _entry(
    reader: _Reader, digest: str, still_valid: Callable[[object], bool]
) -> tuple[Any, int] | None:
    """The entry's directory and where its pieces begin, when its key is `digest` and its
    dependencies are still valid; None otherwise."""
    head = _pread(reader.fd, HEAD, 0)
    if len(head) != HEAD or not head.startswith(MAGIC) or head[-1:] != b"\n":
        return None
    digits = head[len(MAGIC) : -1]
    if not re.fullmatch(rb"[0-9a-f]{24}", digits):
        return None
    directory: Any = json.loads(reader.piece(HEAD, int(digits[:16], 16), int(digits[16:], 16)))
    if type(directory) is not dict or directory.get("key") != digest:
        return None
    if not still_valid(directory["dependencies"]):
        return None
    return directory, HEAD + int(digits[:16], 16)


def _small(
    reader: _Reader, base: int, directory: Any, records: tuple[Indicator, ...]
) -> DirectoryData | None:
    """The entry's small piece (metadata, sections, targets, ...) with `records`."""
    small: Any = json.loads(reader.piece(base + directory["small"][0], *directory["small"][1:]))
    if type(small) is not dict:
        return None
    source = small["source_text"]
    if source is not None and type(source) is not str:
        return None
    return DirectoryData(
        meta=_record(DatasetMeta, small["meta"]),
        sections=tuple(_record(Section, s) for s in small["sections"]),
        indicators=records,
        targets=tuple(_record(Target, t) for t in small["targets"]),
        regions=tuple(_record(Region, r) for r in small["regions"]),
        source_text=source,
        problems=tuple(_record(Finding, f) for f in small["problems"]),
    )


def _indicators(
    reader: _Reader, base: int, directory: dict[str, Any], region: str | None, period: str | None
) -> list[Any]:
    """The records of the chunks wanted, each at its place in the dataset's order."""
    count, chunks = directory["count"], directory["chunks"]
    if type(count) is not int or type(chunks) is not list or not 0 <= count <= reader.size:
        raise Damaged("directory")
    make = partial(tuple.__new__, Indicator)
    placed: list[Any] = [None] * count
    for chunk in chunks:
        if type(chunk) is not list or len(chunk) != 6:
            raise Damaged("chunk")
        r, p, start, length, crc, first = chunk
        if type(r) is not str or type(p) is not str or type(first) is not int:
            raise Damaged("chunk")
        if (region is not None and r != region) or (period is not None and p != period):
            continue
        rows, columns = _columns(reader.piece(base + start, length, crc), r, p)
        if first:
            rows = list(map(first.__add__, rows))
        if rows and (min(rows) < 0 or max(rows) >= count):
            raise Damaged("rows")
        list(map(placed.__setitem__, rows, map(make, zip(*columns, strict=True))))
    if region is None and period is None:
        if None in placed:
            raise Damaged("rows")  # a record missing (or two in one place)
        return placed
    return [record for record in placed if record is not None]
