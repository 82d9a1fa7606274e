"""``alphabetical``: an array (or an object's keys) must be sorted, optionally by ``keyedBy``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": ["object", "null"],
    "properties": {"keyedBy": {"type": "string"}},
    "additionalProperties": False,
}


@skips_missing
@with_options(_SCHEMA)
def alphabetical(value: Any, options: dict | None, ctx: Context) -> Iterator[Problem]:
    """Report the first pair of neighbours that is out of order."""
    keyed_by = (options or {}).get("keyedBy")
    if isinstance(value, dict):
        items = list(value)
    elif isinstance(value, list):
        if keyed_by:
            items = [item.get(keyed_by) for item in value if isinstance(item, dict)]
        else:
            items = value
    else:
        return
    for i in range(len(items) - 1):
        left, right = items[i], items[i + 1]
        try:
            out_of_order = _key(left) > _key(right)
        except TypeError:
            continue
        if out_of_order:
            what = f"properties of {keyed_by!r}" if keyed_by else "items"
            yield Problem(f'{what} must be sorted alphabetically ("{left}" must come after "{right}")', (i,))
            return


def _key(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value
