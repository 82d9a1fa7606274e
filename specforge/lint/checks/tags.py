"""Checks of tag names: global tags are unique, and operations use only global tags."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.model import Problem


def unique_tag_names(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report each tag whose name an earlier tag already has, at its ``name``."""
    if not isinstance(value, list):
        return
    seen: set[str] = set()
    for i, tag in enumerate(value):
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            yield Problem(f'"tags" object contains duplicate tag name "{name}".', (i, "name"))
        seen.add(name)


def tag_defined(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report each operation tag that is not the name of a global tag."""
    if not isinstance(value, list):
        return
    defined = _global_tag_names(ctx)
    for i, tag in enumerate(value):
        if isinstance(tag, str) and tag not in defined:
            yield Problem(f'Operation tag "{tag}" must be defined in global tags.', (i,))


def _global_tag_names(ctx: Context) -> frozenset[str]:
    """The names of the root ``tags``, computed once per document."""
    cached = ctx.document.cache.get("global_tag_names")
    if cached is None:
        root = ctx.document.data
        tags = root.get("tags") if isinstance(root, dict) else None
        cached = frozenset(t["name"] for t in tags if isinstance(t, dict) and isinstance(t.get("name"), str)) \
            if isinstance(tags, list) else frozenset()
        ctx.document.cache["global_tag_names"] = cached
    return cached


def sorted_tag_names(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report the first neighbours out of alphabetical order (ignoring case), at ``tags`` as Spectral does."""
    if not isinstance(value, list):
        return
    names = [tag.get("name") if isinstance(tag, dict) else None for tag in value]
    if not all(isinstance(name, str) for name in names):
        return
    texts: list[str] = [str(name) for name in names]
    for left, right in itertools.pairwise(texts):
        if left.casefold() > right.casefold():
            yield Problem(f'"{left}" must be placed after "{right}"')
            return
