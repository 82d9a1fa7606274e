"""Lint one large document on several cores: each forked worker loads the document itself.

The processes fork before the document is parsed, so none shares the parsed objects: a worker
that read another process's objects would write their reference counts, and each such write
copies a page (copy-on-write). On the 20 MB Graph spec those copies cost more than a quarter of
a share's time. Every process walks the whole document, records the order of the visits, and
replays that walk for the chunks of it that it claims (``lint/claims.py``): whichever process is
free takes the next chunk, so the processes finish together however the work is spread. Replaying
gives every node exactly the context (parent, key, the ``$ref`` it was reached through) of one
whole walk, which a walk pruned to a share would not. The first share, this process, also runs
the document-level rules, and the last the ``single_process`` checks, each before it claims
chunks; the ``shares_entries`` checks of document-wide nodes (the path-key rules on ``paths``) run
in every share, each reporting on the entries it owns. A worker fingerprints its own findings
(when they are wanted) and sends them, as pickled tuples, through a pipe; this process collects
them once its own share is done, and merges them. Each process holds its own copy of the
document, so the tree's memory is about ``workers`` times one process's. Used only where ``fork``
is safe (Linux) and the document is large enough to repay a fork.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable
from typing import BinaryIO

from specforge.document import Document
from specforge.document.versions import OPENAPI_FORMATS
from specforge.findings import Finding, Severity
from specforge.interrupts import held_signals, release_signals
from specforge.lint.baseline import fingerprinted
from specforge.lint.claims import Claims
from specforge.lint.engine import ActiveRule, lint_document
from specforge.lint.functions import get_function

#: Documents smaller than this are linted in one process (forking costs more than it saves).
MIN_FORK_CHARS = 1_000_000
#: The most processes one document is shared out to.
MAX_SHARES = 64

Load = Callable[[], Document]


def can_fork() -> bool:
    """Linux, with ``fork`` and the anonymous files the shares' claims live in."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and hasattr(os, "memfd_create")


def lint_forked(load: Load, rules: Iterable[ActiveRule], workers: int,
                fingerprints: bool = True) -> tuple[Document, list[Finding]]:
    """The document ``load`` gives, and the findings of ``rules`` on it (as ``lint_document``), checked by
    ``workers`` processes that each call ``load``. A load error is raised here, as ``load`` raises it.
    With ``fingerprints``, the workers fingerprint what they found (this share's findings are left to the caller).
    """
    rules = list(rules)
    _import_functions(rules)
    workers = min(workers, MAX_SHARES)
    try:
        claims = Claims()
    except OSError:  # no anonymous shared file here (a sandbox may refuse one): check it in this process
        document = load()
        return document, lint_document(document, rules)
    children: list[tuple[int, int, BinaryIO]] = []  # (share, pid, what it sends)
    running: set[int] = set()
    try:
        for share in range(1, workers):
            read_end, write_end = os.pipe()
            with held_signals():  # a Ctrl+C in fork's hooks would be lost; held, it waits until pid is running
                pid = os.fork()
                if pid == 0:  # the worker: load, check one share, send it, leave without cleanup
                    os.close(read_end)
                    _run_share(load, rules, (share, workers), claims, fingerprints, write_end)
                running.add(pid)
            os.close(write_end)
            children.append((share, pid, os.fdopen(read_end, "rb")))
        document = load()
        findings = lint_document(document, rules, share=(0, workers), claims=claims)
        for share, pid, incoming in children:  # collected last: a worker's tail overlaps this share's
            findings.extend(_collect(document, rules, (share, workers), claims, pid, incoming, running))
    finally:
        for pid in running:  # on an interrupt or error: no worker outlives the run
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for _, _, incoming in children:
            incoming.close()
        claims.close()
    return document, _merged(findings)


def _import_functions(rules: list[ActiveRule]) -> None:
    """Import the functions of every rule an OpenAPI document may run, once, before forking: the
    workers inherit them instead of each importing its own (0.1 s of check modules).
    """
    for active in rules:
        if active.rule.applies_to(OPENAPI_FORMATS):
            for then in active.rule.then:
                get_function(then.function)


def _run_share(load: Load, rules: list[ActiveRule], share: tuple[int, int], claims: Claims, fingerprints: bool,
               write_end: int) -> None:
    code = 0
    try:
        release_signals()
        document = load()
        findings = lint_document(document, rules, share=share, claims=claims)
        if fingerprints:
            findings = fingerprinted(findings, document.workspace.sources)
        payload = pickle.dumps(_packed(findings), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent re-runs this share itself and reports any error
        payload, code = b"", 1
    try:
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
    finally:
        os._exit(code)


def _collect(document: Document, rules: list[ActiveRule], share: tuple[int, int], claims: Claims, pid: int,
             incoming: BinaryIO, running: set[int]) -> list[Finding]:
    """A worker's findings; if the worker failed, its share (the chunks it had claimed) is checked here
    instead, and errors surface here.
    """
    with incoming:
        payload = incoming.read()
    _, status = os.waitpid(pid, 0)
    running.discard(pid)
    if status == 0 and payload:
        return _unpacked(pickle.loads(payload))
    return lint_document(document, rules, share=share, claims=claims.replaying(share))


def _packed(findings: list[Finding]) -> list[tuple]:
    """Findings as plain tuples, which pickle and load about ten times faster than the dataclasses
    (a frozen dataclass goes through its per-field state).
    """
    return [(f.file, f.line, f.column, f.rule, int(f.severity), f.message, f.end_line, f.end_column, f.pointer,
             f.fingerprint) for f in findings]


def _unpacked(rows: list[tuple]) -> list[Finding]:
    severities = {int(s): s for s in Severity}
    return [Finding(file, line, column, rule, severities[severity], message, end_line, end_column, pointer,
                    fingerprint)
            for file, line, column, rule, severity, message, end_line, end_column, pointer, fingerprint in rows]


def _merged(findings: list[Finding]) -> list[Finding]:
    """Sorted, with findings reported by more than one share (a problem located elsewhere) kept once."""
    unique = {(f.rule, f.file, f.pointer, f.message, f.line, f.column, f.end_line, f.end_column): f
              for f in findings}
    return sorted(unique.values())
