"""JSON equality: ``json_key(v)`` is hashable and equal exactly when two JSON values are equal (1 == 1.0, True != 1)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any


def json_key(value: Any) -> Hashable:
    """A hashable key with JSON equality semantics."""
    if value is None:
        return ("z",)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, (list, tuple)):
        return ("l", tuple(json_key(v) for v in value))
    if isinstance(value, dict):
        return ("d", frozenset((k, json_key(v)) for k, v in value.items()))
    return ("o", repr(value))
