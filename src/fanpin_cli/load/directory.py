"""One dataset directory (or single file) loaded: its files, parsed in parallel when big."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from fanpin_cli.errors import DataError
from fanpin_cli.load.problems import Problems, joined
from fanpin_cli.load.records import (
    CITATIONS_FILE,
    META_FILE,
    REGIONS_FILE,
    SPECIAL_FILES,
    TARGETS_FILE,
    load_meta,
    load_regions,
    load_section_columns,
    load_section_file,
    load_targets,
)
from fanpin_cli.load.text import read_text
from fanpin_cli.model import DatasetMeta, DirectoryData, Finding, Indicator, Region, Section, Target
from fanpin_cli.safe_read import Refused
from fanpin_cli.schema import KEY

if TYPE_CHECKING:
    from fanpin_cli.cache_format import Chunks

PARALLEL_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves
FREEZE_RECORDS = 20_000  # from this many records, a load freezes its objects (gc.freeze)

# a section file's section, records, problems and the records' cache chunks (when made)
SectionResult = tuple[Section | None, list[Indicator], list[Finding], "Chunks | None"]
Job = tuple[Path, DatasetMeta, bool, frozenset[str] | None]


def data_files(path: Path) -> list[Path]:
    """The TOML files a dataset path consists of (the path itself when it is a file)."""
    if not path.exists():
        raise DataError.said(("load.no_dataset",), path=str(path))
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise DataError.said(("load.irregular",), path=str(path))
    try:
        names = sorted(os.listdir(path))
    except PermissionError:
        raise DataError.said(("load.denied",), path=str(path)) from None
    files = [path / n for n in names if n.endswith(".toml")]
    if not files:
        raise DataError.said(("load.no_toml",), path=str(path))
    return files


def _section_job(job: Job) -> SectionResult:
    path, meta, strict, known = job
    problems = Problems(strict)
    section, indicators = load_section_file(path, meta, problems, known)
    return section, indicators, problems.found, None


def _section_job_packed(job: Job) -> tuple[Section | None, bytes, list[Finding], Chunks | None]:
    """_section_job for a worker process, its indicators packed (fanpin_cli.packing).

    Pickling 100,000 NamedTuples with Decimals costs more than parsing them in parallel
    saves; marshal'd columns are several times faster. With the cache on, the records'
    cache chunks are made here too, in parallel, so that a cold run does not encode them
    all afterwards in one process.
    """
    from fanpin_cli import cache
    from fanpin_cli.cache_format import chunks_of_columns
    from fanpin_cli.packing import NUMBERS, figure_texts, pack_columns

    path, meta, strict, known = job
    problems = Problems(strict)
    section, columns = load_section_columns(path, meta, problems, known)
    for n in NUMBERS:  # as both the packed columns and the chunks hold them
        columns[n] = figure_texts(columns[n])
    chunks = chunks_of_columns(columns) if cache.enabled() else None
    return section, pack_columns(columns), problems.found, chunks


def _load_sections(jobs: list[Job]) -> Iterator[SectionResult]:
    """Each section file loaded, in order; big datasets in parallel on every core.

    TOML parsing is CPU-bound and holds the GIL, so a 100,000-record dataset is parsed by
    one forked worker process per core (results come back in file order, and the first
    error in file order is the one raised).
    """
    cores = os.cpu_count() or 1
    size = sum(job[0].stat().st_size for job in jobs if job[0].is_file())
    if cores < 2 or len(jobs) < 2 or size < PARALLEL_BYTES or not hasattr(os, "fork"):
        yield from map(_section_job, jobs)
        return
    from fanpin_cli.packing import unpack
    from fanpin_cli.workers import ordered_map

    processes = min(cores, len(jobs))
    for section, packed, found, chunks in ordered_map(_section_job_packed, jobs, processes):
        indicators = unpack(packed, trusted=True)  # packed a moment ago by our own worker
        assert indicators is not None
        yield section, indicators, found, chunks


def load_directory(path: Path, *, strict: bool = True) -> DirectoryData:
    """Load one dataset directory, or a single section file, without any cache."""
    return load_directory_packed(path, strict=strict)[0]


def load_directory_packed(
    path: Path, *, strict: bool = True
) -> tuple[DirectoryData, list[Chunks] | None]:
    """load_directory, plus its records' cache chunks as the worker processes made them (if
    they did and nothing was dropped), for the cache to store without encoding them again.

    The garbage collector is paused meanwhile (the workers are forked with it paused):
    records hold no cycles, and among a million of them it would only keep looking. A big
    load's objects are then frozen out of its sight (gc.freeze: refcounting still frees
    them), or its next collections would each walk every record once more.
    """
    collecting = gc.isenabled()
    gc.disable()
    loaded: tuple[DirectoryData, list[Chunks] | None] | None = None
    try:
        loaded = _load_directory_packed(path, strict)
        return loaded
    finally:
        if loaded is not None and len(loaded[0].indicators) >= FREEZE_RECORDS:
            gc.freeze()
        if collecting:
            gc.enable()


def _load_directory_packed(path: Path, strict: bool) -> tuple[DirectoryData, list[Chunks] | None]:
    if path.suffix.lower() in (".xlsx", ".xls", ".ods", ".csv") and not path.is_dir():
        from fanpin_cli.sheets.read import load_sheet  # a spreadsheet submission

        return load_sheet(path, strict=strict), None
    problems = Problems(strict)
    files = data_files(path)
    is_dir = path.is_dir()
    directory = path if is_dir else path.parent
    meta, order = (
        load_meta(directory, problems) if is_dir else (DatasetMeta(path=str(directory)), None)
    )
    known = frozenset(order) if order is not None else None
    sections: list[Section] = []
    targets: list[Target] = []
    regions: list[Region] = []
    section_files = [f for f in files if f.name not in SPECIAL_FILES or not is_dir]
    # each file's section, indicators and packed indicators (a file holds one section)
    chunks: list[tuple[str, list[Indicator], Chunks | None]] = []
    loaded = _load_sections([(f, meta, strict, known) for f in section_files])
    for file in files:
        name = file.name
        if name in (META_FILE, CITATIONS_FILE) and is_dir:  # citations: read by load()
            continue
        if name == TARGETS_FILE:
            targets.extend(load_targets(file, problems))
        elif name == REGIONS_FILE:
            regions.extend(load_regions(file, problems))
        else:
            section, inds, found, packed = next(loaded)
            problems.extend(found)
            if section is not None:
                sections.append(section)
            chunks.append((section.key if section else "", inds, packed))
    if order is not None:  # sections in the declared order; files of one section in name order
        rank = {k: i for i, k in enumerate(order)}
        sections.sort(key=lambda s: rank.get(s.key, len(rank)))
        chunks.sort(key=lambda c: rank.get(c[0], len(rank)))
    indicators = list(chain.from_iterable(inds for _, inds, _ in chunks))
    count = len(indicators)
    indicators = unique(indicators, problems)
    blobs = [f for _, _, f in chunks]
    whole = len(indicators) == count and all(f is not None for f in blobs)
    source_text: str | None = None
    if meta.source_document:
        try:
            source_text = read_text(directory / meta.source_document)
        except Refused:
            raise  # a FIFO or device as the source document is refused, not reported
        except DataError as exc:
            name = meta.source_document
            problems.add(
                joined(("of.source", name), exc.reason)
                if exc.reason
                else f"source document {name!r}: {exc.message}",
                path=str(directory / META_FILE),
                line=1,
                rule="quotes",
            )
    data = DirectoryData(
        meta, tuple(sections), tuple(indicators), tuple(targets), tuple(regions), source_text,
        tuple(problems.found),
    )  # fmt: skip
    return data, [f for f in blobs if f is not None] if whole else None


_KEY = itemgetter(*(Indicator._fields.index(name) for name in KEY))


def unique(indicators: Iterable[Indicator], problems: Problems) -> list[Indicator]:
    """`indicators` without repeats of (id, region, period); each repeat is a schema error."""
    indicators = list(indicators)
    keys = list(map(_KEY, indicators))
    if len(set(keys)) == len(keys):  # the usual case, checked at C speed
        return indicators
    seen: dict[tuple[str, str, str], Indicator] = {}
    out: list[Indicator] = []
    for ind, key in zip(indicators, keys, strict=True):
        first = seen.get(key)
        if first is None:
            seen[key] = ind
            out.append(ind)
            continue
        problems.add(
            ("schema.duplicate", ind.id, ind.region_code, ind.period, first.file, str(first.line)),
            path=ind.file,
            line=ind.line,
            ids=[ind.id],
        )
    return out
