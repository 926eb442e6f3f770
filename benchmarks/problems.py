"""Warnings benchmark: loading stays linear in the number of problems (issue 10).

    uv run python benchmarks/problems.py                 # 2,000 and 8,000 records
    uv run python benchmarks/problems.py --sizes 8000 --runs 5

SYNTHETIC datasets (fanpin_cli.writers.synthetic) are written to a temporary directory, once clean
and once with a problem in every record: an unknown key (a warning) or a bad unit (an
error). Each is loaded leniently in this process, without the cache (as `fanpin check`
does), and the median time is compared with the clean file's. Target: every case within
3x of the clean file at 8,000 records.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

LIMIT = 3.0
CASES = {
    "clean": None,
    "unknown key in every record": ('basis = "annual"\n', 'basis = "annual"\ncolour = "red"\n'),
    "bad unit in every record": ('unit = "户"\n', 'unit = "hu"\n'),
}


def write_case(directory: Path, records: int, edit: tuple[str, str] | None) -> Path:
    from fanpin_cli.writers.synthetic import write_dataset

    data = write_dataset(directory, records, label=f"{records} records")
    if edit is not None:
        for file in data.glob("*.toml"):
            text = file.read_text(encoding="utf-8")
            file.write_text(text.replace(*edit), encoding="utf-8")
    return data


def time_load(data: Path, runs: int) -> tuple[float, int]:
    """Median seconds of a lenient load, and the number of problems it found."""
    from fanpin_cli.reading.load import load_directory

    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = load_directory(data, strict=False)
        times.append(time.perf_counter() - start)
        found = len(result.problems)
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 8_000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fanpin-warnings-"))
    failed = False
    print(f"lenient load with a problem in every record, median of {args.runs}; {machine()}")
    try:
        for size in args.sizes:
            clean = 0.0
            for name, edit in CASES.items():
                data = write_case(work / f"{size}-{len(name)}", size, edit)
                seconds, found = time_load(data, args.runs)
                clean = seconds if edit is None else clean
                ratio = seconds / clean
                line = (
                    f"{size:>7,} records, {name:<28}{seconds * 1000:>9.0f} ms  {found:>6} problems"
                )
                if edit is None:
                    print(line)
                    continue
                ok = ratio <= LIMIT or size < max(args.sizes)
                failed = failed or not ok
                verdict = "" if size < max(args.sizes) else (" ok" if ok else " MISSED")
                print(f"{line}  {ratio:5.1f}x clean{verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
