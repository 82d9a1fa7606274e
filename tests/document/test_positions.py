"""Positions: 1-based line/column of the node a pointer names, in YAML and JSON, in any file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specforge.document import load_spec
from specforge.document.positions import Span

YAML = """\
openapi: 3.0.3
info:
  title: Pets
  version: "1.0"
paths:
  /pets:
    get:
      tags: [pets, animals]
      parameters:
        - name: limit
          in: query
      responses:
        "200":
          description: OK
"""


@pytest.fixture
def yaml_doc(tmp_path: Path):
    path = tmp_path / "spec.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_spec(path)


@pytest.fixture
def json_doc(tmp_path: Path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(load_spec_data(), indent=2), encoding="utf-8")
    return load_spec(path)


def load_spec_data() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0"},
        "paths": {"/pets": {"get": {"tags": ["pets", "animals"], "responses": {"200": {"description": "OK"}}}}},
    }


@pytest.mark.parametrize(
    ("pointer", "at_key", "expected"),
    [
        ((), False, (1, 1)),
        (("info",), False, (2, 1)),  # a mapping is located at its key
        (("info", "title"), False, (3, 10)),  # a scalar at its value
        (("info", "title"), True, (3, 3)),  # ... or at its key when asked
        (("info", "version"), False, (4, 12)),
        (("paths", "/pets", "get"), False, (7, 5)),
        (("paths", "/pets", "get", "tags", 1), False, (8, 20)),
        (("paths", "/pets", "get", "parameters", 0), False, (10, 11)),
        (("paths", "/pets", "get", "parameters", 0, "in"), False, (11, 15)),
        (("paths", "/pets", "get", "responses", "200"), False, (13, 9)),
        (("paths", "/pets", "get", "responses", "200", "description"), False, (14, 24)),
        (("paths", "/nope", "get"), False, (5, 1)),  # a missing node: its nearest ancestor
    ],
)
def test_yaml_positions(yaml_doc, pointer: tuple, at_key: bool, expected: tuple[int, int]) -> None:
    span = yaml_doc.root.span(pointer, at_key)
    assert (span.line, span.column) == expected


def test_yaml_scalar_span_has_an_end(yaml_doc) -> None:
    assert yaml_doc.root.span(("info", "title")) == Span(3, 10, 3, 14)


@pytest.mark.parametrize(
    ("pointer", "at_key", "expected"),
    [
        ((), False, (1, 1)),
        (("info",), False, (3, 3)),
        (("info", "title"), False, (4, 14)),
        (("info", "title"), True, (4, 5)),
        (("paths", "/pets", "get", "tags", 1), False, (12, 11)),
        (("paths", "/pets", "get", "responses", "200", "description"), False, (16, 28)),
    ],
)
def test_json_positions(json_doc, pointer: tuple, at_key: bool, expected: tuple[int, int]) -> None:
    span = json_doc.root.span(pointer, at_key)
    assert (span.line, span.column) == expected


def test_minified_json_positions_are_columns_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "min.json"
    path.write_text('{"openapi":"3.1.0","info":{"title":"T","version":"1"},"paths":{}}', encoding="utf-8")
    document = load_spec(path)
    assert document.root.span(("info", "version")) == Span(1, 50, 1, 53)
    assert document.root.span(("paths",), at_key=True)[:2] == (1, 55)


def test_json_escaped_keys_and_unicode(tmp_path: Path) -> None:
    path = tmp_path / "u.json"
    path.write_text('{"openapi": "3.0.0", "x-\\u00e9t\\u00e9": {"k\\"q": "v\\u00e9"}, "x-b": 1}', encoding="utf-8")
    document = load_spec(path)
    assert document.data["x-été"] == {'k"q': "vé"}
    assert document.root.span(("x-été", 'k"q'))[:2] == (1, 50)
    assert document.root.span(("x-été", 'k"q'), at_key=True)[:2] == (1, 42)
    assert document.root.span(("x-b",))[:2] == (1, 69)


def test_positions_inside_a_referenced_file(write_files) -> None:
    root = write_files({
        "main.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets: {$ref: 'paths/pets.yaml'}\n",
        "paths/pets.yaml": "# the pets collection\nget:\n  summary: List\n  responses:\n    '200': {description: OK}\n",
    })
    document = load_spec(root / "main.yaml")
    target = document.workspace.resolve("paths/pets.yaml", document.root)
    assert target.source.span(("get", "summary")) == Span(3, 12, 3, 16)
    assert target.source.span(("get", "responses", "200"))[:2] == (5, 5)


def test_yaml_merge_keys_resolve_and_locate(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "x-base: &base {a: 1, b: 2}\nx-child:\n  <<: *base\n  b: 3\n",
        encoding="utf-8",
    )
    document = load_spec(path)
    assert document.data["x-child"] == {"b": 3, "a": 1}
    assert document.root.span(("x-child", "a"))[:2] == (4, 19)
    assert document.root.span(("x-child", "b"))[:2] == (7, 6)
