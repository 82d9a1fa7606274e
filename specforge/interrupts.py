"""Ctrl+C and SIGTERM around steps that must not be cut in half: renaming output files into place, and fork.

A signal that arrives during ``fork`` runs its Python handler inside the interpreter's at-fork hooks, which
print the exception ("Exception ignored in: <function _after_fork>") and carry on -- in the parent or in the
child, the interrupt is lost. Held back (``held_signals``), it stays pending and is delivered afterwards.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back (they stay pending) until the block is done; a no-op on Windows."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_signals() -> None:
    """In a process forked inside ``held_signals``: let the signals in again (a pending one arrives now)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
