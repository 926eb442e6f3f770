"""Bad-input corpus, issue 25: collections and outputs that hostile files broke in silence.

Each test failed before its fix. The counties are the SYNTHETIC fixtures (made-up figures).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import COUNTIES, run
from hostile import fanpin_process, make_node

COUNTY_CODES = ("620102", "620103", "620121")


def _collection(tmp_path: Path) -> Path:
    """TMP/c: three SYNTHETIC county folders, the middle one a symbolic link to a copy
    kept outside the collection."""
    root = tmp_path / "c"
    root.mkdir()
    for code in COUNTY_CODES:
        src = COUNTIES / "2023" / code
        if code == "620103":
            elsewhere = Path(shutil.copytree(src, tmp_path / "submitted" / code))
            (root / code).symlink_to(elsewhere, target_is_directory=True)
        else:
            shutil.copytree(src, root / code)
    return root


def _regions(out: str) -> set[str]:
    return {row["region_code"] for row in csv.DictReader(io.StringIO(out))}


# --------------------------------------------------------------- item 2: county folders


def test_a_linked_county_folder_is_read(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    r = run("--data", str(root), "export", "--csv")
    assert r.code == 0, r.err
    assert _regions(r.out) == set(COUNTY_CODES)  # before: 620103 was left out, exit 0


def test_rollup_sums_every_county_or_fails(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    whole = run("--data", str(root), "rollup", "--to", "620100", "-o", "csv")
    separate = [run("--data", str(root / c), "export", "--csv") for c in COUNTY_CODES]
    assert whole.code == 0, whole.err
    assert all(s.code == 0 for s in separate)
    # the roll-up of the collection is the roll-up of the three folders given one by one
    given = [a for c in COUNTY_CODES for a in ("--data", str(root / c))]
    assert run(*given, "rollup", "--to", "620100", "-o", "csv").out == whole.out


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda root: (root / "loop").symlink_to(root), "same folder as"),
        (lambda root: (root / "again").symlink_to(root / "620103"), "same folder as"),
        (lambda root: (root / "620199").symlink_to(root / "nowhere"), "link to nothing"),
        (lambda root: (root / "self").symlink_to(root / "self"), "link loop"),
        (lambda root: make_node(root / "620104", "fifo"), "FIFO"),
        (lambda root: (root / "620104").symlink_to(make_fifo(root.parent)), "FIFO"),
    ],
    ids=["loop", "two-links", "dangling", "self-link", "fifo", "link-to-fifo"],
)
def test_a_county_entry_that_cannot_be_read_is_exit_3(tmp_path: Path, make, said) -> None:  # type: ignore[no-untyped-def]
    root = _collection(tmp_path)
    make(root)
    for args in (("show", "monitoring", "-o", "csv"), ("export", "--csv"), ("check",)):
        r = run("--lang", "en", "--data", str(root), *args)
        assert r.code == 3, (args, r.err)
        assert said in r.err and r.err.count("\n") == 1 and r.out == ""


def make_fifo(where: Path) -> Path:
    fifo = where / "a-fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    return fifo


def test_an_unlistable_county_folder_is_exit_3_by_name(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    locked = root / "620121"
    locked.chmod(0)
    try:
        for args in (("show", "monitoring", "-o", "csv"), ("rollup", "--to", "620100")):
            p = fanpin_process("--lang", "en", "--data", str(root), *args, unprivileged=True)
            assert p.returncode == 3, p.stderr
            assert p.stderr.decode() == f"fanpin: error: {locked}: permission denied\n"
        # nested deeper: a year folder that cannot be listed
        year = tmp_path / "by-year" / "2023"
        shutil.copytree(root / "620102", year / "620102")
        year.chmod(0o300)  # searchable, not listable
        p = fanpin_process("--data", str(year.parent), "check", unprivileged=True)
        assert p.returncode == 3 and str(year) in p.stderr.decode()
    finally:
        locked.chmod(0o755)
        if (tmp_path / "by-year" / "2023").exists():
            (tmp_path / "by-year" / "2023").chmod(0o755)


def test_editor_locks_and_hidden_toml_are_skipped_and_said_with_verbose(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    county = root / "620102"
    (county / ".#monitoring.toml").symlink_to("user@host.4242:1700000000")  # Emacs's lock
    (county / ".x.toml").write_text("not [ toml", encoding="utf-8")
    (root / ".snapshot").mkdir()  # a hidden folder of the collection
    (root / "~$book.xlsx").write_bytes(b"")  # Excel's owner file
    (root / "README.md").write_text("notes", encoding="utf-8")
    quiet = run("--lang", "en", "--data", str(root), "export", "--csv")
    assert quiet.code == 0, quiet.err
    assert quiet.err == "" and _regions(quiet.out) == set(COUNTY_CODES)
    loud = run("--lang", "en", "--data", str(root), "-v", "export", "--csv")
    assert loud.code == 0 and loud.out == quiet.out
    for name in (".#monitoring.toml", ".x.toml"):
        assert f"{county / name}: hidden file or an editor's lock, not read\n" in loud.err
    assert f"{root / '.snapshot'}: hidden file" in loud.err
    assert f"{root / '~$book.xlsx'}: an office program's lock file, not read" in loud.err
    assert f"{root / 'README.md'}: not a dataset file, not read" in loud.err
    # one county folder given alone, too
    alone = run("--lang", "en", "--data", str(county), "-v", "show", "monitoring", "-o", "csv")
    assert alone.code == 0 and ".#monitoring.toml: hidden file" in alone.err


def test_a_collection_whose_only_toml_is_hidden_is_still_a_collection(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    (root / ".#notes.toml").symlink_to("user@host.1:1")
    r = run("--data", str(root), "export", "--csv")
    assert r.code == 0, r.err
    assert _regions(r.out) == set(COUNTY_CODES)
