"""Inline ``x-lint-ignore`` / ``x-zally-ignore``: a node and everything below it, in whichever file
the finding is; unknown rule ids are themselves reported with their position.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.config import load_config


def _lint(tmp_path: Path, files: dict[str, str], entry: str = "openapi.yaml") -> list[tuple]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = load_config(discover_config=False)
    config.severities = {"operation-description": Severity.WARNING, "oas3-schema": Severity.ERROR}
    result = lint_file(entry, config)
    assert result.error is None
    return [(f.file, f.line, f.column, f.rule) for f in result.findings]


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


HEAD = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\n'


def test_ignore_covers_the_node_and_below_only(tmp_path: Path) -> None:
    spec = HEAD + """\
paths:
  /a:
    x-lint-ignore: operation-description
    get:
      responses: {"200": {description: OK}}
  /b:
    get:
      x-lint-ignore: [oas3-schema]
      responses: {"200": {description: OK}}
"""
    assert _lint(tmp_path, {"openapi.yaml": spec}) == [("openapi.yaml", 9, 5, "operation-description")]


def test_root_level_and_zally_spelling(tmp_path: Path) -> None:
    spec = HEAD + "x-zally-ignore: [operation-description, 101]\npaths:\n  /a:\n    get:\n" \
                  "      responses: {\"200\": {description: OK}}\n"
    assert _lint(tmp_path, {"openapi.yaml": spec}) == []  # zally numbers are not reported as unknown


def test_unknown_rule_id_is_reported_at_the_id(tmp_path: Path) -> None:
    spec = HEAD + """\
paths:
  /a:
    get:
      description: Fine.
      x-lint-ignore: [operation-description, operation-descripton]
      responses: {"200": {description: OK}}
  /b:
    x-lint-ignore: "no-such-rule"
"""
    assert _lint(tmp_path, {"openapi.yaml": spec}) == [
        ("openapi.yaml", 7, 46, "lint-ignore-unknown-rule"),
        ("openapi.yaml", 10, 20, "lint-ignore-unknown-rule"),
    ]


def test_findings_in_referenced_files_honour_their_own_ignores(tmp_path: Path) -> None:
    spec = HEAD + "paths:\n  /a:\n    $ref: paths/a.yaml\n  /b:\n    $ref: paths/b.yaml\n"
    a = "get:\n  x-lint-ignore: operation-description\n  responses: {\"200\": {description: OK}}\n"
    b = "get:\n  responses: {\"200\": {description: OK}}\n"
    found = _lint(tmp_path, {"openapi.yaml": spec, "paths/a.yaml": a, "paths/b.yaml": b})
    assert found == [("paths/b.yaml", 1, 1, "operation-description")]


def test_an_ignore_in_the_root_does_not_reach_into_another_file(tmp_path: Path) -> None:
    spec = HEAD + "paths:\n  /b:\n    x-lint-ignore: operation-description\n    $ref: paths/b.yaml\n"
    b = "get:\n  responses: {\"200\": {description: OK}}\n"
    assert _lint(tmp_path, {"openapi.yaml": spec, "paths/b.yaml": b}) == \
        [("paths/b.yaml", 1, 1, "operation-description")]
