"""``typedEnum``: every enum value must match the schema's declared ``type``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import triggers
from specforge.lint.model import Problem


def matches_type(value: Any, type_name: str, nullable: bool = False) -> bool:
    """Whether a JSON value is of a JSON Schema type (integers count as numbers)."""
    if value is None:
        return type_name == "null" or nullable
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "object":
        return isinstance(value, dict)
    return type_name == "null" and value is None


@triggers("enum")
def typed_enum(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report enum entries that do not match ``type`` (``nullable``/``x-nullable`` allow null)."""
    if not isinstance(value, dict) or not isinstance(value.get("enum"), list) or "type" not in value:
        return
    types = value["type"] if isinstance(value["type"], list) else [value["type"]]
    if not all(isinstance(t, str) for t in types):
        return
    nullable = value.get("nullable") is True or value.get("x-nullable") is True
    for i, entry in enumerate(value["enum"]):
        if not any(matches_type(entry, t, nullable) for t in types):
            yield Problem(f'Enum value "{entry}" must be "{"|".join(types)}"', ("enum", i))
