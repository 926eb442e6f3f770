"""Every way fanpin is built carries the bundled dataset, and the repository has no symlinks."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

# every file under data/, the reference datasets in data/references/ included
DATA_FILES = sorted(
    p.relative_to(REPO / "data").as_posix() for p in (REPO / "data").rglob("*") if p.is_file()
)

needs_uv = pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH")


def test_repository_has_no_symlinks() -> None:
    # A Windows checkout (core.symlinks=false) turns a symlink into a text file.
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    listing = subprocess.run(
        ["git", "ls-files", "-s"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    links = [line.split("\t", 1)[1] for line in listing.splitlines() if line.startswith("120000")]
    assert links == []


def wheel_data(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        prefix = "fanpin_cli/data/"
        return sorted(n[len(prefix) :] for n in z.namelist() if n.startswith(prefix))


def build(tmp_path: Path, *options: str) -> Path:
    out = tmp_path / "dist"
    subprocess.run(
        ["uv", "build", "--quiet", "--out-dir", str(out), *options],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@needs_uv
def test_plain_uv_build_sdist_and_wheel_from_it_carry_the_data(tmp_path: Path) -> None:
    # Plain `uv build` makes the sdist, then the wheel from the unpacked sdist.
    out = build(tmp_path)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    with tarfile.open(sdist) as t:
        members = t.getmembers()
    assert [m.name for m in members if m.issym() or m.islnk()] == []
    in_sdist = sorted(
        m.name.split("/", 2)[2]
        for m in members
        if m.name.split("/")[1:2] == ["data"] and m.isfile()
    )
    assert in_sdist == DATA_FILES
    assert wheel_data(wheel) == DATA_FILES


@needs_uv
def test_uv_build_wheel_from_the_checkout_carries_the_data(tmp_path: Path) -> None:
    (wheel,) = build(tmp_path, "--wheel").glob("*.whl")
    assert wheel_data(wheel) == DATA_FILES
