"""Worker processes for CPU-bound jobs, in order; Ctrl-C is the parent's alone.

Each job runs in a process forked for it, which sends its pickled result back through a
pipe of its own and exits; no thread, queue or lock is shared (concurrent.futures' pool
was, and a worker killed or exiting at the wrong moment could leave its parent waiting on
a lock forever). Ctrl-C sends SIGINT to the whole process group: workers ignore it (and
are born with it blocked, so it cannot reach them before they do). The parent gets
KeyboardInterrupt, kills and reaps its workers and lets the interrupt go on to the CLI,
which exits 130 with one line. SIGTERM and SIGHUP end a worker at once (their default);
the parent unwinds the same way, exiting 143 or 129.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Generator, Iterable
from contextlib import suppress
from itertools import islice
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


# signals that end a run: the parent unwinds (fanpin_cli.cli.app.main), killing its workers
_ENDING = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class WorkerDied(RuntimeError):
    """A worker process ended without handing back its result (a bug, or killed)."""


def _work(func: Callable[[Job], Result], job: Job, out: int, mask: Iterable[int]) -> None:
    """In the forked worker: run the job, send back (ok, result or exception), exit.
    `mask`: the signals blocked before the fork."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for other in _ENDING - {signal.SIGINT}:  # the parent's handler raises; here they end us
            if signal.getsignal(other) is not signal.SIG_IGN:
                signal.signal(other, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            reply: tuple[bool, object] = (True, func(job))
        except Exception as error:  # handed to the parent, which raises it
            reply = (False, error)
        with open(out, "wb") as pipe:
            pipe.write(pickle.dumps(reply, pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)  # never back into the parent's code, its atexit or its buffers


def _start(func: Callable[[Job], Result], job: Job, running: list[tuple[int, int]]) -> None:
    """Fork a worker for `job` and add its pid and result pipe to `running`, all with SIGINT
    (and SIGTERM, SIGHUP) held back: an interrupt can never find a worker forked but not yet
    on the list."""
    read, write = os.pipe()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _ENDING)
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker (coverage is not collected there)
            os.close(read)
            _work(func, job, write, blocked)
        running.append((pid, read))
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _result(data: bytes, status: int) -> Any:
    """What a worker sent (`data`), given how it ended (`status`, from waitpid)."""
    if status != 0 or not data:
        raise WorkerDied(f"a worker process ended without its result (wait status {status})")
    ok, value = pickle.loads(data)  # sent a moment ago by our own worker
    if not ok:
        raise value
    return value


def ordered_map(
    func: Callable[[Job], Result], jobs: Iterable[Job], processes: int
) -> Generator[Result, None, None]:
    """func(job) for each job, computed in forked worker processes (at most `processes` at
    a time), yielded in job order.

    The first exception (from a job, an interrupt, or the caller stopping early) kills and
    reaps every worker before it propagates.
    """
    waiting = iter(jobs)
    running: list[tuple[int, int]] = []  # (pid, pipe) in job order; pipe -1 once read
    try:
        for job in islice(waiting, processes):
            _start(func, job, running)
        while running:
            pid, read = running[0]
            running[0] = (pid, -1)  # closed below, whatever happens
            with open(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            running.pop(0)
            for job in islice(waiting, 1):  # the next job starts before this result is used
                _start(func, job, running)
            yield _result(data, status)
    finally:
        for pid, read in running:
            if read >= 0:
                os.close(read)
            with suppress(ProcessLookupError, ChildProcessError):  # gone or reaped already
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
