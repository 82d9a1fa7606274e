"""Chunks of a recorded walk claimed by forked processes: each exactly once, whoever is ready first."""

from __future__ import annotations

import fcntl
import os
import pickle
import time

import pytest

from specforge.document import load_spec
from specforge.lint import forked
from specforge.lint.claims import Claims, InTurn, chunks_of
from specforge.lint.config import load_config
from specforge.lint.engine import lint_document
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="claims are shared by forked processes (Linux)")

SPEC = CORPUS / "openapi3/spotify-web-api.yaml"


def _key(findings: list) -> list[tuple]:
    return [(f.file, f.line, f.column, f.rule, f.message, f.pointer) for f in findings]


def _claim_in_child(claims: Claims, share: tuple[int, int], count: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        taken = []
        for chunk in claims.take(share, count):
            taken.append(chunk)
            time.sleep(0.002)  # slow enough that the other process gets its turns
        os.write(write_end, pickle.dumps(taken))
        os._exit(0)
    os.close(write_end)
    return pid, read_end


def test_forked_processes_claim_every_chunk_once() -> None:
    claims = Claims()
    try:
        children = [_claim_in_child(claims, (k, 3), 90) for k in (1, 2)]
        mine = []
        for chunk in claims.take((0, 3), 90):
            mine.append(chunk)
            time.sleep(0.002)
        theirs = []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as incoming:
                theirs.append(pickle.loads(incoming.read()))
            os.waitpid(pid, 0)
        assert sorted(mine + theirs[0] + theirs[1]) == list(range(90))
        assert mine and all(theirs), "every process got some chunks"
        assert list(claims.replaying((1, 3)).take((1, 3), 90)) == theirs[0]
    finally:
        claims.close()


def test_a_process_that_dies_while_claiming_holds_nobody_up() -> None:
    claims = Claims()
    try:
        pid = os.fork()
        if pid == 0:
            fcntl.lockf(claims._file, fcntl.LOCK_EX)
            os._exit(0)  # dies holding the lock: the kernel drops it
        os.waitpid(pid, 0)
        assert list(claims.take((0, 1), 4)) == [0, 1, 2, 3]
    finally:
        claims.close()


def test_chunks_cover_the_walk_in_order() -> None:
    spans = chunks_of(1000)
    assert [i for span in spans for i in span] == list(range(1000))
    assert len(chunks_of(1 << 30)) <= 1 << 16  # long walks get longer chunks, not more than the table holds
    assert list(InTurn().take((1, 3), 10)) == [1, 4, 7]


@pytest.fixture(scope="module")
def rules():
    return load_config(rulesets=["all"], discover_config=False).active_rules("spec.yaml")


def test_uneven_claims_stay_exact(monkeypatch, rules) -> None:
    """One share claiming every chunk (the other only runs its extra work) still adds up to one run."""
    monkeypatch.setattr("specforge.lint.claims.CHUNK_VISITS", 5)
    whole = lint_document(load_spec(SPEC), rules)
    claims = Claims()
    try:
        greedy = lint_document(load_spec(SPEC), rules, share=(1, 2), claims=claims)
        late = lint_document(load_spec(SPEC), rules, share=(0, 2), claims=claims)  # no chunk is left
    finally:
        claims.close()
    assert whole and greedy and late  # share 0 still reports from the document-level rules
    assert sorted(set(_key(greedy + late))) == sorted(set(_key(whole)))


def test_a_worker_that_dies_after_claiming_is_replaced_by_the_parent(monkeypatch, rules) -> None:
    monkeypatch.setattr("specforge.lint.claims.CHUNK_VISITS", 5)
    whole = lint_document(load_spec(SPEC), rules)

    class ClaimedByTheWorker(Claims):
        """Claims of which share 1 took the first three chunks before it died."""

        def __init__(self) -> None:
            super().__init__()
            taken = self.take((1, 2), 1 << 16)
            self.first = [next(taken), next(taken), next(taken)]

    made: list[ClaimedByTheWorker] = []
    monkeypatch.setattr(forked, "Claims", lambda: made.append(ClaimedByTheWorker()) or made[-1])
    monkeypatch.setattr(forked, "_run_share", lambda *args: os._exit(3))
    replayed: list[int] = []
    real = Claims.replaying

    def replaying(self, share):
        replayed.extend(real(self, share).take(share, 1 << 16))
        return real(self, share)

    monkeypatch.setattr(Claims, "replaying", replaying)
    document, findings = forked.lint_forked(lambda: load_spec(SPEC), rules, 2)
    assert _key(findings) == _key(whole)
    assert replayed == made[0].first == [0, 1, 2], "the parent checked the chunks the worker had claimed"


def test_without_shared_claims_the_document_is_checked_in_one_process(monkeypatch, rules) -> None:
    def refused() -> Claims:
        raise PermissionError("memfd_create: operation not permitted")

    monkeypatch.setattr(forked, "Claims", refused)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("no worker should be forked"))
    document, findings = forked.lint_forked(lambda: load_spec(SPEC), rules, 2)
    assert _key(findings) == _key(lint_document(load_spec(SPEC), rules))
