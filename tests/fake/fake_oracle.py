"""Test-only helpers: find the request/response body schemas of a spec and validate instances independently
(openapi-schema-validator for 2.0/3.0, jsonschema Draft 2020-12 for 3.1).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

from specforge.document.pointer import decode, encode, lookup

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def load(path: Path) -> Any:
    """JSON or YAML, with YAML's non-string keys (``200:``) turned into strings as JSON would have them."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else _string_keys(yaml.safe_load(text))


def _string_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {(k if isinstance(k, str) else json.dumps(k) if not isinstance(k, (int, float)) or isinstance(k, bool)
                 else str(k)): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node


def dialect_of(doc: dict) -> str:
    if "swagger" in doc:
        return "oas2"
    return "oas3.1" if str(doc.get("openapi", "")).startswith("3.1") else "oas3.0"


def _deref(doc: dict, node: Any, pointer: tuple) -> tuple[Any, tuple]:
    for _ in range(8):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            pointer = decode(node["$ref"][1:])
            try:
                node = lookup(doc, pointer)
            except KeyError:
                return None, pointer
        else:
            break
    return node, pointer


def iter_body_schemas(doc: dict) -> Iterator[tuple[tuple, Any, str]]:
    """(pointer, schema, direction) for every request-body and response schema of the document."""
    seen: set = set()
    items = [("paths", k, v) for k, v in (doc.get("paths") or {}).items()]
    items += [("webhooks", k, v) for k, v in (doc.get("webhooks") or {}).items()]
    for section, path, item in items:
        item, where = _deref(doc, item, (section, path))
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base = where + (method,)
            found: list[tuple[tuple, Any, str]] = []
            if "swagger" in doc:
                params = [(where + ("parameters", i), x) for i, x in enumerate(item.get("parameters") or [])]
                params += [(base + ("parameters", i), x) for i, x in enumerate(op.get("parameters") or [])]
                for at, param in params:
                    param, ptr = _deref(doc, param, at)
                    if isinstance(param, dict) and param.get("in") == "body" and "schema" in param:
                        found.append((ptr + ("schema",), param["schema"], "request"))
                for code, resp in (op.get("responses") or {}).items():
                    resp, ptr = _deref(doc, resp, base + ("responses", code))
                    if isinstance(resp, dict) and "schema" in resp:
                        found.append((ptr + ("schema",), resp["schema"], "response"))
            else:
                body, ptr = _deref(doc, op.get("requestBody"), base + ("requestBody",))
                for media, obj in ((body or {}).get("content") or {}).items() if isinstance(body, dict) else ():
                    if isinstance(obj, dict) and "schema" in obj:
                        found.append((ptr + ("content", media, "schema"), obj["schema"], "request"))
                for code, resp in (op.get("responses") or {}).items():
                    resp, ptr = _deref(doc, resp, base + ("responses", code))
                    for media, obj in ((resp or {}).get("content") or {}).items() if isinstance(resp, dict) else ():
                        if isinstance(obj, dict) and "schema" in obj:
                            found.append((ptr + ("content", media, "schema"), obj["schema"], "response"))
            for ptr, schema, direction in found:
                key = (id(schema), direction)
                if key not in seen and isinstance(schema, (dict, bool)):
                    seen.add(key)
                    yield ptr, schema, direction


def _strip_required(doc: Any, hidden: str) -> Any:
    """For 3.1 oracles: drop required names whose property is ``hidden`` (readOnly/writeOnly)."""
    out = copy.deepcopy(doc)

    def flag(node: Any) -> bool:
        node, _ = _deref(out, node, ())
        if not isinstance(node, dict):
            return False
        branches = [_deref(out, b, ())[0] for b in node.get("allOf") or ()]
        return node.get(hidden) is True or any(isinstance(b, dict) and b.get(hidden) is True for b in branches)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props, req = node.get("properties"), node.get("required")
            if isinstance(props, dict) and isinstance(req, list):
                node["required"] = [r for r in req if not (r in props and flag(props[r]))]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(out)
    return out


def _xnullable(doc: Any) -> Any:
    out = copy.deepcopy(doc)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("x-nullable") is True:
                node["nullable"] = True
            if node.get("type") == "file":
                node["type"] = "string"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(out)
    return out


class Oracle:
    """``Oracle(doc).errors(pointer, direction, value)`` -> list of (keyword, schema path) of violations."""

    def __init__(self, doc: dict, dialect: str | None = None) -> None:
        self.doc = doc
        self.dialect = dialect or dialect_of(doc)
        self._docs: dict[str, Any] = {}

    def _doc(self, direction: str) -> Any:
        """OpenAPI says ``required`` does not apply to readOnly properties in requests (writeOnly in responses);
        openapi-schema-validator only knows it when readOnly is written on the property itself, not behind a
        ``$ref``, so the oracle's copy drops those names from ``required`` first.
        """
        if direction not in self._docs:
            hidden = "readOnly" if direction == "request" else "writeOnly"
            base = _xnullable(self.doc) if self.dialect == "oas2" else self.doc
            self._docs[direction] = _strip_required(base, hidden)
        return self._docs[direction]

    def validator(self, pointer: tuple, direction: str) -> Callable[[Any], list]:
        root = dict(self._doc(direction))
        root["$ref"] = "#" + encode(pointer)
        if self.dialect == "oas3.1":
            root.pop("$schema", None)
            v = Draft202012Validator(root, format_checker=FormatChecker())
        else:
            cls = OAS30WriteValidator if direction == "request" else OAS30ReadValidator
            v = cls(root, format_checker=oas30_format_checker)
        return lambda value: [(e.validator, "/".join(map(str, e.absolute_schema_path)), e.message[-160:])
                             for e in v.iter_errors(value)]

    def errors(self, pointer: tuple, direction: str, value: Any) -> list:
        return self.validator(pointer, direction)(value)


def schema_validator(schema: Any, dialect: str, direction: str = "response") -> Callable[[Any], list]:
    """An oracle for a standalone schema (its ``$ref``s are relative to the schema itself)."""
    if dialect == "oas3.1":
        hidden = "readOnly" if direction == "request" else "writeOnly"
        v = Draft202012Validator(_strip_required(schema, hidden), format_checker=FormatChecker())
    else:
        cls = OAS30WriteValidator if direction == "request" else OAS30ReadValidator
        v = cls(_xnullable(schema) if dialect == "oas2" else schema, format_checker=oas30_format_checker)
    return lambda value: [(e.validator, "/".join(map(str, e.absolute_schema_path)), e.message[-160:])
                             for e in v.iter_errors(value)]
