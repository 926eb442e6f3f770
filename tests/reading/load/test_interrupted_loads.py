"""Ctrl-C and SIGTERM: a real signal to the whole process group during a parallel cold load
leaves no worker behind and nothing half-written (a SYNTHETIC generated dataset)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# --- Ctrl-C: a real SIGINT to the whole process group, during a parallel cold load ------


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SYNTHETIC records enough for parallel parsing (load.directory.PARALLEL_BYTES)."""
    from fanpin_cli.reading.load.directory import PARALLEL_BYTES
    from fanpin_cli.writers.synthetic import write_dataset

    d = write_dataset(tmp_path_factory.mktemp("big") / "synthetic", 30_000)
    assert sum(f.stat().st_size for f in d.glob("*.toml")) > PARALLEL_BYTES
    return d


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(c) for c in text.split()]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parallel loading needs two cores")
@pytest.mark.parametrize("attempt", range(3))
def test_one_ctrl_c_during_a_parallel_load(attempt: int, big_dataset: Path) -> None:
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env["FANPIN_CACHE"] = "0"
    p = subprocess.Popen(
        [sys.executable, "-m", "fanpin_cli", "export", "--csv", "--data", str(big_dataset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, like a shell job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    deadline = time.monotonic() + 30
    while len(_children(p.pid)) < 2 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # until the worker processes exist
    workers = _children(p.pid)
    assert len(workers) >= 2, "the load was not parallel"
    os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = p.communicate(timeout=30)  # no hang
    assert (p.returncode, out, err) == (130, b"", b"fanpin: interrupted\n")
    for pid in workers:  # no worker left behind
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status"
        ).read_text(encoding="ascii")


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parallel loading needs two cores")
def test_sigterm_during_a_parallel_cold_fill(big_dataset: Path, tmp_path: Path) -> None:
    """`kill` (SIGTERM to the process group) while the workers fill the cache: exit 143, one
    line, no worker left running and no temporary file left in the cache directory."""
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env.update(FANPIN_CACHE="1", XDG_CACHE_HOME=str(tmp_path / "xdg"))
    p = subprocess.Popen(
        [sys.executable, "-m", "fanpin_cli", "export", "--csv", "--data", str(big_dataset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(_children(p.pid)) < 2 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    workers = _children(p.pid)
    assert len(workers) >= 2, "the load was not parallel"
    os.killpg(p.pid, signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert (p.returncode, out, err) == (143, b"", b"fanpin: terminated\n")
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status"
        ).read_text(encoding="ascii")
    left = tmp_path / "xdg" / "fanpin"
    assert not left.exists() or not [n for n in os.listdir(left) if n.endswith(".tmp")]
