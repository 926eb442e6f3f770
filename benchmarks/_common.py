"""Shared helpers for the benchmarks: timing whole processes, the machine, bytecode."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """Compile the project and its environment once, as an installed wheel would be.

    This workplace sets PYTHONDONTWRITEBYTECODE=1: without compiled files every process
    would recompile typer and fanpin from source, and the benchmark would time the compiler.
    """
    import site
    import sysconfig

    # every site directory on sys.path: with `uv run --with`, the project's environment is
    # on sys.path beside the overlay that holds sqlite-utils and csvkit
    purelib = Path(sysconfig.get_paths()["purelib"])
    on_path = [Path(p) for p in sys.path if "site-packages" in p or "dist-packages" in p]
    paths = [REPO / "src", *map(Path, site.getsitepackages()), purelib, *on_path]
    for path in dict.fromkeys(paths):
        if path.exists():
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", "-j", "0", str(path)],
                check=False,
                stdout=subprocess.DEVNULL,
            )


def run_once(
    cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> float:
    """Seconds for one whole process, output discarded; fails loudly if the command fails."""
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n"
                         + proc.stderr.decode("utf-8", "replace"))  # fmt: skip
    return elapsed


def alternate(
    commands: dict[str, tuple[list[str], dict[str, str] | None]], runs: int
) -> dict[str, float]:
    """Median seconds of each command, running them in turn so drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd, env in commands.values():  # warm-up: disk cache, fanpin's cache
        run_once(cmd, env)
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            times[name].append(run_once(cmd, env))
    return {name: statistics.median(xs) for name, xs in times.items()}


def machine() -> str:
    """One line describing this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{time.strftime('%Y-%m-%d')}, {cpu}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def env_with(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env.update(extra)
    return env
