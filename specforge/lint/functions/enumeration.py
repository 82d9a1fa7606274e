"""``enumeration``: the value must be one of ``values``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import MISSING, Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": "object",
    "required": ["values"],
    "properties": {"values": {"type": "array"}},
    "additionalProperties": False,
}


@skips_missing
@with_options(_SCHEMA)
def enumeration(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report a value outside the allowed list."""
    if value is MISSING or isinstance(value, (dict, list)):
        return
    if value not in options["values"]:
        allowed = ", ".join(f'"{v}"' for v in options["values"])
        yield Problem(f'"{value}" must be one of: {allowed}')
