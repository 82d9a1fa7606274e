"""Generators for arrays and objects from a merged view; each returns ``fn(rng, depth)``.

Deeper than ``SOFT_DEPTH`` $refs, both take the way out: arrays get ``minItems`` items, objects only their
required properties (plus what ``minProperties`` asks).
"""

from __future__ import annotations

import math
import random
import string
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from specforge.fake.regex import RegexStrings
from specforge.schema.equality import json_key
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.merge import _prop_schemas, as_branch, merge
from specforge.schema.patterns import matches
from specforge.schema.refs import ref_name

if TYPE_CHECKING:
    from specforge.fake.compiler import Compiler

Fn = Callable[[random.Random, int], Any]
SOFT_DEPTH = 3
_TRIES = 16
_OPTIONAL_RATE = 0.8


def array_fn(m: dict, comp: Compiler, name: str | None) -> Fn:
    """Arrays honouring prefixItems/items/contains/min/maxItems/uniqueItems."""
    items = [x for x in m.get("items", ()) if x is not True]
    closed = any(x is False for x in items)
    min_n = m.get("minItems", 0)
    max_n = m.get("maxItems", math.inf)
    prefix_fns: list[Fn] = []
    for i, schemas in enumerate(m.get("prefixItems", ())):
        try:
            prefix_fns.append(comp.node_list(schemas, name))
        except UnsatisfiableSchema as exc:
            if i < min_n:
                raise exc.under("prefixItems", i) from None
            max_n = min(max_n, i)
            break
    item_fn: Fn | None = None
    hidden = "readOnly" if comp.direction == "request" else "writeOnly"
    if items and hidden in comp.flags(items):  # items that may not be sent in this direction: none at all
        closed = True
    if closed:
        max_n = min(max_n, len(prefix_fns))
    else:
        try:
            item_fn = comp.node_list(items, _singular(name)) if items else comp.any_fn()
        except UnsatisfiableSchema as exc:
            if min_n > len(prefix_fns):
                raise exc.under("items") from None
            max_n = min(max_n, len(prefix_fns))
    contains = [(s, lo, hi, comp.node_list(items + [s], _singular(name))) for s, lo, hi in m.get("contains", ())]
    need = sum(lo for _, lo, _, _ in contains)
    if min_n > max_n or need > max_n:
        raise UnsatisfiableSchema(("minItems",), f"minItems {min_n} cannot be reached (at most {max_n} items)")
    unique = bool(m.get("uniqueItems"))
    capped = [(s, hi) for s, _, hi, _ in contains if hi is not None]
    typical = min(max(min_n, 1), max_n)

    def gen(rng: random.Random, depth: int) -> list:
        if depth >= SOFT_DEPTH:
            n = min_n
        else:
            n = rng.randint(typical, int(max(typical, min(max_n, typical + 2))))
        n = min(max(n - need, min_n - need, 0), max_n - need) if contains else n
        out: list = []
        seen: set = set()
        for i in range(n):
            fn = prefix_fns[i] if i < len(prefix_fns) else item_fn
            if fn is None:
                break
            for _ in range(_TRIES if unique or capped else 1):
                value = fn(rng, depth)
                if unique and json_key(value) in seen:
                    continue
                if any(comp.matches(s, value) for s, _ in capped):
                    continue
                break
            else:
                if len(out) >= min_n - need:
                    break
                raise UnsatisfiableSchema(("uniqueItems",) if unique else ("maxContains",), "could not fill the array")
            out.append(value)
            if unique:
                seen.add(json_key(value))
        for schema, lo, _, fn in contains:
            have = sum(1 for v in out if comp.valid(schema, v))
            for _ in range(lo - have):
                for _ in range(_TRIES):
                    value = fn(rng, depth)
                    if not unique or json_key(value) not in seen:
                        break
                else:
                    raise UnsatisfiableSchema(("contains",), "could not add distinct items matching contains")
                out.append(value)
                seen.add(json_key(value))
        if len(out) < min_n:
            raise UnsatisfiableSchema(("minItems",), "could not reach minItems")
        return out

    return gen


def object_fn(m: dict, comp: Compiler, name: str | None) -> Fn:
    """Objects honouring properties, required, additional/pattern properties, propertyNames, dependencies,
    min/maxProperties, the request/response direction and discriminators.
    """
    m = _fold_dependencies(m, comp)
    hidden = "readOnly" if comp.direction == "request" else "writeOnly"
    required = set(m.get("required", ()))
    name_schemas = [s for s in m.get("propertyNames", ()) if s is not True]
    disc: dict = m.get("discriminator") or {}
    disc_prop: str = disc.get("propertyName", "")
    entries: dict[str, tuple[Fn, bool]] = {}
    for prop in list(m.get("properties", {})) + sorted(required - set(m.get("properties", {}))):
        schemas = _prop_schemas(m, prop)
        is_required = prop in required
        if any(s is False for s in schemas) or hidden in comp.flags(schemas):
            continue
        if any(not comp.valid(s, prop) for s in name_schemas):
            if is_required:
                raise UnsatisfiableSchema(("propertyNames",), f"required property {prop!r} is not a valid name")
            continue
        try:
            entries[prop] = (comp.node_list(schemas, prop) if schemas else comp.any_fn(), is_required)
        except UnsatisfiableSchema as exc:
            if is_required:
                raise exc.under("properties", prop) from None
    deps = {k: v for k, v in m.get("dependentRequired", {}).items()}
    avoid = {k for k in m.get("dependentSchemas", {}) if k not in required}
    avoid |= {k for k, needs in deps.items() if any(n not in entries for n in needs)}
    must = [p for p, (_, req) in entries.items() if req]
    optional = [p for p, (_, req) in entries.items() if not req and p not in avoid]
    min_p, max_p = m.get("minProperties", 0), m.get("maxProperties", math.inf)
    extra = _extras(m, comp, name_schemas)
    if len(_close(must, deps)) > max_p:
        raise UnsatisfiableSchema(("maxProperties",), "more required properties than maxProperties")
    if len(must) + len(optional) < min_p and extra is None:
        raise UnsatisfiableSchema(("minProperties",), "not enough properties may appear to reach minProperties")
    disc_value = _discriminator_value(m, disc) if disc_prop and disc_prop in entries else None
    disc_schemas = _prop_schemas(m, disc_prop) if disc_value is not None else []

    def gen(rng: random.Random, depth: int) -> dict:
        minimal = depth >= SOFT_DEPTH
        chosen = _close(list(must), deps)
        if not minimal:
            for p in optional:
                if p not in chosen and rng.random() < _OPTIONAL_RATE:
                    chosen = _grow(chosen, p, deps, max_p)
        for p in optional:
            if len(chosen) >= min_p:
                break
            chosen = _grow(chosen, p, deps, max_p)
        out = {p: entries[p][0](rng, depth) for p in entries if p in chosen}
        if len(out) < min_p and extra is not None:
            extra(rng, depth, out, min_p - len(out))
        if disc_value is not None and all(comp.valid(s, disc_value) for s in disc_schemas):
            out[disc_prop] = disc_value
        return out

    return gen


def _discriminator_value(m: dict, disc: dict) -> str | None:
    schema_name = m.get("name")
    if not schema_name:
        return None
    for key, target in (disc.get("mapping") or {}).items():
        if isinstance(target, str) and (target == schema_name or ref_name(target) == schema_name):
            return key
    return schema_name


def _grow(chosen: list, prop: str, deps: dict, max_p: float) -> list:
    grown = _close(chosen + [prop], deps)
    return grown if len(grown) <= max_p else chosen


def _close(chosen: list, deps: dict) -> list:
    out = list(dict.fromkeys(chosen))
    i = 0
    while i < len(out):
        for dep in deps.get(out[i], ()):
            if dep not in out:
                out.append(dep)
        i += 1
    return out


def _fold_dependencies(m: dict, comp: Compiler) -> dict:
    for _ in range(8):
        todo = [k for k in m.get("dependentSchemas", {}) if k in m.get("required", {})]
        if not todo:
            return m
        deps = dict(m["dependentSchemas"])
        for key in todo:
            m = merge(m, as_branch(comp.flatten_list(deps.pop(key))))
        m["dependentSchemas"] = deps
    return m


def _extras(m: dict, comp: Compiler, name_schemas: list) -> Callable | None:
    """A filler adding ``k`` extra properties (for minProperties), or None when none may be added."""
    props = m.get("properties", {})
    patterns = m.get("patternProperties", {})
    additional = m.get("additional", []) + m.get("unevaluated", [])
    name_pattern = next((s.get("pattern") for s in name_schemas if isinstance(s, dict) and s.get("pattern")), None)
    sources: list[tuple[RegexStrings | None, Fn]] = []
    for pattern, schemas in patterns.items():
        if any(s is False for s in schemas):
            continue
        try:
            sources.append((RegexStrings(pattern), comp.node_list(schemas)))
        except Exception:
            continue
    if not any(s is False for s in additional):
        try:
            fn = comp.node_list(additional) if additional else comp.any_fn()
            sources.append((RegexStrings(name_pattern) if name_pattern else None, fn))
        except Exception:
            pass
    if not sources:
        return None

    def add(rng: random.Random, depth: int, out: dict, k: int) -> None:
        for attempt in range(k * _TRIES):
            if k <= 0:
                return
            source, fn = sources[attempt % len(sources)]
            key = source.sample(rng, 1, 24) if source else "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
            if not key or key in out or key in props or any(not comp.valid(s, key) for s in name_schemas):
                continue
            if source is None or source.pattern == name_pattern:
                if any(matches(p, key) for p in patterns):
                    continue
            out[key] = fn(rng, depth)
            k -= 1
        if k > 0:
            raise UnsatisfiableSchema(("minProperties",), "could not add enough extra properties")

    return add


def _singular(name: str | None) -> str | None:
    return name[:-1] if name and name.endswith("s") and len(name) > 3 else name
