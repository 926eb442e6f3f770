"""Export a Dataset to a SQLite database: indicators, targets, sections, regions and a view."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

from fanpin_cli.errors import UsageError
from fanpin_cli.model import Dataset, Number
from fanpin_cli.rows import format_number

SCHEMA = """
CREATE TABLE datasets (
    path TEXT PRIMARY KEY, title_zh TEXT, title_en TEXT, publisher_zh TEXT,
    publisher_en TEXT, published TEXT, region_code TEXT, period TEXT, synthetic INTEGER
);
CREATE TABLE sections (
    key TEXT PRIMARY KEY, number TEXT, title_zh TEXT NOT NULL, title_en TEXT NOT NULL
);
CREATE TABLE regions (
    code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, parent TEXT
);
CREATE TABLE indicators (
    id TEXT NOT NULL,
    section TEXT NOT NULL REFERENCES sections(key),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    value NUMERIC,          -- for arithmetic; may lose trailing zeros
    value_text TEXT,        -- exactly as reported: 3.1800 stays 3.1800
    unit TEXT NOT NULL,
    period TEXT NOT NULL,
    region_code TEXT NOT NULL,
    basis TEXT,
    source TEXT,
    parts TEXT,             -- JSON array of indicator ids
    ratio_numerator TEXT,
    ratio_denominator TEXT,
    subset_of TEXT,
    note TEXT,
    PRIMARY KEY (id, region_code, period)
);
CREATE TABLE targets (
    indicator_id TEXT NOT NULL,
    comparator TEXT NOT NULL,
    value NUMERIC NOT NULL,
    value_text TEXT NOT NULL,
    unit TEXT NOT NULL,
    relative_to TEXT,
    level TEXT NOT NULL,
    target_year TEXT,
    region_code TEXT,
    basis_title TEXT NOT NULL,
    basis_issuer TEXT NOT NULL,
    basis_year TEXT NOT NULL,
    basis_quote TEXT NOT NULL,
    confidence TEXT NOT NULL,
    basis_url TEXT,
    basis_note TEXT
);
CREATE VIEW indicators_with_targets AS
SELECT i.id, i.section, s.title_zh AS section_title_zh, i.name_zh, i.name_en,
       i.value, i.value_text, i.unit, i.period, i.region_code, r.name_zh AS region_name_zh,
       t.comparator, t.value_text AS target, t.unit AS target_unit, t.relative_to,
       t.level, t.confidence, t.basis_title, i.source
FROM indicators AS i
LEFT JOIN sections AS s ON s.key = i.section
LEFT JOIN regions AS r ON r.code = i.region_code
LEFT JOIN targets AS t
  ON t.indicator_id = i.id AND (t.region_code IS NULL OR t.region_code = i.region_code);
"""


def _num(value: Number | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)  # value_text keeps the exact figure
    return value


def export_sqlite(dataset: Dataset, path: Path) -> None:
    """Write `dataset` to a new SQLite file at `path`, replacing it atomically."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError("is a directory; give a file name", path=str(path))
    if not directory.is_dir():
        raise UsageError("its directory does not exist", path=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            _fill(con, dataset)
            con.commit()
        finally:
            con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fill(con: sqlite3.Connection, dataset: Dataset) -> None:
    con.executescript(SCHEMA)
    con.executemany(
        "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (m.path, m.title_zh, m.title_en, m.publisher_zh, m.publisher_en, m.published,
             m.region_code, m.period, int(m.synthetic))
            for m in dataset.metas
        ],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?)",
        [(s.key, s.number, s.title_zh, s.title_en) for s in dataset.sections],
    )
    con.executemany(
        "INSERT INTO regions VALUES (?, ?, ?, ?)",
        [(r.code, r.name_zh, r.name_en, r.parent) for r in dataset.regions],
    )
    con.executemany(
        "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (i.id, i.section, i.name_zh, i.name_en, _num(i.value),
             None if i.value is None else format_number(i.value), i.unit, i.period,
             i.region_code, i.basis, i.source, json.dumps(list(i.parts)) if i.parts else None,
             i.ratio[0] if i.ratio else None, i.ratio[1] if i.ratio else None, i.subset_of,
             i.note)
            for i in dataset.indicators
        ],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (t.indicator_id, t.comparator, _num(t.value), format_number(t.value), t.unit,
             t.relative_to, t.level, t.target_year, t.region_code, t.basis.title, t.basis.issuer,
             t.basis.year, t.basis.quote, t.basis.confidence, t.basis.url, t.basis.note)
            for t in dataset.targets
        ],
    )  # fmt: skip
