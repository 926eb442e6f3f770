"""Load datasets (TOML directories) into a Dataset, through the cache, naming file:line on errors.

The package, one job a module: `text` reads files and finds lines, `problems` collects what
is wrong, `validate` checks records against fanpin_cli.core.schema, `records` reads each kind of
file, `directory` loads one directory (in parallel when big), `streamed` hands an export
its records from the cache a batch at a time; this module picks the directories, asks the
cache (fanpin_cli.reading.store.cache, a layer this one calls) and merges.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from fanpin_cli.core.bundled import BUNDLED, bundled_data_dir
from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import Dataset, DirectoryData, Finding, Indicator, Region, Section
from fanpin_cli.core.schema import PERIOD_RE, REGION_RE
from fanpin_cli.reading.load.names import toml_names
from fanpin_cli.reading.store import cache

if TYPE_CHECKING:
    from fanpin_cli.core.columns import ColumnRequest, Columns

__all__ = [
    "BUNDLED", "PERIOD_RE", "REGION_RE", "Where", "bundled_data_dir", "expand", "load",
    "load_directory", "load_directory_cached", "merge", "resolve_path",
]  # fmt: skip

REGIONS_FILE = "regions.toml"
Read = TypeVar("Read")  # what `read_filled` reads back
Parsed = TypeVar("Parsed")  # what `_in_order` parses
TARGETS_FILE = "targets.toml"
CITATIONS_FILE = "citations.toml"
Skip = Callable[[Path, str], None]  # told each entry of a collection left out, and why


def resolve_path(path: Path) -> Path:
    """`@bundled` is the bundled dataset, `@gansu`, `@china` and `@references` the bundled
    reference datasets; anything else is a path as given."""
    name = str(path)
    if name == BUNDLED:
        return bundled_data_dir()
    if name.startswith("@"):  # @gansu, @china, @references: the bundled reference datasets
        from fanpin_cli.reading.references import reference_path

        return reference_path(name, bundled_data_dir())
    return path


def expand(path: Path, on_skip: Skip | None = None) -> list[Path]:
    """A collection directory (no TOML files of its own) is the datasets found under it.

    Dataset directories (with TOML files) and spreadsheet submissions, at any depth
    (`counties/2023/620121/…`), in name order; hidden entries are skipped (told to
    `on_skip`), and a folder that cannot be read is an error (sheets.collect.datasets_under).
    """
    if not path.is_dir() or toml_names(os.listdir(path))[0]:
        return [path]
    from fanpin_cli.reading.sheets.collect import datasets_under

    return datasets_under(path, on_skip) or [path]


class Where(NamedTuple):
    """Only records of this region and/or period: a filter applied while loading, and the
    checked --region and --period of a command (fanpin_cli.analysis.filters)."""

    region_code: str | None = None
    period: str | None = None

    def keep(self, ind: Indicator) -> bool:
        return (self.region_code is None or ind.region_code == self.region_code) and (
            self.period is None or ind.period == self.period
        )

    def describe(self, what: Iterable[str] = ()) -> str:
        parts = list(what)
        if self.region_code is not None:
            parts.append(f"--region {self.region_code}")
        if self.period is not None:
            parts.append(f"--period {self.period}")
        return ", ".join(parts)


def load_directory(path: Path, *, strict: bool = True) -> DirectoryData:
    """Load one dataset directory, or a single section file, without any cache."""
    from fanpin_cli.reading.load.directory import load_directory_packed

    return load_directory_packed(path, strict=strict)[0]


def _narrow(data: DirectoryData, where: Where | None) -> DirectoryData:
    if where is None:
        return data
    return data._replace(indicators=tuple(filter(where.keep, data.indicators)))


def load_directory_cached(
    path: Path, *, strict: bool, enabled: bool | None = None, where: Where | None = None
) -> DirectoryData:
    """Load `path` through the cache; `strict` raises the first schema error, as parsing does.

    With `where`, only the matching records are returned (from the cache, only they are
    built at all).
    """
    wanted = where or Where()

    def read(at: Path | cache.Spill, key: cache.Key) -> DirectoryData | None:
        return cache.read(at, key, *wanted)

    if not (cache.enabled() if enabled is None else enabled):
        # without `where` every record is built anyway: no use going through a spill
        data = read_filled(path, strict, read) if where is not None else None
        if data is None:
            return _narrow(load_directory(path, strict=strict), where)
    else:
        try:
            key = cache.fingerprint(path)
        except (OSError, DataError):  # parsing says what is wrong, as it does without a cache
            return _narrow(load_directory(path, strict=strict), where)
        file = cache.cache_file(path)
        data = read(file, key) or read_filled(path, strict, read, (key, file))
        if data is None:
            from fanpin_cli.reading.load.directory import load_directory_packed

            data, packed = _in_order(
                path, strict, lambda: load_directory_packed(path, strict=False)
            )
            cache.write(file, key, data, packed)
            data = _narrow(data, where)
    if strict:
        raise_first_error(data.problems)
    return data


def _in_order(path: Path, strict: bool, parse: Callable[[], Parsed]) -> Parsed:
    """`parse()`, a parse of `path` that collects its schema problems; when strict, an
    error it raises is replaced by the first error in file order, as a strict parse
    reports it (a worker process may have met a later one first)."""
    try:
        return parse()
    except DataError:
        if strict:
            load_directory(path, strict=True)
        raise


def read_filled(
    path: Path,
    strict: bool,
    read: Callable[[Path | cache.Spill, cache.Key], Read | None],
    entry: tuple[cache.Key, Path] | None = None,
) -> Read | None:
    """A big dataset parsed into cache chunks by its worker processes (its records never
    built here) and then `read` as a warm run reads the cache: one region and period's
    records, the columns of the checks, or a batch at a time. A cold run then needs no more
    memory than a warm one.

    The chunks are written to the cache `entry` (key, file); with none (the cache off), or
    when it cannot be written (a full disk, no usable cache directory), to an unnamed
    temporary file (cache.spill) read for this run only, from SPILL_BYTES of TOML when
    there is no entry (at a million records 353 MB instead of 1,176 MB for an export, for
    7% more CPU). None when that does not apply: load as usual.
    """
    from fanpin_cli.reading.load.directory import SPILL_BYTES, load_directory_chunks

    if entry is not None and not cache.usable(entry[1]):
        entry = None
    least = None if entry else SPILL_BYTES
    filled = _in_order(path, strict, lambda: load_directory_chunks(path, least))
    if filled is None or filled.chunks is None:
        return None
    data, chunks, total = filled.data, filled.chunks, filled.total
    if entry is not None and cache.write(entry[1], entry[0], data, chunks, total):
        return read(entry[1], entry[0])
    spilled = cache.spill(data, chunks, total)
    if spilled is None:
        return None
    try:
        return read(spilled, spilled.key)
    finally:
        spilled.close()  # a stream read from it holds a descriptor of its own


def raise_first_error(problems: Sequence[Finding]) -> None:
    for problem in problems:
        if problem.rule == "schema" and problem.severity == "error":
            reason = (problem.code, *problem.args) if problem.code else ()
            raise DataError(problem.message, path=problem.file, line=problem.line, reason=reason)


def regions_of(path: Path, *, strict: bool, use_cache: bool) -> tuple[Region, ...]:
    """Only the region table of a dataset directory (from the cache when it is warm)."""
    if use_cache:
        try:
            data = cache.read(cache.cache_file(path), cache.fingerprint(path), indicators=False)
        except (OSError, DataError):
            data = None
        if data is None:
            data = load_directory_cached(path, strict=strict, enabled=True)
        return data.regions
    from fanpin_cli.reading.load.problems import Problems
    from fanpin_cli.reading.load.records import load_regions

    return tuple(load_regions(path / REGIONS_FILE, Problems(strict)))


def merge(parts: Sequence[DirectoryData], *, strict: bool = True) -> Dataset:
    """Combine loaded directories into one Dataset; (id, region, period) stays unique.

    Each directory is already free of repeats (load_directory), so only repeats across
    directories are looked for, and only when there are several.
    """
    sections: dict[str, Section] = {}
    regions: dict[str, Region] = {}
    sources: dict[str, str] = {}
    found: list[Finding] = []
    for part in parts:
        found.extend(part.problems)
        if part.source_text is not None:
            sources[part.meta.path] = part.source_text
        for s in part.sections:
            sections.setdefault(s.key, s)
        for r in part.regions:
            regions.setdefault(r.code, r)
    indicators = parts[0].indicators if len(parts) == 1 else ()
    if len(parts) > 1:
        from fanpin_cli.reading.load.problems import Problems, unique

        problems = Problems(strict)
        indicators = tuple(unique((i for part in parts for i in part.indicators), problems))
        found.extend(problems.found)
    return Dataset(
        indicators=tuple(indicators),
        sections=tuple(sections.values()),
        targets=tuple(t for part in parts for t in part.targets),
        regions=tuple(regions.values()),
        metas=tuple(part.meta for part in parts),
        sources=sources,
        problems=tuple(found),
    )


def load(
    paths: Sequence[Path] | None = None,
    *,
    strict: bool = True,
    targets: Path | None = None,
    use_cache: bool | None = None,
    where: Where | None = None,
    on_read: Callable[[Path, DirectoryData], None] | None = None,
    columnar: ColumnRequest | None = None,
    on_skip: Skip | None = None,
) -> Dataset:
    """Load datasets (default: the bundled one) plus the bundled region table.

    `on_read` is told each dataset path (directory or spreadsheet) as it is read, `on_skip`
    each entry of a collection left out and why (a code of labels.MESSAGES) (`--verbose`).

    `strict` raises DataError at the first schema error; otherwise problems are collected
    in `Dataset.problems` for `fanpin check`. `targets` replaces every dataset's own targets.
    `where` keeps only the records of one region and/or period (cheaper than loading all
    for `show` and `export` of big datasets; checks and comparisons need everything).
    `columnar`: one dataset read from a warm cache comes back as those columns of its records
    (`Dataset.columnar`, fanpin_cli.core.columns) and no records, for the checks and the roll-up.
    """
    chosen = chosen_paths(paths, on_skip)
    read = None
    if columnar is not None and where is None and len(chosen) == 1:
        read = _columnar_cached(chosen[0], columnar, strict=strict, enabled=use_cache)
    if read is not None:
        parts = [read[0]]
    else:
        parts = [
            load_directory_cached(p, strict=strict, enabled=use_cache, where=where) for p in chosen
        ]
    if on_read is not None:
        for p, part in zip(chosen, parts, strict=True):
            on_read(p, part)
    dataset = assemble(chosen, parts, strict=strict, targets=targets, use_cache=use_cache)
    return dataset if read is None else dataset._replace(columnar=read[1])


def chosen_paths(paths: Sequence[Path] | None, on_skip: Skip | None = None) -> list[Path]:
    """The dataset directories `paths` name (the bundled one by default), their units declared."""
    from fanpin_cli.files.safe_read import check_dataset_path

    for given in paths or ():
        check_dataset_path(resolve_path(given))
    listed = [d for p in paths or () for d in expand(resolve_path(p), on_skip)]
    chosen = listed if paths else [bundled_data_dir()]
    for found in chosen if paths else ():  # a collection's datasets too, as if given
        check_dataset_path(found)
    _declare_units(chosen)
    return chosen


def assemble(
    chosen: Sequence[Path],
    parts: list[DirectoryData],
    *,
    strict: bool,
    targets: Path | None,
    use_cache: bool | None,
) -> Dataset:
    """The Dataset of the loaded directories: merged, with the bundled region table."""
    bundled = bundled_data_dir()
    extra_regions: tuple[Region, ...] = ()
    if bundled not in chosen and (bundled / REGIONS_FILE).exists():
        use = cache.enabled() if use_cache is None else use_cache  # no TOML parsed when warm
        extra_regions = regions_of(bundled, strict=strict, use_cache=use)
    if targets is not None:
        parts = _with_targets(parts, targets, strict)
    dataset = merge(parts, strict=strict)
    # a dataset's own regions.toml renames no region of another table (bundled or loaded)
    tables = [(f"{BUNDLED}/{REGIONS_FILE}", extra_regions)] if extra_regions else []
    tables += [(str(Path(p.meta.path) / REGIONS_FILE), p.regions) for p in parts if p.regions]
    if len(tables) > 1:
        from fanpin_cli.reading.region_conflicts import conflicts

        found = tuple(conflicts(tables))
        dataset = dataset._replace(problems=dataset.problems + found)
    cited = [p / CITATIONS_FILE for p in chosen if (p / CITATIONS_FILE).is_file()]
    if cited:  # reference datasets: the pages their figures cite (small, read every run)
        from fanpin_cli.reading.references import with_citations

        dataset = with_citations(dataset, cited, strict=strict)
    if extra_regions:
        known = {r.code for r in dataset.regions}
        regions = dataset.regions + tuple(r for r in extra_regions if r.code not in known)
        dataset = dataset._replace(regions=regions)
    codes = {r.code for r in dataset.regions}  # not dataset.region: quadratic in folders
    if any(m.region_code and m.region_code not in codes for m in dataset.metas):
        # a 保山市 dataset without regions.toml
        from fanpin_cli.reading.divisions import name_regions

        dataset = name_regions(dataset)
    return dataset


def _columnar_cached(
    path: Path, request: ColumnRequest, *, strict: bool, enabled: bool | None
) -> tuple[DirectoryData, Columns] | None:
    """`path`'s data without records and its records as a table, from a warm cache; None
    when the cache is off or not usable, or cold and not filled by `read_filled` (the records
    are then loaded as records)."""

    def columnar(at: Path | cache.Spill, key: cache.Key) -> tuple[DirectoryData, Columns] | None:
        return cache.read_columnar(at, key, request)

    if not (cache.enabled() if enabled is None else enabled):
        read = read_filled(path, strict, columnar)
    else:
        try:
            key = cache.fingerprint(path)
        except (OSError, DataError):
            return None
        file = cache.cache_file(path)
        read = columnar(file, key) or read_filled(path, strict, columnar, (key, file))
    if read is not None and strict:
        raise_first_error(read[0].problems)
    return read


def _declare_units(chosen: Sequence[Path]) -> None:
    """Each dataset's own units (亩, 公里), registered before its records are checked; the
    modules that do it are imported only when a dataset.toml has a [units] table."""
    import sys

    registry = sys.modules.get("fanpin_cli.core.units")
    if registry is not None:  # forget the units an earlier load in this process declared
        registry.reset_declared()
    for directory in chosen:
        meta = directory / "dataset.toml"
        if not meta.is_file():  # none, or not a regular file (the loader says so)
            continue
        try:
            with open(meta, "rb") as handle:
                declares = b"[units" in handle.read(1 << 20)
        except OSError:  # unreadable: loading the directory reports it
            continue
        if declares:
            from fanpin_cli.reading.load.declared import declare_units

            declare_units(directory)


def _with_targets(parts: list[DirectoryData], path: Path, strict: bool) -> list[DirectoryData]:
    """`parts` with their own targets (and the problems found in them) replaced by `path`'s."""
    from fanpin_cli.reading.load.problems import Problems
    from fanpin_cli.reading.load.records import load_targets

    problems = Problems(strict)
    user_targets = tuple(load_targets(path, problems))
    out = [
        part._replace(
            targets=(),
            problems=tuple(f for f in part.problems if not f.file.endswith(TARGETS_FILE)),
        )
        for part in parts
    ]
    out[0] = out[0]._replace(targets=user_targets, problems=out[0].problems + tuple(problems.found))
    return out
