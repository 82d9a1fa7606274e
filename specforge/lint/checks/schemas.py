"""Schema-shape checks of ``spectral:oas``: enums, array items, ``$ref`` siblings, 2.0 discriminators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from specforge.document import RefError
from specforge.lint.context import Context
from specforge.lint.functions import skips_missing, triggers
from specforge.lint.functions.truthy import is_truthy
from specforge.lint.model import Problem


@skips_missing
def unique_enum(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``duplicated-entry-in-enum``: report an enum holding the same value twice (``1`` and ``true`` differ)."""
    if not isinstance(value, list):
        return
    if all(type(entry) is str for entry in value) and len(set(value)) == len(value):
        return  # most enums: distinct strings
    seen: dict[bytes, int] = {}
    for index, entry in enumerate(value):
        key = _canonical(entry)
        if key in seen:
            yield Problem(
                f'"enum" property must not have duplicate items (items ## {seen[key]} and {index} are identical)'
            )
            return
        seen[key] = index


def _canonical(value: Any) -> bytes:
    """A key equal for JSON-equal values: ``1 == 1.0``, ``1 != true``, object key order ignored."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return repr(value).encode()


@triggers("type")
def array_items(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``array-items``: a schema (or 2.0 parameter/header) of ``type: array`` must say what its items are."""
    if not isinstance(value, dict):
        return
    kind = value.get("type")
    is_array = kind == "array" or (isinstance(kind, list) and "array" in kind and ctx.format not in ("oas2", "oas3.0"))
    if is_array and not is_truthy(value.get("items")):
        yield Problem('Schemas with "type: array", require a sibling "items" field')


@triggers("enum")
def typed_enum(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``typed-enum``: each enum value must be of the declared ``type`` (3.0 ``nullable``, 2.0 ``x-nullable``
    allow null).
    """
    if not isinstance(value, dict) or not isinstance(value.get("enum"), list) or not value["enum"]:
        return
    declared = value.get("type")
    if isinstance(declared, str):
        types = [declared]
    elif isinstance(declared, list) and declared and all(isinstance(t, str) for t in declared):
        types = list(declared)
    else:
        return
    if (ctx.format == "oas3.0" and value.get("nullable") is True) or (
        ctx.format == "oas2" and value.get("x-nullable") is True
    ):
        types.append("null")
    shown = ",".join(types)
    integers = "integer" in types
    for index, entry in enumerate(value["enum"]):
        if _json_type(entry, integers) not in types:
            yield Problem(f'Enum value {_print(entry)} must be "{shown}".', ("enum", index))


def _json_type(value: Any, integers: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        whole = isinstance(value, int) or value.is_integer()
        return "integer" if integers and whole else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _print(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "Object{}" if isinstance(value, dict) else "Array[]"
    return str(value)


def ref_siblings(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``no-$ref-siblings``: in 2.0/3.0 a ``$ref`` replaces its object, so every key beside it is ignored."""
    if not isinstance(value, dict) or len(value) < 2:
        return
    for key in value:
        if key != "$ref":
            yield Problem("$ref must not be placed next to any other properties", (key,), at_key=True)


def discriminator(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``oas2-discriminator``: each definition's ``discriminator`` must be a defined, required property."""
    if not isinstance(value, dict):
        return
    for name, schema in value.items():
        source, pointer = None, (name,)
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            try:
                target = ctx.document.workspace.resolve(schema["$ref"], ctx.node.source)
            except RefError:
                continue
            source, pointer, schema = target.source, target.pointer, target.value
        prop = schema.get("discriminator") if isinstance(schema, dict) else None
        if not isinstance(prop, str) or not prop:
            continue
        properties, required = schema.get("properties"), schema.get("required")
        if not isinstance(properties, dict) or prop not in properties:
            yield Problem(
                "The discriminator property must be defined in this schema.", pointer + ("properties",), source=source
            )
        if not isinstance(required, list) or prop not in required:
            yield Problem(
                "The discriminator property must be in the required property list.",
                pointer + ("required",),
                source=source,
            )
