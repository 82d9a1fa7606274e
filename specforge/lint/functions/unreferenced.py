"""``unreferencedReusableObject``: every entry of a components map must be referenced somewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": "object",
    "required": ["reusableObjectsLocation"],
    "properties": {"reusableObjectsLocation": {"type": "string", "pattern": "^#/"}},
    "additionalProperties": False,
}


@skips_missing
@with_options(_SCHEMA)
def unreferenced_reusable_object(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report entries of ``value`` (a map) that no ``$ref`` of the root file points at."""
    if not isinstance(value, dict):
        return
    from specforge.lint.refs import referenced_pointers

    used = referenced_pointers(ctx.document)
    base = options["reusableObjectsLocation"][1:]  # referenced_pointers holds fragments without "#"
    for name in value:
        if f"{base}/{_escape(name)}" not in used:
            yield Problem("Potentially unused component has been detected", (name,), at_key=True)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
