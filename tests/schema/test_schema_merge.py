"""allOf merging and dialect normalisation."""

from __future__ import annotations

import pytest

from specforge.schema.dialect import normalise
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.merge import Flattener
from specforge.schema.refs import Resolver


def flat(schema, dialect="oas3.1", document=None):
    return Flattener(Resolver(document), dialect).flatten(schema, schema)


def test_bounds_types_required_and_properties_merge():
    m = flat({"allOf": [{"type": ["integer", "string"], "minimum": 1, "required": ["a"],
                         "properties": {"a": {"type": "string"}}},
                        {"type": "integer", "minimum": 3, "maximum": 9, "required": ["b"],
                         "properties": {"a": {"maxLength": 2}}}]})
    assert m["types"] == {"integer"} and m["lo"] == (3, False) and m["hi"] == (9, False)
    assert list(m["required"]) == ["a", "b"] and len(m["properties"]["a"]) == 2


def test_enum_intersection_uses_json_equality():
    assert flat({"allOf": [{"enum": [1, True, "x"]}, {"enum": [1.0, "x"]}]})["enum"] == [1, "x"]


def test_additional_false_forbids_sibling_branch_properties():
    m = flat({"allOf": [{"properties": {"a": {}}, "additionalProperties": False}, {"properties": {"b": {}}}]})
    assert False in m["properties"]["b"]


def test_conflict_pointer_and_allof_cycle():
    with pytest.raises(UnsatisfiableSchema) as info:
        flat({"allOf": [{"type": "string"}, {"allOf": [{"minLength": 3}, {"maxLength": 1}]}]})
    assert info.value.pointer == ("allOf", 1)  # allOf/1 alone allows non-strings: the conflict is the pair
    doc = {"A": {"allOf": [{"$ref": "#/A"}]}}
    with pytest.raises(UnsatisfiableSchema):
        Flattener(Resolver(doc), "oas3.1").flatten(doc["A"])


def test_not_type_removes_type():
    assert "string" not in flat({"not": {"type": "string"}})["types"]


@pytest.mark.parametrize("dialect, raw, expected", [
    ("oas3.0", {"type": "string", "nullable": True}, {"type": ["string", "null"]}),
    ("oas2", {"type": "file", "x-nullable": True}, {"type": ["string", "null"], "format": "binary"}),
    ("oas3.0", {"minimum": 1, "exclusiveMinimum": True}, {"exclusiveMinimum": 1}),
    ("oas3.0", {"maximum": 1, "exclusiveMaximum": False}, {"maximum": 1}),
    ("oas2", {"discriminator": "kind"}, {"discriminator": {"propertyName": "kind"}}),
    ("oas3.0", {"$ref": "#/x", "nullable": True}, {"$ref": "#/x"}),
    ("oas3.1", {"$ref": "#/x", "type": "string"}, {"$ref": "#/x", "type": ["string"]}),
    ("oas3.0", {"items": [{"type": "string"}], "additionalItems": False}, {"prefixItems": [{"type": "string"}],
                                                                          "items": False}),
])
def test_normalise(dialect, raw, expected):
    out = normalise(raw, dialect)
    assert {k: out[k] for k in expected} == expected
    assert not ({"nullable", "x-nullable"} & set(out) - set(raw))
