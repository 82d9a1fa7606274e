"""``oas3-unused-component``: reusable components that nothing refers to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions.unreferenced import unreferenced_reusable_object
from specforge.lint.model import Problem

#: The component maps Spectral checks (security schemes are used by name, not by ``$ref``).
COMPONENT_TYPES = ("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks")


def unused_components(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report each entry of ``components.<type>`` that no ``$ref`` (in any loaded file) points at."""
    if not isinstance(value, dict):
        return
    for kind in COMPONENT_TYPES:
        entries = value.get(kind)
        if not isinstance(entries, dict):
            continue
        location = {"reusableObjectsLocation": f"#/components/{kind}"}
        for problem in unreferenced_reusable_object(entries, location, ctx):
            yield Problem("Potentially unused component has been detected.", (kind, *problem.path), problem.at_key)
