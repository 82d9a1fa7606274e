"""``mockable-schema``: schemas that no instance can satisfy (so no example, mock or client can exist)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.document import RefError, Source
from specforge.lint.context import Context
from specforge.lint.functions import triggers
from specforge.lint.model import Problem
from specforge.schema.refs import Resolver
from specforge.schema.satisfiable import INFINITE, PROBLEM_KEYS, RECURSION_KEYS, SchemaChecker

_DIALECTS = {"oas2": "oas2", "oas3.0": "oas3.0"}


@triggers(*PROBLEM_KEYS)
def unsatisfiable_schema(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Contradictions among one schema node's keywords (the walk brings every schema node here once)."""
    for pointer, message in _checker(ctx).node_problems(value):
        yield Problem(f"No value can satisfy this schema: {message}", pointer)


@triggers(*RECURSION_KEYS)
def infinite_schema(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """An outermost schema whose every instance would have to recurse forever through required ``$ref``s."""
    node = ctx.node
    if node.parent is not None and node.parent.kind == "Schema" or not isinstance(value, dict):
        return
    if not _checker(ctx).finite(value):
        yield Problem(f"No value can satisfy this schema: {INFINITE}")


def _checker(ctx: Context) -> SchemaChecker:
    """One checker per file of the document, so merges and recursion verdicts are shared by all its schemas."""
    source = ctx.node.source
    checkers = ctx.document.cache.get("mockable.checkers")
    if checkers is None:
        checkers = ctx.document.cache["mockable.checkers"] = {}
    checker = checkers.get(id(source))
    if checker is None:
        resolver = Resolver(source.data if isinstance(source.data, dict) else None, _resolving_in(ctx, source))
        checker = checkers[id(source)] = SchemaChecker(resolver, _DIALECTS.get(ctx.format, "oas3.1"),
                                                       source.data)
    return checker


def _resolving_in(ctx: Context, source: Source) -> Any:
    workspace = ctx.document.workspace

    def resolve(ref: str) -> Any:
        try:
            return workspace.resolve(ref, source).value
        except RefError:
            return None

    return resolve
