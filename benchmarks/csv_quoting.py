"""CSV of realistic records: fanpin's hand-joined lines against csv.writer (issue 27 item 5).

    uv run python benchmarks/csv_quoting.py              # 100,000 records
    uv run python benchmarks/csv_quoting.py --records 20000

Writes realistic SYNTHETIC records (benchmarks/realistic.py, section layout), loads them
once, then writes their `export --csv` output in the two ways, alternating, in one process:
- hand: fanpin_cli.writers.csvfmt.write, which joins each column's text and quotes the cells
  that need it itself (`_lines`), with csv.writer only for cells holding a line end;
- csv.writer: the same columns, every row through csv.writer.writerows.
Each way writes the records in batches of 2,000, as a streamed `export --csv` does, and
whole. Both must give the same bytes. Prints the best of the rounds in CPU seconds, the
ratio, and the share of a whole warm `export --csv` process (timed here too) that the
difference is.
"""

from __future__ import annotations

import argparse
import gc
import io
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import compile_bytecode, env_with, machine
from realistic import write as write_realistic

from fanpin_cli.reading.load import load
from fanpin_cli.views.indicators import indicators_output
from fanpin_cli.views.output import Output, Sink
from fanpin_cli.writers import csvfmt

BATCH = 2_000  # about what a cache chunk holds (a streamed export's batch)


def hand(output: Output, stream: io.StringIO) -> None:
    csvfmt.write(output, Sink(stream=stream))


def library(output: Output, stream: io.StringIO) -> None:
    """csvfmt.write without its joined lines: csv.writer over the same columns."""
    w = csvfmt.writer(stream)
    w.writerow(output.fields)
    w.writerows(output.rows.cells(output.fields))  # type: ignore[attr-defined]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(way: Callable[[Output, io.StringIO], None], outputs: list[Output]) -> tuple[float, str]:
    """CPU seconds of writing `outputs` one way, with the collector off (as a streamed
    export has it: fanpin_cli.writers.stream), and the text written."""
    texts = []
    gc.collect()
    gc.disable()
    start = cpu()
    try:
        for output in outputs:
            buf = io.StringIO(newline="")
            way(output, buf)
            texts.append(buf.getvalue())
        return cpu() - start, "".join(texts)
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="fanpin-csv-"))
    data = write_realistic("section", work / "data", args.records)
    dataset = load([data], use_cache=False)
    records = dataset.indicators
    whole = [indicators_output(dataset, records, "zh")]
    batches = [indicators_output(dataset, records[n : n + BATCH], "zh")
               for n in range(0, len(records), BATCH)]  # fmt: skip
    assert all(o.plain and csvfmt.positional(o) for o in whole)
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.rounds):
        for shape, outputs in (("batches", batches), ("whole", whole)):
            texts = set()
            for name, way in (("hand", hand), ("csv.writer", library)):
                seconds, text = timed(way, outputs)
                texts.add(text)
                best[shape, name] = min(best.get((shape, name), seconds), seconds)
            assert len(texts) == 1, "the two ways wrote different bytes"
    env = env_with(XDG_CACHE_HOME=str(work / "cache"))
    cmd = [sys.executable, "-m", "fanpin_cli", "--data", str(data), "export", "--csv"]
    process = []
    for n in range(args.rounds + 1):  # the first run fills the cache
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if n:
            process.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    export = min(process)
    print(f"CSV of {len(records):,} realistic records, best of {args.rounds}, CPU s; {machine()}")
    print(f"warm `export --csv` process: {export:.3f} s")
    for shape in ("batches", "whole"):
        h, lib = best[shape, "hand"], best[shape, "csv.writer"]
        share = (lib - h) / export
        print(f"{shape:<8} hand {h:.3f}  csv.writer {lib:.3f}  ratio {lib / h:.2f}"
              f"  difference {lib - h:+.3f} s = {share:.1%} of the export")  # fmt: skip


if __name__ == "__main__":
    main()
