"""Regression guard for speed: one walk per document, each spec object visited once."""

from __future__ import annotations

from specforge.document import load_spec
from specforge.lint import engine, walk
from specforge.lint.config import load_config
from tests.conftest import CORPUS


def test_all_rules_share_one_walk_and_visit_each_object_once(monkeypatch) -> None:
    calls: list[int] = []
    original = walk.walk

    def counting_walk(document, handlers, keep=True):
        calls.append(1)
        index = original(document, handlers, keep)
        visited = [id(node.value) for nodes in index.by_kind.values() for node in nodes]
        assert len(visited) == len(set(visited)), "an object was visited twice"
        return index

    monkeypatch.setattr(engine, "walk", counting_walk)
    document = load_spec(CORPUS / "openapi3" / "redoc-petstore-extended.yaml")
    config = load_config(rulesets=["all"], discover_config=False)
    rules = config.active_rules(document.root.path)
    assert len(rules) > 20
    engine.lint_document(document, rules)
    assert calls == [1]


def test_recursive_schemas_are_walked_once(write_files) -> None:
    root = write_files({"spec.yaml": (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /n:\n    get:\n      responses:\n"
        "        '200':\n          description: OK\n          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Node'}\n"
        "components:\n  schemas:\n    Node:\n      type: object\n      properties:\n"
        "        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n"
    )})
    document = load_spec(root / "spec.yaml")
    index = walk.walk(document, {})
    schemas = index.nodes("Schema")
    assert sorted(node.pointer for node in schemas) == [
        ("components", "schemas", "Node"),
        ("components", "schemas", "Node", "properties", "children"),
    ]
    assert len(index.refs) == 2
