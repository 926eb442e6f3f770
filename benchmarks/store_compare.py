"""Issue 26 item 2, measured before choosing: a SQLite store beside the columns cache.

    uv run python benchmarks/store_compare.py DATA [REGION PERIOD]

DATA is a dataset or a collection (benchmarks/realistic.py writes SYNTHETIC ones). Its
records are parsed once (cache off); then, in this process, on the same records:
- a prototype of the SQLite store the issue expected (standard sqlite3, one database for
  the whole root, one row a record, scalar columns, ids joined, the ratio in two columns,
  figures as text, indexes on id, region+period and period), written, read back whole
  into records and queried for one region and period;
- the columns cache (fanpin_cli.reading.store.format / cache_read), one entry per dataset, the same.
Both must give the same records. CPU seconds, best of three; the stat-only keys of every
dataset folder, which either store must check before trusting anything, timed apart.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ["FANPIN_CACHE"] = "0"

from fanpin_cli.core.schema import Indicator
from fanpin_cli.reading.load import load_directory

NAMES = Indicator._fields
SEP = "\x1f"


def cols_sql() -> str:
    out = []
    for n in NAMES:
        if n == "ratio":
            out += ["ratio_part", "ratio_whole"]
        else:
            out.append(n)
    return ", ".join(out)


def row_of(ind: Indicator, file_id: int, pos: int) -> tuple[object, ...]:
    out: list[object] = [file_id, pos]
    for n, v in zip(NAMES, ind, strict=True):
        if n == "ratio":
            out += [v[0], v[1]] if v else [None, None]
        elif n == "parts":
            out.append(SEP.join(v) if v else "")
        elif type(v) is Decimal:
            out.append(format(v, "f"))
        else:
            out.append(v)
    return tuple(out)


def write_sqlite(db: Path, parts) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("pragma journal_mode=off")
    con.execute("pragma synchronous=off")
    con.execute("begin")
    con.execute("create table files (id integer primary key, name text, sig text)")
    con.execute(f"create table records (fid integer, pos integer, {cols_sql()})")
    files: dict[str, int] = {}
    rows = []
    for data in parts:
        for pos, ind in enumerate(data.indicators):
            fid = files.setdefault(ind.file, len(files))
            rows.append(row_of(ind, fid, pos))
    con.executemany("insert into files values (?, ?, '')", [(i, n) for n, i in files.items()])
    q = ", ".join("?" * len(rows[0]))
    con.executemany(f"insert into records values ({q})", rows)
    con.execute("create index by_id on records (id)")
    con.execute("create index by_rp on records (region_code, period)")
    con.execute("create index by_p on records (period)")
    con.execute("commit")
    con.close()


def build(rows) -> list[Indicator]:
    new = Indicator._make
    out = []
    vi = NAMES.index("value")
    for r in rows:
        r = list(r[2:])
        ratio = (r[11], r[12]) if r[11] is not None else None
        del r[12]
        r[11] = ratio
        r[10] = tuple(r[10].split(SEP)) if r[10] else ()
        v = r[vi]
        if type(v) is str:
            r[vi] = Decimal(v)
        out.append(new(r))
    return out


def read_sqlite(db: Path, where: tuple[str, str] | None = None) -> list[Indicator]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    if where:
        query = "select * from records where region_code = ? and period = ? order by fid, pos"
        cur = con.execute(query, where)
    else:
        cur = con.execute("select * from records order by fid, pos")
    out = build(cur.fetchall())
    con.close()
    return out


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    path = Path(sys.argv[1])
    where = tuple(sys.argv[2:4]) if len(sys.argv) > 3 else ("900001", "2023")
    from fanpin_cli.reading.load import expand, resolve_path
    from fanpin_cli.reading.store import cache
    from fanpin_cli.reading.store.format import encode

    folders = expand(resolve_path(path))
    t = time.perf_counter()
    parts = [load_directory(f) for f in folders]
    total = sum(len(d.indicators) for d in parts)
    print(
        f"parse (cache off): {time.perf_counter() - t:.2f} s wall, {total} records, "
        f"{len(folders)} datasets, rss {rss():.0f} MB"
    )
    work = Path(tempfile.mkdtemp())
    db = work / "s.sqlite"
    t = time.process_time()
    write_sqlite(db, parts)
    print(
        f"sqlite write (one database): {time.process_time() - t:.2f} s, "
        f"{db.stat().st_size / 1e6:.1f} MB"
    )
    t = time.process_time()
    entries = []
    for n, data in enumerate(parts):
        f = work / f"c{n}.cache"
        f.write_bytes(encode("k", data))
        entries.append((f, cache.Key("k", data.meta.path, ())))
    size = sum(f.stat().st_size for f, _ in entries)
    print(
        f"columns write ({len(entries)} entries): {time.process_time() - t:.2f} s, "
        f"{size / 1e6:.1f} MB"
    )

    def columns(region: str | None = None, period: str | None = None) -> list[Indicator]:
        out: list[Indicator] = []
        for f, key in entries:
            got = cache.read(f, key, region, period)
            assert got is not None
            out += got.indicators
        return out

    for label, fn in (
        ("sqlite full read", lambda: read_sqlite(db)),
        ("columns full read", columns),
        ("sqlite filtered", lambda: read_sqlite(db, where)),
        ("columns filtered", lambda: columns(*where)),
        ("keys of every folder (either store)", lambda: [cache.fingerprint(f) for f in folders]),
    ):
        best = 1e9
        for _ in range(3):
            t = time.process_time()
            got = fn()
            best = min(best, time.process_time() - t)
        print(f"{label}: {best:.3f} s CPU, {len(got)} records")
    print("same records:", read_sqlite(db) == columns())
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
