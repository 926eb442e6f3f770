"""The parsed-dataset cache: warm runs skip TOML, never stale, never runs code, survives damage."""

from __future__ import annotations

import json
import marshal
import os
import stat
import subprocess
import sys
import tempfile
import threading
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, REPO, injected, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanpin_cli.core.model import DirectoryData
from fanpin_cli.files.streams import running_in
from fanpin_cli.reading.load import load_directory
from fanpin_cli.reading.store import cache
from fanpin_cli.reading.store import format as cache_format


def decode(
    blob: bytes, key: cache.Key, region: str | None = None, period: str | None = None
) -> DirectoryData | None:
    """DirectoryData from cache bytes, read as `cache.read` reads a file, or None."""
    with tempfile.TemporaryFile() as handle:
        handle.write(blob)
        handle.flush()
        return cache.read(cache.Spill(handle.fileno(), len(blob), key), key, region, period)


@pytest.fixture
def cached(tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache directory, the cache switched on, and a copy of the mini dataset."""
    monkeypatch.setenv("FANPIN_TEST_CACHE_DIR", str(tmp_path / "cache"))
    d = mini
    return d


def on(tmp_path: Path) -> dict[str, str]:
    return {"FANPIN_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "xdg")}


def entries(tmp_path: Path, dataset: Path | None = None) -> list[Path]:
    """Cache files under the test's XDG_CACHE_HOME (of one dataset, when given)."""
    root = tmp_path / "xdg" / "fanpin"
    if dataset is not None:
        with running_in(injected(XDG_CACHE_HOME=str(tmp_path / "xdg"))):
            file = cache.cache_file(dataset)
        return [file] if file.exists() else []
    return sorted(root.glob("*.cache")) if root.exists() else []


def test_warm_run_parses_no_toml(
    cached: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("export", "--data", str(cached), env=on(tmp_path))
    assert first.code == 0 and len(entries(tmp_path, cached)) == 1
    import tomli

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("TOML parsed on a warm run")

    monkeypatch.setattr(tomli, "loads", refuse)
    second = run("export", "--data", str(cached), env=on(tmp_path))
    assert (second.code, second.out) == (0, first.out)


def test_cache_respects_xdg_cache_home_and_can_be_switched_off(
    cached: Path, tmp_path: Path
) -> None:
    off = run(
        "show",
        "--data",
        str(cached),
        env={"FANPIN_CACHE": "0", "XDG_CACHE_HOME": str(tmp_path / "xdg")},
    )
    assert off.code == 0 and not (tmp_path / "xdg").exists()
    for word in ("false", "no", "off", "OFF"):
        run(
            "show",
            "--data",
            str(cached),
            env={"FANPIN_CACHE": word, "XDG_CACHE_HOME": str(tmp_path / "xdg")},
        )
    assert not (tmp_path / "xdg").exists()
    assert run("show", "--data", str(cached), env=on(tmp_path)).code == 0
    assert len(entries(tmp_path, cached)) == 1


def test_an_edit_is_seen_at_once_even_with_the_same_size_and_time(
    cached: Path, tmp_path: Path
) -> None:
    f = cached / "monitoring.toml"
    assert (
        run("get", "monitoring.marginal_households", "--data", str(cached), env=on(tmp_path)).out
        == "40\n"
    )
    stat = f.stat()
    f.write_text(f.read_text(encoding="utf-8").replace("value = 40", "value = 41"), "utf-8")
    os.utime(f, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert f.stat().st_size == stat.st_size
    got = run("get", "monitoring.marginal_households", "--data", str(cached), env=on(tmp_path))
    assert got.out == "41\n"
    (cached / "extra.toml").write_text(  # a new file changes the fingerprint too
        '[section]\nkey = "monitoring"\ntitle_zh = "x"\ntitle_en = "x"\n\n[[indicator]]\n'
        'id = "monitoring.extra"\nname_zh = "额外"\nname_en = "Extra"\nvalue = 7\nunit = "户"\n',
        encoding="utf-8",
    )
    assert run("get", "monitoring.extra", "--data", str(cached), env=on(tmp_path)).out == "7\n"


@pytest.mark.parametrize(
    "damage",
    ["truncate", "garbage", "empty", "wrong-magic", "bit-flip", "valid-checksum-wrong-shape"],
)
def test_a_damaged_cache_is_rebuilt_silently(cached: Path, tmp_path: Path, damage: str) -> None:
    good = run("export", "--data", str(cached), env=on(tmp_path))
    [entry] = entries(tmp_path, cached)
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        entry.write_bytes(os.urandom(len(blob)))
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "wrong-magic":
        entry.write_bytes(b"fanpin-cache 999\n" + blob[len(cache.MAGIC) :])
    elif damage == "valid-checksum-wrong-shape":
        directory = {"key": cache.fingerprint(cached).digest, "not": "the right shape"}
        entry.write_bytes(forge(directory))
    else:
        middle = len(blob) // 2
        entry.write_bytes(blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :])
    again = run("export", "--data", str(cached), env=on(tmp_path))
    assert (again.code, again.out, again.err) == (0, good.out, "")
    key = cache.fingerprint(cached)
    assert cache.read(entry, key) is not None  # rewritten whole


def forge(directory: object, *pieces: bytes) -> bytes:
    """A cache file with valid lengths and checksums around any directory and pieces."""
    head = json.dumps(directory).encode()
    return b"".join([cache.MAGIC, b"%016x%08x\n" % (len(head), zlib.crc32(head)), head, *pieces])


def planted(key: cache.Key, piece: bytes, where: str) -> bytes:
    """A forged entry for `key` whose small part or one chunk is `piece` (checksummed)."""
    crc = zlib.crc32(piece)
    meta = cache_format._fields_of(FUZZ_ENTRY[2].meta)  # a whole entry but for `piece`
    small = json.dumps(
        {"meta": meta, "sections": [], "targets": [], "regions": [], "source_text": None,
         "problems": []}
    ).encode()  # fmt: skip
    if where == "small":
        directory = {"key": key.digest, "dependencies": [], "count": 0,
                     "small": [0, len(piece), crc], "chunks": []}  # fmt: skip
        return forge(directory, piece)
    directory = {"key": key.digest, "dependencies": [], "count": 1,
                 "small": [0, len(small), zlib.crc32(small)],
                 "chunks": [[[["620121", "2023", 1]], len(small), len(piece), crc, 0]]}  # fmt: skip
    return forge(directory, small, piece)


def test_code_in_a_cache_file_is_never_run(cached: Path, tmp_path: Path) -> None:
    run("show", "--data", str(cached), env=on(tmp_path))
    [entry] = entries(tmp_path, cached)
    key = cache.fingerprint(cached)
    marker = tmp_path / "pwned"
    code = compile(f"open({str(marker)!r}, 'w').write('x')", "evil", "exec")
    for where in ("small", "chunk"):
        entry.write_bytes(planted(key, marshal.dumps(code), where))  # valid checksums
        assert cache.read(entry, key) is None  # a code object is not data
    import pickle

    class Boom:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(cache.MAGIC + pickle.dumps(Boom()))
    r = run("show", "--data", str(cached), env=on(tmp_path))
    assert r.code == 0 and r.err == ""
    assert not marker.exists()
    code_text = Path(cache.__file__).read_text(encoding="utf-8").split('"""')[2]
    assert "pickle" not in code_text and "marshal" not in code_text


# 17 bytes that crash Python 3.11's marshal.loads (issue 12); marshal is not used any more
CRASHER = bytes.fromhex("a902be0100000072000000007201000000")


@pytest.mark.parametrize("where", ["whole file", "small", "chunk", "old format"])
def test_the_marshal_crasher_planted_anywhere_is_ignored(
    cached: Path, tmp_path: Path, where: str
) -> None:
    from conftest import run_process

    good = run_process("export", "--data", str(cached), env=on(tmp_path))
    assert good.returncode == 0
    [entry] = entries(tmp_path, cached)
    key = cache.fingerprint(cached)
    if where == "whole file":
        entry.write_bytes(CRASHER)
    elif where == "old format":  # as the marshal cache stored it, with a valid checksum
        old = b"%08x%08x" % (zlib.crc32(CRASHER), zlib.adler32(CRASHER))
        entry.write_bytes(b"fanpin-cache 2\n" + old + b"\n" + CRASHER)
    else:
        entry.write_bytes(planted(key, CRASHER, where))
    again = run_process("export", "--data", str(cached), env=on(tmp_path))
    assert (again.returncode, again.stdout, again.stderr) == (0, good.stdout, b"")


def mutations() -> st.SearchStrategy[tuple[str, int, bytes]]:
    kinds = st.sampled_from(["flip", "truncate", "insert", "replace-tail"])
    return st.tuples(kinds, st.integers(min_value=0, max_value=1 << 20), st.binary(max_size=64))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutation=mutations())
def test_fuzzed_cache_bytes_are_refused_or_read_whole(
    mutation: tuple[str, int, bytes],
) -> None:
    kind, at, data = mutation
    blob, key, parsed = FUZZ_ENTRY
    at %= len(blob)
    if kind == "flip":
        damaged = (
            blob[:at] + bytes([blob[at] ^ (data[0] if data and data[0] else 1)]) + blob[at + 1 :]
        )
    elif kind == "truncate":
        damaged = blob[:at]
    elif kind == "insert":
        damaged = blob[:at] + data + blob[at:]
    else:
        damaged = blob[:at] + data
    restored = decode(damaged, key)  # never raises, never crashes
    if damaged == blob:
        assert restored is not None and restored.indicators == parsed.indicators
    elif restored is not None:  # only an unchanged piece can be read back, and then whole
        assert restored.indicators == parsed.indicators


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(junk=st.binary(max_size=512), small=st.booleans())
def test_fuzzed_pieces_with_valid_checksums_are_refused(junk: bytes, small: bool) -> None:
    _, key, _ = FUZZ_ENTRY
    blob = planted(key, junk, "small" if small else "chunk")
    assert decode(blob, key) is None or junk.strip() != b""


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    value=st.one_of(
        st.integers(), st.floats(allow_nan=True), st.text(max_size=30), st.none(),
        st.booleans(), st.lists(st.integers(), max_size=3),
    ),
    field=st.sampled_from(["value", "line", "parts", "ratio", "additive", "name_zh", "rows"]),
)  # fmt: skip
def test_well_formed_json_of_the_wrong_types_is_refused(value: object, field: str) -> None:
    _, key, parsed = FUZZ_ENTRY
    names = [n for n in parsed.indicators[0]._fields if n not in ("region_code", "period")]
    record = parsed.indicators[0]
    body: dict[str, object] = {n: [_as_stored(getattr(record, n))] for n in names}
    body["parts"] = [list(record.parts)]
    body["ratio"] = [list(record.ratio) if record.ratio else None]
    body["rows"] = [0]
    body[field] = [value]
    try:
        piece = json.dumps(body, allow_nan=True).encode()
    except ValueError:
        return
    restored = decode(planted(key, piece, "chunk"), key)
    if restored is None:
        return
    [ind] = restored.indicators  # accepted: then every value is one the loader could make
    assert type(ind.value) in (int, Decimal, type(None))
    if ind.value is not None:
        assert -(10**18) < ind.value < 10**18
    assert type(ind.line) is int and type(ind.name_zh) is str
    assert type(ind.parts) is tuple and all(type(p) is str for p in ind.parts)
    assert ind.ratio is None or (len(ind.ratio) == 2 and all(type(p) is str for p in ind.ratio))
    assert ind.additive in (None, True, False) and type(ind.additive) in (bool, type(None))


def _fuzz_entry() -> tuple[bytes, cache.Key, object]:
    parsed = load_directory(DATA, strict=False)
    key = cache.Key("fuzz", str(DATA), ())
    return cache_format.encode(key.digest, parsed), key, parsed


FUZZ_ENTRY = _fuzz_entry()


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink-to-device", "dangling-symlink"])
def test_an_unexpected_file_in_the_cache_is_passed_over(
    cached: Path, tmp_path: Path, kind: str
) -> None:
    from conftest import run_process
    from hostile import make_node

    good = run_process("export", "--data", str(cached), env=on(tmp_path))
    [entry] = entries(tmp_path, cached)
    entry.unlink()
    if kind == "directory":
        entry.mkdir()
    elif kind == "dangling-symlink":
        entry.symlink_to(tmp_path / "nowhere")
    else:
        make_node(entry, kind)
    again = run_process("export", "--data", str(cached), env=on(tmp_path))  # never hangs
    assert (again.returncode, again.stdout, again.stderr) == (0, good.stdout, b"")
    if kind == "directory":
        assert entry.is_dir()
    else:  # the planted entry itself was replaced by a whole cache file, its target untouched
        assert stat.S_ISREG(entry.lstat().st_mode)
        assert cache.read(entry, cache.fingerprint(cached)) is not None
    if kind == "symlink-to-device":
        assert stat.S_ISCHR((tmp_path / "xdg" / "fanpin" / "zero-device").lstat().st_mode)


def test_a_source_document_outside_the_folder_is_part_of_the_key(
    tmp_path: Path, mini: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (mini / "source.txt").rename(docs / "src.txt")
    meta = mini / "dataset.toml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace('"source.txt"', '"../docs/src.txt"'), "utf-8"
    )
    assert run("check", "--data", str(mini), env=on(tmp_path)).code == 0
    assert run("check", "--data", str(mini), env=on(tmp_path)).code == 0  # warm
    src = docs / "src.txt"
    src.write_text(src.read_text(encoding="utf-8").replace("100户", "101户"), "utf-8")
    warm = run("check", "--data", str(mini), env=on(tmp_path))
    off = run("check", "--data", str(mini), env={"FANPIN_CACHE": "0"})
    assert warm.code == off.code == 1
    assert warm.out == off.out
    src.unlink()  # gone: seen as well
    assert (
        run("check", "--data", str(mini), env=on(tmp_path)).out
        == run("check", "--data", str(mini), env={"FANPIN_CACHE": "0"}).out
    )


def test_a_racy_file_is_checked_by_content(cached: Path, tmp_path: Path) -> None:
    """An edit within the clock's granularity that kept every stat field is still seen."""
    f = cached / "monitoring.toml"
    os.utime(f)  # modified just now: within the racy window of the write below
    data = load_directory(cached, strict=False)
    key = cache.fingerprint(cached)  # taken before the edit: as if stat had not changed
    target = tmp_path / "racy.cache"
    cache.write(target, key, data)
    assert cache.read(target, key) is not None
    f.write_text(f.read_text(encoding="utf-8").replace("value = 40", "value = 41"), "utf-8")
    assert cache.read(target, key) is None


def test_old_files_are_not_read_on_a_warm_run(
    cached: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is stat-based: files older than the racy window are never read again."""
    hour_ago = 3600 * 10**9
    for f in cached.iterdir():
        st_ = f.stat()
        os.utime(f, ns=(st_.st_atime_ns - hour_ago, st_.st_mtime_ns - hour_ago))
    first = run("export", "--data", str(cached), env=on(tmp_path))
    from fanpin_cli.files import safe_read

    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a dataset file was read on a warm run")

    monkeypatch.setattr(safe_read, "read_bytes", refuse)
    second = run("export", "--data", str(cached), env=on(tmp_path))
    assert (second.code, second.out) == (0, first.out)


def test_without_a_usable_cache_directory_nothing_is_created(cached: Path, tmp_path: Path) -> None:
    from conftest import run_process

    home = tmp_path / "nonexistent"
    env = {"FANPIN_CACHE": "1", "HOME": str(home), "XDG_CACHE_HOME": ""}
    r = run_process("show", "--data", str(cached), env=env)
    assert (r.returncode, r.stderr) == (0, b"")
    assert not home.exists()
    env["XDG_CACHE_HOME"] = str(tmp_path / "gone" / "cache")
    r = run_process("show", "--data", str(cached), env=env)
    assert (r.returncode, r.stderr) == (0, b"")
    assert not (tmp_path / "gone").exists()


def test_a_read_only_home_is_run_without_a_cache(cached: Path, tmp_path: Path) -> None:
    from hostile import fanpin_process

    home = tmp_path / "home"
    home.mkdir(mode=0o555)
    env = {"FANPIN_CACHE": "1", "HOME": str(home)}
    r = fanpin_process("show", "--data", str(cached), env=env, unprivileged=True)
    assert (r.returncode, r.stderr) == (0, b"")
    assert list(home.iterdir()) == []


def test_cached_and_parsed_datasets_are_equal(tmp_path: Path) -> None:
    parsed = load_directory(DATA, strict=False)
    key = cache.Key("k", str(DATA), ())
    blob = cache_format.encode(key.digest, parsed)
    restored = decode(blob, key)
    assert restored is not None
    assert restored.indicators == parsed.indicators
    assert [type(i.value) for i in restored.indicators] == [
        type(i.value) for i in parsed.indicators
    ]
    assert restored.targets == parsed.targets and restored.regions == parsed.regions
    assert restored.sections == parsed.sections and restored.meta == parsed.meta
    assert restored.source_text == parsed.source_text and restored.problems == parsed.problems
    assert decode(blob, key._replace(digest="another key")) is None


def test_schema_errors_from_the_cache_are_the_same_errors(cached: Path, tmp_path: Path) -> None:
    f = cached / "monitoring.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('unit = "%"', 'unit = "percent"'), "utf-8")
    cold = run("show", "--data", str(cached), env=on(tmp_path))
    warm = run("show", "--data", str(cached), env=on(tmp_path))
    off = run("show", "--data", str(cached), env={"FANPIN_CACHE": "0"})
    assert cold.code == warm.code == off.code == 3
    assert cold.err == warm.err == off.err
    assert run("check", "--data", str(cached), env=on(tmp_path)).code == 1


def test_two_writers_at_once_leave_a_whole_file(cached: Path, tmp_path: Path) -> None:
    data = load_directory(cached, strict=False)
    key = cache.fingerprint(cached)
    target = tmp_path / "race.cache"
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(30):
                cache.write(target, key, data)
                assert cache.read(target, key) is not None
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.read(target, key) is not None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".race")] == []


def test_processes_racing_on_a_cold_cache(cached: Path, tmp_path: Path) -> None:
    env = {**os.environ, **on(tmp_path)}
    cmd = [sys.executable, "-m", "fanpin_cli", "export", "--data", str(cached)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(6)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len({out for out, _ in outs}) == 1 and all(err == b"" for _, err in outs)
    [entry] = entries(tmp_path, cached)
    assert cache.read(entry, cache.fingerprint(cached)) is not None


def test_an_unwritable_cache_directory_is_not_an_error(cached: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "xdg"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    r = run("show", "--data", str(cached), env=on(tmp_path))
    assert (r.code, r.err) == (0, "")


def test_where_narrows_records_from_cache_and_parse_alike(tmp_path: Path) -> None:
    parsed = load_directory(DATA, strict=False)
    key = cache.Key("k", str(DATA), ())
    blob = cache_format.encode(key.digest, parsed)
    narrowed = decode(blob, key, period="2022")
    assert narrowed is not None
    assert [i.id for i in narrowed.indicators] == [
        i.id for i in parsed.indicators if i.period == "2022"
    ]
    assert len(narrowed.indicators) == 4


def test_chunks_made_by_the_worker_processes_read_back_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big dataset's chunks come from the parallel parsers; read back, every record is in
    its place, whole and filtered."""
    from fanpin_cli.reading.load import load_directory_cached
    from fanpin_cli.reading.load.directory import PARALLEL_BYTES, load_directory_packed
    from fanpin_cli.writers.synthetic import write_dataset

    monkeypatch.setenv("FANPIN_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    big = write_dataset(tmp_path / "synthetic-big", 26_000, label="26000 records")
    assert sum(f.stat().st_size for f in big.glob("*.toml")) > PARALLEL_BYTES
    parsed, packed = load_directory_packed(big, strict=False)
    assert packed is not None and len(packed) == 6  # one list of chunks per section file
    cold = load_directory_cached(big, strict=False)
    warm = cache.read(cache.cache_file(big), cache.fingerprint(big))
    assert warm is not None and cold.indicators == warm.indicators == parsed.indicators
    narrowed = cache.read(cache.cache_file(big), cache.fingerprint(big), "620121", "2023")
    assert narrowed is not None
    assert narrowed.indicators == tuple(
        i for i in parsed.indicators if (i.region_code, i.period) == ("620121", "2023")
    )


def _as_stored(value: object) -> object:
    """A figure as the cache's JSON holds it: a Decimal as its positional text."""
    return format(value, "f") if type(value) is Decimal else value


def _one_record_body() -> dict[str, object]:
    """The JSON columns of a chunk holding the bundled data's first record, as stored."""
    _, _, parsed = FUZZ_ENTRY
    record = parsed.indicators[0]
    names = [n for n in record._fields if n not in ("region_code", "period")]
    body: dict[str, object] = {n: [_as_stored(getattr(record, n))] for n in names}
    body["parts"] = [list(record.parts)]
    body["ratio"] = [list(record.ratio) if record.ratio else None]
    body["rows"] = [0]
    return body


@pytest.mark.parametrize(
    ("field", "stored", "read"),
    [
        ("rows", {"steps": [[0, 1, 1]]}, {}),
        ("line", {"steps": [[7, 0, 1]]}, {"line": 7}),
        ("name_zh", {"text": "名称"}, {"name_zh": "名称"}),
        ("value", {"text": "1.50"}, {"value": Decimal("1.50")}),
        ("value", {"steps": [[12, 0, 1]]}, {"value": 12}),
        ("value", {"steps": [[10**18, 0, 1]]}, None),  # over the loader's limit
        ("value", {"text": "1e5"}, None),
        ("rows", {"steps": [[0, 1, 10**12]]}, None),  # more records than bytes: no allocation
        ("rows", {"steps": [[0, 1, 3], [0, 1, -2]]}, None),
        ("rows", {"steps": [[0, 1, True]]}, None),
        ("line", {"steps": [[7, 0, 2]]}, None),  # two lines for one record
        ("name_zh", {"steps": [[7, 0, 1]]}, None),  # numbers for text
        ("line", {"text": "7"}, None),  # text for a number
        ("name_zh", {"text": "a\x7fb"}, None),  # two names for one record
        ("name_zh", {"text": "a", "runs": []}, None),
        ("note", {"text": 7}, None),
    ],
)
def test_compact_columns_are_read_only_when_whole(
    field: str, stored: object, read: dict[str, object] | None
) -> None:
    """Steps of integers and joined text (cache_format._runs) are checked like any column."""
    _, key, parsed = FUZZ_ENTRY
    body = _one_record_body()
    body[field] = stored
    restored = decode(planted(key, json.dumps(body).encode(), "chunk"), key)
    if read is None:
        assert restored is None
        return
    assert restored is not None
    [ind] = restored.indicators
    expected = parsed.indicators[0]._replace(region_code="620121", period="2023", **read)
    assert ind == expected and type(ind.value) is type(expected.value)


def test_positions_and_text_are_stored_compactly_and_read_back() -> None:
    from fanpin_cli.reading.store.format import SEPARATOR, _runs

    assert _runs(list(range(0, 240, 24))) == {"steps": [[0, 24, 10]]}
    assert _runs([3, 4, 5, 6, 7, 8, 9, 10, 20, 22, 24, 26]) == {"steps": [[3, 1, 8], [20, 2, 4]]}
    assert _runs([5, 1, 9, 2, 6, 5, 3, 5]) == [5, 1, 9, 2, 6, 5, 3, 5]  # no steps: as they are
    assert _runs(["a", "b"]) == {"text": f"a{SEPARATOR}b"}
    assert _runs(["a", f"b{SEPARATOR}c"]) == ["a", f"b{SEPARATOR}c"]  # the separator inside
    assert _runs(["a", None]) == ["a", None]


def test_pieces_are_read_as_json_reads_them() -> None:
    """cache_format.loads gives what json.loads gives for every piece the cache writes."""
    from fanpin_cli.reading.store.format import loads

    blob, _, _ = FUZZ_ENTRY
    directory_length = int(blob[len(cache.MAGIC) : len(cache.MAGIC) + 16], 16)
    start = cache_format.HEAD
    directory = blob[start : start + directory_length]
    assert loads(directory) == json.loads(directory)
    pieces = [blob[start + directory_length + c[1] :][: c[2]]
              for c in json.loads(directory)["chunks"]]  # fmt: skip
    small = json.loads(directory)["small"]
    pieces.append(blob[start + directory_length + small[0] :][: small[1]])
    assert len(pieces) > 2
    for piece in pieces:
        assert loads(piece) == json.loads(piece)


@pytest.mark.parametrize(
    "piece",
    [b"", b" ", b"[1] ", b" [1]", b"[1][2]", b"[1]x", b"NaN", b"[Infinity]", b"{'a': 1}",
     b"[1,]", b"\xff", b"\xef\xbb\xbf[1]", b'["a\x01"]', b"[" * 100_000],
)  # fmt: skip
def test_a_piece_that_is_not_one_plain_json_value_is_refused(piece: bytes) -> None:
    from fanpin_cli.reading.store.format import loads

    with pytest.raises(Exception):  # noqa: B017 - any exception means damaged
        loads(piece)


@settings(max_examples=200, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_value_the_cache_writes_is_read_back(value: object) -> None:
    from fanpin_cli.reading.store.format import loads

    try:
        piece = cache_format._json(value)
    except ValueError:  # not Unicode (a lone surrogate): the cache is not written
        return
    assert loads(piece) == value


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(alphabet="0123456789-.+e ١²", max_size=22), min_size=1, max_size=3))
def test_figures_in_text_are_checked_alike_few_or_many(texts: list[str]) -> None:
    """decimal_texts looks at a few texts one by one and at many with one regex: the same
    figures pass (a sign, 1 to 18 digits, a point and 1 to 9 decimals, ASCII only)."""
    import re

    from fanpin_cli.reading.store.read import decimal_texts

    one = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,9})?")
    expected = all(one.fullmatch(t) for t in texts)
    assert decimal_texts(texts) is expected
    assert decimal_texts(texts * 30) is expected  # over 64: the regex


def test_ctrl_c_while_the_cache_is_written_leaves_no_temporary_file(
    cached: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    real = cache.encode_pieces

    def interrupted(*args: object, **kwargs: object) -> object:
        for number, piece in enumerate(real(*args, **kwargs)):  # type: ignore[arg-type]
            if number == 2:  # a real SIGINT, as Ctrl-C sends it, halfway through the entry
                os.kill(os.getpid(), signal.SIGINT)
            yield piece

    monkeypatch.setattr(cache, "encode_pieces", interrupted)
    # Ctrl-C raises, as in a terminal, even when pytest was started with SIGINT ignored (a
    # background job of a non-interactive shell: `.ci/run &`)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        r = run("export", "--data", str(cached), env=on(tmp_path))
    finally:
        signal.signal(signal.SIGINT, before)
    assert (r.code, r.out, r.err) == (130, "", "fanpin: interrupted\n")
    assert os.listdir(tmp_path / "xdg" / "fanpin") == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_sigterm_while_the_cache_is_written_leaves_no_temporary_file(
    cached: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    import signal

    number = getattr(signal, name)
    if signal.getsignal(number) is not signal.SIG_DFL:
        pytest.skip(f"this test process handles {name} itself")
    real = cache.encode_pieces

    def terminated(*args: object, **kwargs: object) -> object:
        for count, piece in enumerate(real(*args, **kwargs)):  # type: ignore[arg-type]
            if count == 2:  # a real signal, as `kill` or a closed terminal sends it
                os.kill(os.getpid(), number)
            yield piece

    monkeypatch.setattr(cache, "encode_pieces", terminated)
    r = run("export", "--data", str(cached), env=on(tmp_path))
    assert (r.code, r.out, r.err) == (128 + number, "", "fanpin: terminated\n")
    assert os.listdir(tmp_path / "xdg" / "fanpin") == []
    assert signal.getsignal(number) is signal.SIG_DFL  # given back when main() returns


def test_a_key_lists_each_file_by_name_with_its_stat(tmp_path: Path) -> None:
    """fingerprint: every entry of the folder in name order with (size, mtime, ctime, inode),
    None for what is not a regular file, subdirectories left out, the folder reached
    through a link keyed as the real one; a single file keys itself; a missing path keys
    as one file that is not there."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "b.toml").write_text("x = 1\n", encoding="utf-8")
    (folder / "a.toml").write_text("y = 22\n", encoding="utf-8")
    (folder / "sub").mkdir()
    os.mkfifo(folder / "pipe")
    (tmp_path / "link").symlink_to(folder)

    def sig(path: Path) -> tuple[int, int, int, int]:
        st = os.stat(path)
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    key = cache.fingerprint(tmp_path / "link")
    assert key.target == str(folder.resolve())
    assert key.files == (("a.toml", sig(folder / "a.toml")),
                         ("b.toml", sig(folder / "b.toml")), ("pipe", None))  # fmt: skip
    assert key == cache.fingerprint(folder)
    single = cache.fingerprint(folder / "a.toml")
    assert single.files == (("a.toml", sig(folder / "a.toml")),)
    assert single.target == str(folder / "a.toml")
    assert cache.fingerprint(tmp_path / "gone").files == (("gone", None),)
    (folder / "a.toml").write_text("y = 23\n", encoding="utf-8")  # same size, new stat
    assert cache.fingerprint(folder).digest != key.digest


def test_small_groups_share_chunks_of_one_period_and_read_back_filtered(tmp_path: Path) -> None:
    """Many (region, period) groups of a few records each are stored in chunks of about
    CHUNK_RECORDS records, each of one period (9,300 chunks of 11 records at 100,000
    realistic records in section files were decoded one by one before); every region and
    period read back filtered gives the parsed records of that group; a forged directory
    whose chunk mixes two periods is refused."""
    from fanpin_cli.reading.store.format import CHUNK_RECORDS, encode

    sys.path.insert(0, str(REPO / "benchmarks"))
    import realistic

    data = load_directory(realistic.write("section", tmp_path / "realistic", 5_000))
    groups = {(i.region_code, i.period) for i in data.indicators}
    blob = encode("k", data)
    entry = tmp_path / "entry.cache"
    entry.write_bytes(blob)
    key = cache.Key("k", data.meta.path, ())
    length = int(blob[len(cache.MAGIC) : len(cache.MAGIC) + 16], 16)
    directory = json.loads(blob[cache_format.HEAD : cache_format.HEAD + length])
    chunks = directory["chunks"]
    periods = {p for _, p in groups}
    assert len(groups) > 100
    assert len(chunks) <= len(data.indicators) // CHUNK_RECORDS + len(periods)
    assert all(len({p for _, p, _ in c[0]}) == 1 for c in chunks)
    whole = cache.read(entry, key)
    assert whole is not None and whole.indicators == data.indicators
    for region, period in sorted(groups)[::7]:
        got = cache.read(entry, key, region, period)
        assert got is not None
        assert got.indicators == tuple(
            i for i in data.indicators if (i.region_code, i.period) == (region, period)
        )
    first, second = chunks[0], chunks[1]
    first[0] = first[0] + second[0]  # groups of two periods in one chunk: damaged
    text = json.dumps(directory, ensure_ascii=False, separators=(",", ":")).encode()
    head = cache.MAGIC + b"%016x%08x\n" % (len(text), zlib.crc32(text))
    entry.write_bytes(head + text + blob[cache_format.HEAD + length :])
    assert cache.read(entry, key) is None


def test_a_chunk_of_more_records_than_bytes_is_read(tmp_path: Path) -> None:
    """One record a region, the same in 3,000 regions (a report's figure for every county):
    each chunk is a few runs, fewer bytes than records. 1M realistic records in section
    files made such chunks, and every warm read took the entry as damaged (rows are as
    many as the directory's groups say, not at most one a byte)."""
    _, _, parsed = FUZZ_ENTRY
    first = parsed.indicators[0]
    records = tuple(first._replace(region_code=f"9{n // 98:03d}{n % 98 + 1:02d}", line=n + 1)
                    for n in range(3_000))  # fmt: skip
    data = parsed._replace(indicators=records)
    blob = cache_format.encode("k", data)
    length = int(blob[len(cache.MAGIC) : len(cache.MAGIC) + 16], 16)
    directory = json.loads(blob[cache_format.HEAD : cache_format.HEAD + length])
    assert any(c[2] < sum(g[2] for g in c[0]) for c in directory["chunks"])
    entry = tmp_path / "entry.cache"
    entry.write_bytes(blob)
    key = cache.Key("k", data.meta.path, ())
    whole = cache.read(entry, key)
    assert whole is not None and whole.indicators == records
    with cache.stream(entry, key) as stream:
        assert stream is not None
        assert [r for batch in stream for r in batch] == list(records)
    found = cache.read(entry, key, "900101", first.period)
    assert found is not None and found.indicators == (records[98],)
