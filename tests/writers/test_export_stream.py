"""A warm export of every record is rendered a batch at a time from the cache
(fanpin_cli.writers.stream): the same bytes as the whole export, and a damaged entry met
midway costs nothing but time."""

from __future__ import annotations

import json
import shutil
import zlib
from collections.abc import Callable
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from conftest import run

from fanpin_cli.reading.load import load_directory
from fanpin_cli.reading.load.streamed import load_streamed
from fanpin_cli.reading.store import cache
from fanpin_cli.reading.store import format as cache_format
from fanpin_cli.writers import stream as export_stream
from fanpin_cli.writers.synthetic import write_dataset


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The cache on, in a private directory (for this process and for `run`)."""
    env = {"FANPIN_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """SYNTHETIC: 600 invented records in six section files (eight regions, three periods)."""
    return write_dataset(tmp_path / "synthetic-600", 600, label="600 records")


def fill_by_parts(path: Path) -> None:
    """Fill the cache as the parallel load does: one part of chunks per section file."""
    data = load_directory(path, strict=False)
    files = [list(g) for _, g in groupby(data.indicators, key=attrgetter("file"))]
    assert len(files) > 1
    packed = [cache_format.chunks_of(records) for records in files]
    cache.write(cache.cache_file(path), cache.fingerprint(path), data, packed)


@pytest.fixture
def streamed_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each export, whether the streamed path gave its bytes."""
    calls: list[bool] = []
    real = export_stream.export_batches

    def spy(*args: Any, **kwargs: Any) -> list[bytes] | None:
        pieces = real(*args, **kwargs)
        calls.append(pieces is not None)
        return pieces

    monkeypatch.setattr(export_stream, "export_batches", spy)
    return calls


@pytest.mark.parametrize(
    "args",
    [
        ["--csv"],
        ["--tsv"],
        ["--jsonl"],
        ["--csv", "--no-header"],
        ["--csv", "--fields", "value,id,region_name_en"],
        ["--tsv", "--lang", "en"],
    ],
)
def test_a_streamed_export_is_the_whole_export_byte_for_byte(
    synthetic: Path,
    xdg: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    streamed_calls: list[bool],
    args: list[str],
) -> None:
    fill_by_parts(synthetic)
    monkeypatch.setattr(cache, "BATCH", 37)  # many batches, some across parts
    whole = run("--data", str(synthetic), "export", *args, env={"FANPIN_CACHE": "0"})
    streamed = run("--data", str(synthetic), "export", *args, env=xdg)
    assert streamed_calls == [True]
    assert whole.code == 0 and whole.out.count("\n") >= 600
    assert (streamed.code, streamed.out_bytes, streamed.err) == (0, whole.out_bytes, "")


def test_a_streamed_export_to_a_file_is_the_whole_export(
    synthetic: Path,
    xdg: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    streamed_calls: list[bool],
) -> None:
    fill_by_parts(synthetic)
    monkeypatch.setattr(cache, "BATCH", 50)
    whole = run("--data", str(synthetic), "export", "--csv", env={"FANPIN_CACHE": "0"})
    out = tmp_path / "out.csv"
    result = run("--data", str(synthetic), "export", "--csv", "--output", str(out), env=xdg)
    assert (result.code, result.out, streamed_calls) == (0, "", [True])
    assert out.read_bytes() == whole.out_bytes
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []


def test_the_bundled_export_streamed_is_byte_identical(
    xdg: dict[str, str], streamed_calls: list[bool]
) -> None:
    whole = run("export", "--csv", env={"FANPIN_CACHE": "0"})
    run("export", "--csv", env=xdg)  # fills the cache (parsing: nothing streamed)
    warm = run("export", "--csv", env=xdg)
    assert streamed_calls[-1] is True
    assert (warm.code, warm.out_bytes) == (0, whole.out_bytes)


def _last_chunk(path: Path) -> tuple[Path, bytes, dict[str, Any], int]:
    """The cache file of `path`, its bytes, its directory and where its pieces start."""
    entry = cache.cache_file(path)
    blob = entry.read_bytes()
    head = len(cache_format.MAGIC)
    length = int(blob[head : head + 16], 16)
    start = cache_format.HEAD
    return entry, blob, json.loads(blob[start : start + length]), start + length


def forged_last_chunk(blob: bytes, directory: dict[str, Any], base: int) -> bytes:
    """`blob` with its last chunk replaced by JSON of the wrong shape, checksummed."""
    piece = b'{"rows": [0], "id": 7}'
    *_, chunk = directory["chunks"]
    chunk[1], chunk[2], chunk[3] = len(blob) - base, len(piece), zlib.crc32(piece)
    text = json.dumps(directory, ensure_ascii=False, separators=(",", ":")).encode()
    head = cache_format.MAGIC + b"%016x%08x\n" % (len(text), zlib.crc32(text))
    return head + text + blob[base:] + piece


def flipped_last_chunk(blob: bytes, directory: dict[str, Any], base: int) -> bytes:
    """`blob` with one byte of its last chunk changed (its checksum no longer matches)."""
    *_, chunk = directory["chunks"]
    at = base + chunk[1] + chunk[2] // 2
    return blob[:at] + bytes([blob[at] ^ 0x20]) + blob[at + 1 :]


@pytest.mark.parametrize("damage", [forged_last_chunk, flipped_last_chunk])
def test_a_damaged_chunk_met_midway_is_rebuilt_and_the_export_is_whole(
    synthetic: Path,
    xdg: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    streamed_calls: list[bool],
    damage: Callable[[bytes, dict[str, Any], int], bytes],
) -> None:
    fill_by_parts(synthetic)
    monkeypatch.setattr(cache, "BATCH", 40)
    whole = run("--data", str(synthetic), "export", "--csv", env={"FANPIN_CACHE": "0"})
    entry, blob, directory, base = _last_chunk(synthetic)
    entry.write_bytes(damage(blob, directory, base))

    # the damage is only met after some batches were read
    streamed = load_streamed([synthetic])
    assert streamed is not None
    read: list[int] = []
    with pytest.raises(cache.Damaged):
        for batch in streamed.records:
            read.append(len(batch))
    assert sum(read) >= 400 and streamed.records.fd is None  # closed

    result = run("--data", str(synthetic), "export", "--csv", env=xdg)
    assert streamed_calls == [False]  # nothing used from the damaged entry
    assert (result.code, result.out_bytes, result.err) == (0, whole.out_bytes, "")
    rebuilt = cache.read(entry, cache.fingerprint(synthetic))
    assert rebuilt is not None and len(rebuilt.indicators) == whole.out.count("\n") - 1
    again = run("--data", str(synthetic), "export", "--csv", env=xdg)
    assert streamed_calls == [False, True] and again.out_bytes == whole.out_bytes


def test_records_with_references_midway_are_exported_the_usual_way(
    synthetic: Path,
    xdg: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    streamed_calls: list[bool],
) -> None:
    """A qualified figure adds columns to the whole export: found after some batches were
    rendered without them, the export is made the usual way."""
    last = sorted(synthetic.glob("*.toml"))[-1]
    text = last.read_text(encoding="utf-8")
    at = text.rindex("[[indicator]]")
    last.write_text(text[:at] + text[at:].replace("\nunit", '\nqualifier = ">"\nunit', 1), "utf-8")
    fill_by_parts(synthetic)
    monkeypatch.setattr(cache, "BATCH", 40)
    whole = run("--data", str(synthetic), "export", "--csv", env={"FANPIN_CACHE": "0"})
    assert whole.code == 0 and ",>" in whole.out  # the qualifier has its column
    result = run("--data", str(synthetic), "export", "--csv", env=xdg)
    assert streamed_calls == [False]
    assert (result.code, result.out_bytes) == (0, whole.out_bytes)


def test_a_usage_error_in_a_streamed_export_writes_nothing(
    synthetic: Path, xdg: dict[str, str]
) -> None:
    fill_by_parts(synthetic)
    whole = run("--data", str(synthetic), "export", "--fields", "nope", env={"FANPIN_CACHE": "0"})
    result = run("--data", str(synthetic), "export", "--fields", "nope", env=xdg)
    assert (result.code, result.out, result.err) == (2, "", whole.err) and whole.code == 2


def test_stream_batches_cover_every_record_in_order(synthetic: Path, xdg: dict[str, str]) -> None:
    fill_by_parts(synthetic)
    parsed = load_directory(synthetic, strict=False)
    opened = cache.stream(cache.cache_file(synthetic), cache.fingerprint(synthetic), 64)
    assert opened is not None
    with opened:
        got = [record for batch in opened for record in batch]
    assert tuple(got) == parsed.indicators


def _dump(path: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def sqlite_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of record batches each --sqlite export was given (0: all at once)."""
    from fanpin_cli.writers import sqlite as sqlite_export

    calls: list[int] = []
    real = sqlite_export.export_sqlite

    def spy(dataset: Any, path: Path, batches: Any = None) -> None:
        if batches is None:
            calls.append(0)
            return real(dataset, path)
        counted: list[int] = []

        def counting() -> Any:
            for batch in batches:
                counted.append(len(batch))
                yield batch

        try:
            return real(dataset, path, counting())
        finally:
            calls.append(len(counted))

    monkeypatch.setattr(sqlite_export, "export_sqlite", spy)
    return calls


def test_a_warm_sqlite_export_is_streamed_indexed_and_the_same_database(
    synthetic: Path,
    xdg: dict[str, str],
    tmp_path: Path,
    sqlite_batches: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`--sqlite` of a warm dataset inserts its records a batch at a time from the cache
    (it built them all, 1.42 GB at a million records) and indexes region and period."""
    fill_by_parts(synthetic)
    monkeypatch.setattr(cache, "BATCH", 37)
    whole, streamed = tmp_path / "whole.db", tmp_path / "streamed.db"
    r = run("--data", str(synthetic), "export", "--sqlite", str(whole), env={"FANPIN_CACHE": "0"})
    assert r.code == 0, r.err
    r = run("--data", str(synthetic), "export", "--sqlite", str(streamed), env=xdg)
    assert r.code == 0, r.err
    assert sqlite_batches[0] == 0 and sqlite_batches[1] >= 600 // 37
    assert _dump(streamed) == _dump(whole)
    import sqlite3

    con = sqlite3.connect(streamed)
    plan = con.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM indicators WHERE region_code = ? AND period = ?",
        ("620121", "2023"),
    ).fetchall()
    by_period = con.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM indicators WHERE period = ?", ("2023",)
    ).fetchall()
    by_id = con.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM indicators WHERE id = ?", ("x",)
    ).fetchall()
    con.close()
    assert "indicators_by_region" in str(plan) and "indicators_by_period" in str(by_period)
    assert "sqlite_autoindex_indicators" in str(by_id)  # the primary key's, led by the id


@pytest.mark.parametrize("damage", [forged_last_chunk, flipped_last_chunk])
def test_a_damaged_chunk_midway_through_a_sqlite_export_leaves_a_whole_database(
    synthetic: Path,
    xdg: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[bytes, dict[str, Any], int], bytes],
) -> None:
    fill_by_parts(synthetic)
    monkeypatch.setattr(cache, "BATCH", 40)
    whole, db = tmp_path / "whole.db", tmp_path / "out.db"
    assert run("--data", str(synthetic), "export", "--sqlite", str(whole),
               env={"FANPIN_CACHE": "0"}).code == 0  # fmt: skip
    for existing in (False, True):  # a new file, then an earlier export refreshed in place
        entry, blob, directory, base = _last_chunk(synthetic)
        entry.write_bytes(damage(blob, directory, base))
        r = run("--data", str(synthetic), "export", "--sqlite", str(db), env=xdg)
        assert (r.code, r.err, db.exists()) == (0, "", True), existing
        assert _dump(db) == _dump(whole)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.db")] == []


def test_a_collection_is_exported_one_cache_entry_at_a_time(
    xdg: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    streamed_calls: list[bool],
    tmp_path: Path,
    sqlite_batches: list[int],
) -> None:
    """A national collection (here the SYNTHETIC counties, 16 folders) is streamed too: it
    built every record of every folder in memory (2.7 GB at a million records)."""
    from conftest import COUNTIES

    monkeypatch.setattr(cache, "BATCH", 7)
    args = ["--data", str(COUNTIES), "export"]
    whole = run(*args, "--csv", env={"FANPIN_CACHE": "0"})
    for _ in range(2):  # cold (each folder's entry filled first), then warm
        streamed = run(*args, "--csv", env=xdg)
        assert (streamed.code, streamed.out_bytes, streamed.err) == (0, whole.out_bytes, "")
    assert streamed_calls == [True, True]
    db, whole_db = tmp_path / "c.db", tmp_path / "whole.db"
    assert run(*args, "--sqlite", str(whole_db), env={"FANPIN_CACHE": "0"}).code == 0
    assert run(*args, "--sqlite", str(db), env=xdg).code == 0
    assert sqlite_batches[-1] > 16 and _dump(db) == _dump(whole_db)


def test_a_record_repeated_across_folders_is_said_as_the_usual_load_says_it(
    xdg: dict[str, str], tmp_path: Path, streamed_calls: list[bool]
) -> None:
    from conftest import COUNTIES

    root = tmp_path / "counties"
    shutil.copytree(COUNTIES / "2023", root / "2023")
    shutil.copytree(root / "2023" / "620102", root / "2023" / "620102-again")
    args = ["--data", str(root), "export", "--csv"]
    whole = run(*args, env={"FANPIN_CACHE": "0"})
    assert whole.code == 3 and "620102-again" in whole.err
    for _ in range(2):
        r = run(*args, env=xdg)
        assert (r.code, r.out, r.err) == (3, "", whole.err)
    assert streamed_calls == [False, False]
