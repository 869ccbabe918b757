"""Where the documents of a batch run: in this process, on a pool of local processes, or on a Dask cluster.

Every executor runs the same function (:func:`work`) on the same inputs and yields ``(index, outcome)``
pairs as documents finish, so the tables do not depend on the scheduler: the runner puts the outcomes
back in input order. Each document runs under a time limit where the platform allows it (a worker
process's main thread); a document over the limit becomes an errors row, not a hung batch.
"""

from __future__ import annotations

import multiprocessing
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
    """One document to process: its place in the batch, its file and the doc_id it will carry; and when
    ``out`` is set, where the worker files the outcome itself (:func:`pipeline.runner.settle`: the text into
    ``out``, the cache entry ``key`` into the folder ``cache``) so that only the rows come back."""

    index: int
    path: str
    doc_id: str
    out: str | None = None
    key: str | None = None
    cache: str | None = None


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` on the way swallows it."""


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def work(task: Task, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[int, Any]:
    """Process one document; return its index and its DocResult or ExtractionError (never raise), or what
    :func:`pipeline.runner.settle` makes of it when the task says where to file it."""
    index, outcome = _outcome(task, timeout)
    if task.out is not None:
        from pipeline.runner import settle

        outcome = settle(outcome, Path(task.out), task.key, None if task.cache is None else Path(task.cache))
    return index, outcome


def work_many(tasks: list[Task], timeout: float | None = DEFAULT_TIMEOUT) -> list[tuple[int, Any]]:
    """:func:`work` on several documents in a row: one round trip to a pool worker for all of them."""
    return [work(task, timeout) for task in tasks]


def _outcome(task: Task, timeout: float | None) -> tuple[int, Any]:
    """Process one document under the time limit: its index and its DocResult or ExtractionError."""
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


#: Most documents sent to a pool worker at once: each round trip costs the main process CPU (pickling the
#: call and its result, waking the worker and the pool's threads) that it would otherwise spend on the
#: tables, so documents go in small batches; few enough that the workers still share the work evenly.
BATCH = 8


def run_processes(tasks: list[Task], jobs: int, timeout: float | None) -> Iterator[tuple[int, Any]]:
    """A local process pool, with at most ``2 * jobs`` batches of documents in flight so memory stays
    bounded; a batch holds at most :data:`BATCH` documents, fewer when there are not four per worker."""
    if tasks and multiprocessing.get_start_method() == "fork":
        # The first document runs here, before the pool forks: the workers then start with what it
        # loaded (the tokenizer's model, compiled rules: most of a second of CPU) instead of each
        # loading it again.
        yield work(tasks[0], timeout)
        tasks = tasks[1:]
    size = max(1, min(BATCH, len(tasks) // (4 * jobs)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_limit_threads) as pool:
        pending: set[Future] = set()
        for start in range(0, len(tasks), size):
            pending.add(pool.submit(work_many, tasks[start : start + size], timeout))
            if len(pending) >= 2 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield from fut.result()
        for fut in pending:
            yield from fut.result()


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
