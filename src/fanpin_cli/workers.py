"""Worker processes for CPU-bound jobs, in order; Ctrl-C is the parent's alone.

Ctrl-C sends SIGINT to the whole process group. Workers ignore it (and are born with it
blocked, so it cannot reach them before they do): none prints a traceback or dies holding
a queue's lock. The parent gets KeyboardInterrupt, kills its workers at once (one may be
blocked on a queue whose lock nobody will release) and lets the interrupt go on to the
CLI, which exits 130 with one line.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def _leave_signals_to_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def ordered_map(
    func: Callable[[Job], Result], jobs: Iterable[Job], processes: int
) -> Iterator[Result]:
    """func(job) for each job, computed in forked worker processes, yielded in job order.

    The first exception (from a job, an interrupt, or the caller stopping early) ends
    every worker before it propagates.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_leave_signals_to_parent
    )
    try:
        # Workers are forked while jobs are submitted; SIGINT stays blocked until then, so
        # that no worker gets it before it has chosen to ignore it (a pending one then
        # reaches the parent alone).
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            results = pool.map(func, jobs)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        yield from results
    except BaseException:
        for child in multiprocessing.active_children():
            child.kill()
        # with every worker gone, the pool's manager thread sees them die and ends
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
