"""``no-unresolved-refs``: every ``$ref`` the walk met must resolve."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.document import RefError
from specforge.lint.context import Context
from specforge.lint.model import Problem


def unresolved_refs(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report each reference that could not be resolved, at its ``$ref`` value, with the reason."""
    assert ctx.index is not None
    for node, outcome in ctx.index.refs:
        if isinstance(outcome, RefError):
            yield Problem(str(outcome), node.pointer + ("$ref",), source=node.source)
