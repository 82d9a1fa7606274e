"""``defined`` / ``undefined``: the field must (not) exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import MISSING, Context
from specforge.lint.functions import skips_missing
from specforge.lint.model import Problem


def defined(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report a field that is absent."""
    if value is MISSING:
        yield Problem(f'"{ctx.field}" property must be defined')


@skips_missing
def undefined(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report a field that is present."""
    if value is not MISSING:
        yield Problem(f'"{ctx.field or "value"}" property must not be defined')
