"""Nothing grows quadratically with the number of datasets, files or cache entries.

A national collection is thousands of county folders (benchmarks/realistic.py). These tests
count the steps that used to be repeated per dataset for every file, or per cache entry
for every entry written, and hold them constant as the collection grows tenfold: counts,
not wall time, so that a loaded machine cannot make them flaky.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI, run

from fanpin_cli.analysis.checks import run_checks
from fanpin_cli.core.model import Dataset
from fanpin_cli.files import tempfiles
from fanpin_cli.reading.load import load
from fanpin_cli.reading.store import cache


class CountedMetas(tuple):  # type: ignore[type-arg]
    """A tuple that counts how often it is walked through."""

    walks = 0

    def __iter__(self) -> Iterator[object]:
        CountedMetas.walks += 1
        return super().__iter__()


def _collection(root: Path, folders: int) -> Path:
    """`folders` SYNTHETIC county folders (copies of the mini dataset, invented regions)."""
    for n in range(folders):
        folder = root / f"9{n:05d}"
        shutil.copytree(MINI, folder)
        meta = folder / "dataset.toml"
        text = meta.read_text(encoding="utf-8")
        meta.write_text(text.replace('"620121"', f'"9{n:05d}"'), encoding="utf-8")
    return root


def _quote_walks(mini: Dataset, folders: int) -> int:
    """How often the quotes rule walks the datasets for a collection of `folders` folders."""
    meta, sections = mini.metas[0], mini.sections
    records, metas, sources = [], [], {}
    for n in range(folders):
        path = f"/synthetic/{n}"
        metas.append(meta._replace(path=path))
        sources[path] = mini.sources[meta.path]
        for ind in mini.indicators:
            file = f"{path}/{os.path.basename(ind.file)}"
            records.append(ind._replace(file=file, region_code=f"9{n:05d}"))
    dataset = Dataset(tuple(records), sections, metas=CountedMetas(metas), sources=sources)
    CountedMetas.walks = 0
    report = run_checks(dataset, ("quotes",))
    assert report.findings == () and report.checks_run >= len(records)  # every quote found
    return CountedMetas.walks


def test_the_quotes_rule_walks_the_datasets_once_not_once_per_file() -> None:
    mini = load([MINI], use_cache=False)
    assert _quote_walks(mini, 10) == _quote_walks(mini, 1000)


def test_a_cold_collection_lists_the_cache_directory_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry written used to list the whole cache directory (and compile a regex) to
    sweep its leftovers: a cold run of n folders listed it n times."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("FANPIN_CACHE", "1")
    monkeypatch.setattr(tempfiles, "_swept", set(), raising=False)
    listed: list[str] = []
    real = os.listdir

    def listdir(path: str = ".") -> list[str]:
        if os.fspath(path) == os.fspath(cache.cache_dir()):
            listed.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    root = _collection(tmp_path / "counties", 60)
    dataset = load([root])
    assert len(dataset.metas) == 60
    entries = [n for n in os.listdir(cache.cache_dir()) if n.startswith("9")]
    assert len(entries) == 60  # an entry per folder (and one for the bundled regions)
    assert len(listed) == 2  # the sweep, once, and the line above


def test_the_cache_still_sweeps_a_killed_writers_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once per process is still every process, and now of every entry's leftovers, not
    only those of the entries written again: an abandoned temporary entry (no lock, a
    minute old) goes, an unrelated file of another shape stays."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "FANPIN_CACHE": "1"}
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])
    monkeypatch.setattr(tempfiles, "_swept", set(), raising=False)
    directory = cache.cache_dir()
    directory.mkdir(parents=True)
    dead = directory / ".mini-0123abcd.cache.k2j4h5g6.tmp"
    other = directory / "notes.txt"
    for path in (dead, other):
        path.write_bytes(b"half an entry")
        then = path.stat().st_mtime - tempfiles.STALE_SECONDS - 1
        os.utime(path, (then, then))
    r = run("check", "--data", str(_collection(tmp_path / "c", 2)), env=env)
    assert r.code == 0, r.err
    assert not dead.exists() and other.exists()


def test_a_library_load_freezes_nothing_of_its_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gc.freeze() moved every object of the process out of the collector's sight, the
    caller's own too, whenever a load read records from the cache or parsed 20,000 or more
    (FREEZE_RECORDS, one here): only the command line's process does it now."""
    import gc

    import fanpin_cli
    from fanpin_cli.reading.load import directory

    monkeypatch.setattr(fanpin_cli, "FREEZE_GC", False)
    monkeypatch.setattr(directory, "FREEZE_RECORDS", 1)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gc.unfreeze()
    for cached in (False, True, True):  # parsed, then the cache filled and read warm
        assert len(load([MINI], use_cache=cached).indicators) == 5
        assert gc.get_freeze_count() == 0
    fanpin_cli.FREEZE_GC = True  # the command line's own process: frozen as before
    load([MINI], use_cache=True)
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_a_collection_looks_each_folders_region_up_once_in_a_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether every folder's region is in the region table was asked of Dataset.region, a
    walk of the whole table, once per folder: 10,310 folders of 1M realistic records spent
    3.3 s of a filtered show there. Now one set of the codes serves every folder."""
    monkeypatch.setenv("FANPIN_CACHE", "0")
    root = _collection(tmp_path / "counties", 30)
    for n, folder in enumerate(sorted(root.iterdir())):
        code = f"9{n:05d}"
        (folder / "regions.toml").write_text(
            f'[[region]]\ncode = "{code}"\nname_zh = "合成县{code}"\n'
            f'name_en = "Synthetic county {code}"\nparent = "620100"\n',
            encoding="utf-8",
        )
    calls: list[str] = []
    real = Dataset.region

    def region(self: Dataset, code: str) -> object:
        calls.append(code)
        return real(self, code)

    monkeypatch.setattr(Dataset, "region", region)
    dataset = load([root])
    assert len(dataset.metas) == 30
    assert {m.region_code for m in dataset.metas} <= {r.code for r in dataset.regions}
    assert len(calls) < 3
