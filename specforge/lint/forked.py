"""Lint one large document on several cores: forked workers share the loaded document.

The document is walked once, here, before forking, with the visiting order recorded; each process
then replays that walk and checks the share of nodes it owns (``engine.owners``: whole path items
and components, so related schemas stay together). Replaying gives every node exactly the context
(parent, key, the ``$ref`` it was reached through) of one whole walk, which a walk pruned to a
share would not. The first share, this process, also runs the document-level rules and the
``single_process`` checks. Results come back pickled through a pipe and are merged. A worker's
memory is mostly the pages of the document it touches (copy-on-write); the parent collects the
workers when its own replay is over, before the work that needs the most memory of its own (the
examples' validator registry), so the two peaks do not add up. Used only where ``fork`` is safe
(Linux) and the document is large enough to repay a fork.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Iterable

from specforge.document import Document
from specforge.findings import Finding
from specforge.interrupts import held_signals, release_signals
from specforge.lint.engine import ActiveRule, lint_document
from specforge.lint.walk import WalkIndex, walk

#: Documents smaller than this are linted in one process (forking costs more than it saves).
MIN_FORK_CHARS = 1_000_000


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def lint_document_forked(document: Document, rules: Iterable[ActiveRule], workers: int) -> list[Finding]:
    """Findings of ``rules`` on ``document`` (as ``lint_document``), checked by ``workers`` processes."""
    rules = list(rules)
    walked = walk(document, {}, keep=True, record=True)
    children: list[tuple[int, int, int]] = []  # (share, pid, read end)
    running: set[int] = set()
    try:
        for share in range(1, workers):
            read_end, write_end = os.pipe()
            with held_signals():  # a Ctrl+C in fork's hooks would be lost; held, it waits until pid is running
                pid = os.fork()
                if pid == 0:  # the worker: check one share, send it, leave without cleanup
                    os.close(read_end)
                    _run_share(document, rules, (share, workers), walked, write_end)
                running.add(pid)
            os.close(write_end)
            children.append((share, pid, read_end))
        collected: list[Finding] = []

        def collect() -> None:
            for share, pid, read_end in children:
                collected.extend(_collect(document, rules, (share, workers), walked, pid, read_end, running))

        findings = lint_document(document, rules, share=(0, workers), after_walk=collect, walked=walked)
        findings.extend(collected)
    finally:
        for pid in running:  # on an interrupt or error: no worker outlives the run
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return _merged(findings)


def _run_share(document: Document, rules: list[ActiveRule], share: tuple[int, int], walked: WalkIndex,
               write_end: int) -> None:
    code = 0
    try:
        release_signals()
        findings = lint_document(document, rules, share=share, walked=walked)
        payload = pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent re-runs this share itself and reports any error
        payload, code = b"", 1
    try:
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
    finally:
        os._exit(code)


def _collect(document: Document, rules: list[ActiveRule], share: tuple[int, int], walked: WalkIndex, pid: int,
             read_end: int, running: set[int]) -> list[Finding]:
    """A worker's findings; if the worker failed, its share is checked here instead (errors surface here)."""
    with os.fdopen(read_end, "rb") as incoming:
        payload = incoming.read()
    _, status = os.waitpid(pid, 0)
    running.discard(pid)
    if status == 0 and payload:
        return pickle.loads(payload)
    return lint_document(document, rules, share=share, walked=walked)


def _merged(findings: list[Finding]) -> list[Finding]:
    """Sorted, with findings reported by more than one share (a problem located elsewhere) kept once."""
    unique = {(f.rule, f.file, f.pointer, f.message, f.line, f.column, f.end_line, f.end_column): f
              for f in findings}
    return sorted(unique.values())
