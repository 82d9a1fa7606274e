"""``--watch``: poll the spec and every file it refers to; reload on change, keep the old spec on failure."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

POLL_SECONDS = 0.5


def _stamp(paths: list[str]) -> tuple:
    stamps: list[tuple[str, int | None, int | None]] = []
    for path in paths:
        try:
            info = os.stat(path)
            stamps.append((path, info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((path, None, None))
    return tuple(stamps)


class Watcher:
    """A daemon thread calling ``reload()`` when a watched file changes; ``reload`` returns the new file list."""

    def __init__(self, paths: list[str], reload: Callable[[], list[str] | None], interval: float = POLL_SECONDS):
        self.paths = paths
        self.reload = reload
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.owner_pid = 0

    def start(self) -> None:
        """Start polling in this process (call again after a fork: threads do not survive it)."""
        if self._thread is not None and self._thread.is_alive() and self.owner_pid == os.getpid():
            return
        self.owner_pid = os.getpid()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="specforge-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        seen = _stamp(self.paths)
        while not self._stop.wait(self.interval):
            now = _stamp(self.paths)
            if now == seen:
                continue
            paths = self.reload()
            if paths is not None:
                self.paths = paths
            seen = _stamp(self.paths) if paths is not None else now
