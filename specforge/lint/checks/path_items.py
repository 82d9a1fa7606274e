"""The entries of ``paths`` with their operations, ``$ref``s followed but their locations kept.

Document-level checks that compare path items with each other (duplicate operationIds,
equivalent templates) read the root ``paths`` map in document order, the way Spectral does: a
path item file referenced from two paths is seen twice, once under each path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specforge.document import RefError, Source
from specforge.lint.context import Context

#: Spectral's operation keys (``trace`` included for every version, as Spectral does).
OPERATION_KEYS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Located:
    """A value and where it is written (after following ``$ref``s)."""

    value: Any
    source: Source
    pointer: tuple


def follow(ctx: Context, value: Any, source: Source, pointer: tuple) -> Located | None:
    """``value`` with its ``$ref`` chain followed; None when a reference does not resolve."""
    for _ in range(32):
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return Located(value, source, pointer)
        try:
            target = ctx.document.workspace.resolve(value["$ref"], source)
        except RefError:
            return None
        value, source, pointer = target.value, target.source, target.pointer
    return None


@dataclass(frozen=True, slots=True)
class PathEntry:
    """One ``paths`` entry: its key (located in the paths map) and its resolved path item."""

    path: str
    key_source: Source
    key_pointer: tuple
    item: Located


def iter_path_entries(paths: dict, source: Source, pointer: tuple, ctx: Context) -> Iterator[PathEntry]:
    """Every path item of a ``paths`` map, in document order (extensions and broken refs skipped)."""
    for path, raw in paths.items():
        if not isinstance(path, str) or path.startswith("x-") or not isinstance(raw, dict):
            continue
        item = follow(ctx, raw, source, pointer + (path,))
        if item is not None and isinstance(item.value, dict):
            yield PathEntry(path, source, pointer + (path,), item)


def iter_operations(item: Located, ctx: Context) -> Iterator[tuple[str, Located]]:
    """(method, operation) of a resolved path item, in document order; ``$ref``'d operations followed
    (not allowed by the specification, but written in real specs and resolved by Spectral).
    """
    for method, operation in item.value.items():
        if method in OPERATION_KEYS and isinstance(operation, dict):
            located = follow(ctx, operation, item.source, item.pointer + (method,))
            if located is not None and isinstance(located.value, dict):
                yield method, located


def root_paths(ctx: Context) -> tuple[dict, Source, tuple] | None:
    """The root document's ``paths`` map and its location, if it is a mapping."""
    data = ctx.document.data
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, dict):
        return None
    return paths, ctx.document.root, ("paths",)
