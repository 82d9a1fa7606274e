"""A small JSON Schema 2020-12 validator over normalised nodes (any dialect), used to check generated values.

It answers one question fast -- is ``value`` valid against ``node``? -- and knows nothing of errors or output.
"""

from __future__ import annotations

import math
from typing import Any

from specforge.schema.dialect import normalise
from specforge.schema.equality import json_key
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.formats import check_format
from specforge.schema.patterns import matches, search
from specforge.schema.refs import Resolver

_MAX_DEPTH = 64


def type_of(value: Any) -> str:
    """JSON type name of a Python value ("integer" for whole numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def is_multiple(value: float, factor: float) -> bool:
    """``multipleOf`` as jsonschema (Python) decides it."""
    if isinstance(factor, float):
        try:
            quotient = value / factor
            return int(quotient) == quotient
        except (OverflowError, ZeroDivisionError, ValueError):
            return False
    try:
        return not (value % factor)
    except ZeroDivisionError:
        return False


class Validator:
    """``Validator(resolver, dialect).is_valid(node, value, root)``; ``formats=False`` treats ``format`` as an
    annotation (validators differ there, so "must NOT match" checks use the permissive reading).
    """

    def __init__(self, resolver: Resolver, dialect: str, *, formats: bool = True) -> None:
        self.resolver = resolver
        self.dialect = dialect
        self.formats = formats
        self._norm: dict[int, tuple[Any, Any]] = {}

    def normal(self, node: Any) -> Any:
        hit = self._norm.get(id(node))
        if hit is None or hit[0] is not node:
            hit = (node, normalise(node, self.dialect))
            self._norm[id(node)] = hit
        return hit[1]

    def is_valid(self, node: Any, value: Any, root: Any = None) -> bool:
        try:
            return self._valid(node, value, root, 0)
        except (UnsatisfiableSchema, RecursionError):
            return False

    def _valid(self, node: Any, value: Any, root: Any, depth: int) -> bool:
        if node is True or node == {}:
            return True
        if node is False:
            return False
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            return True
        s = self.normal(node)
        sub = depth + 1
        if "$ref" in s and isinstance(s["$ref"], str):
            if not self._valid(self.resolver(s["$ref"], root), value, root, sub):
                return False
        kind = type_of(value)
        types = s.get("type")
        if types is not None and kind not in types and not (kind == "integer" and "number" in types):
            return False
        if "enum" in s and isinstance(s["enum"], list):
            key = json_key(value)
            if all(json_key(v) != key for v in s["enum"]):
                return False
        if "const" in s and json_key(s["const"]) != json_key(value):
            return False
        if kind in ("integer", "number"):
            if not self._number(s, value):
                return False
        elif kind == "string":
            if not self._string(s, value):
                return False
        elif kind == "array":
            if not self._array(s, value, root, sub):
                return False
        elif kind == "object":
            if not self._object(s, value, root, sub):
                return False
        for branch in s.get("allOf") or ():
            if not self._valid(branch, value, root, sub):
                return False
        if "anyOf" in s and not any(self._valid(b, value, root, sub) for b in s["anyOf"]):
            return False
        if "oneOf" in s and sum(1 for b in s["oneOf"] if self._valid(b, value, root, sub)) != 1:
            return False
        if "not" in s and self._valid(s["not"], value, root, sub):
            return False
        if "if" in s:
            branch = s.get("then") if self._valid(s["if"], value, root, sub) else s.get("else")
            if branch is not None and not self._valid(branch, value, root, sub):
                return False
        return True

    def _number(self, s: dict, value: float) -> bool:
        if isinstance(value, float) and not math.isfinite(value):
            return False
        lo, hi = _bound(s, "minimum"), _bound(s, "maximum")
        xlo, xhi = _bound(s, "exclusiveMinimum"), _bound(s, "exclusiveMaximum")
        if lo is not None and value < lo or hi is not None and value > hi:
            return False
        if xlo is not None and value <= xlo or xhi is not None and value >= xhi:
            return False
        factor = _bound(s, "multipleOf")
        return not (factor is not None and factor > 0 and not is_multiple(value, factor))

    def _string(self, s: dict, value: str) -> bool:
        n = len(value)
        if n < s.get("minLength", 0) or ("maxLength" in s and n > s["maxLength"]):
            return False
        if isinstance(s.get("pattern"), str) and search(s["pattern"], value) is False:
            return False
        fmt = s.get("format")
        return not self.formats or not isinstance(fmt, str) or check_format(fmt, value)

    def _array(self, s: dict, value: list, root: Any, depth: int) -> bool:
        n = len(value)
        if n < s.get("minItems", 0) or ("maxItems" in s and n > s["maxItems"]):
            return False
        if s.get("uniqueItems") is True and len({json_key(v) for v in value}) != n:
            return False
        prefix = s.get("prefixItems") or []
        for item, schema in zip(value, prefix, strict=False):
            if not self._valid(schema, item, root, depth):
                return False
        if "items" in s:
            if any(not self._valid(s["items"], item, root, depth) for item in value[len(prefix):]):
                return False
        if "contains" in s:
            hits = sum(1 for item in value if self._valid(s["contains"], item, root, depth))
            if hits < s.get("minContains", 1) or ("maxContains" in s and hits > s["maxContains"]):
                return False
        if s.get("unevaluatedItems") is False and "items" not in s and n > len(prefix):
            return False
        return True

    def _object(self, s: dict, value: dict, root: Any, depth: int) -> bool:
        n = len(value)
        if n < s.get("minProperties", 0) or ("maxProperties" in s and n > s["maxProperties"]):
            return False
        for name in s.get("required") or ():
            if name not in value:
                return False
        props = s.get("properties") or {}
        patterns = s.get("patternProperties") or {}
        extra = s.get("additionalProperties", True)
        names = s.get("propertyNames")
        for key, item in value.items():
            matched = False
            if key in props:
                matched = True
                if not self._valid(props[key], item, root, depth):
                    return False
            for pat, schema in patterns.items():
                if matches(pat, key):
                    matched = True
                    if not self._valid(schema, item, root, depth):
                        return False
            if not matched and extra is not True and not self._valid(extra, item, root, depth):
                return False
            if names is not None and not self._valid(names, key, root, depth):
                return False
        for key, needed in (s.get("dependentRequired") or {}).items():
            if key in value and any(other not in value for other in needed):
                return False
        for key, schema in (s.get("dependentSchemas") or {}).items():
            if key in value and not self._valid(schema, value, root, depth):
                return False
        uneval = s.get("unevaluatedProperties")
        if uneval is not None and uneval is not True:
            seen = self.evaluated(s, value, root, depth)
            for key, item in value.items():
                if key not in seen and not self._valid(uneval, item, root, depth):
                    return False
        return True

    def evaluated(self, node: Any, value: dict, root: Any, depth: int) -> set[str]:
        """Property names evaluated by ``node`` and its valid in-place subschemas (for unevaluatedProperties)."""
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            return set()
        s = self.normal(node)
        seen = {k for k in value if k in (s.get("properties") or {})}
        seen |= {k for k in value for p in (s.get("patternProperties") or {}) if matches(p, k)}
        if "additionalProperties" in s or s.get("unevaluatedProperties") is not None:
            return set(value)
        subs: list[Any] = []
        if "$ref" in s and isinstance(s["$ref"], str):
            subs.append(self.resolver(s["$ref"], root))
        subs += list(s.get("allOf") or [])
        subs += [b for b in (s.get("anyOf") or []) + (s.get("oneOf") or []) if self._valid(b, value, root, depth)]
        if "if" in s:
            if self._valid(s["if"], value, root, depth):
                subs += [s["if"], s.get("then")]
            else:
                subs.append(s.get("else"))
        subs += [sch for key, sch in (s.get("dependentSchemas") or {}).items() if key in value]
        for sub in subs:
            seen |= self.evaluated(sub, value, root, depth + 1)
        return seen


def _bound(s: dict, key: str) -> float | None:
    x = s.get(key)
    return x if is_number(x) else None


def is_number(x: Any) -> bool:
    """A JSON number (booleans are not numbers here)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)
