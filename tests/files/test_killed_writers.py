"""Temporary files of a writer killed with SIGKILL are cleaned up by the next writer; those
of a writer still running never are (SYNTHETIC mini fixture)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

# --- temporary files of a writer killed with SIGKILL are cleaned up, others never ------

WRITER = """
import os, signal, sys
from pathlib import Path
from fanpin_cli.files.tempfiles import make_temp_dir, make_temp_file
target, how = Path(sys.argv[1]), sys.argv[2]
fd, tmp = make_temp_dir(target) if how == "dir" else make_temp_file(target)
if how == "dir":
    Path(tmp, "indicators.csv").write_text("half")
else:
    os.write(fd, b"half a file")
if how == "journal":
    Path(tmp + "-journal").write_bytes(b"journal")
print(tmp, flush=True)
if how == "live":
    sys.stdin.read()  # holds the lock until the test closes stdin
else:
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _writer(target: Path, how: str) -> tuple[str, subprocess.Popen[str]]:
    p = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None
    tmp = p.stdout.readline().strip()
    if how != "live":
        assert p.wait(timeout=20) == -9  # really killed
    return tmp, p


def _age(*paths: str) -> None:
    from fanpin_cli.files.tempfiles import STALE_SECONDS

    for path in paths:
        then = os.stat(path).st_mtime - STALE_SECONDS - 1
        os.utime(path, (then, then))


@pytest.mark.parametrize("output", ["--output", "--sqlite", "--datapackage"])
def test_leftovers_of_killed_writers_are_swept(output: str, tmp_path: Path) -> None:
    name = {"--output": "out.csv", "--sqlite": "out.db", "--datapackage": "pkg"}[output]
    target = tmp_path / name
    if output == "--datapackage":
        target.mkdir()  # an existing package: its files are written aside, one by one
    dead: list[str] = []
    members = [target / "indicators.csv"] if output == "--datapackage" else [target]
    for member in members:
        how = "journal" if output == "--sqlite" else "file"
        tmp, _ = _writer(member, how)
        dead += [tmp, tmp + "-journal"] if how == "journal" else [tmp]
    if output == "--datapackage":
        fresh = tmp_path / "fresh"
        tmp, _ = _writer(fresh, "dir")
        dead.append(tmp)
    live, holder = _writer(target, "live")
    young, _ = _writer(target, "file")  # killed, but too recent to be sure of
    unrelated = [tmp_path / f".{name}.notours", tmp_path / f".{name}.ABCDEFGH.tmp"]
    for path in unrelated:
        path.write_text("not fanpin's", encoding="utf-8")
    _age(*dead, live, *map(str, unrelated))
    try:
        r = run("export", output, str(target))
        assert (r.code, r.err) == (0, "")
        if output == "--datapackage":
            assert run("export", output, str(tmp_path / "fresh")).code == 0
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=20)
    assert [p for p in dead if os.path.lexists(p)] == []
    assert os.path.exists(live) and os.path.exists(young)
    assert all(p.read_text(encoding="utf-8") == "not fanpin's" for p in unrelated)
