"""Parameter values off the wire: OpenAPI ``style``/``explode`` serialisations -> typed values for validation.

Strings are coerced to what the (bundled) schema asks for -- ``"3"`` to ``3`` for an integer, ``"true"`` to
``True`` for a boolean -- and left as strings otherwise, so the schema check reports the mismatch.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import unquote_plus, unquote_to_bytes

import orjson

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|", "tabDelimited": "\t"}


class ParameterError(ValueError):
    """A value that cannot be read with the declared style (the message says why)."""


def malformed_encoding(raw: str) -> str | None:
    """Why ``raw`` (a path segment or query component as sent) is not percent-encoded UTF-8; None when it is."""
    if "%" not in raw:
        return None
    if _BAD_ESCAPE.search(raw):
        return f"{raw[:40]!r} has an invalid percent-escape (% must be followed by two hex digits)"
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return f"{raw[:40]!r} is not UTF-8 once percent-decoded"
    return None


def malformed_query(query_string: str) -> dict[str, str]:
    """``{name (leniently decoded): why}`` for the query pairs that are not percent-encoded UTF-8."""
    if "%" not in query_string:
        return {}
    found: dict[str, str] = {}
    for pair in query_string.split("&"):
        name, _, value = pair.partition("=")
        reason = malformed_encoding(name) or malformed_encoding(value)
        if reason:
            found.setdefault(unquote_plus(name), reason)
    return found


def follow_ref(schema: Any, defs: dict) -> Any:
    """The schema a bundled ``$ref`` (``#/$defs/name``) points to (``{}`` when broken)."""
    for _ in range(16):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return schema
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return {}


def _branches(schema: Any, defs: dict, depth: int = 0) -> list[dict]:
    """The schema and the subschemas that can contribute a type or properties (allOf/anyOf/oneOf)."""
    schema = follow_ref(schema, defs)
    if not isinstance(schema, dict) or depth > 8:
        return []
    out = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            out += _branches(sub, defs, depth + 1)
    return out


_TYPES: dict[int, tuple[Any, frozenset[str]]] = {}


def types_of(schema: Any, defs: dict) -> frozenset[str]:
    """Every JSON type the schema names (through $ref and combinators); memoised per schema object."""
    hit = _TYPES.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    found = frozenset(_types_of(schema, defs))
    if isinstance(schema, dict):
        _TYPES[id(schema)] = (schema, found)
    return found


def _types_of(schema: Any, defs: dict) -> set[str]:
    found: set[str] = set()
    for branch in _branches(schema, defs):
        kind = branch.get("type")
        found.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
        if "properties" in branch:
            found.add("object")
        if "items" in branch or "prefixItems" in branch:
            found.add("array")
    return found


def items_of(schema: Any, defs: dict) -> Any:
    for branch in _branches(schema, defs):
        if "items" in branch:
            return branch["items"]
    return {}


def required_of(schema: Any, defs: dict) -> set[str]:
    """Property names required by the schema or any of its combined branches."""
    return {n for branch in _branches(schema, defs) for n in branch.get("required") or () if isinstance(n, str)}


def property_schemas(schema: Any, defs: dict) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for branch in _branches(schema, defs):
        if isinstance(branch.get("properties"), dict):
            props.update(branch["properties"])
    return props


def coerce(text: str, schema: Any, defs: dict) -> Any:
    """A string from the wire as the scalar type the schema wants (unchanged when it fits none)."""
    types = types_of(schema, defs)
    if "integer" in types and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in types:
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if math.isfinite(number) and text.strip() == text:
                return int(text) if _INTEGER.fullmatch(text) else number
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text in ("", "null") and "string" not in types:
        return None
    return text


def coerce_structured(values: list[str] | dict[str, str], schema: Any, defs: dict) -> Any:
    """Arrays and objects: each item or property coerced with its own schema."""
    if isinstance(values, dict):
        props = property_schemas(schema, defs)
        extra: Any = next((b.get("additionalProperties") for b in _branches(schema, defs)
                      if isinstance(b.get("additionalProperties"), dict)), {})
        return {k: coerce(v, props.get(k, extra), defs) for k, v in values.items()}
    items = items_of(schema, defs)
    return [coerce(v, items, defs) for v in values]


def _pairs(parts: list[str]) -> dict[str, str]:
    if len(parts) % 2:
        raise ParameterError("expected name,value pairs")
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _split_pairs(parts: list[str], sep: str = "=") -> dict[str, str]:
    out: dict[str, str] = {}
    for part in parts:
        key, found, value = part.partition(sep)
        if not found:
            raise ParameterError(f"expected name{sep}value, got {part!r}")
        out[key] = value
    return out


def read_simple(text: str, schema: Any, defs: dict, explode: bool) -> Any:
    """``simple`` style (path and header parameters)."""
    types = types_of(schema, defs)
    if "array" in types and not types & {"string", "object"}:
        return coerce_structured(text.split(",") if text else [], schema, defs)
    if "object" in types and not types & {"string", "array"}:
        parts = [p.strip() for p in text.split(",")] if text else []
        return coerce_structured(_split_pairs(parts) if explode else _pairs(parts), schema, defs)
    return coerce(text, schema, defs)


def read_path(text: str, name: str, style: str, explode: bool, schema: Any, defs: dict) -> Any:
    """A path parameter in ``simple``, ``label`` or ``matrix`` style."""
    if style == "label":
        if not text.startswith("."):
            raise ParameterError("label style values start with '.'")
        body = text[1:]
        types = types_of(schema, defs)
        if "array" in types and explode:
            return coerce_structured(body.split("."), schema, defs)
        if "object" in types and explode:
            return coerce_structured(_split_pairs(body.split(".")), schema, defs)
        return read_simple(body, schema, defs, False)
    if style == "matrix":
        prefix = f";{name}="
        types = types_of(schema, defs)
        if "array" in types and explode:
            parts = text.split(";")[1:]
            if not all(p.startswith(name + "=") for p in parts):
                raise ParameterError(f"matrix style values look like {prefix}value")
            return coerce_structured([p[len(name) + 1:] for p in parts], schema, defs)
        if "object" in types and explode:
            return coerce_structured(_split_pairs(text.split(";")[1:]), schema, defs)
        if not text.startswith(prefix):
            raise ParameterError(f"matrix style values look like {prefix}value")
        return read_simple(text[len(prefix):], schema, defs, False)
    return read_simple(text, schema, defs, explode)


def read_query(pairs: list[tuple[str, str]], name: str, style: str, explode: bool, schema: Any, defs: dict,
               others: set[str]) -> tuple[bool, Any]:
    """``(present, value)`` of a query parameter in ``form``, ``*Delimited`` or ``deepObject`` style."""
    types = types_of(schema, defs)
    if style == "deepObject":
        prefix = name + "["
        found = {k[len(prefix):-1]: v for k, v in pairs if k.startswith(prefix) and k.endswith("]")}
        return (True, coerce_structured(found, schema, defs)) if found else (False, None)
    if "object" in types and explode and style == "form" and not types & {"string", "array"}:
        props = property_schemas(schema, defs)
        found = {k: v for k, v in pairs if (k in props if props else k not in others and not k.startswith("__"))}
        return (True, coerce_structured(found, schema, defs)) if found else (False, None)
    values = [v for k, v in pairs if k == name]
    if not values:
        return False, None
    if "array" in types and not types & {"string", "object"}:
        if explode and style == "form":
            return True, coerce_structured(values, schema, defs)
        sep = _DELIMITERS.get(style, ",")
        # "a=" is ambiguous ([] or [""]): read as the empty array, the reading that never rejects a valid request
        return True, coerce_structured(values[-1].split(sep) if values[-1] else [], schema, defs)
    if "object" in types and not types & {"string", "array"}:
        sep = _DELIMITERS.get(style, ",")
        return True, coerce_structured(_pairs(values[-1].split(sep)) if values[-1] else {}, schema, defs)
    if len(values) > 1:
        raise ParameterError(f"given {len(values)} times; a single value is expected")
    return True, coerce(values[0], schema, defs)


def read_content(text: str, media_type: str) -> Any:
    """A parameter declared with ``content`` (JSON in a query string or header)."""
    if "json" not in media_type:
        return text
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ParameterError(f"not valid JSON ({exc})") from None
