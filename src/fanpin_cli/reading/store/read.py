"""Reading the cache file (fanpin_cli.reading.store.format), which cannot crash on any bytes: every
piece is within the file and matches its CRC-32 before JSON reads it (cache_format.loads);
then every value is checked for shape and type (figures against the loader's own limits)
before a record is built. Anything else raises Damaged, which the cache takes as absent."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import partial
from itertools import chain, compress, groupby, repeat
from operator import itemgetter
from typing import Any

from fanpin_cli.core.model import DirectoryData, Finding
from fanpin_cli.core.schema import DatasetMeta, Indicator, Region, Section, Target, fields, matcher
from fanpin_cli.reading.store.format import HEAD, MAGIC, NAMES, PERIOD, REGION, SEPARATOR, loads

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
# a figure as the loader accepts it (fanpin_cli.reading.load.validate: under 1e18, <= 9 decimals)
DECIMALS = r"(?:-?[0-9]{1,18}(?:\.[0-9]{1,9})?\n)*"  # matched by decimal_texts
LIMIT = 10**18
_INTS = frozenset({int})


class Damaged(Exception):
    """The cache file is not a whole, valid entry: it is ignored and rebuilt."""


def _numbers(column: list[Any]) -> list[Any]:
    """A column of figures, checked against the loader's limits, decimal text as Decimal."""
    types = set(map(type, column))
    if types == {int}:
        if column and not (min(column) > -LIMIT and max(column) < LIMIT):
            raise Damaged("figure")
        return column
    texts = [v for v in column if type(v) is str]
    if texts and not decimal_texts(texts):
        raise Damaged("figure")
    ints = [v for v in column if type(v) is int]
    if ints and not (min(ints) > -LIMIT and max(ints) < LIMIT):
        raise Damaged("figure")
    return [Decimal(v) if type(v) is str else v for v in column] if texts else column


def decimal_texts(texts: list[str]) -> bool:
    """Whether every text is a figure as the loader writes it (DECIMALS): a few are looked
    at one by one, many by one regex over them all (compiled only then: ~0.7M instructions)."""
    if len(texts) > 64:
        return matcher(DECIMALS).match("\n".join(texts) + "\n") is not None
    for text in texts:
        whole, dot, part = text.removeprefix("-").partition(".")
        if not (0 < len(whole) <= 18 and whole.isascii() and whole.isdigit()):
            return False
        if dot and not (0 < len(part) <= 9 and part.isascii() and part.isdigit()):
            return False
    return True


def _ids(values: list[Any]) -> list[Any]:
    """Lists of ids (text only) as tuples."""
    if not {str}.issuperset(map(type, chain.from_iterable(values))):
        raise Damaged("ids")
    return list(map(tuple, values))


def _ratios(values: list[Any]) -> list[Any]:
    """Ratios (None, or two ids) as tuples."""
    pairs = [r for r in values if r is not None]
    if any(len(r) != 2 for r in pairs) or not {str}.issuperset(
        map(type, chain.from_iterable(pairs))
    ):
        raise Damaged("ratio")
    return [r if r is None else tuple(r) for r in values]


def checked_runs(
    stored: dict[str, Any],
    count: int,
    kinds: frozenset[type],
    fix: Callable[[list[Any]], list[Any]] | None,
) -> tuple[list[Any], list[int]]:
    """A column stored as runs, checked: its values (fixed: one per run, shared by its
    records) and how many records each run covers, `count` in all."""
    if set(stored) != {"runs"}:
        raise Damaged("column")
    runs = stored["runs"]
    if type(runs) is not list or not all(type(r) is list and len(r) == 2 for r in runs):
        raise Damaged("runs")
    values = [v for v, _ in runs]
    counts = [c for _, c in runs]
    if {int} != set(map(type, counts)) or min(counts) < 1 or sum(counts) != count:
        raise Damaged("runs")
    if not kinds.issuperset(map(type, values)):
        raise Damaged("type")
    return (values if fix is None else fix(values)), counts


def expand(
    stored: object,
    count: int,
    kinds: frozenset[type],
    fix: Callable[[list[Any]], list[Any]] | None = None,
) -> list[Any]:
    """A stored column as its `count` values (each of a type in `kinds`); runs expanded.
    `fix` checks and converts lists of values (lists of ids as tuples): of a run, once."""
    if type(stored) is dict and "text" in stored:
        text = stored["text"]
        if len(stored) != 1 or type(text) is not str or str not in kinds:
            raise Damaged("text")
        texts: list[Any] = text.split(SEPARATOR)
        if len(texts) != count:
            raise Damaged("column")
        return texts if fix is None else fix(texts)
    if type(stored) is dict and "steps" in stored:
        steps = stored["steps"]
        if len(stored) != 1 or int not in kinds or type(steps) is not list:
            raise Damaged("steps")
        if not all(type(r) is list and len(r) == 3 for r in steps):
            raise Damaged("steps")
        if {int} != set(map(type, chain.from_iterable(steps))) and steps:
            raise Damaged("steps")
        if sum(c for _, _, c in steps) != count or min(c for _, _, c in steps) < 1:
            raise Damaged("steps")
        ints = list(chain.from_iterable(
            range(first, first + step * c, step) if step else repeat(first, c)
            for first, step, c in steps
        ))  # fmt: skip
        return ints if fix is None else fix(ints)
    if type(stored) is dict:
        values, counts = checked_runs(stored, count, kinds, fix)
        return list(chain.from_iterable(map(repeat, values, counts)))
    if type(stored) is not list or len(stored) != count:
        raise Damaged("column")
    if not kinds.issuperset(map(type, stored)):
        raise Damaged("type")
    return stored if fix is None else fix(stored)


# the conversion each Indicator field's column needs once its types are checked
_FIXES: dict[str, Callable[[list[Any]], list[Any]]] = {
    "number": _numbers, "ids": _ids, "ratio": _ratios,
}  # fmt: skip
FIX = tuple(_FIXES.get(f.kind) for _, f in DECLARED)


CHUNK_FIELDS = frozenset({"rows", *NAMES} - {NAMES[REGION], NAMES[PERIOD]})


def chunk_body(blob: bytes, count: int) -> tuple[dict[str, Any], Any]:
    """A chunk's JSON body, its fields checked, and its `count` row positions (steps
    expanded; `count` is what its groups say, chunk_list having checked them)."""
    body = loads(blob)
    if type(body) is not dict or set(body) != CHUNK_FIELDS:
        raise Damaged("fields")
    rows = body["rows"]
    if type(rows) is dict:  # steps: as many as the groups say (a chunk of runs can hold
        rows = expand(rows, count, _INTS)  # more records than it has bytes)
    if type(rows) is not list or len(rows) != count:
        raise Damaged("rows")
    return body, rows


def _columns(
    blob: bytes, groups: list[Any], wanted: frozenset[str] | None = None
) -> tuple[list[int], list[Any]]:
    """A chunk's row positions and its checked columns, in field order (with `wanted`, only
    those: the others are None)."""
    count = sum(n for _, _, n in groups)
    body, rows = chunk_body(blob, count)
    columns: list[Any] = []
    for n, name in enumerate(NAMES):
        column: Any
        if wanted is not None and name not in wanted:
            column = None
        elif n in (REGION, PERIOD):  # each group's region (g[0]) or period (g[1])
            column = list(chain.from_iterable(repeat(g[n == PERIOD], g[2]) for g in groups))
        else:
            column = expand(body[name], count, COLUMN_TYPES[n], FIX[n])
        columns.append(column)
    if {int} != set(map(type, rows)) and rows:
        raise Damaged("rows")
    return rows, columns


_KINDS: dict[str, tuple[type, ...]] = {
    "text": (str,), "unit": (str,), "integer": (int,), "flag": (bool,), "number": (int, str),
    "ids": (list,), "ratio": (list,), "table": (dict,), "mapping": (dict,),
}  # fmt: skip


_DECLARED: dict[type[Any], tuple[frozenset[str], tuple[tuple[str, str, bool], ...]]] = {}


def _declared(record: type[Any]) -> tuple[frozenset[str], tuple[tuple[str, str, bool], ...]]:
    """A record type's field names, and each field's (name, kind, whether None is its
    default and so may be stored), worked out once per type."""
    found = _DECLARED.get(record)
    if found is None:
        kinds = (
            [(n, "ids" if n in ("indicators", "args") else "integer" if n == "line" else "text")
             for n in Finding._fields]
            if record is Finding else [(name, f.kind) for name, f in fields(record)]
        )  # fmt: skip
        none = {n for n, v in record._field_defaults.items() if v is None}
        found = frozenset(record._fields), tuple((n, k, n in none) for n, k in kinds)
        _DECLARED[record] = found
    return found


def _record(record: type[Any], raw: object) -> Any:
    """A record rebuilt from its fields by name, each checked against its declaration."""
    names, declared = _declared(record)
    if type(raw) is not dict or raw.keys() != names:
        raise Damaged("fields differ")
    values = dict(raw)
    for name, kind, none in declared:
        value = values[name]
        if value is None and none:
            continue
        if type(value) not in _KINDS[kind]:
            raise Damaged(f"{record.__name__}.{name}")
        if kind == "number":
            values[name] = _numbers([value])[0]
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


class Reader:
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


class Entry:  # a plain class: a NamedTuple costs ~0.8M instructions to define
    """An open cache entry whose key and dependencies matched: its directory and `small`."""

    __slots__ = ("base", "directory", "reader", "small")

    def __init__(self, reader: Reader, base: int, directory: dict[str, Any], small: Any) -> None:
        self.reader, self.base, self.directory, self.small = reader, base, directory, small


def open_entry(
    fd: int, size: int, digest: str, still_valid: Callable[[object], bool]
) -> Entry | None:
    """The entry in the open file `fd` of `size` bytes when its key is `digest` and
    `still_valid` accepts its dependencies; None or Damaged otherwise."""
    reader = Reader(fd, size)
    head = _pread(reader.fd, HEAD, 0)
    if len(head) != HEAD or not head.startswith(MAGIC) or head[-1:] != b"\n":
        return None
    digits = head[len(MAGIC) : -1]
    if digits.translate(None, b"0123456789abcdef"):  # 24 hexadecimal digits, nothing else
        return None
    directory: Any = loads(reader.piece(HEAD, int(digits[:16], 16), int(digits[16:], 16)))
    if type(directory) is not dict or directory.get("key") != digest:
        return None
    if not still_valid(directory["dependencies"]):
        return None
    base = HEAD + int(digits[:16], 16)
    small: Any = loads(reader.piece(base + directory["small"][0], *directory["small"][1:]))
    if type(small) is not dict:
        return None
    return Entry(reader, base, directory, small)


def entry_data(entry: Entry, records: Sequence[Indicator] = ()) -> DirectoryData:
    """Everything the entry holds but its records (`records` are put in their place)."""
    small = entry.small
    source = small["source_text"]
    if source is not None and type(source) is not str:
        raise Damaged("source_text")
    return DirectoryData(
        meta=_record(DatasetMeta, small["meta"]),
        sections=tuple(_record(Section, s) for s in small["sections"]),
        indicators=tuple(records),
        targets=tuple(_record(Target, t) for t in small["targets"]),
        regions=tuple(_record(Region, r) for r in small["regions"]),
        source_text=source,
        problems=tuple(_record(Finding, f) for f in small["problems"]),
    )


def decode_file(
    fd: int,
    size: int,
    digest: str,
    still_valid: Callable[[object], bool],
    region: str | None = None,
    period: str | None = None,
    indicators: bool = True,
) -> DirectoryData | None:
    """open_entry's entry, with its records (of `region` and `period`, when given)."""
    entry = open_entry(fd, size, digest, still_valid)
    if entry is None:
        return None
    if not indicators:
        return entry_data(entry)
    return entry_data(entry, _indicators(entry.reader, entry.base, entry.directory, region, period))


def chunk_list(reader: Reader, directory: dict[str, Any]) -> tuple[int, list[list[Any]]]:
    """The directory's record count and its chunks' entries ([groups, start, length, crc,
    first], groups being [[region, period, records], ...]), checked for shape."""
    count, chunks = directory["count"], directory["chunks"]
    if type(count) is not int or type(chunks) is not list or not 0 <= count <= reader.size:
        raise Damaged("directory")
    total = 0
    for chunk in chunks:
        groups = chunk[0] if type(chunk) is list and len(chunk) == 5 else None
        if type(groups) is not list or type(chunk[4]) is not int or not groups or not all(
            type(g) is list and len(g) == 3 and type(g[0]) is str and type(g[2]) is int
            and g[2] > 0 and g[1] == groups[0][1] for g in groups
        ) or type(groups[0][1]) is not str:  # fmt: skip
            raise Damaged("groups")  # each [region, period, records], all of one period
        total += sum(g[2] for g in groups)
    if total != count:  # so no chunk says it holds more records than the file has bytes
        raise Damaged("count")
    return count, chunks


def _wanted(groups: list[Any], region: str | None, period: str | None) -> list[bool]:
    """Whether each of a chunk's groups is of `region` and `period` (None: any)."""
    return [(region is None or r == region) and (period is None or p == period)
            for r, p, _ in groups]  # fmt: skip


def _records(
    reader: Reader, base: int, chunk: list[Any], wanted: list[bool] | None = None
) -> tuple[list[int], list[Any]]:
    """A chunk's records (of its groups `wanted`, when given) and their places."""
    groups, start, length, crc, first = chunk
    rows, columns = _columns(reader.piece(base + start, length, crc), groups)
    if first:
        rows = list(map(first.__add__, rows))
    if wanted is not None and not all(wanted):  # only the records wanted are built
        keep = list(chain.from_iterable(map(repeat, wanted, (g[2] for g in groups))))
        rows = list(compress(rows, keep))
        columns = [list(compress(column, keep)) for column in columns]
    return rows, list(map(partial(tuple.__new__, Indicator), zip(*columns, strict=True)))


def _place(reader: Reader, base: int, chunk: list[Any], placed: list[Any], offset: int = 0) -> None:
    """Build a chunk's records into `placed`, each at its position (less `offset`)."""
    rows, records = _records(reader, base, chunk)
    if offset:
        rows = list(map((-offset).__add__, rows))
    if rows and (min(rows) < 0 or max(rows) >= len(placed)):
        raise Damaged("rows")
    list(map(placed.__setitem__, rows, records))


def _indicators(
    reader: Reader, base: int, directory: dict[str, Any], region: str | None, period: str | None
) -> list[Any]:
    """The records of the chunks wanted, each at its place in the dataset's order."""
    count, chunks = chunk_list(reader, directory)
    if region is None and period is None:
        placed: list[Any] = [None] * count
        for chunk in chunks:
            _place(reader, base, chunk, placed)
        if None in placed:
            raise Damaged("rows")  # a record missing (or two in one place)
        return placed
    rows: list[int] = []
    records: list[Any] = []
    for chunk in chunks:
        wanted = _wanted(chunk[0], region, period)
        if any(wanted):
            found = _records(reader, base, chunk, wanted)
            rows += found[0]
            records += found[1]
    if rows and (min(rows) < 0 or max(rows) >= count or len(set(rows)) != len(rows)):
        raise Damaged("rows")
    if len(records) < 2:
        return records
    return list(itemgetter(*sorted(range(len(rows)), key=rows.__getitem__))(records))


def batches(entry: Entry, size: int) -> Iterator[list[Indicator]]:
    """Every record of the entry in the dataset's order, at most `size` at a time.

    Chunks are decoded one part at a time (the records of one section file, as the
    parallel parsers stored them), so only that part is ever built in memory. Raises
    Damaged (possibly after some batches) when the entry is not whole.
    """
    reader, base = entry.reader, entry.base
    count, chunks = chunk_list(reader, entry.directory)
    parts = [(first, list(group)) for first, group in groupby(chunks, key=itemgetter(4))]
    ends = [first for first, _ in parts[1:]] + ([count] if parts else [])
    done = 0
    for (first, part), end in zip(parts, ends, strict=True):
        if first != done or end <= first:
            raise Damaged("part order")  # parts follow each other, none missing, none repeated
        placed: list[Any] = [None] * (end - first)
        for chunk in part:
            _place(reader, base, chunk, placed, first)
        if None in placed:
            raise Damaged("rows")  # a record missing (or two in one place)
        done = end
        for at in range(0, len(placed), size):
            yield placed[at : at + size]
        del placed
    if done != count:
        raise Damaged("count")
