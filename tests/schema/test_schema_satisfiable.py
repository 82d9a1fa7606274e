"""iter_unsatisfiable: every case in unsatisfiable_cases.yaml, with its exact pointers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from specforge.schema.satisfiable import iter_unsatisfiable

CASES = yaml.safe_load((Path(__file__).parent / "unsatisfiable_cases.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    found = [list(p) for p, _ in iter_unsatisfiable(case["schema"], dialect=case.get("dialect", "oas3.0"))]
    assert found == case["expect"]


def test_messages_are_readable():
    [(pointer, message)] = iter_unsatisfiable({"type": "string", "minLength": 5, "maxLength": 2})
    assert pointer == ("minLength",) and "5" in message and "2" in message


def test_document_refs_and_resolve_callback():
    doc = {"components": {"schemas": {"A": {"type": "string"}, "B": {"type": "integer"}}}}
    schema = {"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}
    assert [p for p, _ in iter_unsatisfiable(schema, document=doc)] == [("allOf", 1)]
    external = {"x.yaml#/C": {"type": "boolean"}}
    schema = {"allOf": [{"type": "string"}, {"$ref": "x.yaml#/C"}]}
    assert [p for p, _ in iter_unsatisfiable(schema, resolve=external.get)] == [("allOf", 1)]
