"""RFC 6901 JSON pointers. Internally a pointer is a tuple of keys (str for mappings, int for sequences)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

Pointer = tuple  # tuple[str | int, ...]


def encode(pointer: Pointer) -> str:
    """``("paths", "/pets", "get")`` -> ``/paths/~1pets/get``; the root is ``""``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


def decode(text: str) -> tuple[str, ...]:
    """``/paths/~1pets`` (or a URI fragment ``/paths/~1pets`` with %-escapes) -> ``("paths", "/pets")``."""
    if not text:
        return ()
    if not text.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {text!r}")
    text = unquote(text)
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))


def lookup(data: Any, pointer: tuple) -> Any:
    """Follow ``pointer`` into ``data``; raises ``KeyError`` when a step is missing."""
    node = data
    for part in pointer:
        if isinstance(node, dict):
            node = node[part]
        elif isinstance(node, list):
            try:
                index = int(part)
            except (TypeError, ValueError):
                raise KeyError(part) from None
            if not 0 <= index < len(node):
                raise KeyError(part)
            node = node[index]
        else:
            raise KeyError(part)
    return node


def normalise_path(data: Any, path: list | tuple) -> tuple:
    """A path from a validator (jsonschema-rs reports numeric-looking keys as ints) as a pointer
    whose mapping keys are strings, following ``data``.
    """
    parts = []
    node = data
    for part in path:
        if isinstance(node, dict):
            part = str(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        parts.append(part)
    return tuple(parts)
