"""``xor``: exactly one of ``properties`` must be present."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": "object",
    "required": ["properties"],
    "properties": {"properties": {"type": "array", "items": {"type": "string"}, "minItems": 2}},
    "additionalProperties": False,
}


@skips_missing
@with_options(_SCHEMA)
def xor(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report an object with none, or more than one, of the listed properties."""
    if not isinstance(value, dict):
        return
    names = options["properties"]
    present = [name for name in names if name in value]
    if len(present) != 1:
        listed = ", ".join(f'"{name}"' for name in names)
        yield Problem(f"must have exactly one of {listed} ({len(present)} present)")
