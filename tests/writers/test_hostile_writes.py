"""Bad-input corpus, outputs: nothing of the user's is lost (SQLite files fanpin did not make,
a data package in the way, a full disk, permission denied, templates over existing files),
and nothing is written wrong in silence. Datasets are copies of the SYNTHETIC mini fixture."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI, run
from hostile import (
    MON,
    edit,
    fanpin_process,
)


def test_sqlite_refuses_a_file_it_did_not_make(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    r = run("--lang", "en", "export", "--sqlite", str(notes))
    refusal = (
        "exists and is not a database fanpin made; --sqlite writes only a new file or an "
        "earlier fanpin export (give a new file name)"
    )
    assert (r.code, r.out, r.err) == (2, "", f"fanpin: error: {notes}: {refusal}\n")
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    for journal in ("delete", "wal"):
        own = tmp_path / f"own-{journal}.db"
        con = sqlite3.connect(own)
        con.execute(f"pragma journal_mode={journal}")
        con.execute("create table indicators(x)")  # named like ours, but the user's
        con.execute("insert into indicators values (7)")
        con.commit()
        con.close()
        r = run("--lang", "en", "export", "--sqlite", str(own))
        assert (r.code, r.err) == (2, f"fanpin: error: {own}: {refusal}\n")
        con = sqlite3.connect(own)
        assert con.execute("select * from indicators").fetchall() == [(7,)]
        con.close()


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_sqlite_keeps_the_users_tables_in_a_fanpin_database(journal: str, tmp_path: Path) -> None:
    db = tmp_path / "fanpin.db"
    assert run("export", "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    con.execute(f"pragma journal_mode={journal}")
    con.execute("create table my_work(x)")
    con.execute("insert into my_work values ('notes')")
    con.commit()
    assert run("export", "--sqlite", str(db), "--data", str(MINI)).code == 0
    assert con.execute("select * from my_work").fetchall() == [("notes",)]
    assert con.execute("select count(*) from indicators").fetchone() == (5,)
    con.close()
    con = sqlite3.connect(db)  # a new reader sees the same (the WAL was not bypassed)
    assert con.execute("select count(*) from indicators").fetchone() == (5,)
    assert con.execute("select * from my_work").fetchall() == [("notes",)]
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    con.close()


def test_sqlite_recognises_an_export_made_before_the_mark(tmp_path: Path) -> None:
    from fanpin_cli.writers.sqlite import SCHEMA

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)  # what fanpin wrote before it set PRAGMA application_id
    con.execute("create table my_work(x)")
    con.close()
    con = sqlite3.connect(db)
    con.execute("drop table my_work")  # exactly fanpin's tables: recognised
    con.commit()
    con.close()
    assert run("export", "--sqlite", str(db), "--data", str(MINI)).code == 0
    con = sqlite3.connect(db)
    assert con.execute("pragma application_id").fetchone() == (0x66706E31,)
    con.close()


def test_sqlite_two_single_files_of_one_folder(tmp_path: Path) -> None:
    d = tmp_path / "files"
    d.mkdir()
    text = (
        (MINI / MON)
        .read_text(encoding="utf-8")
        .replace('unit = "', 'period = "2023"\nregion_code = "620121"\nunit = "')
    )
    (d / "a.toml").write_text(text, encoding="utf-8")
    other = text.replace('"monitoring', '"other').replace("monitoring.", "other.")
    (d / "b.toml").write_text(other, encoding="utf-8")
    db = tmp_path / "two.db"
    r = run("export", "--sqlite", str(db), "--data", str(d / "a.toml"), "--data", str(d / "b.toml"))
    assert (r.code, r.err) == (0, "")
    con = sqlite3.connect(db)
    assert con.execute("select path from datasets").fetchall() == [(str(d),)]
    assert con.execute("select count(*) from indicators").fetchone() == (10,)
    con.close()


def test_datapackage_in_the_way_leaves_what_was_there(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "datapackage.json").mkdir(parents=True)
    (pkg / "indicators.csv").write_text("old\n", encoding="utf-8")
    r = run("--lang", "en", "export", "--datapackage", str(pkg))
    message = "is in the way: the data package writes a regular file of that name"
    assert (r.code, r.err) == (2, f"fanpin: error: {pkg}/datapackage.json: {message}\n")
    assert (pkg / "indicators.csv").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in pkg.iterdir()) == ["datapackage.json", "indicators.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs with 20 KiB free: smaller than any export (root can mount it)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        (mount / "filler").write_bytes(b"\0" * 44_000)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full(full_disk: Path) -> None:
    old = full_disk / "old-pkg"
    old.mkdir()
    (old / "indicators.csv").write_text("old\n", encoding="utf-8")
    nospace = "No space left on device"
    cases = {
        "sqlite": (["export", "--sqlite"], full_disk / "x.db"),
        "datapackage-new": (["export", "--datapackage"], full_disk / "pkg"),
        "datapackage-old": (["export", "--datapackage"], old),
        "template": (["template", "--region", "永登县", "--period", "2023"], full_disk / "tpl"),
        "output": (["export", "--output"], full_disk / "x.csv"),
        "svg": (["show", "-o", "csv", "--svg"], full_disk / "x.svg"),
    }
    for name, (args, target) in cases.items():
        r = run("--lang", "en", *args, str(target))
        assert (r.code, r.out) == (74, ""), (name, r.err)
        assert r.err.startswith(f"fanpin: error: cannot write {target}") and nospace in r.err
        zh = run("--lang", "zh", *args, str(target))  # why, as the system says it, stays
        assert (zh.code, zh.err) == (74, f"fanpin: error: 无法写入 {target}: {nospace}\n"), name
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "old-pkg"]
    assert [p.name for p in old.iterdir()] == ["indicators.csv"]
    assert (old / "indicators.csv").read_text(encoding="utf-8") == "old\n"


WRITERS = ["sqlite", "datapackage", "template", "template-xlsx", "import", "output", "svg"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fill-in workbook to import (its values empty)."""
    book = tmp_path_factory.mktemp("book") / "county.xlsx"
    assert run("template", "--region", "永登县", "--period", "2023", str(book)).code == 0
    return book


# mode 555: the folder cannot be written; 644: its names can be listed, nothing looked at
@pytest.mark.parametrize("mode", [0o555, 0o644], ids=oct)
@pytest.mark.parametrize("what", WRITERS)
def test_permission_denied_on_output(what: str, mode: int, tmp_path: Path, workbook: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(mode)
    target = locked / ("out.xlsx" if what == "template-xlsx" else "out")
    args = {
        "sqlite": ["export", "--sqlite", str(target)],
        "datapackage": ["export", "--datapackage", str(target)],
        "template": ["template", "--region", "永登县", "--period", "2023", str(target)],
        "template-xlsx": ["template", "--region", "永登县", "--period", "2023", str(target)],
        "import": ["import", str(workbook), str(target)],
        "output": ["export", "--output", str(target)],
        "svg": ["show", "-o", "csv", "--svg", str(target)],
    }[what]
    try:
        r = fanpin_process("--lang", "en", *args, unprivileged=True)
    finally:
        locked.chmod(0o755)
    expected = f"fanpin: error: cannot write {target}: Permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (74, b"", expected)
    assert list(locked.iterdir()) == []


# --- wrong output, silently ------------------------------------------------------------


def test_small_decimals_are_written_fixed_point_everywhere(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    edit(MON, "value = 100\n", "value = 0.0000001\n")(d)
    edit(MON, "value = 60\n", "value = 0.00000010\n")(d)
    outputs = {}
    for fmt in ("csv", "tsv", "json", "jsonl", "markdown"):
        outputs[f"show-{fmt}"] = run("show", "--data", str(d), "-o", fmt).out
    outputs["export-csv"] = run("export", "--data", str(d)).out
    outputs["export-excel"] = run("export", "--excel", "--data", str(d)).out
    outputs["get"] = run("get", "monitoring.total_households", "--data", str(d)).out
    assert run("export", "--datapackage", str(tmp_path / "pkg"), "--data", str(d)).code == 0
    outputs["datapackage"] = (tmp_path / "pkg" / "indicators.csv").read_text(encoding="utf-8")
    for name, text in outputs.items():
        assert "0.0000001" in text, name
        assert "E-" not in text and "e-" not in text, name
        if name != "get":
            assert "0.00000010" in text, name


def test_template_never_writes_over_what_is_there(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    notes = tmp_path / "notes"
    notes.write_text("mine\n", encoding="utf-8")
    for target in (fifo, notes):
        r = run("--lang", "en", "template", "--region", "永登县", "--period", "2023", str(target))
        message = "already exists and is not an empty directory; choose a new one"
        assert (r.code, r.err) == (2, f"fanpin: error: {target}: {message}\n")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert notes.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "notes"]
