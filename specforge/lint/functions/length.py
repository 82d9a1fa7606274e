"""``length``: the length of a string, array or object (or a number itself) must be within bounds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import MISSING, Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": "object",
    "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
    "additionalProperties": False,
    "minProperties": 1,
}


@skips_missing
@with_options(_SCHEMA)
def length(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report a value that is too short or too long."""
    if value is MISSING or value is None or isinstance(value, bool):
        return
    size = value if isinstance(value, (int, float)) else len(value) if hasattr(value, "__len__") else None
    if size is None:
        return
    if "min" in options and size < options["min"]:
        yield Problem(f"must be at least {options['min']:g} long (is {size:g})")
    if "max" in options and size > options["max"]:
        yield Problem(f"must be at most {options['max']:g} long (is {size:g})")
