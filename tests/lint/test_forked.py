"""A document shared out to forked workers gives exactly the findings of one whole run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specforge.document import load_spec
from specforge.errors import SpecforgeError
from specforge.lint import forked
from specforge.lint.api import lint_file
from specforge.lint.config import load_config
from specforge.lint.engine import lint_document
from tests.conftest import CORPUS

SPECS = [
    "openapi2/gitea.json",
    "openapi2/redoc-petstore-extended.yaml",
    "openapi3/spotify-web-api.yaml",
    "openapi3/oai-31-mega.yaml",
    "openapi3/swaggerparser-31-multifile/root.json",
    "openapi2/oai-petstore-separate/spec/swagger.yaml",
]

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="fork is used on Linux only")


def _key(findings: list) -> list[tuple]:
    return [(f.file, f.line, f.column, f.rule, f.severity, f.message, f.end_line, f.end_column, f.pointer)
            for f in findings]


@pytest.fixture(scope="module")
def rules():
    config = load_config(rulesets=["all"], discover_config=False)
    return config.active_rules("spec.yaml")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch) -> None:
    """Chunks of a few visits, so that even a small spec is cut into many (any cut must stay exact)."""
    monkeypatch.setattr("specforge.lint.claims.CHUNK_VISITS", 7)


@pytest.mark.parametrize("relative", SPECS)
def test_shares_together_equal_one_run(relative: str, rules) -> None:
    whole = lint_document(load_spec(CORPUS / relative), rules)
    parts = [lint_document(load_spec(CORPUS / relative), rules, share=(k, 3)) for k in range(3)]
    assert whole, "the spec should have findings for the comparison to mean something"
    assert sum(1 for part in parts if part) >= 2, "the findings should come from more than one share"
    assert sorted(set(_key([f for part in parts for f in part]))) == sorted(set(_key(whole)))


def _forked(spec, rules, workers: int = 2) -> list:
    document, findings = forked.lint_forked(lambda: load_spec(spec), rules, workers)
    assert document.root.path.endswith(Path(spec).name)
    return findings


PATH_RULES = {"path-params", "no-http-verbs-in-path", "no-ambiguous-paths", "no-identical-paths",
              "path-keys-no-trailing-slash", "path-not-include-query"}


def _paths_spec(count: int) -> dict:
    """Paths breaking every path-key rule, many times over, so that each share owns some of them."""
    paths: dict = {}
    for i in range(count):
        ok = {"responses": {"200": {"description": "ok"}}}
        paths[f"/get-items{i}/{{id}}"] = {"get": ok}  # a verb, and {id} never declared
        paths[f"/things{i}/{{a}}"] = {"get": ok}
        paths[f"/things{i}/{{b}}"] = {"get": ok}  # identical to the one before once names are ignored
        paths[f"/x{i}/{{p}}/y"] = {"get": ok}
        paths[f"/{{q}}/x{i}/y"] = {"get": ok}  # ambiguous with the one before
        paths[f"/slash{i}/"] = {"get": ok}
        paths[f"/query{i}?a=1"] = {"get": ok}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def test_path_key_checks_are_spread_over_the_shares_and_stay_exact(tmp_path) -> None:
    import json

    spec = tmp_path / "paths.json"
    spec.write_text(json.dumps(_paths_spec(12)))
    rules = [a for a in load_config(rulesets=["all"], discover_config=False).active_rules(str(spec))
             if a.rule.id in PATH_RULES]
    whole = lint_document(load_spec(spec), rules)
    parts = [lint_document(load_spec(spec), rules, share=(k, 3)) for k in range(3)]
    assert {f.rule for f in whole} == PATH_RULES
    for rule in PATH_RULES:  # every rule's findings are split, not left to one share
        assert sum(1 for part in parts if any(f.rule == rule for f in part)) >= 2, rule
    assert sorted(f for part in parts for f in part) == whole
    assert _key(_forked(spec, rules)) == _key(whole)


@pytest.mark.parametrize("relative", SPECS[:3])
def test_forked_workers_equal_one_run(relative: str, rules) -> None:
    whole = lint_document(load_spec(CORPUS / relative), rules)
    assert _key(_forked(CORPUS / relative, rules)) == _key(whole)
    assert _key(_forked(CORPUS / relative, rules, 3)) == _key(whole)


def test_a_worker_that_dies_is_replaced_by_the_parent(monkeypatch, rules) -> None:
    spec = CORPUS / "openapi3/spotify-web-api.yaml"
    whole = lint_document(load_spec(spec), rules)

    def dying(*args):
        import os

        os._exit(3)  # the worker crashes before sending anything

    monkeypatch.setattr(forked, "_run_share", dying)
    assert _key(_forked(spec, rules)) == _key(whole)


def test_a_load_error_is_raised_and_no_worker_is_left(monkeypatch, rules, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"openapi": "3.0.3", "info": ')
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(SpecforgeError):
        _forked(broken, rules, 3)
    assert len(pids) == 2
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no worker outlives the run


def test_large_files_are_shared_out_through_lint_file(monkeypatch) -> None:
    used: list[int] = []
    real = forked.lint_forked

    def spy(load, rules, workers, fingerprints):
        used.append(workers)
        return real(load, rules, workers, fingerprints)

    monkeypatch.setattr("specforge.lint.api.lint_forked", spy)
    monkeypatch.setattr("specforge.lint.api.MIN_FORK_CHARS", 1000)
    config = load_config(rulesets=["recommended"], discover_config=False)
    spec = CORPUS / "openapi3/spotify-web-api.yaml"
    shared = lint_file(spec, config, workers=2)
    alone = lint_file(spec, config, workers=1)
    assert used == [2]
    assert _key(shared.findings) == _key(alone.findings)
    assert [f.fingerprint for f in shared.findings] == [f.fingerprint for f in alone.findings]
    assert all(f.fingerprint for f in shared.findings)


@pytest.mark.parametrize("workers", [1, 2])
def test_fingerprints_are_worked_out_only_when_asked_for(monkeypatch, workers: int) -> None:
    from specforge.lint.api import LintOptions

    monkeypatch.setattr("specforge.lint.api.MIN_FORK_CHARS", 1000)
    config = load_config(rulesets=["recommended"], discover_config=False)
    spec = CORPUS / "openapi3/spotify-web-api.yaml"
    plain = lint_file(spec, config, LintOptions(fingerprints=False), workers=workers).findings
    marked = lint_file(spec, config, LintOptions(), workers=workers).findings
    assert plain and not any(f.fingerprint for f in plain)
    assert all(f.fingerprint for f in marked)
    assert _key(plain) == _key(marked)
