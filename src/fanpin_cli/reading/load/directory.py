"""One dataset directory (or single file) loaded: its files, parsed in parallel when big."""

from __future__ import annotations

import gc
import os
from array import array
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import (
    DatasetMeta,
    DirectoryData,
    Finding,
    Indicator,
    Region,
    Section,
    Target,
)
from fanpin_cli.core.schema import KEY_POSITIONS
from fanpin_cli.files.safe_read import Refused, refuse_irregular
from fanpin_cli.reading.load.names import toml_names
from fanpin_cli.reading.load.problems import Problems, joined, unique
from fanpin_cli.reading.load.records import (
    CITATIONS_FILE,
    META_FILE,
    REGIONS_FILE,
    SPECIAL_FILES,
    TARGETS_FILE,
    Columns,
    load_meta,
    load_regions,
    load_section_columns,
    load_section_file,
    load_targets,
)
from fanpin_cli.reading.load.text import read_text

if TYPE_CHECKING:
    from fanpin_cli.reading.store.format import Chunks

PARALLEL_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves
# with the cache off, from this size a dataset's records go through an unnamed temporary file
# (cache.spill) rather than all into memory: 250,000 records, 170 MB of them (it costs CPU)
SPILL_BYTES = 50_000_000
FREEZE_RECORDS = 20_000  # from this many records, a load freezes its objects (gc.freeze)

# a section file's section, records, problems and the records' cache chunks (when made)
Job = tuple[Path, DatasetMeta, bool, frozenset[str] | None]


class Keys(NamedTuple):
    """A section file's records as a worker filling the cache hands them back: the hashes
    of their keys (id, region, period; 8 bytes each, in machine order) and their count.
    Forked workers hash strings as their parent does."""

    hashes: bytes
    total: int


# a section file's section, records (or their Keys), problems and cache chunks (when made)
SectionResult = tuple[Section | None, "list[Indicator] | Keys", list[Finding], "Chunks | None"]


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
    files = [path / n for n in toml_names(names)[0]]  # hidden files and editors' locks left out
    if not files:
        raise DataError.said(("load.no_toml",), path=str(path))
    refuse_irregular(files)  # a FIFO or device: refused before seconds of parsing the rest
    return files


def _section_job(job: Job) -> SectionResult:
    path, meta, strict, known = job
    problems = Problems(strict)
    section, indicators = load_section_file(path, meta, problems, known)
    return section, indicators, problems.found, None


def _section_columns(job: Job) -> tuple[Section | None, Columns, list[Finding]]:
    """A section file parsed by a worker process, as columns with figures as their text
    (as both the packed columns and the cache's chunks hold them)."""
    from fanpin_cli.reading.store.packing import NUMBERS, figure_texts

    path, meta, strict, known = job
    problems = Problems(strict)
    section, columns = load_section_columns(path, meta, problems, known)
    for n in NUMBERS:
        columns[n] = figure_texts(columns[n])
    return section, columns, problems.found


def _section_job_packed(job: Job) -> tuple[Section | None, bytes, list[Finding], Chunks | None]:
    """_section_job for a worker process, its indicators packed (fanpin_cli.reading.store.packing).

    Pickling 100,000 NamedTuples with Decimals costs more than parsing them in parallel
    saves; marshal'd columns are several times faster. With the cache on, the records'
    cache chunks are made here too, in parallel, so that a cold run does not encode them
    all afterwards in one process.
    """
    from fanpin_cli.reading.store import cache
    from fanpin_cli.reading.store.format import chunks_of_columns
    from fanpin_cli.reading.store.packing import pack_columns

    section, columns, found = _section_columns(job)
    chunks = chunks_of_columns(columns) if cache.enabled() else None
    return section, pack_columns(columns), found, chunks


def _section_job_chunks(job: Job) -> SectionResult:
    """_section_job for a worker process filling the cache: the records' chunks and their
    keys' hashes (for the parent's look for repeats), the records themselves not sent."""
    from fanpin_cli.reading.store.format import chunks_of_columns

    section, columns, found = _section_columns(job)
    keys = array("q", map(hash, zip(*(columns[n] for n in KEY_POSITIONS), strict=True)))
    return section, Keys(keys.tobytes(), len(columns[0])), found, chunks_of_columns(columns)


def _processes(jobs: list[Job]) -> int:
    """How many worker processes parse `jobs` (0: parsed here, one after the other).

    TOML parsing is CPU-bound and holds the GIL, so a 100,000-record dataset is parsed by
    one forked worker process per core (results come back in file order, and the first
    error in file order is the one raised).
    """
    cores = os.cpu_count() or 1
    if cores < 2 or len(jobs) < 2 or not hasattr(os, "fork"):
        return 0
    size = sum(job[0].stat().st_size for job in jobs if job[0].is_file())
    return min(cores, len(jobs)) if size >= PARALLEL_BYTES else 0


def _load_sections(jobs: list[Job]) -> Iterator[SectionResult]:
    """Each section file loaded, in order; big datasets in parallel on every core."""
    processes = _processes(jobs)
    if not processes:
        yield from map(_section_job, jobs)
        return
    from fanpin_cli.reading.store.packing import unpack
    from fanpin_cli.reading.workers import ordered_map

    for section, packed, found, chunks in ordered_map(_section_job_packed, jobs, processes):
        indicators = unpack(packed, trusted=True)  # packed a moment ago by our own worker
        assert indicators is not None
        yield section, indicators, found, chunks


def load_directory_packed(
    path: Path, *, strict: bool = True
) -> tuple[DirectoryData, list[Chunks] | None]:
    """load_directory, plus its records' cache chunks as the worker processes made them (if
    they did and nothing was dropped), for the cache to store without encoding them again."""
    loaded = _paused(path, strict, fill=False)
    assert loaded is not None  # only a fill is ever declined
    return loaded.data, loaded.chunks


class Filled(NamedTuple):
    """A dataset parsed into the cache's chunks (`load_directory_chunks`)."""

    data: DirectoryData  # everything but the records (data.indicators is empty)
    chunks: list[Chunks] | None  # the records' chunks, one list per section file, in order
    total: int  # how many records the chunks hold


def load_directory_chunks(path: Path, least: int | None = None) -> Filled | None:
    """A big dataset directory parsed by worker processes into the cache's chunks, its
    records never built in this process (a million of them take 650 MB here), for the
    cache to be filled and then read as a warm run reads it.

    None when that does not apply: a dataset small enough to parse here (or one core, a
    single file, a spreadsheet), or a record repeated (then load_directory_packed loads it
    again and says where). Schema problems are collected, not raised, as the cache keeps
    them. `least`: the fewest bytes of TOML it applies to (PARALLEL_BYTES).
    """
    if not path.is_dir() or (os.cpu_count() or 1) < 2:
        return None
    try:  # a first look, before any file is read: most datasets are small
        names = toml_names(os.listdir(path))[0]
        if sum((path / n).stat().st_size for n in names) < (least or PARALLEL_BYTES):
            return None
    except OSError:
        return None  # loading it says what is wrong
    return _paused(path, False, fill=True)


def _paused(path: Path, strict: bool, *, fill: bool) -> Filled | None:
    """_load_directory with the garbage collector paused.

    Records hold no cycles, and among a million of them it would only keep looking (the
    workers are forked with it paused). A big load's objects are then frozen out of its
    sight (gc.freeze: refcounting still frees them), or its next collections would each
    walk every record once more.
    """
    collecting = gc.isenabled()
    gc.disable()
    loaded: Filled | None = None
    try:
        loaded = _load_directory(path, strict, fill)
        return loaded
    finally:
        if loaded is not None and len(loaded.data.indicators) >= FREEZE_RECORDS:
            from fanpin_cli import freeze_gc

            freeze_gc()
        if collecting:
            gc.enable()


def _load_directory(path: Path, strict: bool, fill: bool) -> Filled | None:
    if path.suffix.lower() in (".xlsx", ".xls", ".ods", ".csv") and not path.is_dir():
        from fanpin_cli.reading.sheets.read import load_sheet  # a spreadsheet submission

        data = load_sheet(path, strict=strict)
        return Filled(data, None, len(data.indicators))
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
    jobs = [(f, meta, strict, known) for f in files if f.name not in SPECIAL_FILES or not is_dir]
    if fill:
        from fanpin_cli.reading.workers import ordered_map

        processes = _processes(jobs)
        if not processes:
            return None
        loaded: Iterator[SectionResult] = ordered_map(_section_job_chunks, jobs, processes)
    else:
        loaded = _load_sections(jobs)
    # each file's section, records (or their keys) and cache chunks (a file holds one section)
    parts: list[tuple[str, list[Indicator] | Keys, Chunks | None]] = []
    for file in files:
        name = file.name
        if name in (META_FILE, CITATIONS_FILE) and is_dir:  # citations: read by load()
            continue
        if name == TARGETS_FILE:
            targets.extend(load_targets(file, problems))
        elif name == REGIONS_FILE:
            regions.extend(load_regions(file, problems))
        else:
            section, records, found, chunks = next(loaded)
            problems.extend(found)
            if section is not None:
                sections.append(section)
            parts.append((section.key if section else "", records, chunks))
    if order is not None:  # sections in the declared order; files of one section in name order
        rank = {k: i for i, k in enumerate(order)}
        sections.sort(key=lambda s: rank.get(s.key, len(rank)))
        parts.sort(key=lambda c: rank.get(c[0], len(rank)))
    blobs = [chunks for _, _, chunks in parts]
    indicators: list[Indicator] = []
    if fill:
        keys = array("q")
        for _, records, _ in parts:
            assert isinstance(records, Keys)
            keys.frombytes(records.hashes)
        count = len(keys)
        if len(set(keys)) != count:  # a repeat (or two keys of one hash): say where
            return None
    else:
        indicators = list(chain.from_iterable(r for _, r, _ in parts if isinstance(r, list)))
        count = len(indicators)
        indicators = unique(indicators, problems)
    whole = len(indicators) == count or fill
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
    if whole and all(f is not None for f in blobs):
        return Filled(data, [f for f in blobs if f is not None], count)
    return None if fill else Filled(data, None, count)
