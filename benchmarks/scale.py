"""Scale benchmark: realistic SYNTHETIC records in the layouts users have, and the lean ones.

    uv run python benchmarks/scale.py                        # 1k, 10k, 100k; every layout
    uv run python benchmarks/scale.py --sizes 20000 --layouts county section --runs 1
    uv run python benchmarks/scale.py --million              # and 1,000,000 (an hour or more)
    FANPIN_SCALE_MILLION=1 uv run python benchmarks/scale.py # the same
    uv run --with duckdb python benchmarks/scale.py          # duckdb as a peer too

Layouts (benchmarks/realistic.py writes the realistic ones): `section`, the bundled report's
97 records with every field (quote, source, notes, parts, ratios, subsets) replicated over
invented regions and periods in one file per section; `split`, the same split by period;
`county`, a national collection of one dataset folder per county per year, each with its
own dataset.toml and source document; `lean`, records of an id, names, a value, a unit, a
period and a region in six files (fanpin_cli.writers.synthetic). Everything is marked synthetic,
written to a temporary directory and deleted afterwards.

For each layout and size, every command runs once per round, in turn, so that the load of a
shared machine hits all of them alike, and the medians are compared side by side: tomli
alone parsing the same TOML files (the floor of a cold run), fanpin cold (empty cache),
warm (cache filled) and after one file was edited, the columns->csv floor of a warm export
(the export's own columns, as strings, unmarshalled and written by csv.writer), and sqlite3
(and duckdb, when it can be imported) answering the filtered query. Each command's peak
memory is the maximum resident set of its process and any children (wait4's ru_maxrss).
The 1M size is left out of the default run (CI's), where it would take too long.
"""

from __future__ import annotations

import argparse
import csv
import marshal
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import compile_bytecode, env_with, machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

MILLION = 1_000_000
# the filtered show's region and period, and the roll-up's parent, by layout
LEAN_QUERY = ("620121", "2023", "620100")
REALISTIC_QUERY = ("900001", "2023", "900000")
LAYOUTS = ("section", "split", "county", "lean")

TOMLI_ONLY = """
import sys, tomli
from decimal import Decimal
from pathlib import Path
for f in sorted(Path(sys.argv[1]).rglob("*.toml")):
    tomli.loads(f.read_text(encoding="utf-8"), parse_float=Decimal)
"""

# the floor of a warm export: the export's columns, ready as strings, written by csv.writer
COLUMNS_TO_CSV = """
import csv, marshal, sys
with open(sys.argv[1], "rb") as f:
    header, columns = marshal.load(f)
w = csv.writer(sys.stdout, lineterminator="\\n")
w.writerow(header)
w.writerows(zip(*columns))
"""

SQLITE_QUERY = """
import csv, sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
cur = con.execute("select * from indicators where region_code = ? and period = ?", sys.argv[2:4])
w = csv.writer(sys.stdout, lineterminator="\\n")
w.writerow([d[0] for d in cur.description])
w.writerows(cur)
"""

DUCKDB_QUERY = """
import sys, duckdb
duckdb.sql(
    f"copy (select * from read_csv('{sys.argv[1]}', all_varchar = true) "
    f"where region_code = '{sys.argv[2]}' and period = '{sys.argv[3]}') to '/dev/stdout' (header)"
)
"""


# Runs one command and reports its time and peak memory. A tiny process of its own (python
# -S, no site), because a child's ru_maxrss starts from the resident set of the process that
# forked it: forked from this benchmark, holding a million records, every command would
# seem to take as much as the benchmark itself.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
cpu = usage.ru_utime + usage.ru_stime
print(f"\\nmeasured {code} {elapsed} {usage.ru_maxrss} {cpu}", file=sys.stderr)
"""


def run_measured(
    cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)
) -> tuple[float, float, float]:
    """(seconds, peak MB, CPU seconds) of one whole process, output discarded, its exit
    code checked. CPU time (user + system, children included) is what a loaded machine
    disturbs least.

    The peak is wait4's ru_maxrss: the largest resident set of the process or of any of
    its children (forked parsers) -- the maximum of them, not their sum.
    """
    launch = [sys.executable, "-S", "-c", LAUNCHER, *cmd]
    proc = subprocess.run(launch, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err, _, last = proc.stderr.decode("utf-8", "replace").rpartition("\nmeasured ")
    code, elapsed, peak_kb, cpu = last.split()
    if int(code) not in ok:
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(cmd)}\n{err}")
    return float(elapsed), int(peak_kb) / 1024, float(cpu)


def prepare_peers(data: Path, work: Path, env: dict[str, str]) -> tuple[Path, Path, Path]:
    """The export as CSV, its columns marshalled (the floor's input) and a sqlite3 database."""
    out = work / "export.csv"
    with out.open("wb") as f:
        subprocess.run(
            [sys.executable, "-m", "fanpin_cli", "--data", str(data), "export", "--csv"],
            stdout=f,
            env={**env, "FANPIN_CACHE": "0"},
            check=True,
        )
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = tuple(map(tuple, zip(*reader, strict=True)))
    floor = work / "columns.marshal"
    floor.write_bytes(marshal.dumps((tuple(header), columns)))
    db = work / "peer.sqlite"
    con = sqlite3.connect(db)
    names = ", ".join(f'"{h}"' for h in header)
    con.execute(f"create table indicators ({names})")
    con.executemany(
        f"insert into indicators values ({', '.join('?' * len(header))})",
        zip(*columns, strict=True),
    )
    con.execute("create index by_region_period on indicators (region_code, period)")
    con.commit()
    con.close()
    return out, floor, db


def has_duckdb() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


Step = tuple[list[str], dict[str, str], Callable[[], None] | None, tuple[int, ...]]


def fanpin_steps(
    data: Path, env: dict[str, str], query: tuple[str, str, str], edited: Path, suffix: str = ""
) -> dict[str, Step]:
    """fanpin's commands, cold, warm and after `edited` changed: name -> (command,
    environment, run before it, exit codes that are fine); `env` chooses the fanpin
    (PYTHONPATH) and its cache directory."""
    region, period, parent = query
    fan = [sys.executable, "-m", "fanpin_cli", "--data", str(data)]
    show = [*fan, "show", "--region", region, "--period", period, "-o", "csv"]
    export = [*fan, "export", "--csv"]
    check = [*fan, "check", "-o", "csv"]
    rollup = [*fan, "rollup", "--to", parent, "--period", period, "-o", "csv"]
    db = Path(env["XDG_CACHE_HOME"]).parent / f"export{suffix.strip(' []')}.sqlite"
    sqlite = [*fan, "export", "--sqlite", str(db)]
    off = {**env, "FANPIN_CACHE": "0"}
    cache_home = Path(env["XDG_CACHE_HOME"])

    def empty_cache() -> None:
        shutil.rmtree(cache_home, ignore_errors=True)

    def no_db() -> None:
        db.unlink(missing_ok=True)

    def edit() -> None:  # a comment more: the file's size and contents change
        with edited.open("a", encoding="utf-8") as f:
            f.write("# edited\n")

    steps: dict[str, Step] = {
        "show filtered, cold": (show, env, empty_cache, (0,)),
        "check, cold": (check, env, empty_cache, (0, 1)),
        "export --csv, cold": (export, env, empty_cache, (0,)),  # leaves the cache filled
        "show filtered, warm": (show, env, None, (0,)),
        "export --csv, warm": (export, env, None, (0,)),
        "check, warm": (check, env, None, (0, 1)),  # records cached, the report not yet
        "check, warm report": (check, env, None, (0, 1)),  # the report cached too
        "rollup, warm": (rollup, env, None, (0,)),
        "export --sqlite, warm": (sqlite, env, no_db, (0,)),
        "export --csv, one file edited": (export, env, edit, (0,)),
        "check, one file edited": (check, env, edit, (0, 1)),
        "export --csv, cache off": (export, off, None, (0,)),
    }
    return {name + suffix: step for name, step in steps.items()}


def write_layout(layout: str, size: int, work: Path) -> tuple[Path, tuple[str, str, str], Path]:
    """The dataset of `size` records in `layout`, its show/rollup query and a file to edit."""
    if layout == "lean":
        from fanpin_cli.writers.synthetic import write_dataset

        data = write_dataset(work / f"lean-{size}", size, label=f"{size} records")
        return data, LEAN_QUERY, data / "monitoring.toml"
    import realistic

    data = realistic.write(layout, work / f"{layout}-{size}", size)
    first = min(p for p in data.rglob("monitoring*.toml"))
    return data, REALISTIC_QUERY, first


def measure(
    layout: str,
    size: int,
    work: Path,
    runs: int,
    env: dict[str, str],
    baseline: Path | None = None,
) -> dict[str, tuple[float, float, float]]:
    """Median (seconds, peak MB, CPU seconds) of each command at `size` records in `layout`,
    alternating in rounds; with `baseline`, the fanpin in that source tree too, side by side."""
    py = sys.executable
    data, query, edited = write_layout(layout, size, work)
    region, period, _ = query
    csv_file, floor, db = prepare_peers(data, work, env)
    steps: dict[str, Step] = {
        "tomli parse (floor)": ([py, "-c", TOMLI_ONLY, str(data)], env, None, (0,)),
        **fanpin_steps(data, env, query, edited),
        "columns->csv (floor)": ([py, "-c", COLUMNS_TO_CSV, str(floor)], env, None, (0,)),
        "sqlite3 filtered (peer)": ([py, "-c", SQLITE_QUERY, str(db), region, period], env,
                                    None, (0,)),
    }  # fmt: skip
    if has_duckdb():
        steps["duckdb on CSV (peer)"] = (
            [py, "-c", DUCKDB_QUERY, str(csv_file), region, period], env, None, (0,)
        )  # fmt: skip
    if baseline is not None:
        before = {**env, "PYTHONPATH": str(baseline / "src"),
                  "XDG_CACHE_HOME": str(work / "cache-baseline")}  # fmt: skip
        steps.update(fanpin_steps(data, before, query, edited, " [baseline]"))
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in steps}
    for n in range(runs + 1):  # round 0 warms the page cache and is not counted
        for name, (cmd, step_env, before_step, ok) in steps.items():
            if before_step is not None:
                before_step()
            result = run_measured(cmd, step_env, ok)
            if n:
                samples[name].append(result)
        print(f"  {layout} {size:>9,} records: round {n}/{runs} done", file=sys.stderr)
    shutil.rmtree(data, ignore_errors=True)
    for f in (csv_file, floor, db):
        f.unlink()
    med = statistics.median
    return {
        name: (med(x[0] for x in xs), med(x[1] for x in xs), med(x[2] for x in xs))
        for name, xs in samples.items()
    }


def goals(size: int, r: dict[str, tuple[float, float, float]]) -> list[tuple[str, float, float]]:
    """(label, measured, limit) for issue 26's goals at this size (ratios of wall time, and
    of CPU time, which the machine's other load disturbs less)."""
    out: list[tuple[str, float, float]] = []

    def ratio(label: str, a: str, b: str, limit: float) -> None:
        out.append((f"{label} (wall)", r[a][0] / r[b][0], limit))
        out.append((f"{label} (CPU)", r[a][2] / r[b][2], limit))

    if size >= 100_000:
        ratio("cold export --csv / tomli parse", "export --csv, cold", "tomli parse (floor)", 1.5)
        ratio("warm check / tomli parse", "check, warm report", "tomli parse (floor)", 0.1)
        ratio("edited export / warm export", "export --csv, one file edited",
              "export --csv, warm", 1.5)  # fmt: skip
        ratio("edited check / warm check", "check, one file edited", "check, warm", 1.5)
    if size >= MILLION:
        out.append(("warm filtered show, s", r["show filtered, warm"][0], 0.3))
        ratio("warm export / columns->csv floor", "export --csv, warm", "columns->csv (floor)",
              1.5)  # fmt: skip
        fanpin = [name for name in r if not name.endswith((")", "]"))]
        worst = max(fanpin, key=lambda name: r[name][1])
        tomli_mb = r["tomli parse (floor)"][1]
        out.append((f"peak memory / tomli's ({worst})", r[worst][1] / tomli_mb, 2.0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--million", action="store_true", help="add 1,000,000 records")
    parser.add_argument(
        "--baseline", type=Path, help="also time the fanpin of this source tree, side by side"
    )
    args = parser.parse_args()
    sizes = list(args.sizes)
    if (args.million or os.environ.get("FANPIN_SCALE_MILLION") == "1") and MILLION not in sizes:
        sizes.append(MILLION)

    compile_bytecode()
    if args.baseline is not None:  # compiled as well, for a fair comparison
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.baseline / "src")],
                       check=False, stdout=subprocess.DEVNULL)  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="fanpin-scale-"))
    env = env_with(XDG_CACHE_HOME=str(work / "cache"))
    results: dict[tuple[str, int], dict[str, tuple[float, float, float]]] = {}
    try:
        for layout in args.layouts:
            for size in sizes:
                results[layout, size] = measure(layout, size, work, args.runs, env, args.baseline)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"fanpin at scale: medians of {args.runs} alternating rounds (whole processes), "
          f"time and peak memory; {machine()}")  # fmt: skip
    names = list(next(iter(results.values())))
    names += [n for r in results.values() for n in r if n not in names]
    heads = (f"{layout} {size:,}: wall, CPU, peak" for layout, size in results)
    print(f"{'':<36}" + "".join(f"{head:>32}" for head in heads))
    for name in names:
        cells = "".join(
            f"{results[s][name][0] * 1000:>11.0f}ms{results[s][name][2] * 1000:>9.0f}ms"
            f"{results[s][name][1]:>6.0f}MB"
            if name in results[s]
            else f"{'':>32}"
            for s in results
        )
        print(f"{name:<36}{cells}")
    failed = False
    for (layout, size), r in results.items():
        for label, value, limit in goals(size, r):
            ok = value <= limit
            failed = failed or not ok
            print(f"  {layout} {size:>9,}: {label} <= {limit:g}: {value:.2f} "
                  f"{'ok' if ok else 'MISSED'}")  # fmt: skip
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
