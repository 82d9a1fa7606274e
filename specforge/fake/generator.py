"""The public generator: schema -> schema-valid instance, deterministic for a seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from specforge.fake.compiler import Compiler
from specforge.schema.dialect import check_dialect
from specforge.schema.merge import Flattener
from specforge.schema.refs import Resolver
from specforge.schema.validate import Validator

_DIRECTIONS = ("request", "response")


class Generator:
    """Generate instances of OpenAPI/JSON schemas.

    ``document`` answers local ``$ref``s (``#/components/schemas/Pet``); ``resolve(ref)`` answers the others.
    Compiled schemas are cached by identity and direction, so keep and reuse one ``Generator`` per document.
    """

    def __init__(self, document: dict | None = None, *, dialect: str = "oas3.0", locale: str = "en_US",
                 resolve: Callable[[str], Any] | None = None) -> None:
        self.document = document
        self.dialect = check_dialect(dialect)
        self.locale = locale
        self._resolver = Resolver(document, resolve)
        self._flattener = Flattener(self._resolver, dialect)
        self._validator = Validator(self._resolver, dialect)
        self._loose = Validator(self._resolver, dialect, formats=False)
        self._compilers: dict[tuple, tuple[Any, Compiler]] = {}
        self._compiled: dict[tuple, tuple[Any, Callable[[random.Random], Any]]] = {}

    def compile(self, schema: dict | bool, *, direction: str = "response") -> Callable[[random.Random], Any]:
        """A function ``rng -> instance`` for ``schema``; raises ``UnsatisfiableSchema`` when none exists."""
        if direction not in _DIRECTIONS:
            raise ValueError(f"direction must be 'request' or 'response', not {direction!r}")
        key = (id(schema), direction)
        hit = self._compiled.get(key)
        if hit is not None and hit[0] is schema:
            return hit[1]
        root = self.document if self.document is not None else schema
        ckey = (id(root), direction)
        owner = self._compilers.get(ckey)
        if owner is None or owner[0] is not root:
            owner = (root, Compiler(self, direction, root))
            self._compilers[ckey] = owner
        fn = owner[1].root_fn(schema)
        self._compiled[key] = (schema, fn)
        return fn

    def generate(self, schema: dict | bool, *, seed: int | random.Random = 0, direction: str = "response") -> Any:
        """One instance of ``schema``; the same schema and seed always give the same instance."""
        rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        return self.compile(schema, direction=direction)(rng)
