"""OpenAPI schemas -> self-contained JSON Schema 2020-12 documents, compiled once.

Every ``$ref`` (local or to another file) becomes ``#/$defs/<name>``; 2.0/3.0 keywords are rewritten in 2020-12
terms (``nullable``, boolean ``exclusiveMinimum``...). In the ``request`` direction ``readOnly`` properties are
not required (and ``writeOnly`` ones in the ``response`` direction), as the OpenAPI specification says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs

from specforge.document import Document, RefError, Source
from specforge.schema.dialect import normalise

#: Keywords whose value is one subschema, a list of subschemas, or a map of name -> subschema.
_ONE = ("additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "additionalItems")
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_HIDDEN_IN = {"request": "readOnly", "response": "writeOnly"}
#: OpenAPI's integer formats bound the value (JSON Schema ignores unknown formats).
_FORMAT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class SchemaBundler:
    """Bundle schemas of one document; converted ``$ref`` targets are shared between bundles."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.dialect = "oas3.1" if document.format in ("oas3.1", "oas3.2") else document.format
        self._names: dict[tuple, str] = {}
        self._defs: dict[tuple[str, str], tuple[Any, frozenset[str]]] = {}
        self.problems: list[str] = []

    def bundle(self, schema: Any, source: Source | None = None, direction: str = "request") -> Any:
        """``schema`` (written in ``source``) as a self-contained 2020-12 schema."""
        refs: set[str] = set()
        root = self._convert(schema, source or self.document.root, direction, refs)
        if not refs:
            return root
        closure = self._closure(refs, direction)
        if not isinstance(root, dict):
            root = {"allOf": [root]} if root is not True else {}
        return {**root, "$defs": {name: self._defs[(name, direction)][0] for name in closure}}

    def _closure(self, refs: set[str], direction: str) -> list[str]:
        seen: list[str] = []
        todo = sorted(refs)
        known: set[str] = set()
        while todo:
            name = todo.pop()
            if name in known:
                continue
            known.add(name)
            seen.append(name)
            todo.extend(self._defs[(name, direction)][1] - known)
        return seen

    def _ref(self, ref: str, source: Source, direction: str, refs: set[str]) -> dict:
        try:
            target = self.document.workspace.resolve(ref, source)
        except RefError as exc:
            self.problems.append(str(exc))
            return {}
        key = (id(target.source), target.pointer)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"d{len(self._names)}"
        refs.add(name)
        if (name, direction) not in self._defs:
            self._defs[(name, direction)] = ({}, frozenset())  # placeholder: cycles end here
            own: set[str] = set()
            converted = self._convert(target.value, target.source, direction, own)
            self._defs[(name, direction)] = (converted, frozenset(own))
        return {"$ref": f"#/$defs/{name}"}

    def _convert(self, node: Any, source: Source, direction: str, refs: set[str]) -> Any:
        if not isinstance(node, dict):
            return node if isinstance(node, bool) else {}
        out = normalise(node, self.dialect)
        ref = out.pop("$ref", None)
        for key in _ONE:
            if isinstance(out.get(key), (dict, bool)):
                out[key] = self._convert(out[key], source, direction, refs)
        for key in _MANY:
            if isinstance(out.get(key), list):
                out[key] = [self._convert(s, source, direction, refs) for s in out[key]]
        for key in _MAP:
            if isinstance(out.get(key), dict):
                out[key] = {k: self._convert(s, source, direction, refs) for k, s in out[key].items()}
        out.pop("definitions", None)
        out.pop("$defs", None)
        for key in ("discriminator", "externalDocs", "example", "nullable", "x-nullable"):
            out.pop(key, None)
        bounds = _FORMAT_BOUNDS.get(out.get("format")) if "integer" in (out.get("type") or ()) else None
        if bounds is not None:
            low, high = bounds
            if not isinstance(out.get("minimum"), (int, float)) or out["minimum"] < low:
                out["minimum"] = low
            if not isinstance(out.get("maximum"), (int, float)) or out["maximum"] > high:
                out["maximum"] = high
        if isinstance(out.get("required"), list) and isinstance(node.get("properties"), dict):
            hidden = _HIDDEN_IN[direction]
            drop = {k for k, s in node["properties"].items() if self._flag(s, source, hidden)}
            out["required"] = [k for k in out["required"] if k not in drop]
            if not out["required"]:
                del out["required"]
        if isinstance(ref, str):
            target = self._ref(ref, source, direction, refs)
            if not out:
                return target
            rest = out.get("allOf") if isinstance(out.get("allOf"), list) else []
            out["allOf"] = [target, *rest]
        return out

    def _flag(self, schema: Any, source: Source, flag: str) -> bool:
        for _ in range(8):
            if not isinstance(schema, dict):
                return False
            if schema.get(flag) is True:
                return True
            if not isinstance(schema.get("$ref"), str):
                return False
            try:
                target = self.document.workspace.resolve(schema["$ref"], source)
            except RefError:
                return False
            schema, source = target.value, target.source
        return False


Check = Callable[[Any], list[tuple[tuple, str]]]


class SchemaCompileError(ValueError):
    """A schema in the spec that the validator refuses (e.g. a pattern that is not a regex)."""


def compile_check(bundled: Any, formats: bool = True) -> Check:
    """A function ``instance -> [(json path, message), ...]`` (empty when valid); ``formats`` asserts ``format``."""
    try:
        validator = jsonschema_rs.Draft202012Validator(bundled, validate_formats=formats)
    except (ValueError, TypeError, jsonschema_rs.ValidationError) as exc:
        raise SchemaCompileError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    is_valid = validator.is_valid

    def check(instance: Any) -> list[tuple[tuple, str]]:
        if is_valid(instance):
            return []
        return [(tuple(e.instance_path), e.message) for e in validator.iter_errors(instance)]

    return check
