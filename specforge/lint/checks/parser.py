"""``parser``: problems the parser tolerated but a reader should not (duplicate mapping keys)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.model import Problem


def duplicate_keys(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report each repeated key of a YAML mapping (the last one wins, silently, in most tools)."""
    for source in ctx.document.workspace.sources:
        for span, key in source.duplicate_keys:
            yield Problem(f'Duplicate key "{key}"; the last value wins', (), source=source, span=span)
