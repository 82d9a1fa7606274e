"""Compile schema nodes into generator functions ``fn(rng, depth)``; one ``Compiler`` per (direction, root).

``$ref`` crossings are lazy (compiled on first use) and add one to ``depth``; combinators are resolved per call:
``anyOf``/``oneOf``/``if`` pick branches, merge them into the base and compile the merge once per choice;
``oneOf`` and ``not`` are checked with the validator and retried a bounded number of times.
"""

from __future__ import annotations

import copy
import itertools
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from specforge.fake import scalars
from specforge.fake.containers import SOFT_DEPTH, array_fn, object_fn
from specforge.schema.errors import UnsatisfiableSchema
from specforge.schema.merge import as_branch, merge

if TYPE_CHECKING:
    from specforge.fake.generator import Generator

Fn = Callable[[random.Random, int], Any]
HARD_DEPTH = SOFT_DEPTH + 12
_TRIES = 24
_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")
_NULL_RATE = 0.1


class TooDeep(Exception):
    """Recursion went past ``HARD_DEPTH``: the caller should take another branch."""


class Compiler:
    def __init__(self, owner: Generator, direction: str, root: Any) -> None:
        self.flattener = owner._flattener
        self.validator = owner._validator
        self.loose = owner._loose
        self.locale = owner.locale
        self.dialect = owner.dialect
        self.direction = direction
        self.root = root
        self._nodes: dict[tuple, tuple[Any, Fn]] = {}
        self._any: Fn | None = None

    # -- entry points -------------------------------------------------------------------------------------
    def root_fn(self, schema: Any) -> Callable[[random.Random], Any]:
        fn = self._build([schema], None)

        def run(rng: random.Random) -> Any:
            try:
                return fn(rng, 0)
            except TooDeep:
                raise UnsatisfiableSchema((), "the schema requires infinitely deep recursion") from None
            except RecursionError:
                raise UnsatisfiableSchema((), "the schema recurses too deeply to generate") from None

        return run

    def node_list(self, schemas: list, hint: str | None = None) -> Fn:
        """A generator for values valid against every schema in ``schemas`` (lazy across ``$ref``)."""
        key = (tuple(id(s) for s in schemas), hint)
        hit = self._nodes.get(key)
        if hit is not None:
            return hit[1]
        if any(isinstance(s, dict) and "$ref" in s for s in schemas):
            fn = self._lazy(schemas, hint)
        else:
            fn = self._build(schemas, hint)
        self._nodes[key] = (schemas, fn)
        return fn

    def valid(self, schema: Any, value: Any) -> bool:
        """Strict: ``value`` is valid (formats asserted)."""
        return self.validator.is_valid(schema, value, self.root)

    def matches(self, schema: Any, value: Any) -> bool:
        """Permissive: some validator (asserting formats or not) may accept ``value`` -- for "must NOT match"."""
        return self.validator.is_valid(schema, value, self.root) or self.loose.is_valid(schema, value, self.root)

    def flatten_list(self, schemas: list) -> dict:
        m: dict = {"raw": []}
        for i, s in enumerate(schemas):
            m = merge(m, as_branch(self.flattener.flatten(s, self.root))) if i else self.flattener.flatten(s, self.root)
        return m

    def flags(self, schemas: list) -> set[str]:
        out: set[str] = set()
        for s in schemas:
            if isinstance(s, dict):
                out |= {k for k in ("readOnly", "writeOnly") if s.get(k) is True}
                try:
                    m = self.flattener.flatten(s, self.root)
                except UnsatisfiableSchema:
                    continue
                out |= {k for k in ("readOnly", "writeOnly") if m.get(k)}
        return out

    def any_fn(self) -> Fn:
        if self._any is None:
            self._any = self.merged({"types": frozenset({"string"}), "raw": []}, None)
        return self._any

    # -- building -----------------------------------------------------------------------------------------
    def _lazy(self, schemas: list, hint: str | None) -> Fn:
        cell: list = []

        def fn(rng: random.Random, depth: int) -> Any:
            if depth > HARD_DEPTH:
                raise TooDeep
            if not cell:
                cell.append(self._build(schemas, hint))
            return cell[0](rng, depth + 1)

        return fn

    def _build(self, schemas: list, hint: str | None) -> Fn:
        return self.merged(self.flatten_list(schemas), hint)

    def merged(self, m: dict, hint: str | None) -> Fn:
        """A generator for one merged view."""
        if m.get("anyOf") or m.get("oneOf") or m.get("if"):
            return self._choice(m, hint)
        fn = self._plain(m, hint)
        nots = m.get("not")
        if not nots:
            return fn
        valid = self.matches

        def rejecting(rng: random.Random, depth: int) -> Any:
            for _ in range(_TRIES):
                value = fn(rng, depth)
                if not any(valid(n, value) for n in nots):
                    return value
            raise UnsatisfiableSchema(("not",), "every generated value matched the `not` schema")

        return rejecting

    def _plain(self, m: dict, hint: str | None) -> Fn:
        if "enum" in m:
            return self._enum(m)
        types = m.get("types")
        if types is None:
            types = _infer(m)
        builders = {
            "null": lambda: (lambda rng, depth: None),
            "boolean": lambda: (lambda rng, depth: rng.random() < 0.5),
            "integer": lambda: scalars.integer_fn(m, hint),
            "number": lambda: scalars.number_fn(m, hint),
            "string": lambda: scalars.string_fn(m, hint, self.locale, self.dialect),
            "array": lambda: array_fn(m, self, hint),
            "object": lambda: object_fn(m, self, hint),
        }
        fns: list[tuple[str, Fn]] = []
        errors: list[UnsatisfiableSchema] = []
        for kind in _TYPE_ORDER:
            if kind in types and not (kind == "integer" and "number" in types and len(types) > 2):
                try:
                    fns.append((kind, builders[kind]()))
                except UnsatisfiableSchema as exc:
                    errors.append(exc)
                except Exception as exc:  # a regex the parser rejects, etc.: report, do not crash
                    errors.append(UnsatisfiableSchema(("type",), f"cannot generate {kind}: {exc}"))
        if not fns:
            raise errors[0] if errors else UnsatisfiableSchema(("type",), "no type can be generated")
        if len(fns) == 1:
            return fns[0][1]
        null = next((f for k, f in fns if k == "null"), None)
        others = [f for k, f in fns if k != "null"]

        def pick(rng: random.Random, depth: int) -> Any:
            if null is not None and (depth >= SOFT_DEPTH or rng.random() < _NULL_RATE):
                return None
            return others[int(rng.random() * len(others))](rng, depth)

        return pick

    def _enum(self, m: dict) -> Fn:
        values = [v for v in m["enum"] if all(self.valid(r, v) for r in m["raw"])]
        if not values:
            raise UnsatisfiableSchema(("enum",), "no enum value is valid against the rest of the schema")
        n = len(values)
        if all(not isinstance(v, (dict, list)) for v in values):
            return lambda rng, depth: values[int(rng.random() * n)]
        return lambda rng, depth: copy.deepcopy(values[int(rng.random() * n)])

    def _choice(self, m: dict, hint: str | None) -> Fn:
        base = {k: v for k, v in m.items() if k not in ("anyOf", "oneOf", "if")}
        groups: list[tuple[str, list]] = [("anyOf", g) for g in m.get("anyOf", ())]
        groups += [("oneOf", g) for g in m.get("oneOf", ())]
        groups += [("if", [(c, t), e]) for c, t, e in m.get("if", ())]
        disc = m.get("discriminator")
        combos: dict[tuple, Fn | UnsatisfiableSchema] = {}

        def combo(choice: tuple) -> Fn | UnsatisfiableSchema:
            if choice not in combos:
                try:
                    mm = base
                    for (kind, branches), idx in zip(groups, choice, strict=True):
                        picked = branches[idx]
                        part = self.flatten_list(list(picked)) if kind == "if" and idx == 0 else (
                            as_branch(self.flattener.flatten(picked, self.root)))
                        mm = merge(mm, part)
                        if disc and kind != "if" and part.get("name"):
                            mm["name"] = part["name"]
                    combos[choice] = self.merged(mm, hint)
                except UnsatisfiableSchema as exc:
                    combos[choice] = exc
            return combos[choice]

        bumps = [[1 if kind != "if" and isinstance(b, dict) and "$ref" in b else 0 for b in branches]
                 for kind, branches in groups]
        sizes = [len(branches) for _, branches in groups]
        viable: list[tuple] | None = None
        if _product(sizes) <= 64:
            every = list(itertools.product(*map(range, sizes)))
            viable = [c for c in every if not isinstance(combo(c), UnsatisfiableSchema)]
            if not viable:
                first = combo(every[0])
                assert isinstance(first, UnsatisfiableSchema)
                raise UnsatisfiableSchema((groups[0][0],) + first.pointer, first.reason)
            exits = [c for c in viable if sum(b[i] for b, i in zip(bumps, c, strict=True)) == 0] or viable
        valid = self.matches

        def choose(rng: random.Random, minimal: bool, attempt: int) -> tuple:
            if viable is not None:
                pool = exits if minimal and attempt < 4 else viable
                return pool[int(rng.random() * len(pool))]
            return tuple(int(rng.random() * n) for n in sizes)

        def separate(value: dict, choice: tuple) -> dict | None:
            """Make an object valid for one oneOf branch only: add a property another branch declares,
            with a value that branch rejects (when the chosen branch accepts it).
            """
            for (kind, branches), idx in zip(groups, choice, strict=True):
                if kind != "oneOf":
                    continue
                for j, other in enumerate(branches):
                    if j == idx or not valid(other, value):
                        continue
                    try:
                        declared = self.flattener.flatten(other, self.root).get("properties", {})
                    except UnsatisfiableSchema:
                        continue
                    for prop in declared:
                        if prop in value:
                            continue
                        odds: tuple[Any, ...] = (None, True, 0, "", [], {})
                        for odd in odds:
                            trial = {**value, prop: odd}
                            if not valid(other, trial) and all(self.valid(r, trial) for r in m["raw"]) and (
                                    _exclusive(groups, choice, trial, valid)):
                                return trial
            return None

        def pick(rng: random.Random, depth: int) -> Any:
            last: Exception | None = None
            minimal = depth >= SOFT_DEPTH
            for attempt in range(_TRIES):
                choice = choose(rng, minimal, attempt)
                fn = combo(choice)
                if isinstance(fn, UnsatisfiableSchema):
                    last = fn
                    continue
                bump = sum(b[i] for b, i in zip(bumps, choice, strict=True))
                if depth + bump > HARD_DEPTH:
                    last = TooDeep()
                    continue
                try:  # later tries take the minimal way (required properties only): values then differ more
                    value = fn(rng, max(depth, SOFT_DEPTH) if attempt >= _TRIES // 3 else depth + bump)
                except (UnsatisfiableSchema, TooDeep) as exc:
                    last = exc
                    continue
                if disc and not isinstance(value, dict):
                    last = UnsatisfiableSchema(("discriminator",), "a discriminator needs an object")
                    continue
                if _exclusive(groups, choice, value, valid):
                    return value
                if isinstance(value, dict):
                    separated = separate(value, choice)
                    if separated is not None:
                        return separated
                last = UnsatisfiableSchema(("oneOf",), "generated values kept matching several oneOf branches")
            if isinstance(last, TooDeep):
                raise last
            raise last or UnsatisfiableSchema((), "no branch could be generated")

        return pick


def _exclusive(groups: list, choice: tuple, value: Any, valid: Callable[[Any, Any], bool]) -> bool:
    for (kind, branches), idx in zip(groups, choice, strict=True):
        if kind == "oneOf" and any(valid(b, value) for j, b in enumerate(branches) if j != idx):
            return False
        if kind == "if" and idx == 1 and valid(branches[0][0], value):
            return False
    return True


def _product(sizes: list[int]) -> int:
    out = 1
    for n in sizes:
        out *= n
    return out


def _infer(m: dict) -> frozenset:
    if any(k in m for k in ("properties", "required", "additional", "patternProperties", "minProperties",
                            "maxProperties", "propertyNames", "dependentRequired", "dependentSchemas")):
        return frozenset({"object"})
    if any(k in m for k in ("items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems")):
        return frozenset({"array"})
    if any(k in m for k in ("lo", "hi", "multipleOf")):
        return frozenset({"number"})
    return frozenset({"string"})
