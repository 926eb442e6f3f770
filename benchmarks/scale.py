"""Scale benchmark: 1,000, 10,000 and 100,000 SYNTHETIC records, cold and warm.

    uv run python benchmarks/scale.py            # all three sizes, 3 runs each
    uv run python benchmarks/scale.py --runs 5 --sizes 1000 10000

Datasets of invented records (many regions and periods, one file per section, marked
synthetic in their metadata) are written to a temporary directory and deleted afterwards.
For each size it times whole processes: tomli alone parsing the same files (the floor),
then fanpin `show` with a filter, `export --csv` and `check`, cold (empty cache) and warm
(cache filled). It prints per-record costs, the 100k/10k ratio, and checks issue 7's targets.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _common import compile_bytecode, env_with, machine, run_once

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

TOMLI_ONLY = """
import sys, tomli
from pathlib import Path
for f in sorted(Path(sys.argv[1]).glob("*.toml")):
    tomli.loads(f.read_text(encoding="utf-8"))
"""


def median_of(cmd: list[str], env: dict[str, str], runs: int, before: object = None) -> float:
    """Median seconds; `before` (a callable) runs ahead of every timed run (to empty caches)."""
    times = []
    for _ in range(runs):
        if callable(before):
            before()
        times.append(run_once(cmd, env))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    from fanpin_cli.synthetic import write_dataset

    compile_bytecode()
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="fanpin-scale-"))
    cache_home = work / "cache"
    env = env_with(XDG_CACHE_HOME=str(cache_home))

    def empty_cache() -> None:
        shutil.rmtree(cache_home, ignore_errors=True)

    results: dict[int, dict[str, float]] = {}
    try:
        for size in args.sizes:
            data = write_dataset(work / f"synthetic-{size}", size, label=f"{size} records")
            mb = sum(f.stat().st_size for f in data.glob("*.toml")) / 1e6
            fan = [py, "-m", "fanpin_cli", "--data", str(data)]
            show = [*fan, "show", "--region", "620121", "--period", "2023", "-o", "csv"]
            export = [*fan, "export", "--csv"]
            check = [*fan, "check", "-o", "csv"]
            row = {
                "tomli parse (floor)": median_of([py, "-c", TOMLI_ONLY, str(data)], env, args.runs),
                "show filtered, cold": median_of(show, env, args.runs, empty_cache),
                "export --csv, cold": median_of(export, env, args.runs, empty_cache),
                "check, cold": median_of(check, env, args.runs, empty_cache),
            }
            run_once(export, env)  # fill the cache
            row["show filtered, warm"] = median_of(show, env, args.runs)
            row["export --csv, warm"] = median_of(export, env, args.runs)
            row["check, warm"] = median_of(check, env, args.runs)
            row["export --csv, cache off"] = median_of(
                export, {**env, "FANPIN_CACHE": "0"}, args.runs
            )
            results[size] = row
            print(f"{size:>7} records, {mb:.1f} MB of TOML: done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"fanpin at scale, median of {args.runs} runs (whole processes); {machine()}")
    names = list(next(iter(results.values())))
    print(f"{'':<26}" + "".join(f"{size:>12,}" for size in results) + "   ms/1k rec   100k/10k")
    for name in names:
        cells = "".join(f"{results[s][name] * 1000:>10.0f}ms" for s in results)
        biggest = max(results)
        per_k = results[biggest][name] * 1000 / (biggest / 1000)
        growth = ""
        if 10_000 in results and 100_000 in results:
            growth = f"{results[100_000][name] / results[10_000][name]:>8.1f}"
        print(f"{name:<26}{cells}   {per_k:>9.2f}   {growth}")
    failed = False
    if 100_000 in results:
        r = results[100_000]
        checks = [
            ("cold export --csv <= 1.5x tomli parse",
             r["export --csv, cold"] / r["tomli parse (floor)"], 1.5),
            ("warm filtered show <= 0.3 s", r["show filtered, warm"], 0.3),
        ]  # fmt: skip
        if 10_000 in results:
            for name in names:
                if name != "tomli parse (floor)":
                    ratio = r[name] / results[10_000][name]
                    checks.append((f"{name}: 100k/10k <= 12", ratio, 12.0))
        for label, value, limit in checks:
            ok = value <= limit
            failed = failed or not ok
            print(f"  {label}: {value:.2f} {'ok' if ok else 'MISSED'}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
