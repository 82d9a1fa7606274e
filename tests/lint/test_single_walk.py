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


def _seen_by(handlers_of: dict[str, list]) -> list[tuple]:
    return [(kind, node.pointer, node.key, node.relation, node.parent and node.parent.pointer,
             node.ref_from and node.ref_from.pointer) for kind, node in handlers_of["calls"]]


def test_a_replayed_walk_calls_handlers_as_the_walk_did() -> None:
    document = load_spec(CORPUS / "openapi3" / "spotify-web-api.yaml")
    live: dict[str, list] = {"calls": []}
    replayed: dict[str, list] = {"calls": []}

    def handlers(into: dict[str, list]) -> dict:
        kinds = ("Root", "Operation", "Schema", "Reference", "MediaType", "Parameter")
        return {kind: [lambda node, kind=kind: into["calls"].append((kind, node))] for kind in kinds}

    walk.walk(document, handlers(live))
    recorded = walk.walk(document, {}, keep=True, record=True)
    walk.replay(recorded, handlers(replayed))
    assert len(live["calls"]) > 100
    assert _seen_by(replayed) == _seen_by(live)


def test_a_share_walks_the_document_once_and_replays_it(monkeypatch) -> None:
    document = load_spec(CORPUS / "openapi3" / "redoc-petstore-extended.yaml")
    rules = load_config(rulesets=["all"], discover_config=False).active_rules(document.root.path)
    walks: list[dict] = []
    real = engine.walk

    def counted(*args, **kwargs):
        walks.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "walk", counted)
    shared = [engine.lint_document(document, rules, share=(k, 2)) for k in range(2)]
    monkeypatch.undo()
    assert [w.get("record") for w in walks] == [True, True], "each share walks once, recording, with no visitor"
    whole = engine.lint_document(load_spec(CORPUS / "openapi3" / "redoc-petstore-extended.yaml"), rules)
    assert whole and all(shared)
    assert sorted(shared[0] + shared[1]) == whole
