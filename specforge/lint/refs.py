"""Which parts of the root file are referenced: the basis of unused-component rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from specforge.document import Document, RefError


def referenced_pointers(document: Document) -> frozenset[str]:
    """Every ``#/...`` fragment (percent-decoded) that some ``$ref`` or discriminator mapping aims at
    in the root file, from any loaded file. Computed once per document.
    """
    cached = document.cache.get("referenced_pointers")
    if cached is not None:
        return cached
    workspace = document.workspace
    root_location = workspace.location(workspace.root)
    found: set[str] = set()
    pending = list(workspace.sources)
    done: set[int] = set()
    while pending:
        source = pending.pop()
        if id(source) in done:
            continue
        done.add(id(source))
        is_root = source is workspace.root
        for ref in _iter_refs(source.data):
            file_part, _, fragment = ref.partition("#")
            if not file_part and is_root:
                found.add(unquote(fragment))
            elif file_part:
                try:
                    target = workspace.resolve(ref, source)
                except RefError:  # unresolvable refs are another rule's finding
                    continue
                if workspace.location(target.source) == root_location:
                    found.add(unquote(fragment))
                pending.append(target.source)
    result = frozenset(found)
    document.cache["referenced_pointers"] = result
    return result


def _iter_refs(data: Any) -> list[str]:
    refs: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                refs.append(ref)
            mapping = node.get("mapping")
            if isinstance(mapping, dict) and "propertyName" in node:
                refs.extend(v if "#" in v or "/" in v else f"#/components/schemas/{v}"
                            for v in mapping.values() if isinstance(v, str))
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return refs
