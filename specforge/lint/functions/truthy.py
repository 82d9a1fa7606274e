"""``truthy`` / ``falsy``: the value must (not) be set to something truthy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import skips_missing
from specforge.lint.model import Problem


def is_truthy(value: Any) -> bool:
    """JavaScript truthiness, as Spectral applies it: ``{}`` and ``[]`` are truthy, ``NaN`` is not."""
    if isinstance(value, (dict, list)):
        return True
    if isinstance(value, float) and value != value:
        return False
    return bool(value)


def truthy(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report a missing, empty-string, false, zero or null value."""
    if not is_truthy(value):
        yield Problem(f'"{ctx.field or "value"}" property must be truthy' if ctx.field else "Value must be truthy")


@skips_missing
def falsy(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report a value that is set to something truthy."""
    if is_truthy(value):
        yield Problem(f'"{ctx.field}" property must be falsy' if ctx.field else "Value must be falsy")
