"""Bad-input corpus, issue 25: what hostile data did to fanpin's outputs and writers.

Each test failed before its fix. The datasets are copies of the SYNTHETIC mini fixture
(made-up figures) with hostile text put in.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import COUNTIES, run

# a name with a bare CR inside, a note with CRLF, LF and CR inside (none at an edge: what
# a reader does with a cell's outer blanks is the spreadsheet readers' business)
NAME_EN = "Unstable\rhouseholds"
NOTE = "line one\r\nline two\nthree\rfour"


@pytest.fixture
def carriage(mini: Path) -> Path:
    """The SYNTHETIC mini dataset with CR and LF inside a name and a note."""
    path = mini / "monitoring.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'name_en = "Unstable households"',
        'name_en = "Unstable\\rhouseholds"\nnote = "line one\\r\\nline two\\nthree\\rfour"',
        1,
    )
    path.write_text(text, encoding="utf-8")
    return mini


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _check_rows(text: str) -> None:
    """Five records, and the hostile cells whole in the one that holds them."""
    rows = _rows(text)
    assert len(rows) == 5  # before: the bare CR split a row for csv readers
    hostile = next(r for r in rows if r["id"] == "monitoring.unstable_households")
    assert hostile["name_en"] == NAME_EN
    if "note" in hostile:
        assert hostile["note"] == NOTE
    # every cell holding a CR or an LF is quoted (RFC 4180), lines end with LF alone
    for line in csv.reader(io.StringIO(text, newline="")):
        assert len(line) == len(rows[0])
    assert f'"{NAME_EN}"' in text


# --------------------------------------------------------------- item 4: CR and LF in CSV


def test_export_csv_quotes_cr_and_reads_back(carriage: Path, tmp_path: Path) -> None:
    r = run("--data", str(carriage), "export", "--csv")
    assert r.code == 0, r.err
    _check_rows(r.out)
    exported = tmp_path / "export.csv"
    exported.write_bytes(r.out_bytes)
    again = run("--data", str(exported), "export", "--csv")  # fanpin reads its own export
    assert again.code == 0, again.err
    assert again.out_bytes == r.out_bytes


def test_show_csv_quotes_cr(carriage: Path) -> None:
    r = run("--data", str(carriage), "show", "monitoring", "-o", "csv", "--lang", "en")
    assert r.code == 0, r.err
    assert len(_rows(r.out)) == 5 and f'"{NAME_EN}"' in r.out


def test_excel_csv_quotes_cr(carriage: Path) -> None:
    r = run("--data", str(carriage), "export", "--csv", "--excel")
    assert r.code == 0, r.err
    text = r.out_bytes.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 6


def test_tsv_escapes_cr_and_lf(carriage: Path) -> None:
    r = run("--data", str(carriage), "export", "--tsv")
    assert r.code == 0, r.err
    lines = r.out.split("\n")
    assert len(lines) == 7 and lines[-1] == "" and "\r" not in r.out
    assert "Unstable\\rhouseholds" in r.out and "line one\\r\\nline two\\nthree\\rfour" in r.out


def test_datapackage_with_cr_is_valid(carriage: Path, tmp_path: Path) -> None:
    out = tmp_path / "package"
    r = run("--data", str(carriage), "export", "--datapackage", str(out))
    assert r.code == 0, r.err
    _check_rows((out / "indicators.csv").read_bytes().decode("utf-8"))
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])


def test_the_csv_writer_matches_the_standard_library() -> None:
    """fanpin's CSV is csv.writer's (RFC 4180, quoting minimal) with LF line ends, for
    every cell a line end or quote can hide in."""
    from fanpin_cli.formats.csvfmt import writer

    cells = ["a", "b,c", 'd"e', "f\rg", "h\ni", "j\r\nk", "\r", "", " l ", "m\u2028n"]
    rows = [cells, cells[::-1]]
    ours = io.StringIO()
    writer(ours).writerows(rows)
    expected = ""
    for row in rows:  # the standard library's row, its CRLF terminator made LF
        reference = io.StringIO()
        csv.writer(reference, lineterminator="\r\n").writerow(row)
        expected += reference.getvalue().removesuffix("\r\n") + "\n"
    assert ours.getvalue() == expected
    assert '"f\rg"' in expected and '"\r"' in expected
    assert list(csv.reader(io.StringIO(ours.getvalue(), newline=""))) == rows


# ------------------------------------------------- item 8: SQLite leftovers and locks


def _old_database(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A database of someone else's with one row 'OLD' in table t, and a copy of the -wal
    or -journal it had while being written (what a crash or a careless copy leaves)."""
    import shutil
    import sqlite3

    db = tmp_path / f"old-{name}.db"
    con = sqlite3.connect(db, isolation_level=None)
    if name == "wal":
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("CREATE TABLE t (x)")
        con.execute("INSERT INTO t VALUES ('OLD')")
        kept = Path(shutil.copy(f"{db}-wal", tmp_path / "kept"))
    else:
        con.execute("CREATE TABLE t (x)")
        con.execute("INSERT INTO t VALUES ('OLD')")
        con.execute("PRAGMA cache_size=1")  # the change spills into the file: a hot journal
        con.execute("BEGIN")
        for _ in range(60):
            con.execute("INSERT INTO t VALUES (randomblob(4000))")
        kept = Path(shutil.copy(f"{db}-journal", tmp_path / "kept"))
        con.execute("ROLLBACK")
    con.close()
    return db, kept


@pytest.mark.parametrize("leftover", ["wal", "journal"])
def test_a_stale_wal_or_journal_is_never_replayed_into_a_new_export(
    tmp_path: Path, leftover: str
) -> None:
    import shutil

    _, kept = _old_database(tmp_path, leftover)
    target = tmp_path / "x.db"
    beside = Path(f"{target}-{leftover}")
    shutil.copy(kept, beside)
    r = run("--lang", "en", "export", "--sqlite", str(target))
    # before: exit 0, and opening x.db replayed the leftover: the export became table t
    assert r.code == 2, r.err
    assert r.err == (
        f"fanpin: error: {beside}: is a leftover -{leftover} of an earlier database, which "
        "would be replayed into the new export; move it away or give another file name\n"
    )
    assert not target.exists() and beside.read_bytes() == kept.read_bytes()
    beside.unlink()
    assert run("export", "--sqlite", str(target)).code == 0
    assert _tables(target) >= {"indicators", "targets"} and "t" not in _tables(target)


def _tables(db: Path) -> set[str]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def test_a_locked_fanpin_database_is_said_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from fanpin_cli import sqlite_export

    monkeypatch.setattr(sqlite_export, "BUSY_SECONDS", 0.05)
    db = tmp_path / "f.db"
    assert run("export", "--sqlite", str(db)).code == 0
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("DELETE FROM fanpin_export")
        r = run("--lang", "en", "export", "--sqlite", str(db))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # before: "exists and is not a database fanpin made" (exit 2)
    assert r.code == 74 and "locked by another program" in r.err, r.err
    assert run("export", "--sqlite", str(db)).code == 0  # once it is done


def test_a_fanpin_database_with_an_unfinished_write_is_said_unfinished(tmp_path: Path) -> None:
    import shutil
    import sqlite3

    db = tmp_path / "f.db"
    assert run("export", "--sqlite", str(db)).code == 0
    crashed = tmp_path / "crashed.db"
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA cache_size=1")
        writer.execute("BEGIN")
        for _ in range(60):  # enough to spill into the file: the journal is hot
            writer.execute("INSERT INTO fanpin_export VALUES ('x', randomblob(4000), 'd', 0)")
        shutil.copy(db, crashed)  # what a crash at this moment leaves
        shutil.copy(f"{db}-journal", f"{crashed}-journal")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    r = run("--lang", "en", "export", "--sqlite", str(crashed))
    assert r.code == 74 and "unfinished write" in r.err, r.err
    assert Path(f"{crashed}-journal").exists()  # left for SQLite to recover, not ours to drop


def test_refreshing_keeps_the_users_indexes_and_triggers(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "f.db"
    assert run("export", "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    con.execute("CREATE INDEX my_by_unit ON indicators (unit)")
    con.execute("CREATE TABLE my_log (id TEXT)")
    con.execute(
        "CREATE TRIGGER my_audit AFTER UPDATE ON indicators BEGIN "
        "INSERT INTO my_log VALUES (new.id); END"
    )
    con.commit()
    con.close()
    assert run("export", "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    try:
        mine = set(con.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'my%'"))
        # before: the index and the trigger were dropped with fanpin's table, without a word
        assert mine == {("index", "my_by_unit"), ("trigger", "my_audit"), ("table", "my_log")}
        con.execute("UPDATE indicators SET unit = unit WHERE rowid = 1")
        assert con.execute("SELECT count(*) FROM my_log").fetchone() == (1,)
    finally:
        con.close()


def test_an_index_that_cannot_be_kept_stops_the_refresh(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "f.db"
    assert run("export", "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    con.execute("DELETE FROM indicators WHERE rowid > 1")  # the user trimmed it
    con.execute("CREATE UNIQUE INDEX my_one_per_section ON indicators (section)")
    con.commit()
    con.close()
    before = db.read_bytes()
    r = run("--lang", "en", "export", "--sqlite", str(db))
    assert r.code == 2 and "your index my_one_per_section on fanpin's table indicators" in r.err
    assert "the database is unchanged" in r.err and db.read_bytes() == before


# ------------------------------------- item 9: a data package in a shared sticky folder


def test_a_package_in_a_sticky_folder_is_checked_before_anything_is_replaced() -> None:
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    from conftest import MINI

    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to act as two users in one shared folder")
    shared = Path(tempfile.mkdtemp(prefix="fanpin-sticky-", dir="/tmp"))
    try:
        shared.chmod(0o1777)  # like /tmp: anyone may write, only owners may replace
        package = shared / "package"
        assert run("--data", str(MINI), "export", "--datapackage", str(package)).code == 0
        package.chmod(0o1777)
        csv_file, descriptor = package / "indicators.csv", package / "datapackage.json"
        os.chown(csv_file, 65534, 65534)  # ours (we run as nobody below)
        os.chown(descriptor, 1000, 1000)  # a colleague's
        before = {p: p.read_bytes() for p in (csv_file, descriptor)}
        p = subprocess.run(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
             "-m", "fanpin_cli", "--lang", "en", "--data", str(COUNTIES / "2023" / "620121"),
             "export", "--datapackage", str(package)],
            capture_output=True, timeout=60, check=False,
            env={"FANPIN_CACHE": "0", "HOME": "/nonexistent", "PATH": os.environ["PATH"]},
        )  # fmt: skip
        # before: exit 74 after indicators.csv had been replaced (half a package)
        assert p.returncode == 74, p.stderr
        assert p.stderr.decode() == (
            f"fanpin: error: {descriptor}: belongs to another user in a shared folder with "
            "the sticky bit: only they can replace it; nothing was written\n"
        )
        assert {p: p.read_bytes() for p in (csv_file, descriptor)} == before
        assert sorted(os.listdir(package)) == ["datapackage.json", "indicators.csv"]
    finally:
        shutil.rmtree(shared)
