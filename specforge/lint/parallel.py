"""Lint many files: in this process, or in worker processes (``--jobs``), results in input order.

Workers receive the configuration once (the pool initializer), not with every file. A cache,
when given, is consulted before a file is handed out and filled when its result comes back.

Interruption: workers ignore SIGINT (a Ctrl+C reaches the whole process group) and take SIGTERM's default;
the main process alone reacts, and on any exception -- or when the caller closes the iterator -- it kills
the workers at once instead of waiting for their files, so nothing prints after it has exited.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from specforge.document import display_path
from specforge.errors import SpecforgeError
from specforge.interrupts import held_signals, release_signals
from specforge.lint.api import FileResult, LintOptions, lint_file
from specforge.lint.cache import ResultCache
from specforge.lint.config import Config

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_worker_state: tuple[Config, LintOptions] | None = None


def default_jobs() -> int:
    """Worker processes by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def lint_files(paths: list[str], config: Config, options: LintOptions, jobs: int = 1,
               cache: ResultCache | None = None) -> Generator[FileResult, None, None]:
    """One ``FileResult`` per path, in the order of ``paths``; close it to stop early (workers are killed)."""
    cached: dict[int, FileResult] = {}
    todo: list[int] = []
    for i, path in enumerate(paths):
        hit = cache.get(path) if cache else None
        if hit is not None:
            cached[i] = FileResult(_shown(path), hit)
        else:
            todo.append(i)
    workers = jobs if len(todo) == 1 else 1  # one file: its nodes are shared out instead
    jobs = max(1, min(jobs, len(todo)))
    if jobs == 1:
        serial: Iterator[FileResult] = (lint_file(paths[i], config, options, workers) for i in todo)
        yield from _merge(paths, cached, serial, cache)
        return
    from concurrent.futures import ProcessPoolExecutor  # only for several files: one file needs no pool

    pool = None
    try:
        with held_signals():  # the workers fork now and start with SIGINT/SIGTERM held until _init_worker
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config, options))
            chunk = max(1, min(16, len(todo) // (jobs * 8)))
            fresh = pool.map(_lint_in_worker, [paths[i] for i in todo], chunksize=chunk)
        yield from _merge(paths, cached, fresh, cache)
    except BaseException:  # interrupted, or the caller stopped early (GeneratorExit)
        if pool is not None:
            _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers now (not after their current files) and reap them."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # no public API before Python 3.14
    for worker in workers:
        worker.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.join(timeout=5)


def _merge(paths: list[str], cached: dict[int, FileResult], fresh: Iterator[FileResult],
           cache: ResultCache | None) -> Iterator[FileResult]:
    """Cached and freshly linted results back in input order (``fresh`` follows ``todo``)."""
    for i in range(len(paths)):
        if i in cached:
            yield cached[i]
            continue
        result = next(fresh)
        if cache is not None and result.error is None:
            cache.put(paths[i], result.findings, result.files)
        yield result


def _shown(path: str) -> str:
    return display_path(Path(path)) if Path(path).is_absolute() else path


def _init_worker(config: Config, options: LintOptions) -> None:
    global _worker_state
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl+C and stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the handler inherited from the main process
    release_signals()
    _worker_state = (config, options)


def _lint_in_worker(path: str) -> FileResult:
    assert _worker_state is not None
    config, options = _worker_state
    result = lint_file(path, config, options)
    if result.error is not None:  # error subclasses need their own arguments to unpickle: send the text
        result.error = SpecforgeError(str(result.error))
    return result
