"""One view over schema dialects: OpenAPI 2.0, 3.0 Schema Objects and 3.1 (JSON Schema 2020-12).

``normalise(node, dialect)`` returns a shallow copy of one schema node written in 2020-12 terms:
``type`` is always a list, ``nullable``/``x-nullable`` add ``"null"``, boolean exclusive bounds become
numeric ones, ``type: file`` is a binary string, a 2.0 string ``discriminator`` becomes ``{"propertyName": ...}``,
tuple ``items`` become ``prefixItems`` and ``dependencies`` split into ``dependentRequired``/``dependentSchemas``.
Subschemas are left as they are (normalise them when you reach them).
"""

from __future__ import annotations

from typing import Any

DIALECTS = ("oas2", "oas3.0", "oas3.1")


def check_dialect(dialect: str) -> str:
    """Return ``dialect`` or raise ``ValueError`` naming the accepted ones."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    return dialect


def normalise(node: Any, dialect: str) -> Any:
    """One schema node in 2020-12 terms (booleans and non-dicts are returned unchanged)."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node and dialect != "oas3.1" and isinstance(node["$ref"], str):
        return {"$ref": node["$ref"]}  # 2.0/3.0: siblings of $ref are ignored
    out = dict(node)
    kind = out.get("type")
    if kind is not None:
        types = list(kind) if isinstance(kind, list) else [kind]
        types = ["string" if t == "file" else t for t in types if isinstance(t, str)]
        if "file" in (kind if isinstance(kind, list) else [kind]):
            out.setdefault("format", "binary")
        nullable = out.get("x-nullable") if dialect == "oas2" else out.get("nullable")
        if dialect != "oas3.1" and nullable is True and "null" not in types:
            types.append("null")
        out["type"] = types
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(key)
        if isinstance(flag, bool):
            if flag and isinstance(out.get(bound), (int, float)):
                out[key] = out.pop(bound)
            else:
                del out[key]
    disc = out.get("discriminator")
    if isinstance(disc, str):
        out["discriminator"] = {"propertyName": disc}
    if isinstance(out.get("items"), list):
        out["prefixItems"] = out.pop("items")
        if "additionalItems" in out:
            out["items"] = out.pop("additionalItems")
    deps = out.pop("dependencies", None)
    if isinstance(deps, dict):
        for name, dep in deps.items():
            key = "dependentRequired" if isinstance(dep, list) else "dependentSchemas"
            out.setdefault(key, {})[name] = dep
    if "example" in out and "examples" not in out:
        out["examples"] = [out["example"]]
    return out
