"""Bad-input corpus: files that are not files (FIFOs, devices, loops, permissions, sizes).

Each is refused with exit 3 and one line naming it, cache on and off, and never hangs or
reads without end: the processes run under a time and memory limit. The datasets are copies
of the SYNTHETIC mini fixture."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, run
from hostile import (
    MON,
    fanpin_process,
    make_node,
)

KINDS = {
    "fifo": "a FIFO (named pipe)",
    "device": "a character device",
    "symlink-to-device": "a character device",
}


def _as_data(d: Path, node: Path) -> list[str]:
    return ["show", "--data", str(node)]


def _as_member(d: Path, node: Path) -> list[str]:
    return ["show", "--data", str(d)]


def _as_source(d: Path, node: Path) -> list[str]:
    meta = (d / "dataset.toml").read_text(encoding="utf-8")
    (d / "dataset.toml").write_text(meta.replace('"source.txt"', f'"{node.name}"'), "utf-8")
    return ["check", "--data", str(d)]


def _as_targets(d: Path, node: Path) -> list[str]:
    return ["compare", "--data", str(d), "--targets", str(node)]


def _as_against(d: Path, node: Path) -> list[str]:
    return ["diff", "--data", str(d), "--against", str(node)]


PLACES: dict[str, tuple[Callable[[Path, Path], list[str]], str, str]] = {
    # name: (command line, node's file name, what it is refused as)
    "data": (_as_data, "node", "regular file or directory"),
    "member-x.toml": (_as_member, "x.toml", "regular file"),
    "source-document": (_as_source, "src.node", "regular file"),
    "targets": (_as_targets, "node", "regular file"),
    "diff-against": (_as_against, "node", "regular file or directory"),
}


@pytest.mark.parametrize("cache", ["0", "1"])
@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_non_regular_input_is_refused(kind: str, place: str, cache: str, tmp_path: Path) -> None:
    if cache == "1" and place not in ("data", "member-x.toml"):
        pytest.skip("the cache only reads dataset files")
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    command, name, refused_as = PLACES[place]
    node = (d if place in ("member-x.toml", "source-document") else tmp_path) / name
    make_node(node, kind)
    args = command(d, node)
    env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = fanpin_process(*args, env=env | {"FANPIN_LANG": "en"})
    expected = f"fanpin: error: {node}: is {KINDS[kind]}, not a {refused_as}; refused\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)
    zh = fanpin_process(*args, env=env | {"FANPIN_LANG": "zh"})
    assert (zh.returncode, zh.stdout) == (3, b"")
    assert (
        zh.stderr.decode().startswith(f"fanpin: error: {node}: 是")
        and "拒绝读取" in zh.stderr.decode()
    )


def test_a_section_file_past_64_mib_is_read(tmp_path: Path) -> None:
    """No size limit for a regular file (issue 26): a national collection's section file
    passes 64 MiB at about 770,000 realistic records; memory is the bound. Here a record
    file of 65 MiB, most of it one comment (it used to be refused unread, exit 3)."""
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    text = (d / MON).read_text(encoding="utf-8")
    with (d / MON).open("w", encoding="utf-8") as f:
        f.write("# " + "x" * (65 * 1024 * 1024) + "\n" + text)
    assert (d / MON).stat().st_size > 64 * 1024 * 1024
    r = run("get", "monitoring.total_households", "--data", str(d))
    assert (r.code, r.out, r.err) == (0, "100\n", "")


@pytest.mark.parametrize("cache", ["0", "1"])
def test_a_fifo_among_big_files_is_refused_before_they_are_parsed(
    cache: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal names the FIFO before any section file is parsed (it came after
    seconds of parsing the files named before it)."""
    from fanpin_cli.reading.load import directory

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    fifo = d / "zz.toml"
    make_node(fifo, "fifo")
    parsed: list[Path] = []
    real = directory.load_section_file

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        parsed.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(directory, "load_section_file", spy)
    env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache"), "FANPIN_LANG": "en"}
    r = run("check", "--data", str(d), env=env)
    expected = f"fanpin: error: {fifo}: is a FIFO (named pipe), not a regular file; refused\n"
    assert (r.code, r.out, r.err, parsed) == (3, "", expected, [])


def test_symlink_loop_as_data(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for cache in ("0", "1"):
        r = run(
            "show",
            "--data",
            str(loop),
            env={"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path), "FANPIN_LANG": "en"},
        )
        assert (r.code, r.out, r.err) == (3, "", f"fanpin: error: {loop}: a symbolic link loop\n")
    zh = run("show", "--data", str(loop))
    assert (zh.code, zh.err) == (3, f"fanpin: error: {loop}: 符号链接循环\n")


@pytest.mark.parametrize("how", ["--data", "FANPIN_DATA", "file-in-it"])
def test_unreadable_folder_is_a_data_error_however_named(how: str, tmp_path: Path) -> None:
    """Permission denied with root's override dropped: exit 3 (docs/exit-codes), never 2 or 70."""
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    d.chmod(0)
    try:
        if how == "FANPIN_DATA":
            env = {"FANPIN_DATA": str(d), "FANPIN_LANG": "en"}
            r = fanpin_process("show", env=env, unprivileged=True)
        elif how == "--data":
            r = fanpin_process("--lang", "en", "show", "--data", str(d), unprivileged=True)
        else:
            r = fanpin_process("--lang", "en", "show", "--data", str(d / MON), unprivileged=True)
    finally:
        d.chmod(0o755)
    where = d / MON if how == "file-in-it" else d
    expected = f"fanpin: error: {where}: permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)


@pytest.mark.parametrize("where", ["given", "in-a-collection"])
@pytest.mark.parametrize("command", [("show",), ("check",), ("export", "--csv")])
def test_a_folder_listed_but_not_searchable_is_a_data_error(
    where: str, command: tuple[str, ...], tmp_path: Path
) -> None:
    """A folder whose names can be read but not its files (mode 644: r without x) is
    permission denied naming it, exit 3, cache on and off; it was exit 70 (Path.is_file
    raises PermissionError on Python 3.11)."""
    collection = tmp_path / "counties"
    d = collection / "mini" if where == "in-a-collection" else tmp_path / "mini"
    shutil.copytree(MINI, d)
    given = collection if where == "in-a-collection" else d
    d.chmod(0o644)
    try:
        for cache in ("0", "1"):
            env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
            args = ("--lang", "en", *command, "--data", str(given))
            r = fanpin_process(*args, env=env, unprivileged=True)
            expected = f"fanpin: error: {d}: permission denied\n"
            assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected), cache
    finally:
        d.chmod(0o755)


def test_unreadable_file(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    (d / MON).chmod(0)
    r = fanpin_process("--lang", "en", "show", "--data", str(d), unprivileged=True)
    expected = f"fanpin: error: {d}/{MON}: permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)
