"""Start-up benchmark: fanpin's commands against the interpreter and framework floors.

    uv run python benchmarks/startup.py                 # fanpin and the floors
    uv run --with sqlite-utils --with csvkit python benchmarks/startup.py   # and the others
    uv run python benchmarks/startup.py --baseline ../base   # against an earlier checkout

Whole processes in the project's own environment, alternating the commands in each round,
at least 20 rounds; prints the median of each and its ratios to `python -c pass` (the
interpreter floor) and to a minimal Typer app of the same Typer release that prints one
CSV line (the framework floor), and checks the targets of issue 7. A third reference, a
minimal Typer app that prints a 14-row rich table, is the floor of any table command.

`--baseline DIR` times the same fanpin commands of another checkout (a `git worktree` of an
earlier commit, with its own `uv sync`) in the same rounds, and prints each command's
median wall and CPU time (user+sys, steadier on a shared machine) before and after.

`--instructions` counts each command's instructions instead (valgrind's callgrind, one run
with a warm cache after a warm-up run): the same count whatever else the machine is doing.
With `--baseline`, both checkouts' commands; without, fanpin's and the two floors'.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import alternate, compile_bytecode, env_with, machine

FANPIN_COMMANDS = {
    "fanpin get": ["get", "monitoring.total_households"],
    "fanpin export --csv": ["export", "--csv"],
    "fanpin show monitoring": ["show", "monitoring", "-o", "table"],
    "fanpin compare": ["compare", "-o", "table"],
}

MINIMAL_TYPER_APP = """
import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(section: str = "monitoring") -> None:
    print("id,value")


if __name__ == "__main__":
    app()
"""

MINIMAL_RICH_TABLE_APP = """
import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(section: str = "monitoring") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="(二) 精准监测帮扶")
    for header in ("ID", "指标", "数值", "单位", "期间", "地区"):
        table.add_column(header)
    for n in range(14):
        row = (f"monitoring.indicator_{n}", "新识别监测对象户数", "1294", "户", "2023", "兰州市")
        table.add_row(*row)
    Console(width=100).print(table)


if __name__ == "__main__":
    app()
"""

# name: (times the interpreter floor at most, ms above the framework floor at most,
#        at most this share of sqlite-utils' time on the same query, or None)
TARGETS = {
    "fanpin get": (7.0, 15.0, 0.6),
    "fanpin export --csv": (7.0, 15.0, 0.6),
    "fanpin show monitoring": (10.0, None, None),
    "fanpin compare": (11.0, None, None),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds (default 21, at least 20)")
    parser.add_argument("--baseline", type=Path, help="an earlier checkout to compare with")
    parser.add_argument("--instructions", action="store_true", help="count with valgrind")
    args = parser.parse_args()
    runs = max(args.runs, 20)
    if args.instructions:
        counted(args.baseline.resolve() if args.baseline is not None else None)
        return
    if args.baseline is not None:
        against_baseline(args.baseline.resolve(), runs)
        return
    compile_bytecode()
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="fanpin-startup-"))
    app = work / "minimal_typer_app.py"
    app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
    rich_app = work / "minimal_rich_table_app.py"
    rich_app.write_text(MINIMAL_RICH_TABLE_APP, encoding="utf-8")
    env = env_with(XDG_CACHE_HOME=str(work / "cache"), COLUMNS="100")
    fan = [py, "-m", "fanpin_cli"]
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "python -c pass": ([py, "-c", "pass"], env),
        "minimal Typer app": ([py, str(app)], env),
        "Typer app + rich table": ([py, str(rich_app)], env),
        **{name: ([*fan, *argv], env) for name, argv in FANPIN_COMMANDS.items()},
    }
    csv_file = work / "all.csv"
    subprocess.run([*fan, "export", "--csv", "--output", str(csv_file)], check=True, env=env)
    bindir = Path(py).parent
    sqlite_utils = shutil.which("sqlite-utils", path=str(bindir)) or shutil.which("sqlite-utils")
    if sqlite_utils:
        query = "select * from [all] where section = 'monitoring'"
        commands["sqlite-utils (same query)"] = (
            [sqlite_utils, "memory", str(csv_file), query, "--table"],
            env,
        )
    csvgrep = shutil.which("csvgrep", path=str(bindir)) or shutil.which("csvgrep")
    csvlook = shutil.which("csvlook", path=str(bindir)) or shutil.which("csvlook")
    if csvgrep and csvlook:
        commands["csvkit csvgrep | csvlook"] = (
            ["bash", "-c", f"{csvgrep} -c section -m monitoring {csv_file} | {csvlook}"],
            env,
        )
    medians = alternate(commands, runs)
    floor = medians["python -c pass"]
    framework = medians["minimal Typer app"]
    print(f"fanpin start-up, {runs} runs each, median; {machine()}")
    print(f"{'command':<28} {'median ms':>10} {'x python':>9} {'x Typer':>8}  target")
    failed = False
    reference = medians.get("sqlite-utils (same query)")
    for name, seconds in medians.items():
        note = ""
        if name in TARGETS:
            times_max, above_max, share_max = TARGETS[name]
            ok = seconds <= times_max * floor
            note = f"<= {times_max:g}x python {'ok' if ok else 'MISSED'}"
            if above_max is not None:
                above = (seconds - framework) * 1000
                ok2 = above <= above_max
                note += (
                    f"; {above:+.1f} ms over Typer (<= {above_max:g}) {'ok' if ok2 else 'MISSED'}"
                )
                ok = ok and ok2
            if reference is not None and share_max is not None:
                ok3 = seconds <= share_max * reference
                verdict = "ok" if ok3 else "MISSED"
                note += f"; {seconds / reference:.2f}x sqlite-utils (<= {share_max:g}) {verdict}"
                ok = ok and ok3
            elif reference is not None:
                note += f"; {seconds / reference:.2f}x sqlite-utils"
            failed = failed or not ok
        print(
            f"{name:<28} {seconds * 1000:>10.1f} {seconds / floor:>9.2f} "
            f"{seconds / framework:>8.2f}  {note}"
        )
    if reference is None:
        print("(sqlite-utils not installed: run with `uv run --with sqlite-utils --with csvkit`)")
    shutil.rmtree(work, ignore_errors=True)
    if failed:
        raise SystemExit(1)


def against_baseline(baseline: Path, runs: int) -> None:
    """Each fanpin command of this checkout and of `baseline`, alternating in every round."""
    python = baseline / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{python} not found: run `uv sync` in {baseline} first")
    compile_bytecode()
    # the baseline's own environment too: uncompiled, every run would compile typer again
    for tree in [baseline / "src", *(baseline / ".venv" / "lib").glob("python*/site-packages")]:
        subprocess.run([python, "-m", "compileall", "-q", "-j", "0", tree], check=False,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="fanpin-startup-"))
    sides = {"before": (str(python), work / "before"), "after": (sys.executable, work / "after")}
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for n in range(runs + 1):  # round 0 warms the disk and fanpin's caches
        for name, argv in FANPIN_COMMANDS.items():
            for side, (py, cache) in sides.items():
                env = env_with(XDG_CACHE_HOME=str(cache), COLUMNS="100")
                measured = _timed([py, "-m", "fanpin_cli", *argv], env)
                if n:
                    times.setdefault((name, side), []).append(measured)
    print(f"fanpin start-up against {baseline}, {runs} rounds, medians; {machine()}")
    print(f"{'command':<24} {'wall before':>11} {'after':>7} {'ratio':>6}"
          f" {'CPU before':>11} {'after':>7} {'ratio':>6}")  # fmt: skip
    for name in FANPIN_COMMANDS:
        (wb, cb), (wa, ca) = (
            tuple(statistics.median(x[i] for x in times[name, side]) * 1000 for i in (0, 1))
            for side in ("before", "after")
        )
        print(f"{name:<24} {wb:>11.1f} {wa:>7.1f} {wa / wb:>6.3f}"
              f" {cb:>11.1f} {ca:>7.1f} {ca / cb:>6.3f}")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)


def counted(baseline: Path | None) -> None:
    """Instructions of each fanpin command (and of the floors, or of `baseline`'s commands)."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found")
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="fanpin-startup-"))
    pythons = {"after": sys.executable}
    if baseline is not None:
        pythons["before"] = str(baseline / ".venv" / "bin" / "python")
        for tree in [baseline / "src", *(baseline / ".venv" / "lib").glob("python*/site-packages")]:
            subprocess.run([pythons["before"], "-m", "compileall", "-q", "-j", "0", tree],
                           check=False, stdout=subprocess.DEVNULL)  # fmt: skip
    app = work / "minimal_typer_app.py"
    app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
    rows: dict[str, dict[str, int]] = {}
    for side, py in sorted(pythons.items(), reverse=True):  # before, then after
        env = env_with(XDG_CACHE_HOME=str(work / side), COLUMNS="100")
        commands = {name: [py, "-m", "fanpin_cli", *argv] for name, argv in FANPIN_COMMANDS.items()}
        if baseline is None:
            commands = {"python -c pass": [py, "-c", "pass"], "minimal Typer app": [py, str(app)],
                        **commands}  # fmt: skip
        for name, cmd in commands.items():
            subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)  # warms the cache
            rows.setdefault(name, {})[side] = _instructions(cmd, env)
    print(f"instructions (valgrind callgrind, warm cache), millions; {machine()}")
    for name, sides in rows.items():
        after = sides["after"] / 1e6
        if "before" in sides:
            before = sides["before"] / 1e6
            print(f"{name:<24} {before:>8.1f} -> {after:>8.1f}  {after / before - 1:+.1%}")
        else:
            print(f"{name:<24} {after:>8.1f}")
    shutil.rmtree(work, ignore_errors=True)


def _instructions(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions one whole process executes (valgrind's callgrind count)."""
    env = {**env, "PYTHONHASHSEED": "0"}  # string hashing varies the count by ~0.2%
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          check=False, text=True)  # fmt: skip
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return int(found.group(1))


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds of wall time and of CPU time (user+sys) for one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


if __name__ == "__main__":
    main()
