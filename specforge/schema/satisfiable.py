"""Find schemas no instance can satisfy, with the pointer of the keyword at fault.

``iter_unsatisfiable(schema, dialect=..., resolve=...)`` walks ``schema`` and its in-place subschemas (it does
not descend through ``$ref``: the target is checked where it is defined) and yields ``(pointer, message)``,
``pointer`` being a tuple of keys inside ``schema``, for example ``("allOf", 1, "type")`` or ``("minimum",)``.

Checked: contradictory ``allOf`` branches (types, enums/consts, bounds after merging), ``minimum > maximum``
(and the exclusive forms, and no integer in range), ``minLength > maxLength``, ``minItems > maxItems``,
``minProperties > maxProperties``, ``minContains > maxContains``, a ``required`` property that is forbidden,
patterns that do not compile or cannot produce a string within the length bounds, enums whose values all
break the schema's own type, and recursion that every instance would have to follow forever.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from specforge.schema.dialect import check_dialect, normalise
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.merge import Flattener
from specforge.schema.patterns import compile_pattern, matches, pattern_bounds, pattern_error
from specforge.schema.refs import Resolver
from specforge.schema.validate import is_number, type_of

_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
#: The keywords ``SchemaChecker.local`` looks at; a node with none of them is skipped unnormalised.
_LOCAL_KEYS = frozenset({
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
    "maxItems", "minProperties", "maxProperties", "minContains", "maxContains", "pattern", "required", "enum",
    "const",
})
#: Lower and upper bounds on counts (lengths, items, properties, contains).
_COUNT_BOUNDS = (("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties"),
                 ("minContains", "maxContains"))
#: The keywords through which a schema can require an instance of another (so recursion can be forced).
RECURSION_KEYS = frozenset({"$ref", "allOf", "anyOf", "oneOf", "required", "minItems"})
_SINGLE = ("additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
           "unevaluatedProperties", "unevaluatedItems", "additionalItems")


#: Keywords on which ``SchemaChecker.node_problems`` can report something (other nodes are skipped unseen).
PROBLEM_KEYS = _LOCAL_KEYS | {"allOf", "$ref"}


def iter_unsatisfiable(schema: Any, *, dialect: str = "oas3.0", resolve: Callable[[str], Any] | None = None,
                       document: Any = None) -> Iterator[tuple[tuple, str]]:
    """Yield ``(pointer suffix, message)`` for every part of ``schema`` that no instance can satisfy."""
    check_dialect(dialect)
    checker = SchemaChecker(Resolver(document, resolve), dialect, document if document is not None else schema)
    seen: set[tuple] = set()
    for pointer, message in checker.walk(schema, ()):
        if pointer not in seen:
            seen.add(pointer)
            yield pointer, message
    if not checker.finite(schema) and () not in seen:
        yield (), INFINITE


INFINITE = "every instance would need infinitely deep recursion (a required $ref cycle)"


class SchemaChecker:
    """Satisfiability of the schemas of one document, one node at a time; merges and verdicts are cached.

    ``node_problems(node)`` judges one node's own keywords (and its ``allOf`` merge), not its subschemas:
    a caller that visits every schema node (the lint walk) asks once per node; ``walk`` descends itself.
    """

    def __init__(self, resolver: Resolver, dialect: str, root: Any) -> None:
        self.resolver = resolver
        self.dialect = dialect
        self.root = root
        self.flattener = Flattener(resolver, dialect)
        self._finite: dict[int, bool] = {}

    def node_problems(self, node: dict) -> Iterator[tuple[tuple, str]]:
        """Contradictions among ``node``'s own keywords and its ``allOf`` branches, at the keyword at fault."""
        local = list(self.local(node))
        yield from local
        if "allOf" in node or (self.dialect == "oas3.1" and "$ref" in node and len(node) > 1):
            try:
                self.flattener.flatten(node, self.root)
            except UnsatisfiableSchema as exc:
                if exc.pointer[:1] != ("$ref",) and not any(p[:1] == exc.pointer[:1] for p, _ in local):
                    yield exc.pointer, exc.reason

    def walk(self, node: Any, at: tuple) -> Iterator[tuple[tuple, str]]:
        if not isinstance(node, dict):
            return
        for pointer, message in self.node_problems(node):
            yield at + pointer, message
        if "$ref" in node and self.dialect != "oas3.1":
            return
        for key in _MAPS:
            if isinstance(node.get(key), dict):
                for name, sub in node[key].items():
                    yield from self.walk(sub, at + (key, name))
        for key in _LISTS:
            if isinstance(node.get(key), list):
                for i, sub in enumerate(node[key]):
                    yield from self.walk(sub, at + (key, i))
        items = node.get("items")
        if isinstance(items, list):
            for i, sub in enumerate(items):
                yield from self.walk(sub, at + ("items", i))
        elif isinstance(items, dict):
            yield from self.walk(items, at + ("items",))
        for key in _SINGLE:
            if isinstance(node.get(key), dict):
                yield from self.walk(node[key], at + (key,))

    def local(self, raw: dict) -> Iterator[tuple[tuple, str]]:
        if _LOCAL_KEYS.isdisjoint(raw):  # most schema nodes: nothing here can contradict itself
            return
        s = normalise(raw, self.dialect)
        types = s.get("type")
        lo_key = "exclusiveMinimum" if is_number(s.get("exclusiveMinimum")) else "minimum"
        hi_key = "exclusiveMaximum" if is_number(s.get("exclusiveMaximum")) else "maximum"
        lo, hi = s.get(lo_key), s.get(hi_key)
        raw_lo = lo_key if lo_key in raw and is_number(raw.get(lo_key)) else "minimum"
        if is_number(lo) and is_number(hi):
            if lo > hi or (lo == hi and (lo_key.startswith("excl") or hi_key.startswith("excl"))):
                yield (raw_lo,), f"the lower bound {lo} is not below the upper bound {hi}: no number fits"
            elif types == ["integer"]:
                first = math.floor(lo) + 1 if lo_key.startswith("excl") or lo != math.floor(lo) else lo
                last = math.ceil(hi) - 1 if hi_key.startswith("excl") or hi != math.ceil(hi) else hi
                if first > last:
                    yield (raw_lo,), f"no integer lies between {lo} and {hi}"
        for low, high in _COUNT_BOUNDS:
            if low in s and high in s and is_number(s[low]) and is_number(s[high]) and s[low] > s[high]:
                yield (low,), f"{low} {s[low]} is greater than {high} {s[high]}"
        pattern = s.get("pattern")
        if isinstance(pattern, str):
            error = pattern_error(pattern)
            if error:
                yield ("pattern",), f"the pattern does not compile: {error}"
            else:
                reason = _pattern_misfit(pattern, s.get("minLength", 0), s.get("maxLength"))
                if reason:
                    yield ("pattern",), reason
        yield from self._required(s)
        if isinstance(s.get("enum"), list) and s["enum"] and types:
            if not any(_type_ok(type_of(v), types) for v in s["enum"]):
                yield ("enum",), f"no enum value has the schema's type ({', '.join(types)})"
        if "const" in s and types and not _type_ok(type_of(s["const"]), types):
            yield ("const",), f"the const value does not have the schema's type ({', '.join(types)})"

    def _required(self, s: dict) -> Iterator[tuple[tuple, str]]:
        required = s.get("required")
        if not isinstance(required, list):
            return
        props: dict = s["properties"] if isinstance(s.get("properties"), dict) else {}
        patterns: dict = s["patternProperties"] if isinstance(s.get("patternProperties"), dict) else {}
        closed = s.get("additionalProperties") is False or (
            s.get("unevaluatedProperties") is False and not any(k in s for k in ("allOf", "anyOf", "oneOf", "$ref",
                                                                                 "if", "dependentSchemas")))
        for i, name in enumerate(required):
            if not isinstance(name, str):
                continue
            if name in props:
                sub = props[name]
                if sub is False or (isinstance(sub, dict) and sub.get("not") == {}):
                    yield ("required", i), f"required property {name!r} is forbidden by its schema"
            elif closed and not any(matches(p, name) for p in patterns):
                yield ("required", i), f"required property {name!r} is not allowed (additionalProperties: false)"

    def finite(self, node: Any, stack: list | None = None) -> bool:
        """Whether some finite instance may exist, judged by required recursion only."""
        if stack is None:
            stack = []
        if not isinstance(node, dict) or RECURSION_KEYS.isdisjoint(node):
            return True  # `false` is reported by the local checks, not as recursion
        if id(node) in stack:
            return False
        hit = self._finite.get(id(node))
        if hit is not None:
            return hit
        stack.append(id(node))
        try:
            result = self._finite_node(node, stack)
        finally:
            stack.pop()
        if result or not stack:
            self._finite[id(node)] = result
        return result

    def _finite_node(self, node: dict, stack: list) -> bool:
        s = normalise(node, self.dialect)
        if isinstance(s.get("$ref"), str):
            try:
                target = self.resolver(s["$ref"], self.root)
            except UnsatisfiableSchema:
                return True
            if not self.finite(target, stack):
                return False
        if any(not self.finite(b, stack) for b in s.get("allOf") or ()):
            return False
        for key in ("anyOf", "oneOf"):
            branches = s.get(key)
            if isinstance(branches, list) and branches and not any(self.finite(b, stack) for b in branches):
                return False
        if "enum" in s or "const" in s:
            return True
        types = s.get("type")
        if types is None or any(t not in ("object", "array") for t in types):
            return True
        if "object" in types:
            props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
            if all(self.finite(props.get(name, True), stack) for name in s.get("required") or ()
                   if isinstance(name, str)):
                return True
        if "array" in types:
            need = s.get("minItems", 0)
            if not need:
                return True
            prefix = s.get("prefixItems") or []
            firsts = [prefix[i] if i < len(prefix) else s.get("items", True) for i in range(min(need, len(prefix) + 1))]
            if all(self.finite(x, stack) for x in firsts):
                return True
        return False


def _pattern_misfit(pattern: str, min_len: Any, max_len: Any) -> str | None:
    try:
        lo, hi, start, end = pattern_bounds(pattern)
        compile_pattern(pattern)
    except Exception:
        return None
    if is_number(max_len) and lo > max_len:
        return f"the pattern needs at least {lo} characters but maxLength is {max_len}"
    if is_number(min_len) and start and end and hi < min_len:
        return f"the pattern allows at most {hi} characters but minLength is {min_len}"
    return None


def _type_ok(kind: str, types: list) -> bool:
    return kind in types or (kind == "integer" and "number" in types)
