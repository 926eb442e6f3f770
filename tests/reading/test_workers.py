"""workers.ordered_map: results in job order, errors carried over, and no worker left behind
(forked processes and pipes only: no thread or lock a dying worker could leave held)."""

from __future__ import annotations

import os
import signal

import pytest

from fanpin_cli.reading.workers import WorkerDied, ordered_map


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError(f"job {n} failed")
    return n


def _die_on_two(n: int) -> int:
    if n == 2:
        os._exit(3)  # a worker ending without its result
    return n


def _killed_on_two(n: int) -> int:
    if n == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def test_results_come_in_job_order_from_several_processes() -> None:
    results = list(ordered_map(_square_with_pid, range(7), 2))
    assert [r[0] for r in results] == [n * n for n in range(7)]
    pids = {r[1] for r in results}
    assert os.getpid() not in pids and len(pids) == 7  # one forked process a job
    assert _no_children_left()


def test_a_jobs_exception_reaches_the_caller_and_every_worker_is_reaped() -> None:
    seen: list[int] = []
    with pytest.raises(ValueError, match="job 3 failed"):
        seen.extend(ordered_map(_fail_on_three, range(8), 2))
    assert seen == [0, 1, 2]
    assert _no_children_left()


@pytest.mark.parametrize("job", [_die_on_two, _killed_on_two])
def test_a_worker_that_dies_is_an_error_not_a_hang(job: object) -> None:
    with pytest.raises(WorkerDied):
        list(ordered_map(job, range(5), 2))  # type: ignore[arg-type]
    assert _no_children_left()


def test_stopping_early_kills_and_reaps_the_workers() -> None:
    results = ordered_map(_square_with_pid, range(10), 2)
    assert next(results)[0] == 0
    results.close()
    assert _no_children_left()
