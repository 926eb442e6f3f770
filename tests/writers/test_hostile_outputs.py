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

# a name with a bare CR inside, a note with CRLF, LF and CR inside and a CR at its end
NAME_EN = "Unstable\rhouseholds"
NOTE = "line one\r\nline two\nthree\rfour\r"


@pytest.fixture
def carriage(mini: Path) -> Path:
    """The SYNTHETIC mini dataset with CR and LF inside a name and a note."""
    path = mini / "monitoring.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'name_en = "Unstable households"',
        'name_en = "Unstable\\rhouseholds"\nnote = "line one\\r\\nline two\\nthree\\rfour\\r"',
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
    from fanpin_cli.writers.csvfmt import writer

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

    from fanpin_cli.writers import sqlite as sqlite_export

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


# ------------------------------------------------------------- item 12: the rest


def _with_name(mini: Path, name_en: str) -> Path:
    path = mini / "monitoring.toml"
    text = path.read_text(encoding="utf-8")
    escaped = name_en.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\u001b")
    path.write_text(text.replace('"Unstable households"', f'"{escaped}"', 1), encoding="utf-8")
    return mini


def test_markdown_writes_html_as_text(mini: Path) -> None:
    _with_name(mini, "<script>alert(1)</script> &amp; <b> <!-- <= 5 >")
    r = run("--lang", "en", "--data", str(mini), "export", "--markdown")
    assert r.code == 0, r.err
    # before: the tags and the entity went out raw, for a Markdown viewer to run or decode
    assert "<script>" not in r.out and "<b>" not in r.out
    assert "&lt;script>alert(1)&lt;/script> &amp;amp; &lt;b> &lt;!-- <= 5 >" in r.out


def _on_a_terminal(*args: str) -> bytes:
    """What `python -m fanpin_cli ARGS` writes to stdout when stdout is a terminal."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env["FANPIN_CACHE"] = "0"
    proc = subprocess.Popen([sys.executable, "-m", "fanpin_cli", *args], stdout=follower,
                            stderr=subprocess.PIPE, env=env)  # fmt: skip
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else b""
    return out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_machine_formats_on_a_terminal_show_escapes(mini: Path, fmt: str) -> None:
    _with_name(mini, "red\x1b[31m\u202egnp.exe\x9b2J")
    shown = _on_a_terminal("--lang", "en", "--data", str(mini), "show", "-o", fmt)
    # before: ESC, the bidi override and the 8-bit CSI reached the terminal raw
    assert b"\x1b" not in shown and "\u202e".encode() not in shown
    assert "\x9b".encode() not in shown
    assert b"\\x1b[31m" in shown or b"\\u001b[31m" in shown  # CSV, TSV or JSON's own
    piped = run("--data", str(mini), "show", "-o", fmt)  # redirected: every byte kept
    assert "\u202e" in piped.out and ("\x1b" in piped.out or "\\u001b" in piped.out)


def test_output_names_of_242_to_255_bytes_are_written(tmp_path: Path, mini: Path) -> None:
    for size in (242, 250, 255):
        name = "x" * (size - 4) + ".csv"
        r = run("--data", str(mini), "export", "--csv", "--output", str(tmp_path / name))
        # before: exit 74, the temporary .NAME.XXXXXXXX.tmp was over 255 bytes
        assert r.code == 0, (size, r.err)
        assert (tmp_path / name).read_bytes() == run("--data", str(mini), "export").out_bytes
    wide = "数" * 81 + ".csv"  # 247 bytes of UTF-8
    assert run("--data", str(mini), "export", "--output", str(tmp_path / wide)).code == 0
    package = tmp_path / ("p" * 255)
    assert run("--data", str(mini), "export", "--datapackage", str(package)).code == 0
    assert run("--data", str(mini), "export", "--datapackage", str(package)).code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_temporary_name_for_a_long_name_is_swept_as_its_own() -> None:
    from fanpin_cli.files.tempfiles import NAME_MAX, temp_name_pattern, temp_stem

    long_a, long_b = "a" * 250, "a" * 249 + "b"
    assert temp_stem(long_a) != temp_stem(long_b)
    assert len(f".{temp_stem(long_a)}.abcdefgh.tmp-journal".encode()) <= NAME_MAX
    assert temp_name_pattern(long_a).match(f".{temp_stem(long_a)}.abcdefgh.tmp")
    assert not temp_name_pattern(long_b).match(f".{temp_stem(long_a)}.abcdefgh.tmp")
    assert temp_stem("short.csv") == "short.csv"


@pytest.mark.parametrize(
    "text",
    ["\u061c=HYPERLINK(1)", "\U000e0001=1+1", "\U000e0041@SUM(1)", "\u3164-1", "\u0301+1"],
)
def test_the_excel_guard_looks_past_every_invisible_character(text: str) -> None:
    from fanpin_cli.writers.excel_csv import neutralise

    # before: U+061C (a format character) and the tags from U+E0001 hid the formula
    assert neutralise(text) == "'" + text
    assert neutralise("1+1") == "1+1" and neutralise("中=1") == "中=1"


def test_import_into_an_empty_folder_keeps_its_mode_and_group(mini: Path, tmp_path: Path) -> None:
    import os
    import stat

    if os.geteuid() != 0:
        pytest.skip("giving the folder another group needs root")
    exported = tmp_path / "export.csv"
    assert run("--data", str(mini), "export", "--output", str(exported)).code == 0
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chown(folder, -1, 100)
    folder.chmod(0o2750)  # setgid, the group may read, others nothing
    r = run("import", str(exported), str(folder))
    assert r.code == 0, r.err
    st = os.stat(folder)
    # before: 0755 and root's group, as if the folder had been made anew
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o2750, 100)
    assert {os.stat(p).st_gid for p in folder.iterdir()} == {100}  # as setgid gives them
    assert run("--data", str(folder), "export").out_bytes == exported.read_bytes()


def test_an_export_never_replaces_a_file_of_its_dataset(mini: Path, tmp_path: Path) -> None:
    section = mini / "monitoring.toml"
    before = section.read_bytes()
    link = tmp_path / "out.csv"
    link.symlink_to(section)  # a name that says CSV, a link to the dataset's own file
    r = run("--lang", "en", "--data", str(mini), "export", "--output", str(link))
    # before: monitoring.toml was replaced by the CSV export
    assert (r.code, r.out) == (2, "")
    said = "is a file of the dataset being read; an export never replaces it"
    assert r.err == f"fanpin: error: {link}: {said}\n"
    assert section.read_bytes() == before
    sheet = tmp_path / "submitted.csv"
    assert run("--data", str(mini), "export", "--output", str(sheet)).code == 0
    kept = sheet.read_bytes()
    for args in (("--output", str(sheet)), ("--xlsx", str(sheet)), ("--sqlite", str(sheet))):
        again = run("--lang", "en", "--data", str(sheet), "export", *args)
        assert again.code == 2 and "an export never replaces it" in again.err, args
    assert sheet.read_bytes() == kept
