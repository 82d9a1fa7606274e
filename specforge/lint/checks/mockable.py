"""``mockable-schema``: schemas that no instance can satisfy (so no example, mock or client can exist)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.document import RefError
from specforge.lint.context import Context
from specforge.lint.model import Problem

_DIALECTS = {"oas2": "oas2", "oas3.0": "oas3.0"}


def unsatisfiable_schema(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Analyse each outermost schema once (nested schemas are covered by their parent's analysis)."""
    node = ctx.node
    if node.parent is not None and node.parent.kind == "Schema" or not isinstance(value, dict):
        return
    from specforge.schema.satisfiable import iter_unsatisfiable  # only when the rule is on

    workspace, source = ctx.document.workspace, node.source

    def resolve(ref: str) -> Any:
        try:
            return workspace.resolve(ref, source).value
        except RefError:
            return None

    dialect = _DIALECTS.get(ctx.format, "oas3.1")
    document = source.data if isinstance(source.data, dict) else None
    for pointer, message in iter_unsatisfiable(value, dialect=dialect, resolve=resolve, document=document):
        yield Problem(f"No value can satisfy this schema: {message}", pointer)
