"""One test family per keyword group: real values are asserted, and every instance is checked by an
independent validator (openapi-schema-validator for 2.0/3.0, jsonschema 2020-12 for 3.1).
"""

from __future__ import annotations

import re
import uuid

import pytest
from fake_oracle import schema_validator

from specforge.fake import Generator, UnsatisfiableSchema

SEEDS = range(25)


def many(schema, dialect="oas3.1", direction="response", document=None, seeds=SEEDS):
    gen = Generator(document, dialect=dialect)
    values = [gen.generate(schema, seed=s, direction=direction) for s in seeds]
    if document is None:
        check = schema_validator(schema, dialect, direction)
        for v in values:
            assert check(v) == [], (v, check(v))
    return values


# -- numbers -----------------------------------------------------------------------------------------------
def test_integer_bounds_exclusive_31():
    values = many({"type": "integer", "exclusiveMinimum": 3, "exclusiveMaximum": 7})
    assert set(values) <= {4, 5, 6} and len(set(values)) > 1


def test_integer_bounds_exclusive_boolean_30():
    values = many({"type": "integer", "minimum": 3, "exclusiveMinimum": True, "maximum": 5,
                   "exclusiveMaximum": True}, dialect="oas3.0")
    assert set(values) == {4}


def test_float_multiple_of_hundredth():
    values = many({"type": "number", "minimum": 0.5, "maximum": 3, "multipleOf": 0.01})
    assert all(0.5 <= v <= 3 for v in values)
    assert all(abs(v * 100 - round(v * 100)) < 1e-9 for v in values)


def test_integer_multiple_of_with_bounds():
    values = many({"type": "integer", "minimum": 10, "maximum": 100, "multipleOf": 7})
    assert all(v % 7 == 0 and 10 <= v <= 100 for v in values)


def test_number_exclusive_tight_interval():
    values = many({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.001})
    assert all(0 < v < 0.001 for v in values)


def test_int32_format_range():
    values = many({"type": "integer", "format": "int32", "minimum": 2**31 - 3}, dialect="oas3.0")
    assert all(2**31 - 3 <= v <= 2**31 - 1 for v in values)


# -- strings -----------------------------------------------------------------------------------------------
def test_length_bounds():
    values = many({"type": "string", "minLength": 5, "maxLength": 6})
    assert all(5 <= len(v) <= 6 for v in values)


def test_pattern_anchored():
    values = many({"type": "string", "pattern": r"^[A-Z]{2}-\d{4}$"})
    assert all(re.fullmatch(r"[A-Z]{2}-\d{4}", v) for v in values)


def test_pattern_with_min_length_pads_unanchored_end():
    values = many({"type": "string", "pattern": r"^ab", "minLength": 8})
    assert all(v.startswith("ab") and len(v) >= 8 for v in values)


def test_email_with_max_length():
    values = many({"type": "string", "format": "email", "maxLength": 10})
    assert all("@" in v and len(v) <= 10 for v in values)


@pytest.mark.parametrize("fmt, check", [
    ("date", lambda v: re.fullmatch(r"\d{4}-\d\d-\d\d", v)),
    ("date-time", lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v)),
    ("uuid", lambda v: uuid.UUID(v)),
    ("ipv4", lambda v: len(v.split(".")) == 4),
    ("ipv6", lambda v: ":" in v),
    ("uri", lambda v: v.startswith("https://")),
    ("byte", lambda v: len(v) % 4 == 0),
    ("hostname", lambda v: "." in v),
    ("duration", lambda v: v.startswith("P")),
    ("json-pointer", lambda v: v.startswith("/")),
])
def test_formats(fmt, check):
    assert all(check(v) for v in many({"type": "string", "format": fmt}))


def test_format_and_pattern_together():
    values = many({"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]+$"})
    assert all(uuid.UUID(v) for v in values)


def test_uri_format_with_a_pattern_matched_anywhere():
    # the OPTIMADE spec's versioned base URL: the pattern alone gives "K/v1", the format alone no "/v1"
    values = many({"type": "string", "format": "uri", "pattern": r".+/v[0-1](\.[0-9]+)*/?$", "minLength": 1})
    assert all(re.search(r".+/v[0-1](\.[0-9]+)*/?$", v) and re.match(r"^[a-z][a-z0-9+.-]*://", v) for v in values)


# -- enum / const / types ----------------------------------------------------------------------------------
def test_enum_filtered_by_type_and_bounds():
    assert set(many({"type": "integer", "enum": [1, "a", 50, 7], "maximum": 10})) == {1, 7}


def test_const_31():
    assert set(many({"const": "x"})) == {"x"}


def test_type_array_with_null_31():
    values = many({"type": ["integer", "null"], "minimum": 1}, seeds=range(80))
    assert None in values and any(isinstance(v, int) for v in values)


def test_nullable_30():
    values = many({"type": "string", "nullable": True, "maxLength": 3}, dialect="oas3.0", seeds=range(60))
    assert None in values and all(v is None or len(v) <= 3 for v in values)


def test_x_nullable_and_file_20():
    values = many({"type": "file", "x-nullable": True}, dialect="oas2", seeds=range(40))
    assert None in values and any(isinstance(v, str) for v in values)


# -- arrays ------------------------------------------------------------------------------------------------
def test_unique_items_small_domain():
    values = many({"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4},
                   "uniqueItems": True, "minItems": 4})
    assert all(sorted(v) == [1, 2, 3, 4] for v in values)


def test_prefix_items_and_items_false():
    values = many({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False,
                   "minItems": 2})
    assert all(len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int) for v in values)


def test_contains_min_max():
    values = many({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 9},
                   "contains": {"const": 5}, "minContains": 2, "maxContains": 2, "maxItems": 5})
    assert all(v.count(5) == 2 for v in values)


# -- objects -----------------------------------------------------------------------------------------------
def test_required_and_additional_false_with_min_properties():
    values = many({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
                   "required": ["a"], "additionalProperties": False, "minProperties": 2})
    assert all(set(v) == {"a", "b"} for v in values)


def test_min_properties_from_pattern_properties():
    values = many({"type": "object", "patternProperties": {"^x-[a-z]+$": {"type": "integer"}},
                   "additionalProperties": False, "minProperties": 3})
    assert all(len(v) >= 3 and all(k.startswith("x-") for k in v) for v in values)


def test_property_names_and_max_properties():
    values = many({"type": "object", "propertyNames": {"pattern": "^[a-z]{3}$"}, "minProperties": 2,
                   "maxProperties": 2})
    assert all(len(v) == 2 and all(re.fullmatch("[a-z]{3}", k) for k in v) for v in values)


def test_dependent_required():
    values = many({"type": "object", "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
                   "dependentRequired": {"card": ["billing"]}})
    assert all("billing" in v for v in values if "card" in v)
    assert any("card" in v for v in values)


def test_dependent_schemas_required_trigger():
    values = many({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"],
                   "dependentSchemas": {"a": {"required": ["b"], "properties": {"b": {"const": 1}}}}})
    assert all(v["b"] == 1 for v in values)


def test_read_only_write_only_by_direction():
    schema = {"type": "object", "required": ["id", "password", "name"], "properties": {
        "id": {"type": "integer", "readOnly": True}, "password": {"type": "string", "writeOnly": True},
        "name": {"type": "string"}}}
    assert all(set(v) == {"id", "name"} for v in many(schema, "oas3.0", "response"))
    assert all(set(v) == {"password", "name"} for v in many(schema, "oas3.0", "request"))


def test_unevaluated_properties_sees_allof_properties():
    values = many({"allOf": [{"properties": {"a": {"type": "integer"}}, "required": ["a"]}],
                   "properties": {"b": {"type": "string"}}, "unevaluatedProperties": False, "minProperties": 2})
    assert all(set(v) == {"a", "b"} for v in values)


# -- combinators -------------------------------------------------------------------------------------------
def test_allof_is_merged():
    values = many({"allOf": [{"type": "integer", "minimum": 10}, {"maximum": 12}, {"multipleOf": 2}]})
    assert set(values) <= {10, 12}


def test_allof_nested_objects_merge_properties():
    values = many({"allOf": [
        {"type": "object", "properties": {"a": {"type": "string", "maxLength": 5}}, "required": ["a"]},
        {"properties": {"a": {"minLength": 5}, "b": {"type": "boolean"}}, "required": ["b"]}]})
    assert all(len(v["a"]) == 5 and isinstance(v["b"], bool) for v in values)


def test_oneof_exactly_one():
    values = many({"oneOf": [{"type": "integer", "multipleOf": 3}, {"type": "integer", "multipleOf": 5}],
                   "minimum": 1, "maximum": 30})
    assert all((v % 3 == 0) != (v % 5 == 0) for v in values)


def test_anyof_picks_satisfiable_branch():
    values = many({"type": "string", "anyOf": [{"type": "integer"}, {"minLength": 3, "maxLength": 3}]})
    assert all(len(v) == 3 for v in values)


def test_not_type_picks_another_type():
    values = many({"not": {"type": "string"}})
    assert all(not isinstance(v, str) for v in values)


def test_not_enum_rejected():
    values = many({"type": "string", "enum": ["a", "b", "c"], "not": {"enum": ["a", "b"]}})
    assert set(values) == {"c"}


def test_if_then_else():
    schema = {"type": "object", "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "integer"}},
              "required": ["kind", "n"],
              "if": {"properties": {"kind": {"const": "a"}}},
              "then": {"properties": {"n": {"minimum": 100}}}, "else": {"properties": {"n": {"maximum": -100}}}}
    values = many(schema)
    assert all((v["n"] >= 100) if v["kind"] == "a" else (v["n"] <= -100) for v in values)
    assert {v["kind"] for v in values} == {"a", "b"}


# -- $ref, recursion, discriminator ------------------------------------------------------------------------
def test_recursive_ref_terminates():
    schema = {"$defs": {"Node": {"type": "object", "required": ["children"], "properties": {
        "value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}},
        "$ref": "#/$defs/Node"}
    values = many(schema)

    def depth(node):
        return 1 + max((depth(c) for c in node["children"]), default=0)

    assert all(depth(v) <= 6 for v in values) and any(depth(v) > 1 for v in values)


def test_required_infinite_recursion_raises_fast():
    schema = {"$defs": {"N": {"type": "object", "required": ["n"], "properties": {"n": {"$ref": "#/$defs/N"}}}},
              "$ref": "#/$defs/N"}
    with pytest.raises(UnsatisfiableSchema, match="recurs"):
        Generator(dialect="oas3.1").generate(schema)


def test_recursion_takes_the_nullable_way_out():
    schema = {"$defs": {"N": {"type": ["object", "null"], "required": ["next"],
                              "properties": {"next": {"$ref": "#/$defs/N"}}}}, "$ref": "#/$defs/N"}
    assert all(v is None or "next" in v for v in many(schema))


DOC = {"openapi": "3.0.3", "components": {"schemas": {
    "Pet": {"type": "object", "required": ["petType"], "properties": {"petType": {"type": "string"}},
            "discriminator": {"propertyName": "petType", "mapping": {"dog": "#/components/schemas/Dog"}}},
    "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                      {"type": "object", "properties": {"lives": {"type": "integer"}}, "required": ["lives"]}]},
    "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                      {"type": "object", "properties": {"bark": {"type": "boolean"}}, "required": ["bark"]}]},
    "Any": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "petType", "mapping": {"dog": "#/components/schemas/Dog",
                                                                     "cat": "#/components/schemas/Cat"}}},
}}}


def test_discriminator_selects_generated_branch():
    gen = Generator(DOC, dialect="oas3.0")
    values = [gen.generate(DOC["components"]["schemas"]["Any"], seed=s) for s in range(30)]
    assert {v["petType"] for v in values} == {"cat", "dog"}
    assert all(("bark" in v) == (v["petType"] == "dog") for v in values)


def test_discriminator_on_allof_child_uses_mapping_or_name():
    gen = Generator(DOC, dialect="oas3.0")
    assert gen.generate({"$ref": "#/components/schemas/Dog"})["petType"] == "dog"
    assert gen.generate({"$ref": "#/components/schemas/Cat"})["petType"] == "Cat"


def test_external_refs_use_resolve_callback():
    other = {"type": "string", "const": "from-callback"}
    gen = Generator({}, dialect="oas3.1", resolve=lambda ref: other if ref == "other.yaml#/X" else None)
    assert gen.generate({"$ref": "other.yaml#/X"}) == "from-callback"


# -- realism, determinism, API -----------------------------------------------------------------------------
def test_property_name_hints_are_realistic_and_constrained():
    schema = {"type": "object", "required": ["email", "firstName", "createdAt", "price", "latitude"],
              "properties": {"email": {"type": "string"}, "firstName": {"type": "string", "maxLength": 6},
                             "createdAt": {"type": "string"}, "price": {"type": "number", "maximum": 20},
                             "latitude": {"type": "number"}}}
    for v in many(schema, "oas3.0"):
        assert "@" in v["email"] and len(v["firstName"]) <= 6 and v["firstName"][:1].isupper()
        assert re.match(r"\d{4}-\d\d-\d\dT", v["createdAt"])
        assert 1 <= v["price"] <= 20 and -90 <= v["latitude"] <= 90


def test_x_faker():
    values = many({"type": "string", "x-faker": "address.city"}, "oas3.0")
    assert len(set(values)) > 5 and all(v and v[0].isupper() for v in values)


def test_deterministic_and_seed_sensitive():
    schema = DOC["components"]["schemas"]["Any"]
    a = [Generator(DOC).generate(schema, seed=s) for s in range(5)]
    b = [Generator(DOC).generate(schema, seed=s) for s in range(5)]
    assert a == b and len({str(x) for x in a}) > 1


def test_compile_is_cached_by_identity_and_direction():
    gen = Generator()
    schema = {"type": "integer"}
    assert gen.compile(schema) is gen.compile(schema)
    assert gen.compile(schema) is not gen.compile(schema, direction="request")


@pytest.mark.parametrize("schema, where", [
    ({"allOf": [{"type": "string"}, {"type": "integer"}]}, ("allOf", 1, "type")),
    ({"type": "integer", "minimum": 5, "maximum": 1}, ("minimum",)),
    ({"type": "string", "pattern": "^a{5}$", "maxLength": 3}, ("pattern",)),
    ({"type": "object", "required": ["a"], "additionalProperties": False}, ("required",)),
    ({"type": "string", "enum": [1, 2]}, ("enum",)),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}], "multipleOf": 1}, ()),
    (False, ()),
])
def test_unsatisfiable_raises(schema, where):
    with pytest.raises(UnsatisfiableSchema) as info:
        Generator(dialect="oas3.1").generate(schema)
    assert info.value.pointer[: len(where)] == where
    assert isinstance(info.value, ValueError)


def test_deterministic_across_processes():
    import json
    import os
    import subprocess
    import sys

    code = ("import json; from specforge.fake import Generator; "
            "s={'type':'object','required':['email','tags','n'],'properties':{'email':{'type':'string'},"
            "'tags':{'type':'array','items':{'pattern':'^[a-z]{2,6}$'},'uniqueItems':True,'minItems':3},"
            "'n':{'oneOf':[{'type':'integer','multipleOf':3},{'type':'integer','multipleOf':5}]}}};"
            "print(json.dumps([Generator(dialect='oas3.1').generate(s, seed=i) for i in range(5)]))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1 and len(json.loads(outputs.pop())) == 5
