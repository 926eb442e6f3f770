"""A cold run of a big dataset fills the cache from its worker processes' chunks and reads
it back as a warm run does: the records are never built in the parent process (at a
million records that was 650 MB), and every result is the one a run without cache gives."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import Result, run

import fanpin_cli.reading.load as load_package
import fanpin_cli.reading.load.directory as load_module
import fanpin_cli.reading.store.packing as packing
from fanpin_cli.reading.store import cache
from fanpin_cli.writers.synthetic import write_dataset

COMMANDS = (
    ("export", "--csv"),
    ("show", "--region", "620121", "--period", "2023", "-o", "csv"),
    ("check", "-o", "csv"),
    ("rollup", "--to", "620100", "--period", "2023", "-o", "csv"),
)


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SYNTHETIC dataset that is parsed by worker processes, as a big one is."""
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 1)
    return write_dataset(tmp_path / "synthetic", 1_500)


def fanpin(data: Path, cache_home: Path | None, *args: str) -> Result:
    if cache_home is None:
        return run("--lang", "en", "--data", str(data), *args, env={"FANPIN_CACHE": "0"})
    shutil.rmtree(cache_home, ignore_errors=True)  # cold, every time
    env = {"FANPIN_CACHE": "1", "XDG_CACHE_HOME": str(cache_home)}
    return run("--lang", "en", "--data", str(data), *args, env=env)


def refuse_records_in_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    def unpack(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cold run built the records in the parent process")

    monkeypatch.setattr(packing, "unpack", unpack)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_cold_run_never_builds_the_records_in_the_parent(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    without = fanpin(big, None, *args)
    assert without.code in (0, 1) and without.out_bytes
    refuse_records_in_parent(monkeypatch)
    cold = fanpin(big, tmp_path / "cache", *args)
    assert (cold.code, cold.out_bytes, cold.err) == (without.code, without.out_bytes, without.err)
    assert len(list((tmp_path / "cache" / "fanpin").glob("synthetic-*.cache"))) == 1


def test_filled_entry_is_the_entry_a_parse_writes(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("FANPIN_CACHE", "1")
    # Files written just now are "racy" (their CRC is stored) until RACY_NS has passed, so on
    # a busy machine the second load could store fewer CRCs than the first: age them.
    past = time.time_ns() - 10 * cache.RACY_NS
    for path in big.rglob("*"):
        os.utime(path, ns=(past, past))
    file = cache.cache_file(big)
    load_package.load([big], use_cache=True)
    filled = file.read_bytes()
    file.unlink()
    monkeypatch.setattr(load_package, "read_filled", lambda *args, **kwargs: None)
    load_package.load([big], use_cache=True)
    assert file.read_bytes() == filled


def test_a_repeated_record_is_reported_as_a_parse_reports_it(big: Path, tmp_path: Path) -> None:
    # the first record of income.toml, again at the end of policy.toml: a repeat across files
    income = (big / "income.toml").read_text(encoding="utf-8")
    first = income[income.index("[[indicator]]") :].split("\n\n")[0]
    with (big / "policy.toml").open("a", encoding="utf-8") as f:
        f.write("\n" + first + "\n")
    without = fanpin(big, None, "check", "-o", "csv")
    cold = fanpin(big, tmp_path / "cache", "check", "-o", "csv")
    assert "repeated" in without.out or "duplicate" in without.out
    assert (cold.code, cold.out, cold.err) == (without.code, without.out, without.err)
    shown = fanpin(big, tmp_path / "cache", "show", "--region", "620121", "-o", "csv")
    assert shown.code == 3 and "policy.toml:" in shown.err
    assert shown.err == fanpin(big, None, "show", "--region", "620121", "-o", "csv").err


def test_a_schema_error_stops_a_cold_run_as_a_parse_does(big: Path, tmp_path: Path) -> None:
    file = big / "income.toml"
    text = file.read_text(encoding="utf-8")
    assert 'unit = "个"' in text
    file.write_text(text.replace('unit = "个"', "unit = 7", 1), encoding="utf-8")
    args = ("show", "--region", "620121", "--period", "2023", "-o", "csv")
    without = fanpin(big, None, *args)
    cold = fanpin(big, tmp_path / "cache", *args)
    assert without.code == 3 and "income.toml:" in without.err
    assert (cold.code, cold.out, cold.err) == (without.code, without.out, without.err)


def test_without_a_usable_cache_directory_the_records_are_parsed_as_usual(
    big: Path, tmp_path: Path
) -> None:
    args = ("show", "--region", "620121", "--period", "2023", "-o", "csv")
    without = fanpin(big, None, *args)
    env = {"FANPIN_CACHE": "1", "HOME": "/nonexistent", "XDG_CACHE_HOME": ""}
    homeless = run("--lang", "en", "--data", str(big), *args, env=env)
    assert (homeless.code, homeless.out_bytes) == (0, without.out_bytes)


@pytest.fixture
def spilling(big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`big`, spilled to a temporary file of a directory of its own with the cache off."""
    monkeypatch.setattr(load_module, "SPILL_BYTES", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return big


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_with_the_cache_off_a_very_big_dataset_is_spilled_not_built(
    spilling: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    with monkeypatch.context() as m:
        m.setattr(load_module, "SPILL_BYTES", 10**12)
        in_memory = fanpin(spilling, None, *args)
    assert in_memory.code in (0, 1) and in_memory.out_bytes
    refuse_records_in_parent(monkeypatch)
    env = {"FANPIN_CACHE": "0", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    spilled = run("--lang", "en", "--data", str(spilling), *args, env=env)
    assert (spilled.code, spilled.out_bytes, spilled.err) == (
        in_memory.code, in_memory.out_bytes, in_memory.err,
    )  # fmt: skip
    assert not (tmp_path / "cache").exists()  # no cache
    assert list((tmp_path / "tmp").iterdir()) == []  # the spill has no name, leaves nothing


def test_a_spill_that_cannot_be_written_loads_as_usual(spilling: Path, tmp_path: Path) -> None:
    args = ("show", "--region", "620121", "--period", "2023", "-o", "csv")
    spilled = fanpin(spilling, None, *args)
    (tmp_path / "tmp").rmdir()  # no temporary directory: cache.spill gives None
    assert cache.spill is not None
    nowhere = fanpin(spilling, None, *args)
    assert (nowhere.code, nowhere.out_bytes) == (0, spilled.out_bytes)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_an_entry_that_cannot_be_written_is_read_from_a_spill_not_parsed_again(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    without = fanpin(big, None, *args)
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    planted = cache.cache_file(big)  # a directory where the entry would go: never written
    monkeypatch.delenv("XDG_CACHE_HOME")
    refuse_records_in_parent(monkeypatch)  # the chunks already made are read, not re-parsed
    env = {"FANPIN_CACHE": "1", "XDG_CACHE_HOME": str(home)}
    for _ in range(2):
        shutil.rmtree(home, ignore_errors=True)
        (planted / "inside").mkdir(parents=True)
        blocked = run("--lang", "en", "--data", str(big), *args, env=env)
        assert (blocked.code, blocked.out_bytes, blocked.err) == (
            without.code, without.out_bytes, without.err,
        )  # fmt: skip
        assert planted.is_dir()
