"""A dataset with its records still in the cache, read a batch at a time: exports of every
record (fanpin_cli.writers.stream, --sqlite) in a fraction of the memory. A collection's
datasets (one folder per county per year) are read one cache entry after another."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import Dataset, DirectoryData, Indicator
from fanpin_cli.reading.load import (
    CITATIONS_FILE,
    assemble,
    chosen_paths,
    load_directory_cached,
    raise_first_error,
    read_filled,
)
from fanpin_cli.reading.store import cache


class Chained:
    """The records of several cache entries in turn, one entry open at a time. Raises
    cache.Damaged where an entry turns out not to be whole or gone, and where a record
    repeats another dataset's (id, region, period): the usual load then says which."""

    def __init__(self, entries: list[tuple[Path, cache.Key]]) -> None:
        self._entries = entries
        self._open: cache.Stream | None = None

    def __iter__(self) -> Iterator[list[Indicator]]:
        seen: set[int] = set()
        try:
            for file, key in self._entries:
                self._open = cache.stream(file, key)
                if self._open is None:
                    raise cache.Damaged(f"{file}: changed or gone")
                for batch in self._open:
                    before = len(seen)
                    seen.update(hash((i.id, i.region_code, i.period)) for i in batch)
                    if len(seen) != before + len(batch):  # a repeat (or two keys of one hash)
                        raise cache.Damaged("a record repeated across datasets")
                    yield batch
        finally:
            self.close()

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


class Streamed(NamedTuple):
    """A dataset whose records are read from the cache a batch at a time (`load_streamed`)."""

    dataset: Dataset  # everything but the records: dataset.indicators is empty
    records: cache.Stream | Chained  # in the dataset's order; may raise cache.Damaged


def load_streamed(paths: Sequence[Path] | None = None, *, strict: bool = True) -> Streamed | None:
    """The dataset of `paths` (as `load` gives it) with its records still in the cache,
    to be read a batch at a time.

    Several datasets (a collection of county folders) are read one cache entry after
    another (`Chained`), each filled first when cold. None when that does not apply (load
    the usual way): the cache off, or one dataset cold and not filled by `read_filled` (a
    small dataset), reference datasets (citations). Iterating the records may raise
    cache.Damaged midway, when an entry turns out not to be whole (or a record repeats
    another dataset's): the caller then loads the usual way (which rebuilds the entry, or
    says what repeats) and uses nothing it read.
    """
    chosen = chosen_paths(paths)
    if any((p / CITATIONS_FILE).is_file() for p in chosen):
        return None
    if len(chosen) > 1:
        return _chained(chosen, strict=strict)
    path = chosen[0]
    records = _stream(path, strict=strict)
    if records is None:
        return None
    try:
        if strict:
            raise_first_error(records.data.problems)
        dataset = assemble(chosen, [records.data], strict=strict, targets=None, use_cache=None)
    except BaseException:
        records.close()
        raise
    return Streamed(dataset, records)


def _chained(chosen: list[Path], *, strict: bool) -> Streamed | None:
    """A collection's datasets with their records still in their cache entries (each
    filled first when cold), to be read one entry at a time; None with the cache off or
    unusable, or an input that cannot be looked at (the usual load says what is wrong)."""
    if not cache.enabled():
        return None
    parts: list[DirectoryData] = []
    entries: list[tuple[Path, cache.Key]] = []
    for path in chosen:
        try:
            key = cache.fingerprint(path)
        except (OSError, DataError):
            return None
        file = cache.cache_file(path)
        data = cache.read(file, key, indicators=False)
        if data is None:  # cold: loaded (and its entry written) as the usual load does
            load_directory_cached(path, strict=strict, enabled=True)
            data = cache.read(file, key, indicators=False)
            if data is None:
                return None
        if strict:
            raise_first_error(data.problems)
        parts.append(data)
        entries.append((file, key))
    dataset = assemble(chosen, parts, strict=strict, targets=None, use_cache=None)
    return Streamed(dataset, Chained(entries))


def _stream(path: Path, *, strict: bool) -> cache.Stream | None:
    """`path`'s records a batch at a time from its cache entry (filled if cold), or from a
    spill with the cache off; None when neither applies."""
    if not cache.enabled():
        return read_filled(path, strict, cache.stream)
    try:
        key = cache.fingerprint(path)
    except (OSError, DataError):
        return None
    file = cache.cache_file(path)
    return cache.stream(file, key) or read_filled(path, strict, cache.stream, (key, file))
