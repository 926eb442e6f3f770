"""Export a Dataset to a SQLite database: indicators, targets, sections, regions and a view.

Nothing is lost: `--sqlite FILE` creates a new database, or refreshes fanpin's own tables
in a database fanpin made earlier (marked with PRAGMA application_id), keeping any
table the user added there; any other file is refused, never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.errors import OutputError, UsageError, cannot_write, output_error
from fanpin_cli.core.model import Dataset, DatasetMeta, Number
from fanpin_cli.core.schema import KEY, Field, Indicator, Region, Section, Target, fields
from fanpin_cli.writers.export_meta import describe

VIEW = """
CREATE VIEW indicators_with_targets AS
SELECT i.id, i.section, s.title_zh AS section_title_zh, i.name_zh, i.name_en,
       i.value, i.value_text, i.unit, i.period, i.region_code, r.name_zh AS region_name_zh,
       t.comparator, t.value_text AS target, t.unit AS target_unit, t.relative_to,
       t.kind, t.per, t.level, t.basis_confidence AS confidence, t.basis_title, i.source
FROM indicators AS i
LEFT JOIN sections AS s ON s.key = i.section
LEFT JOIN regions AS r ON r.code = i.region_code
LEFT JOIN targets AS t
  ON t.indicator_id = i.id AND (t.region_code IS NULL OR t.region_code = i.region_code);
"""


# One row naming the whole export from every dataset in it (as the data package is named);
# synthetic is 1 when any dataset in it is synthetic.
EXPORT_TABLE = """
CREATE TABLE fanpin_export (
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    synthetic INTEGER NOT NULL
);
"""


# Marks a database as fanpin's (PRAGMA application_id, "fpn1"; user_version is the schema's
# version): --sqlite writes only to a new file or to a database that carries this mark.
APPLICATION_ID = 0x66706E31
# 2: tables derived from fanpin_cli.core.schema; 3: written_as, equivalent_unit, a target's kind,
# per;
# 4: the fanpin_export table (the export's name, title and synthetic mark, from all datasets);
# 5: indicators.qualifier and indicators.citation (reference figures' bounds and pages);
# 6: indexes on the indicators' region and period, and period (the id leads the primary key)
SCHEMA_VERSION = 6
SQLITE_MAGIC = b"SQLite format 3\x00"
OBJECTS = "SELECT name, type, sql FROM sqlite_master WHERE sql IS NOT NULL"
BUSY_SECONDS = 5.0  # how long a database another program is writing is waited for
# the user's own indexes and triggers (an index SQLite makes for a key has no SQL)
KEPT = (
    "SELECT type, name, tbl_name, sql FROM sqlite_master "
    "WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
)

SQL_TYPES = {"number": "NUMERIC", "integer": "INTEGER", "flag": "INTEGER"}
# Record fields the CSV contract leaves out but a database always has (NULL for the report):
# a reference figure's bound (> 3300, ≈ 70) must never read as an exact value in SQL either.
ALSO_IN_SQL = frozenset(("qualifier", "citation"))


def _in_sql(field: str, f: Field) -> bool:
    return f.export or field in ALSO_IN_SQL


def _columns(record: type[Any], prefix: str = "") -> list[tuple[str, Field]]:
    """A declared record's exported fields as (column, declaration); a nested record's
    fields are flattened with its name as a prefix (a target's `basis_title`)."""
    out: list[tuple[str, Field]] = []
    for field, f in fields(record):
        if f.kind == "table":
            out += _columns(record.__annotations__[field].__origin__, f"{prefix}{field}_")
        elif _in_sql(field, f):
            out.append((prefix + field, f))
    return out


def table(name: str, record: type[Any], key: tuple[str, ...], refs: dict[str, str]) -> str:
    """The CREATE TABLE of a declared record's exported fields (fanpin_cli.core.schema).

    A number is two columns, `<name>` for arithmetic and `<name>_text` exactly as reported;
    a ratio is `<name>_numerator` and `<name>_denominator`; a list of ids is a JSON array.
    """
    lines = []
    for column, f in _columns(record):
        null = " NOT NULL" if f.required else ""
        if f.kind == "ratio":
            lines += [f"{column}_numerator TEXT", f"{column}_denominator TEXT"]
        elif f.kind == "number":
            lines += [f"{column} NUMERIC{null}", f"{column}_text TEXT{null}"]
        else:
            ref = f" REFERENCES {refs[column]}" if column in refs else ""
            lines.append(f"{column} {SQL_TYPES.get(f.kind, 'TEXT')}{null}{ref}")
    lines += [f"PRIMARY KEY ({', '.join(key)})"] if key else []
    return f"CREATE TABLE {name} (\n    " + ",\n    ".join(lines) + "\n);\n"


# made once the rows are in (faster than keeping them up to date row by row); what a
# filtered query needs: 0.36 s without, 5 ms with, at a million records (issue 26)
INDEXES = """
CREATE INDEX indicators_by_region ON indicators (region_code, period);
CREATE INDEX indicators_by_period ON indicators (period);
"""


# their names, as SQL: not the user's own indexes to be made again after a refresh
OWN_INDEXES = ", ".join(f"'{line.split()[2]}'" for line in INDEXES.strip().splitlines())


def schema_sql() -> str:
    """The whole database schema: the declared tables, then the view."""
    return (
        table("datasets", DatasetMeta, ("path",), {})
        + table("sections", Section, ("key",), {})
        + table("regions", Region, ("code",), {})
        + table("indicators", Indicator, KEY, {"section": "sections(key)"})
        + table("targets", Target, (), {})
        + EXPORT_TABLE
        + VIEW
    )


def _row(record: Any) -> tuple[Any, ...]:
    """A declared record's values in the order of its table's columns."""
    out: list[Any] = []
    for (field, f), value in zip(fields(type(record)), record, strict=True):
        if f.kind == "table":
            out += _row(value)
        elif not _in_sql(field, f):
            continue
        elif f.kind == "ratio":
            out += list(value) if value else [None, None]
        elif f.kind == "number":
            out += [_num(value), None if value is None else format_number(value)]
        elif f.kind == "ids":
            out.append(json.dumps(list(value)) if value else None)
        elif f.kind == "flag" and value is not None:
            out.append(int(value))
        else:
            out.append(value)
    return tuple(out)


SCHEMA = schema_sql()


def _width(record: type[Any]) -> int:
    """How many columns a declared record's table has (a number and a ratio are two each)."""
    return sum(2 if f.kind in ("number", "ratio") else 1 for _, f in _columns(record))


def _num(value: Number | None) -> int | float | None:
    return float(value) if isinstance(value, Decimal) else value  # value_text keeps it exact


def statements(script: str) -> list[str]:
    """The statements of `script`, one by one (executescript would commit on its own)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def our_objects() -> dict[str, tuple[str, str]]:
    """{name: (type, sql)} of every table and view SCHEMA creates."""
    con = sqlite3.connect(":memory:")
    try:
        for statement in statements(SCHEMA):  # the indexes go with their table
            con.execute(statement)
        return {name: (kind, sql) for name, kind, sql in con.execute(OBJECTS)}
    finally:
        con.close()


Batches = Iterable[Sequence[Any]]  # the records a batch at a time (a cache.Stream)


def export_sqlite(dataset: Dataset, path: Path, batches: Batches | None = None) -> None:
    """Write `dataset` to `path`: a new file (built aside, then renamed into place) or an
    earlier fanpin export, whose fanpin tables are replaced in one transaction while every
    table of the user's own stays. Anything else at `path` is refused, never overwritten.

    `batches`: the records a batch at a time instead of `dataset.indicators` (a streamed
    export holds one batch at a time). An exception they raise midway (cache.Damaged)
    leaves nothing written: the new file is not made, the old one's transaction rolled back.
    """
    from fanpin_cli.files.atomic import looked_at

    with looked_at(path):
        if path.is_dir():
            raise UsageError.said(("usage.is_directory",), path=str(path))
        if not path.parent.is_dir():
            raise UsageError.said(("usage.no_directory",), path=str(path))
        ours = _is_ours(path)
    records: Batches = (dataset.indicators,) if batches is None else batches
    if ours:
        _update_in_place(dataset, records, path)
    else:
        _refuse_leftovers(path)
        _write_new(dataset, records, path)


def _refuse_leftovers(path: Path) -> None:
    """A `-wal` or `-journal` beside a database about to be made: SQLite would replay it
    on the first open and the new export would become the old database. Refused (it is
    not ours to delete), never left to do that."""
    for suffix in ("-wal", "-journal"):
        leftover = f"{path}{suffix}"
        if os.path.lexists(leftover):
            raise UsageError.said(("usage.sqlite_leftover", suffix), path=leftover)


def _is_ours(path: Path) -> bool:
    """True for a database fanpin made; False when nothing (or an empty file) is there.

    Anything else is refused with a UsageError: a file that is not a SQLite database, or
    a database without fanpin's mark whose tables are not exactly fanpin's (a database of
    the user's own, even one that also holds tables named like ours).
    """
    name = str(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise output_error(exc, name) from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError.said(("usage.sqlite_irregular",), path=name)
    if st.st_size == 0:
        return False
    refusal = UsageError.said(("usage.sqlite_foreign",), path=name)
    try:
        with open(name, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise output_error(exc, name) from None
    if head != SQLITE_MAGIC:
        raise refusal
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
        try:
            (app_id,) = con.execute("PRAGMA application_id").fetchone()
            if app_id == APPLICATION_ID:
                return True
            found = {n: (k, q) for n, k, q in con.execute(OBJECTS)}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(exc, name) or refusal from None
    if app_id == 0 and found == our_objects():
        return True  # written by fanpin before it set the mark
    raise refusal


# SQLite's result codes: SQLITE_BUSY and SQLITE_LOCKED (another connection holds it), and
# SQLITE_READONLY_ROLLBACK (a hot journal that a read-only open cannot roll back)
_LOCKED = frozenset({5, 6})
_READONLY_ROLLBACK = 776


def _unreadable(exc: sqlite3.DatabaseError, name: str) -> OutputError | None:
    """Why a database could not be looked at, when it is no fault of its own: locked by
    another program, or a write left unfinished (exit 74, not "not a database fanpin made")."""
    code = getattr(exc, "sqlite_errorcode", 0)
    if code & 0xFF in _LOCKED:
        return OutputError.said(("output.sqlite_locked",), path=name)
    if code == _READONLY_ROLLBACK:
        return OutputError.said(("output.sqlite_unfinished",), path=name)
    return None


def _write_new(dataset: Dataset, records: Batches, path: Path) -> None:
    from fanpin_cli.files.atomic import replacing
    from fanpin_cli.files.tempfiles import SQLITE_SUFFIXES

    try:
        with replacing(path, str(path), 0o644, side=SQLITE_SUFFIXES) as (_, tmp):
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("BEGIN")
                _fill(con, dataset, records)
                con.execute("COMMIT")
            finally:
                con.close()
    except sqlite3.OperationalError as exc:
        raise _write_error(exc, path) from None


def _update_in_place(dataset: Dataset, records: Batches, path: Path) -> None:
    """Replace fanpin's tables in an earlier export in one transaction (WAL mode too)."""
    from fanpin_cli.files.tempfiles import NAME_MAX

    if len(os.fsencode(path.name + "-journal")) > NAME_MAX:  # SQLite's journal beside it
        raise OutputError.said(("output.sqlite_long_name", str(NAME_MAX)), path=str(path))
    try:
        con = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise _write_error(exc, path) from None
    try:
        con.execute("BEGIN IMMEDIATE")
        ours = our_objects()
        tables = [name for name, (kind, _) in ours.items() if kind == "table"]
        # the user's own indexes and triggers on fanpin's tables go with them: made again
        marks = ", ".join("?" * len(tables))
        kept = con.execute(f"{KEPT} AND tbl_name IN ({marks}) AND name NOT IN ({OWN_INDEXES})",
                           tables).fetchall()  # fmt: skip
        for name, (kind, _) in ours.items():
            if kind == "view":
                con.execute(f'DROP VIEW IF EXISTS "{name}"')
        for name in tables:
            con.execute(f'DROP TABLE IF EXISTS "{name}"')
        _fill(con, dataset, records)
        for kind, name, table_name, sql in kept:
            try:
                con.execute(sql)
            except sqlite3.Error as exc:
                kept_one = ("usage.sqlite_keep", f"{kind} {name}", table_name, str(exc))
                raise UsageError.said(kept_one, path=str(path)) from None
        con.execute("COMMIT")
    except BaseException as exc:
        with contextlib.suppress(sqlite3.Error):
            con.execute("ROLLBACK")
        if isinstance(exc, (OSError, sqlite3.OperationalError)):
            raise _write_error(exc, path) from None
        raise
    finally:
        con.close()


def _write_error(exc: OSError | sqlite3.Error, path: Path) -> OutputError:
    if isinstance(exc, OSError):
        return output_error(exc, str(path))
    if isinstance(exc, sqlite3.DatabaseError) and (said := _unreadable(exc, str(path))):
        return said
    full = getattr(exc, "sqlite_errorcode", None) == 13  # SQLITE_FULL
    return cannot_write(str(path), "No space left on device" if full else str(exc))


def _fill(con: sqlite3.Connection, dataset: Dataset, records: Batches) -> None:
    """Create fanpin's tables and fill them, the indicators from `records` a batch at a
    time (inside the caller's transaction); index them once they are in."""
    for statement in statements(SCHEMA):
        con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    # two single files of one folder share that folder's (empty) metadata: one row
    metas: dict[str, DatasetMeta] = {}
    for meta in dataset.metas:
        metas.setdefault(meta.path, meta)
    # what the export's description says of its records (a file, region and period each),
    # noted as they go by: streamed, they are never all in memory
    spans: dict[tuple[str, str, str], Indicator] = {}

    def noted(batches: Batches) -> Iterator[Sequence[Any]]:
        for batch in batches:
            for r in batch:
                if (r.file, r.region_code, r.period) not in spans:
                    spans[r.file, r.region_code, r.period] = Indicator(
                        "", "", "", "", None, "", r.period, r.region_code, file=r.file
                    )
            yield batch

    tables: list[tuple[str, type[Any], Batches]] = [
        ("datasets", DatasetMeta, (tuple(metas.values()),)),
        ("sections", Section, (dataset.sections,)),
        ("regions", Region, (dataset.regions,)),
        ("indicators", Indicator, noted(records)),
        ("targets", Target, (dataset.targets,)),
    ]
    for name, kind, batches in tables:
        marks = ", ".join("?" * _width(kind))
        for batch in batches:
            con.executemany(f"INSERT INTO {name} VALUES ({marks})", map(_row, batch))
    info = describe(tuple(metas.values()), tuple(spans.values()))
    con.execute(
        "INSERT INTO fanpin_export VALUES (?, ?, ?, ?)",
        (info.name, info.title, info.description, int(info.synthetic)),
    )
    for statement in statements(INDEXES):
        con.execute(statement)
