"""Reading a cache entry's records as columns (fanpin_cli.table), none built as a record.

The pieces are read and checked as fanpin_cli.cache_read reads them (bounded, checksummed,
every value type-checked); only the columns asked for are kept, chunk after chunk, with
each row's place in the dataset, and only the chunks of one period when one is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fanpin_cli.cache_format import NAMES
from fanpin_cli.cache_read import Damaged, _columns, _Reader, entry_data, open_entry
from fanpin_cli.model import DirectoryData
from fanpin_cli.table import Table, TableRequest


def decode_table(
    fd: int,
    size: int,
    digest: str,
    still_valid: Callable[[object], bool],
    request: TableRequest,
) -> tuple[DirectoryData, Table] | None:
    """As decode_file, but the records as the columns `request` names (of the chunks of its
    period, when it has one), without building a record: DirectoryData has none."""
    entry = open_entry(fd, size, digest, still_valid)
    if entry is None:
        return None
    table = _table(entry.reader, entry.base, entry.directory, request)
    return entry_data(entry), table


def _chunk_list(reader: _Reader, directory: dict[str, Any]) -> tuple[int, list[Any]]:
    """The directory's record count and chunks ([region, period, start, length, crc,
    first]), checked for shape."""
    count, chunks = directory["count"], directory["chunks"]
    if type(count) is not int or type(chunks) is not list or not 0 <= count <= reader.size:
        raise Damaged("directory")
    for chunk in chunks:
        if type(chunk) is not list or len(chunk) != 6:
            raise Damaged("chunk")
        if type(chunk[0]) is not str or type(chunk[1]) is not str or type(chunk[5]) is not int:
            raise Damaged("chunk")
    return count, chunks


def _table(reader: _Reader, base: int, directory: dict[str, Any], request: TableRequest) -> Table:
    """The columns `request` names of the chunks it wants, chunk after chunk, with each
    row's place in the dataset (every place once, over all chunks, when all are read)."""

    count, chunks = _chunk_list(reader, directory)
    names = tuple(dict.fromkeys(request.columns))
    unknown = set(names) - set(NAMES)
    if unknown:
        raise ValueError(f"no such columns: {sorted(unknown)}")  # a bug, not a damaged file
    wanted = frozenset(names)
    out: dict[str, list[Any]] = {name: [] for name in names}
    places: list[int] = []
    for region, period, start, length, crc, first in chunks:
        if request.period is not None and period != request.period:
            continue
        rows, columns = _columns(reader.piece(base + start, length, crc), region, period, wanted)
        if first:
            rows = list(map(first.__add__, rows))
        if rows and (min(rows) < 0 or max(rows) >= count):
            raise Damaged("rows")
        places += rows
        for name in names:
            out[name] += columns[NAMES.index(name)]
    if request.period is None and (len(places) != count or len(set(places)) != count):
        raise Damaged("rows")  # a record missing (or two in one place)
    labels = {(chunk[0], chunk[1]) for chunk in chunks}
    return Table(out, len(places), labels, places)
