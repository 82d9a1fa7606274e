"""Property-based: random *satisfiable* schemas always give instances an independent validator accepts;
random *unsatisfiable* ones raise UnsatisfiableSchema quickly and are reported with the right pointer.
"""

from __future__ import annotations

import time

import pytest
from fake_oracle import schema_validator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specforge.fake import Generator, UnsatisfiableSchema
from specforge.schema.satisfiable import iter_unsatisfiable

PATTERNS = [r"^[a-z]{3,8}$", r"^\d{3}-\d{2}$", r"^(foo|bar)+$", r"^[A-Z][a-z]*( [A-Z][a-z]*)?$", r"x\d",
            r"^[^@\s]+@[a-z]+\.(com|org)$", r"^#?[0-9a-fA-F]{6}$"]
FORMATS = ["date", "date-time", "email", "uuid", "ipv4", "ipv6", "uri", "hostname", "byte"]
SCALARS = ["string", "integer", "number", "boolean"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _bounds(draw, dialect, integer):
    schema: dict = {}
    lo = draw(st.integers(-50, 50))
    width = draw(st.integers(4, 60))
    excl_lo, excl_hi = draw(st.booleans()), draw(st.booleans())
    if draw(st.booleans()):
        if dialect == "oas3.1" and excl_lo:
            schema["exclusiveMinimum"] = lo
        else:
            schema["minimum"] = lo
            if excl_lo:
                schema["exclusiveMinimum"] = True
    if draw(st.booleans()):
        if dialect == "oas3.1" and excl_hi:
            schema["exclusiveMaximum"] = lo + width
        else:
            schema["maximum"] = lo + width
            if excl_hi:
                schema["exclusiveMaximum"] = True
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([2, 3] if integer else [0.5, 0.25, 0.1, 0.01, 2]))
    return schema


@st.composite
def scalar(draw, dialect):
    kind = draw(st.sampled_from(SCALARS))
    schema: dict = {"type": kind}
    if kind in ("integer", "number"):
        schema.update(_bounds(draw, dialect, kind == "integer"))
        if kind == "integer" and draw(st.booleans()):
            schema["format"] = draw(st.sampled_from(["int32", "int64"]))
    elif kind == "string":
        choice = draw(st.sampled_from(["plain", "pattern", "format", "enum"]))
        if choice == "plain":
            lo = draw(st.integers(0, 12))
            schema["minLength"] = lo
            if draw(st.booleans()):
                schema["maxLength"] = lo + draw(st.integers(0, 20))
        elif choice == "pattern":
            schema["pattern"] = draw(st.sampled_from(PATTERNS))
        elif choice == "format":
            schema["format"] = draw(st.sampled_from(FORMATS))
            if draw(st.booleans()):
                schema["maxLength"] = 64
        else:
            schema["enum"] = draw(st.lists(st.text("abcxyz", min_size=1, max_size=5), min_size=1, max_size=4,
                                           unique=True))
    if draw(st.integers(0, 5)) == 0:
        if dialect == "oas3.1":
            schema["type"] = [schema["type"], "null"]
        else:
            schema["x-nullable" if dialect == "oas2" else "nullable"] = True
    if dialect == "oas3.1" and draw(st.integers(0, 8)) == 0:
        return {"const": draw(st.sampled_from(["k", 3, True, None]))}
    return schema


def _other_type(schema: dict) -> str:
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return next(k for k in ("object", "array", "boolean", "string") if k not in kinds)


def extend(children, dialect):
    names = st.sampled_from(["id", "name", "email", "createdAt", "price", "tags", "city", "a", "b", "note"])

    @st.composite
    def obj(draw):
        props = draw(st.dictionaries(names, children, min_size=0, max_size=5))
        schema: dict = {"type": "object", "properties": props}
        keys = list(props)
        req = [k for k in keys if draw(st.booleans())]
        if req:
            schema["required"] = req
        extra = draw(st.sampled_from(["none", "false", "schema"]))
        if extra == "false":
            schema["additionalProperties"] = False
            if keys and draw(st.booleans()):
                schema["minProperties"] = draw(st.integers(0, len(keys)))
        elif extra == "schema":
            schema["additionalProperties"] = {"type": "integer"}
            if draw(st.booleans()):
                schema["minProperties"] = len(keys) + 1
        if draw(st.booleans()):
            schema["maxProperties"] = max(len(req), schema.get("minProperties", 0), draw(st.integers(0, len(keys) + 1)))
        if dialect == "oas3.1" and len(keys) >= 2 and "maxProperties" not in schema and draw(st.booleans()):
            schema["dependentRequired"] = {keys[0]: [keys[1]]}
        return schema

    @st.composite
    def arr(draw):
        item = draw(children)
        schema = {"type": "array", "items": item}
        lo = draw(st.integers(0, 3))
        schema["minItems"] = lo
        if draw(st.booleans()):
            schema["maxItems"] = lo + draw(st.integers(0, 3))
        if dialect == "oas3.1" and draw(st.integers(0, 3)) == 0:
            schema["prefixItems"] = [draw(children)]
        return schema

    @st.composite
    def allof(draw):
        first = draw(children)
        if first.get("type") == "object":
            first = {k: v for k, v in first.items() if k not in ("maxProperties", "additionalProperties")}
            second = {"type": "object", "properties": {"zeta": draw(children)}, "required": ["zeta"]}
        elif first.get("type") in ("integer", "number"):
            second = {"type": first["type"], "multipleOf": 1} if first["type"] == "integer" else {"minimum": -1e9}
        else:
            second = {"description": "merged"}
        return {"allOf": [first, second]}

    @st.composite
    def oneof(draw):
        a = draw(children)
        b = {"type": "string", "pattern": "^only-b$"}
        return {"oneOf": [a, b]} if draw(st.booleans()) else {"anyOf": [a, draw(children)]}

    @st.composite
    def negated(draw):
        a = draw(children)
        if a.get("type") == "string" and "enum" in a and len(a["enum"]) > 1:
            return {**a, "not": {"enum": a["enum"][:1]}}
        if "type" not in a:
            return {**a, "not": {"enum": ["__never__"]}}
        return {**a, "not": {"type": _other_type(a)}}

    def conditional():
        return st.just({"type": "integer", "minimum": -100, "maximum": 100, "if": {"minimum": 0},
                "then": {"multipleOf": 2}, "else": {"maximum": -5}})

    options = [obj(), arr(), allof(), oneof(), negated()]
    if dialect == "oas3.1":
        options.append(conditional())
    return st.one_of(options)


def schemas(dialect):
    return st.recursive(scalar(dialect), lambda children: extend(children, dialect), max_leaves=10)


@pytest.mark.parametrize("dialect", ["oas3.1", "oas3.0", "oas2"])
def test_satisfiable_schemas_give_valid_instances(dialect):
    @SETTINGS
    @given(schemas(dialect), st.sampled_from(["request", "response"]))
    def check(schema, direction):
        gen = Generator(dialect=dialect)
        validate = schema_validator(schema, dialect, direction)
        for seed in range(3):
            try:
                value = gen.generate(schema, seed=seed, direction=direction)
            except UnsatisfiableSchema as exc:
                raise AssertionError(f"{schema!r} raised {exc}") from None
            assert validate(value) == [], (schema, value, validate(value))

    check()


UNSAT = st.one_of(
    st.tuples(st.sampled_from(SCALARS), st.sampled_from(SCALARS)).filter(lambda t: {t[0], t[1]} not in
                                                                          ({"integer", "number"},) and t[0] != t[1])
    .map(lambda t: ({"allOf": [{"type": t[0]}, {"type": t[1]}]}, ("allOf", 1, "type"))),
    st.tuples(st.integers(-100, 100), st.integers(1, 50))
    .map(lambda t: ({"type": "integer", "minimum": t[0], "maximum": t[0] - t[1]}, ("minimum",))),
    st.tuples(st.integers(1, 20), st.integers(1, 10))
    .map(lambda t: ({"type": "string", "minLength": t[0] + t[1], "maxLength": t[0]}, ("minLength",))),
    st.tuples(st.integers(0, 5), st.integers(1, 3))
    .map(lambda t: ({"type": "array", "minItems": t[0] + t[1], "maxItems": t[0]}, ("minItems",))),
    st.text("abc", min_size=1, max_size=4)
    .map(lambda name: ({"type": "object", "required": [name], "additionalProperties": False}, ("required", 0))),
    st.integers(4, 9).map(lambda n: ({"type": "string", "pattern": f"^x{{{n}}}$", "maxLength": n - 1}, ("pattern",))),
    st.lists(st.integers(0, 9), min_size=1, max_size=3, unique=True)
    .map(lambda xs: ({"allOf": [{"enum": xs}, {"enum": [x + 10 for x in xs]}]}, ("allOf", 1, "enum"))),
)


@SETTINGS
@given(UNSAT)
def test_unsatisfiable_schemas_raise_fast_and_are_reported(case):
    schema, pointer = case
    start = time.perf_counter()
    with pytest.raises(UnsatisfiableSchema):
        Generator(dialect="oas3.1").generate(schema)
    assert time.perf_counter() - start < 1.0
    found = [p for p, _ in iter_unsatisfiable(schema, dialect="oas3.1")]
    assert pointer in found, (schema, found)


@SETTINGS
@given(schemas("oas3.1"))
def test_satisfiable_schemas_are_not_reported(schema):
    assert list(iter_unsatisfiable(schema, dialect="oas3.1")) == []
