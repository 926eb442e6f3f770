"""The --output rules, and output I/O errors: one line, exit 74, nothing half-written."""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX files")

CSV = run("export", "--csv").out_bytes


def test_output_through_a_symlink_updates_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to("real.csv")
    r = run("export", "--csv", "--output", str(link))
    assert r.code == 0
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert real.read_bytes() == CSV
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.csv", "real.csv"]


def test_output_keeps_the_existing_file_mode(tmp_path: Path) -> None:
    private = tmp_path / "private.csv"
    private.write_text("old\n")
    private.chmod(0o600)
    assert run("export", "--csv", "--output", str(private)).code == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes() == CSV


def test_new_output_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run("export", "--csv", "--output", str(tmp_path / "new.csv")).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_output_to_a_fifo_writes_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # A non-blocking reader: if fanpin replaced the FIFO instead, the test fails, not hangs.
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    writer = subprocess.Popen(
        [sys.executable, "-m", "fanpin_cli", "export", "--csv", "--output", str(fifo)],
        env=env,
        stderr=subprocess.PIPE,
    )
    got = b""
    try:
        while True:
            select.select([fd], [], [], 1.0)
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            got += chunk
            if not chunk:  # no writer (yet, or any more)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    writer.wait(timeout=0.05)
                if writer.poll() is not None:
                    got += os.read(fd, 1 << 20)
                    break
    finally:
        os.close(fd)
    assert writer.wait(timeout=60) == 0
    assert got == CSV
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_dash_is_stdout() -> None:
    r = run("export", "--csv", "--output", "-")
    assert (r.code, r.out_bytes) == (0, CSV)


def char_device(tmp_path: Path, name: str, minor: int) -> Path:
    node = tmp_path / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("mknod needs root")
    return node


def test_output_to_a_character_device_writes_to_it_and_keeps_it(tmp_path: Path) -> None:
    null = char_device(tmp_path, "null", 3)
    assert run("export", "--csv", "--output", str(null)).code == 0
    assert stat.S_ISCHR(null.lstat().st_mode)
    full = char_device(tmp_path, "full", 7)
    r = run("--lang", "en", "export", "--csv", "--output", str(full))
    assert r.code == 74
    assert r.err == f"fanpin: error: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_output_never_replaces_a_socket(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        r = run("--lang", "en", "export", "--csv", "--output", str(path))
        assert r.code == 2
        assert "not a regular file" in r.err
        assert stat.S_ISSOCK(path.lstat().st_mode)


def test_full_disk_on_stdout_is_one_line_and_exit_74(tmp_path: Path) -> None:
    full = char_device(tmp_path, "full", 7)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    for args in (["export", "--csv"], ["show", "monitoring"], ["get", "monitoring.total_persons"]):
        with open(full, "wb") as out:
            p = subprocess.run(
                [sys.executable, "-m", "fanpin_cli", *args],
                stdout=out,
                stderr=subprocess.PIPE,
                env=env | {"FANPIN_LANG": "en"},
                timeout=60,
                check=False,
            )
        assert p.returncode == 74, args
        assert (
            p.stderr == b"fanpin: error: cannot write to standard output: No space left on device\n"
        )


def test_full_disk_on_output_file_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "all.csv"
    target.write_text("old\n")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    r = run("--lang", "en", "export", "--csv", "--output", str(target))
    assert (r.code, r.out) == (74, "")
    assert r.err == f"fanpin: error: cannot write {target}: No space left on device\n"
    zh = run("--lang", "zh", "export", "--csv", "--output", str(target))
    assert (zh.code, zh.err) == (74, f"fanpin: error: 无法写入 {target}: No space left on device\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["all.csv"]


def test_full_disk_on_a_new_sqlite_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from fanpin_cli.writers import sqlite as sqlite_export

    target = tmp_path / "all.db"

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    r = run("--lang", "en", "export", "--sqlite", str(target))
    assert (r.code, r.out) == (74, "")
    assert r.err == f"fanpin: error: cannot write {target}: No space left on device\n"
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()

    def full(con: sqlite3.Connection, *_: object) -> None:
        con.execute("CREATE TABLE t (x)")  # a journal beside the temporary file
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_export, "_fill", full)
    r = run("--lang", "en", "export", "--sqlite", str(target))
    assert (r.code, r.err) == (
        74,
        f"fanpin: error: cannot write {target}: database or disk is full\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_unwritable_directory_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    p = subprocess.run(
        ["capsh", "--drop=cap_dac_override", "--", "-c",
         f'"{sys.executable}" -m fanpin_cli export --csv --output "{locked}/x.csv"'],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    if p.returncode == 127 or b"capsh" in p.stderr[:40]:
        pytest.skip("capsh not available")
    assert p.returncode == 74
    assert p.stderr.count(b"\n") == 1 and b"Permission denied" in p.stderr
    assert list(locked.iterdir()) == []
