"""Where the documents of a batch run: in this process, on a pool of local processes, or on a Dask cluster.

Every executor runs the same function (:func:`work`) on the same inputs and yields ``(index, outcome)``
pairs as documents finish, so the tables do not depend on the scheduler: the runner puts the outcomes
back in input order. Each document runs under a time limit where the platform allows it (a worker
process's main thread); a document over the limit becomes an errors row, not a hung batch.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.model import ExtractionError, PipelineError

#: Seconds one document may take before it is abandoned with an errors row.
DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class Task:
    """One document to process: its place in the batch, its file and the doc_id it will carry."""

    index: int
    path: str
    doc_id: str


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` on the way swallows it."""


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def work(task: Task, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[int, Any]:
    """Process one document; return its index and its DocResult or ExtractionError (never raise)."""
    from pipeline.runner import process

    path = Path(task.path)
    use_alarm = (
        bool(timeout) and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    )
    previous = signal.signal(signal.SIGALRM, _on_alarm) if use_alarm else None
    try:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, float(timeout or 0))
        return task.index, process(path, task.doc_id)
    except PipelineError as exc:
        return task.index, ExtractionError(str(path), exc.stage, exc.error_type, exc.message)
    except _Timeout:
        return task.index, ExtractionError(
            str(path), "extract", "timeout", f"{path.name}: processing took longer than {timeout:.0f} s; skipped"
        )
    except MemoryError:
        return task.index, ExtractionError(str(path), "extract", "too_large", f"{path.name}: ran out of memory")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _limit_threads() -> None:
    """One thread per worker for the native libraries (BLAS, OpenMP, Tesseract): the pool itself
    spreads the work over the cores, and nested threads only fight over them."""
    for var in (
        "OMP_THREAD_LIMIT",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "KEHOACH_OCR_JOBS",
    ):
        os.environ.setdefault(var, "1")


def run_serial(tasks: list[Task], timeout: float | None) -> Iterator[tuple[int, Any]]:
    for task in tasks:
        yield work(task, timeout)


def run_processes(tasks: list[Task], jobs: int, timeout: float | None) -> Iterator[tuple[int, Any]]:
    """A local process pool, with at most ``2 * jobs`` documents in flight so memory stays bounded."""
    with ProcessPoolExecutor(max_workers=jobs, initializer=_limit_threads) as pool:
        pending: set[Future] = set()
        queue = iter(tasks)
        for task in queue:
            pending.add(pool.submit(work, task, timeout))
            if len(pending) >= 2 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        for fut in pending:
            yield fut.result()


def run_dask(tasks: list[Task], address: str, jobs: int, timeout: float | None) -> Iterator[tuple[int, Any]]:
    """A Dask cluster: ``address`` of a running scheduler, or ``local`` for a LocalCluster of ``jobs``
    single-threaded worker processes."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        client.run(_limit_threads)
        futures = client.map(work, tasks, timeout=timeout, pure=False)
        for fut in as_completed(futures):
            yield fut.result()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(
    tasks: list[Task], jobs: int = 1, dask: str | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> Iterator[tuple[int, Any]]:
    """Run ``tasks`` on the executor the options name; yields outcomes as documents finish."""
    if dask:
        return run_dask(tasks, dask, jobs, timeout)
    if jobs > 1 and len(tasks) > 1:
        return run_processes(tasks, jobs, timeout)
    return run_serial(tasks, timeout)
