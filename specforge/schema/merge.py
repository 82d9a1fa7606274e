"""Flatten a schema node into one *merged* view: ``$ref`` followed, ``allOf`` merged, dialects normalised.

A merged view is a plain dict with these keys (all optional):
``types`` (frozenset or None = any), ``enum`` (list), ``lo``/``hi`` ((bound, exclusive)), ``multipleOf`` (list),
``minLength``/``maxLength``, ``patterns``/``formats`` (lists), ``items`` (list of schemas that all apply),
``prefixItems`` (list of lists), ``contains`` (list of (schema, min, max)), ``minItems``/``maxItems``/``uniqueItems``,
``properties`` (name -> list of schemas that all apply), ``patternProperties`` (pattern -> list), ``additional``
(list), ``unevaluated`` (list), ``required`` (dict used as an ordered set), ``minProperties``/``maxProperties``,
``propertyNames`` (list), ``dependentRequired`` (name -> list), ``dependentSchemas`` (name -> list),
``anyOf``/``oneOf`` (lists of branch lists), ``not`` (list), ``if`` (list of (if, then, else)),
``readOnly``/``writeOnly``, ``discriminator``, ``hint`` (x-faker), ``examples``, ``name`` (the $ref'd schema name)
and ``raw`` (the raw nodes, to validate against). Conflicts raise ``UnsatisfiableSchema`` with the pointer of the
keyword at fault (``("allOf", 1, "type")``).
"""

from __future__ import annotations

import math
from typing import Any

from specforge.schema.dialect import normalise
from specforge.schema.equality import json_key
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.patterns import compile_pattern, matches
from specforge.schema.refs import Resolver, ref_name
from specforge.schema.validate import is_number, type_of

_TWINS = {  # a conflict found at one keyword may sit, in the branch, at its counterpart
    "minimum": ("maximum", "exclusiveMaximum", "exclusiveMinimum"),
    "exclusiveMinimum": ("exclusiveMaximum", "maximum", "minimum"),
    "minLength": ("maxLength",), "minItems": ("maxItems",), "minProperties": ("maxProperties",),
    "maxProperties": ("required",), "minContains": ("maxContains", "maxItems"),
    "enum": ("const",), "type": ("enum", "const", "not"),
}
ALL_TYPES = frozenset(("null", "boolean", "integer", "number", "string", "array", "object"))
_MAX_ALLOF_DEPTH = 48


class Flattener:
    """``Flattener(resolver, dialect).flatten(node, root)`` -> merged view (cached by node identity)."""

    def __init__(self, resolver: Resolver, dialect: str) -> None:
        self.resolver = resolver
        self.dialect = dialect
        self._cache: dict[int, tuple[Any, dict]] = {}
        self._active: set[int] = set()

    def flatten(self, node: Any, root: Any = None) -> dict:
        hit = self._cache.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        if id(node) in self._active or len(self._active) > _MAX_ALLOF_DEPTH:
            raise UnsatisfiableSchema((), "schema includes itself through allOf/$ref")
        self._active.add(id(node))
        try:
            merged = self._flatten(node, root)
        finally:
            self._active.discard(id(node))
        self._cache[id(node)] = (node, merged)
        return merged

    def _flatten(self, node: Any, root: Any) -> dict:
        if node is False:
            raise UnsatisfiableSchema((), "the schema is `false`: nothing is valid")
        if node is True or not isinstance(node, dict):
            return {"raw": []}
        s = normalise(node, self.dialect)
        ref = s.get("$ref")
        acc = from_node(s, node)
        if isinstance(ref, str):
            try:
                target = self.flatten(self.resolver(ref, root), root)
            except UnsatisfiableSchema as exc:
                raise UnsatisfiableSchema(("$ref",), exc.reason) from None
            rest = acc
            acc = dict(target)
            acc["name"] = ref_name(ref)
            acc["raw"] = list(target["raw"])
            try:
                merge_into(acc, rest)
                settle(acc)
            except UnsatisfiableSchema as exc:
                raise exc from None
        else:
            settle(acc)
        for i, branch in enumerate(s.get("allOf") or ()):
            try:
                merge_into(acc, as_branch(self.flatten(branch, root)))
                settle(acc)
            except UnsatisfiableSchema as exc:
                inner = exc.pointer if isinstance(branch, dict) and "$ref" not in branch else ()
                if inner and inner[0] not in branch:
                    twin = next((k for k in _TWINS.get(inner[0], ()) if k in branch), None)
                    inner = (twin,) if twin else ()  # else the conflict is the branch as a whole
                raise UnsatisfiableSchema(("allOf", i) + inner, exc.reason) from None
        return acc


def from_node(s: dict, raw: Any) -> dict:
    """The merged view of one normalised node, without its ``$ref`` and ``allOf``."""
    m: dict[str, Any] = {"raw": [raw]}
    if "type" in s:
        m["types"] = frozenset(s["type"]) & ALL_TYPES
    if "enum" in s and isinstance(s["enum"], list):
        m["enum"] = list(s["enum"])
    if "const" in s:
        m["enum"] = _intersect(m.get("enum"), [s["const"]])
    for key in ("minimum", "exclusiveMinimum"):
        if is_number(s.get(key)):
            m["lo"] = _tighter(m.get("lo"), (s[key], key == "exclusiveMinimum"), low=True)
    for key in ("maximum", "exclusiveMaximum"):
        if is_number(s.get(key)):
            m["hi"] = _tighter(m.get("hi"), (s[key], key == "exclusiveMaximum"), low=False)
    if is_number(s.get("multipleOf")) and s["multipleOf"] > 0:
        m["multipleOf"] = [s["multipleOf"]]
    for key in ("minLength", "minItems", "minProperties"):
        if is_number(s.get(key)):
            m[key] = math.ceil(s[key])
    for key in ("maxLength", "maxItems", "maxProperties"):
        if is_number(s.get(key)):
            m[key] = math.floor(s[key])
    if isinstance(s.get("pattern"), str):
        m["patterns"] = [s["pattern"]]
    if isinstance(s.get("format"), str):
        m["formats"] = [s["format"]]
    if "items" in s:
        m["items"] = [s["items"]]
    if isinstance(s.get("prefixItems"), list):
        m["prefixItems"] = [[x] for x in s["prefixItems"]]
    if "contains" in s:
        lo = s.get("minContains", 1)
        m["contains"] = [(s["contains"], lo if is_number(lo) else 1, s.get("maxContains"))]
    if s.get("uniqueItems") is True:
        m["uniqueItems"] = True
    patterns: dict = s["patternProperties"] if isinstance(s.get("patternProperties"), dict) else {}
    if patterns:
        m["patternProperties"] = {p: [x] for p, x in patterns.items()}
    if isinstance(s.get("properties"), dict):
        m["properties"] = {
            name: [x] + [ps for p, ps in patterns.items() if matches(p, name)] for name, x in s["properties"].items()
        }
    if "additionalProperties" in s and s["additionalProperties"] is not True:
        m["additional"] = [s["additionalProperties"]]
    if "unevaluatedProperties" in s and s["unevaluatedProperties"] is not True:
        m["unevaluated"] = [s["unevaluatedProperties"]]
    if isinstance(s.get("required"), list):
        m["required"] = dict.fromkeys(x for x in s["required"] if isinstance(x, str))
    if "propertyNames" in s:
        m["propertyNames"] = [s["propertyNames"]]
    if isinstance(s.get("dependentRequired"), dict):
        m["dependentRequired"] = {k: list(v) for k, v in s["dependentRequired"].items() if isinstance(v, list)}
    if isinstance(s.get("dependentSchemas"), dict):
        m["dependentSchemas"] = {k: [v] for k, v in s["dependentSchemas"].items()}
    for key in ("anyOf", "oneOf"):
        if isinstance(s.get(key), list) and s[key]:
            m[key] = [list(s[key])]
    if "not" in s:
        m["not"] = [s["not"]]
        banned = _banned_types(s["not"])
        if banned:
            m["types"] = m.get("types", ALL_TYPES) - banned
    if "if" in s and ("then" in s or "else" in s):
        m["if"] = [(s["if"], s.get("then", True), s.get("else", True))]
    for key in ("readOnly", "writeOnly"):
        if s.get(key) is True:
            m[key] = True
    if isinstance(s.get("discriminator"), dict) and isinstance(s["discriminator"].get("propertyName"), str):
        m["discriminator"] = s["discriminator"]
    if isinstance(s.get("x-faker"), str):
        m["hint"] = s["x-faker"]
    if isinstance(s.get("examples"), list) and s["examples"]:
        m["examples"] = list(s["examples"])
    if "default" in s:
        m.setdefault("examples", []).append(s["default"])
    return m


def as_branch(m: dict) -> dict:
    """A merged view seen from a sibling: its ``unevaluatedProperties`` act like ``additionalProperties``."""
    if not m.get("unevaluated"):
        return m
    out = dict(m)
    out["additional"] = list(m.get("additional", [])) + out.pop("unevaluated")
    return out


def merge(a: dict, b: dict) -> dict:
    """A new merged view valid exactly where both are (raises ``UnsatisfiableSchema`` on conflicts)."""
    out = dict(a)
    out["raw"] = list(a.get("raw", ()))
    merge_into(out, b)
    settle(out)
    return out


def merge_into(acc: dict, m: dict) -> None:
    """Merge ``m`` into ``acc`` in place (no conflict check; call :func:`settle`)."""
    acc["raw"] = acc.get("raw", []) + m.get("raw", [])
    own_items = list(acc.get("items", []))
    if "types" in m:
        acc["types"] = _merge_types(acc.get("types"), m["types"])
    if "enum" in m:
        acc["enum"] = _intersect(acc.get("enum"), m["enum"])
    for key, low in (("lo", True), ("hi", False)):
        if key in m:
            acc[key] = _tighter(acc.get(key), m[key], low)
    for key in ("minLength", "minItems", "minProperties"):
        if key in m:
            acc[key] = max(acc.get(key, 0), m[key])
    for key in ("maxLength", "maxItems", "maxProperties"):
        if key in m:
            acc[key] = min(acc[key], m[key]) if key in acc else m[key]
    for key in ("multipleOf", "patterns", "formats", "items", "contains", "propertyNames", "anyOf", "oneOf", "not",
                "if", "unevaluated", "examples"):
        if key in m:
            mine = acc.get(key, [])
            acc[key] = mine + [x for x in m[key] if key not in ("patterns", "formats") or x not in mine]
    if "prefixItems" in m or ("prefixItems" in acc and "items" in m):
        mine, theirs = acc.get("prefixItems", []), m.get("prefixItems", [])
        rest_a, rest_b = own_items, m.get("items", [])
        out = []
        for i in range(max(len(mine), len(theirs))):
            left = mine[i] if i < len(mine) else list(rest_a)
            right = theirs[i] if i < len(theirs) else list(rest_b)
            out.append(left + right)
        acc["prefixItems"] = out
    if m.get("uniqueItems"):
        acc["uniqueItems"] = True
    if any(k in m for k in ("properties", "patternProperties", "additional")) or any(
        k in acc for k in ("properties", "patternProperties", "additional")
    ):
        known = acc.get("properties", {})
        if any(side.get(k) for side in (acc, m) for k in ("patternProperties", "additional")):
            names = list(known) + [n for n in m.get("properties", {}) if n not in known]
            acc["properties"] = {n: _prop_schemas(acc, n) + _prop_schemas(m, n) for n in names}
        else:  # plain properties on both sides (allOf inheritance, mostly): no pattern can add to a name
            merged = dict(known)  # the lists are shared, as merged views are never changed in place
            for name, schemas in m.get("properties", {}).items():
                merged[name] = merged[name] + schemas if name in merged else schemas
            acc["properties"] = merged
        pats = dict(acc.get("patternProperties", {}))
        for p, xs in m.get("patternProperties", {}).items():
            pats[p] = pats.get(p, []) + xs
        if pats:
            acc["patternProperties"] = pats
        if "additional" in m:
            acc["additional"] = acc.get("additional", []) + m["additional"]
    if "required" in m:
        acc["required"] = {**acc.get("required", {}), **m["required"]}
    for key in ("dependentRequired", "dependentSchemas"):
        if key in m:
            merged = dict(acc.get(key, {}))
            for name, xs in m[key].items():
                merged[name] = merged.get(name, []) + xs
            acc[key] = merged
    for key in ("readOnly", "writeOnly"):
        if m.get(key):
            acc[key] = True
    for key in ("discriminator", "hint"):
        if key in m and key not in acc:
            acc[key] = m[key]


def settle(m: dict) -> None:
    """Drop the types the constraints make impossible; raise when none is left or an enum empties."""
    kills = _type_kills(m)
    types = m.get("types")
    if kills:
        types = (ALL_TYPES if types is None else types) - set(kills)
        m["types"] = types
    if types is not None and not types:
        key, reason = next(iter(kills.values())) if kills else ("type", "the allowed types do not intersect")
        raise UnsatisfiableSchema((key,), reason)
    if "enum" in m:
        values = [v for v in m["enum"] if types is None or _type_ok(type_of(v), types)]
        if not values:
            reason = "no enum value is allowed" if not m["enum"] else "no enum value has an allowed type"
            raise UnsatisfiableSchema(("enum",), reason)
        m["enum"] = values


def _type_kills(m: dict) -> dict[str, tuple[str, str]]:
    kills: dict[str, tuple[str, str]] = {}
    lo, hi = m.get("lo"), m.get("hi")
    if lo and hi:
        if lo[0] > hi[0] or (lo[0] == hi[0] and (lo[1] or hi[1])):
            why = ("exclusiveMinimum" if lo[1] else "minimum", f"lower bound {lo[0]} is not below upper bound {hi[0]}")
            kills["number"] = kills["integer"] = why
        else:
            ilo = math.floor(lo[0]) + 1 if lo[1] or lo[0] != math.floor(lo[0]) else int(lo[0])
            ihi = math.ceil(hi[0]) - 1 if hi[1] or hi[0] != math.ceil(hi[0]) else int(hi[0])
            if ilo > ihi:
                kills["integer"] = ("minimum", f"no integer between {lo[0]} and {hi[0]}")
    if m.get("minLength", 0) > m.get("maxLength", math.inf):
        kills["string"] = ("minLength", f"minLength {m['minLength']} > maxLength {m['maxLength']}")
    for p in m.get("patterns", ()):
        try:
            compile_pattern(p)
        except Exception as exc:
            kills["string"] = ("pattern", f"pattern {p!r} does not compile: {exc}")
    items_closed = any(x is False for x in m.get("items", ()))
    max_items = m.get("maxItems", math.inf)
    if items_closed:
        max_items = min(max_items, len(m.get("prefixItems", ())))
    if m.get("minItems", 0) > max_items:
        kills["array"] = ("minItems", f"minItems {m['minItems']} > maxItems {max_items}")
    for _, cmin, cmax in m.get("contains", ()):
        if (cmax is not None and cmin > cmax) or cmin > m.get("maxItems", math.inf):
            kills["array"] = ("minContains", f"minContains {cmin} cannot be met")
    if m.get("minProperties", 0) > m.get("maxProperties", math.inf):
        kills["object"] = ("minProperties", f"minProperties {m['minProperties']} > maxProperties {m['maxProperties']}")
    required = m.get("required", {})
    if len(required) > m.get("maxProperties", math.inf):
        kills["object"] = ("maxProperties", f"{len(required)} required properties > maxProperties {m['maxProperties']}")
    for name in required:
        schemas = _prop_schemas(m, name)
        if any(x is False or (isinstance(x, dict) and x.get("not") == {}) for x in schemas):
            kills["object"] = ("required", f"required property {name!r} is forbidden by the schema")
            break
    return kills


def _prop_schemas(m: dict, name: str) -> list:
    """The schemas property ``name`` must satisfy in merged view ``m`` (not a copy: merged views are read-only)."""
    properties = m.get("properties", {})
    if name in properties:
        return properties[name]
    matched = [x for p, xs in m.get("patternProperties", {}).items() if matches(p, name) for x in xs]
    return matched or m.get("additional", [])


def _banned_types(node: Any) -> frozenset:
    if not isinstance(node, dict) or set(node) - {"type", "description", "title"} or "type" not in node:
        return frozenset()
    kind = node["type"]
    kinds = frozenset(kind if isinstance(kind, list) else [kind])
    return kinds | ({"integer"} if "number" in kinds else set())


def _merge_types(a: frozenset | None, b: frozenset) -> frozenset:
    if a is None:
        return b
    out = a & b
    if "integer" in a and "number" in b or "number" in a and "integer" in b:
        out |= {"integer"}
    return frozenset(out)


def _type_ok(kind: str, types: frozenset) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def _intersect(a: list | None, b: list) -> list:
    if a is None:
        return list(b)
    keys = {json_key(v) for v in b}
    return [v for v in a if json_key(v) in keys]


def _tighter(old: tuple | None, new: tuple, low: bool) -> tuple:
    if old is None:
        return new
    if old[0] == new[0]:
        return (old[0], old[1] or new[1])
    return max(old, new, key=lambda t: t[0]) if low else min(old, new, key=lambda t: t[0])
