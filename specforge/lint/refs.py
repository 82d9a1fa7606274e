"""Which parts of the root file are referenced: the basis of unused-component rules."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from specforge.document import Document, RefError, Source


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
        for ref in set(_refs_in(source)):  # a schema is referred to many times: each text once
            file_part, _, fragment = ref.partition("#")
            if not file_part and is_root:
                found.add(unquote(fragment) if "%" in fragment else fragment)
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


#: A ``"$ref"`` key with a string value, in JSON text. Inside a JSON string every quote is escaped, so
#: ``"$ref":`` can only be a key: the matches are exactly the ``$ref``s of the parsed data.
_JSON_REF = re.compile(r'"\$ref"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
#: The start of a ``"discriminator"`` member's value, in JSON text.
_JSON_DISCRIMINATOR = re.compile(r'"discriminator"\s*:\s*(?=\{)')
_DECODER = json.JSONDecoder()


def _refs_in(source: Source) -> list[str]:
    """The ``$ref`` strings of a file (and discriminator mappings, as refs).

    JSON text is searched directly (ten times faster than walking the parsed data); YAML, and JSON
    that spells keys with escapes, is walked.
    """
    text = source.text
    if source.syntax != "json" or "\\u" in text:
        return _iter_refs(source.data)
    refs = [json.loads(f'"{m}"') if "\\" in m else m for m in _JSON_REF.findall(text)]
    if '"mapping"' in text:
        for match in _JSON_DISCRIMINATOR.finditer(text):
            discriminator, _ = _DECODER.raw_decode(text, match.end())
            refs.extend(_mapping_refs(discriminator))
    return refs


def _mapping_refs(node: dict) -> list[str]:
    """A discriminator's ``mapping`` values as refs (bare names mean ``#/components/schemas/<name>``)."""
    mapping = node.get("mapping")
    if not isinstance(mapping, dict) or "propertyName" not in node:
        return []
    return [v if "#" in v or "/" in v else f"#/components/schemas/{v}" for v in mapping.values() if isinstance(v, str)]


def _iter_refs(data: Any) -> list[str]:
    refs: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                refs.append(ref)
            if "mapping" in node:
                refs.extend(_mapping_refs(node))
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return refs
