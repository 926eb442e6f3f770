"""The parsed-dataset cache: warm runs skip TOML, never stale, never runs code, survives damage."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import DATA, run

from fanpin_cli import cache
from fanpin_cli.load import load_directory


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
        os.environ["XDG_CACHE_HOME"], old = str(tmp_path / "xdg"), os.environ.get("XDG_CACHE_HOME")
        try:
            file = cache.cache_file(dataset)
        finally:
            if old is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = old
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
        body = marshal.dumps((cache.fingerprint(cached), "not", "the", "right", "shape"))
        entry.write_bytes(cache.MAGIC + cache._checksum(body) + b"\n" + body)
    else:
        middle = len(blob) // 2
        entry.write_bytes(blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :])
    again = run("export", "--data", str(cached), env=on(tmp_path))
    assert (again.code, again.out, again.err) == (0, good.out, "")
    key = cache.fingerprint(cached)
    assert cache.read(entry, key) is not None  # rewritten whole


def test_code_in_a_cache_file_is_never_run(cached: Path, tmp_path: Path) -> None:
    run("show", "--data", str(cached), env=on(tmp_path))
    [entry] = entries(tmp_path, cached)
    key = cache.fingerprint(cached)
    marker = tmp_path / "pwned"
    code = compile(f"open({str(marker)!r}, 'w').write('x')", "evil", "exec")
    evil = (key, code, (), (), (), (), None, ())
    body = marshal.dumps(evil)
    entry.write_bytes(cache.MAGIC + cache._checksum(body) + b"\n" + body)  # valid checksum
    assert cache.read(entry, key) is None  # but a code object is not data
    import pickle

    class Boom:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(cache.MAGIC + pickle.dumps(Boom()))
    r = run("show", "--data", str(cached), env=on(tmp_path))
    assert r.code == 0 and r.err == ""
    assert not marker.exists()
    assert "pickle" not in Path(cache.__file__).read_text(encoding="utf-8").split('"""')[2]


def test_cached_and_parsed_datasets_are_equal(tmp_path: Path) -> None:
    parsed = load_directory(DATA, strict=False)
    blob = cache.encode("k", parsed)
    restored = cache.decode(blob, "k")
    assert restored is not None
    assert restored.indicators == parsed.indicators
    assert [type(i.value) for i in restored.indicators] == [
        type(i.value) for i in parsed.indicators
    ]
    assert restored.targets == parsed.targets and restored.regions == parsed.regions
    assert restored.sections == parsed.sections and restored.meta == parsed.meta
    assert restored.source_text == parsed.source_text and restored.problems == parsed.problems
    assert cache.decode(blob, "another key") is None


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
    blob = cache.encode("k", parsed)
    narrowed = cache.decode(blob, "k", period="2022")
    assert narrowed is not None
    assert [i.id for i in narrowed.indicators] == [
        i.id for i in parsed.indicators if i.period == "2022"
    ]
    assert len(narrowed.indicators) == 4
