"""Schema quality: keywords that contradict each other or do nothing (required names never
defined, conflicting ``allOf`` members, ``nullable`` without ``type``, single-member combinators,
mixed range keywords, ``items`` on objects) and properties without examples.

Each check is given one ``Schema`` node; ``$ref``s inside it are followed with ``ctx.resolve``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import triggers
from specforge.lint.model import Problem

COMBINATORS = ("allOf", "anyOf", "oneOf")
#: Subschemas that apply to the same instance as the schema holding them (3.1 adds if/then/else).
SAME_INSTANCE = COMBINATORS + ("if", "then", "else", "dependentSchemas")
_SCALARS = frozenset({"string", "number", "integer", "boolean"})
_MAX_DEPTH = 16


def _property_names(schema: Any, ctx: Context, seen: set[int], depth: int = 0) -> set[str]:
    """Property names a schema defines itself or through its combinators (``$ref``s followed)."""
    schema = ctx.resolve(schema)
    if not isinstance(schema, dict) or id(schema) in seen or depth > _MAX_DEPTH:
        return set()
    seen.add(id(schema))
    names = set(schema["properties"]) if isinstance(schema.get("properties"), dict) else set()
    for keyword in COMBINATORS:
        members = schema.get(keyword)
        for member in members if isinstance(members, list) else ():
            names |= _property_names(member, ctx, seen, depth + 1)
    return names


def _defined_names(schema: Any, ctx: Context) -> frozenset[str]:
    """``_property_names`` memoised per document (shared schemas are asked about many times)."""
    memo = ctx.document.cache.setdefault("schema_quality.property_names", {})
    key = id(schema)
    if key not in memo:
        memo[key] = frozenset(_property_names(schema, ctx, set()))
    return memo[key]


@triggers("required")
def required_defined(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each name in ``required`` is a property of the schema, of its ``allOf``/``anyOf``/``oneOf``
    members, or (for a combinator member or an ``if``/``then``/``else`` branch) of the schema
    around it.
    """
    required = value.get("required") if isinstance(value, dict) else None
    if not isinstance(required, list) or not required:
        return
    names = set(_defined_names(value, ctx))
    node = ctx.node
    while node.relation in SAME_INSTANCE and node.parent is not None and node.parent.kind == "Schema":
        names |= _defined_names(node.parent.value, ctx)
        node = node.parent
    for index, name in enumerate(required):
        if isinstance(name, str) and name not in names:
            yield Problem(f'Required property "{name}" is not defined in "properties"', ("required", index))


def _types(schema: Any) -> set[str] | None:
    """The declared types of a schema (``integer`` also counts as ``number``); None when undeclared."""
    declared = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(declared, str):
        declared = [declared]
    if not isinstance(declared, list) or not declared:
        return None
    types = {t for t in declared if isinstance(t, str)}
    if "integer" in types:
        types.add("number")
    return types


def _merged_members(schema: dict, ctx: Context) -> list[dict]:
    """The schema itself (its own keywords) and every ``allOf`` member, flattened and resolved."""
    found: list[dict] = []
    pending: list[Any] = [schema]
    seen: set[int] = set()
    while pending and len(seen) < 64:
        current = ctx.resolve(pending.pop(0))
        if not isinstance(current, dict) or id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        members = current.get("allOf")
        if isinstance(members, list):
            pending[0:0] = members  # depth first, in document order
    return found


@triggers("allOf")
def allof_conflicts(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``allOf`` members (and the schema around them) whose types, or whose same-named properties'
    types, have nothing in common: no instance can be valid.
    """
    if not isinstance(value, dict) or not isinstance(value.get("allOf"), list):
        return
    members = _merged_members(value, ctx)
    declared: list[set[str]] = [t for m in members if (t := _types(m)) is not None]
    common: set[str] = declared[0] if declared else set()
    for types in declared[1:]:
        if not common & types:
            yield Problem(f"allOf combines schemas of type {_show(common)} and {_show(types)}; no value can be"
                          " both", ("allOf",), at_key=True)
            return
        common = common & types
    by_property: dict[str, tuple[set[str], str]] = {}
    for member in members:
        properties = member.get("properties")
        if not isinstance(properties, dict):
            continue
        for name, raw in properties.items():
            own = _types(ctx.resolve(raw))
            if own is None:
                continue
            if name in by_property and not by_property[name][0] & own:
                yield Problem(f'allOf members disagree on the type of property "{name}": {by_property[name][1]}'
                              f" vs {_show(own)}", ("allOf",), at_key=True)
            by_property.setdefault(name, (own, _show(own)))


def _show(types: set[str]) -> str:
    shown = sorted(types - {"number"} if "integer" in types else types)
    return "/".join(shown)


@triggers("nullable")
def nullable_without_type(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """OpenAPI 3.0 ``nullable`` only adds ``null`` to a declared ``type``; alone it does nothing."""
    if isinstance(value, dict) and "nullable" in value and "type" not in value:
        yield Problem('"nullable" needs a sibling "type" (it only adds null to a declared type)',
                      ("nullable",), at_key=True)


@triggers("enum")
def nullable_enum_has_null(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A nullable schema (3.0 ``nullable: true``, 3.1 ``type: [..., "null"]``) with an ``enum`` must
    list ``null`` in it, or null is rejected after all.
    """
    if not isinstance(value, dict) or not isinstance(value.get("enum"), list):
        return
    declared = value.get("type")
    nullable = value.get("nullable") is True or declared == "null" or (
        isinstance(declared, list) and "null" in declared)
    if nullable and None not in value["enum"]:
        yield Problem("The schema is nullable but its enum does not contain null", ("enum",), at_key=True)


@triggers("allOf", "anyOf", "oneOf")
def unnecessary_combinator(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A lone ``allOf``/``anyOf``/``oneOf`` with a single member: use the member itself.

    Not reported when the schema has other keywords: ``{description, allOf: [$ref]}`` is the
    OpenAPI 3.0 way to annotate a reference.
    """
    if not isinstance(value, dict):
        return
    keywords = [k for k in value if not (isinstance(k, str) and k.startswith("x-"))]
    if len(keywords) != 1 or keywords[0] not in COMBINATORS:
        return
    members = value[keywords[0]]
    if isinstance(members, list) and len(members) == 1:
        yield Problem(f'"{keywords[0]}" with a single schema is unnecessary; use that schema directly',
                      (keywords[0],), at_key=True)


@triggers("exclusiveMinimum", "exclusiveMaximum")
def mixed_range_constraints(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """3.1+: ``minimum`` with a numeric ``exclusiveMinimum`` (or the max pair) is contradictory;
    2.0/3.0: a boolean ``exclusiveMinimum`` without ``minimum`` bounds nothing.
    """
    if not isinstance(value, dict):
        return
    numeric_exclusive = ctx.format not in ("oas2", "oas3.0")
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if exclusive not in value:
            continue
        flag = value[exclusive]
        if numeric_exclusive and bound in value and not isinstance(flag, bool):
            yield Problem(f'Use either "{bound}" or "{exclusive}", not both', (exclusive,), at_key=True)
        elif not numeric_exclusive and flag is True and bound not in value:
            yield Problem(f'"{exclusive}: true" has no "{bound}" to make exclusive', (exclusive,), at_key=True)


@triggers("items", "properties")
def type_mismatch(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``items`` on a schema that is only ``object``, ``properties`` on one that is only ``array``."""
    types = _types(value)
    if not types:
        return
    if "object" in types and "array" not in types and "items" in value:
        yield Problem('"items" has no effect on a schema of type object; did you mean "array"?', ("items",),
                      at_key=True)
    if "array" in types and "object" not in types and "properties" in value:
        yield Problem('"properties" has no effect on a schema of type array; put them in "items"',
                      ("properties",), at_key=True)


@triggers("properties")
def scalar_property_example(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each scalar property (string, number, integer, boolean; not binary) carries an example."""
    properties = value.get("properties") if isinstance(value, dict) else None
    if not isinstance(properties, dict):
        return
    for name, raw in properties.items():
        prop = ctx.resolve(raw)
        types = _types(prop)
        if not types or not types - {"null"} <= _SCALARS or not types - {"null"}:
            continue
        if prop.get("format") == "binary" or "example" in prop or "examples" in prop:
            continue
        yield Problem(f'Scalar property "{name}" should have an "example"', ("properties", name), at_key=True)


_RANGES = (("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems"),
           ("minProperties", "maxProperties"), ("minContains", "maxContains"))


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@triggers(*(key for pair in _RANGES for key in pair), "exclusiveMinimum", "exclusiveMaximum")
def impossible_ranges(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Lower bounds above upper bounds (``minLength: 5, maxLength: 2``): no value can be valid."""
    if not isinstance(value, dict):
        return
    for low_key, high_key in _RANGES:
        low, high = _number(value.get(low_key)), _number(value.get(high_key))
        if low is not None and high is not None and low > high:
            yield Problem(f'"{low_key}" ({low}) is greater than "{high_key}" ({high}); no value can be valid',
                          (low_key,), at_key=True)
    low = _number(value.get("exclusiveMinimum"))
    high = _number(value.get("exclusiveMaximum"))
    low = low if low is not None else _number(value.get("minimum"))
    high = high if high is not None else _number(value.get("maximum"))
    exclusive = _number(value.get("exclusiveMinimum")) is not None or _number(value.get("exclusiveMaximum")) is not None
    if exclusive and low is not None and high is not None and low >= high:
        yield Problem(f"The exclusive range ({low}, {high}) is empty; no number can be valid",
                      ("exclusiveMinimum" if "exclusiveMinimum" in value else "exclusiveMaximum",), at_key=True)


_TYPE_IMPLIED_BY = frozenset({"type", "allOf", "anyOf", "oneOf", "not", "enum", "const", "$ref", "if"})
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "default", "deprecated", "readOnly",
                          "writeOnly", "externalDocs", "xml", "nullable", "$comment", "$id", "$schema"})


def missing_type(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A schema that constrains values (``properties``, ``format``, ``minLength``...) without a
    ``type``; composed, enumerated and pure-annotation schemas (deliberately "any") pass.
    """
    if not isinstance(value, dict) or _TYPE_IMPLIED_BY & value.keys():
        return
    constraints = [k for k in value if not (k in _ANNOTATIONS or str(k).startswith("x-"))]
    if constraints:
        yield Problem(f'Schema has no "type" (it uses {", ".join(f"{k!r}" for k in constraints[:3])})')
