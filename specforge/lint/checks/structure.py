"""``oas2-schema`` / ``oas3-schema``: the document against the official JSON Schema of its version.

Validation runs in Rust (jsonschema-rs); only failures are post-processed in Python: for
``oneOf``/``anyOf`` failures the branch closest to the instance is chosen (never the bare
Reference Object branch), so messages name the real problem at the real place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.model import Problem
from specforge.openapi.official_schemas import FRAGMENT_DEFINITIONS, validator

_MAX_PER_DOCUMENT = 200


def oas_schema(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Validate the root file, then every fragment the walk reached in other files."""
    fmt = ctx.format
    count = 0
    for problem in _problems(validator(fmt), value):
        yield problem
        count += 1
        if count >= _MAX_PER_DOCUMENT:
            return
    if ctx.index is None:
        return
    definitions = FRAGMENT_DEFINITIONS.get(fmt, {})
    root = ctx.document.root
    for kind, definition in definitions.items():
        for node in ctx.index.nodes(kind):
            if node.source is root or node.ref_from is None:
                continue
            for problem in _problems(validator(fmt, definition), node.value):
                yield Problem(problem.message, node.pointer + problem.path, problem.at_key, node.source)


def _problems(compiled: Any, instance: Any) -> Iterator[Problem]:
    if compiled.is_valid(instance):
        return
    for error in compiled.iter_errors(instance):
        yield from _explain(error, instance)


def _explain(error: Any, instance: Any) -> Iterator[Problem]:
    name = type(error.kind).__name__
    path = _pointer(instance, error.instance_path)
    if name in ("OneOfNotValid", "AnyOfNotValid", "AnyOf"):
        branch = _closest_branch(error.kind.context)
        if branch:
            for sub in branch:
                yield from _explain(sub, instance)
            return
    if name in ("AdditionalProperties", "UnevaluatedProperties"):
        for key in error.kind.unexpected:
            yield Problem(f'Property "{key}" is not expected here', path + (key,), at_key=True)
        return
    if name == "Required":
        yield Problem(f'"{error.kind.property}" property must be defined', path)
        return
    if name == "Enum":
        allowed = ", ".join(f'"{v}"' for v in error.kind.options)
        yield Problem(f"must be equal to one of the allowed values: {allowed}", path)
        return
    if name == "Type":
        yield Problem(f"must be {' or '.join(_ARTICLE.get(t, t) for t in error.kind.types)}", path)
        return
    if name == "Not":
        required = error.kind.schema.get("required") if isinstance(error.kind.schema, dict) else None
        if required and len(error.kind.schema) == 1:
            yield Problem(f"must not have {', '.join(repr(r) for r in required)} here", path)
            return
    yield Problem(_tidy(error.message), path)


_ARTICLE = {"object": "an object", "array": "an array", "integer": "an integer", "string": "a string",
            "number": "a number", "boolean": "a boolean", "null": "null"}


def _closest_branch(context: list[list[Any]]) -> list[Any] | None:
    """The branch whose errors go deepest and are fewest, skipping "is a Reference Object" branches."""
    candidates = [
        branch for branch in context
        if branch and not all(type(e.kind).__name__ == "Required" and e.kind.property == "$ref" for e in branch)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda b: (max(len(e.instance_path) for e in b), -len(b)))


def _pointer(instance: Any, path: list[Any]) -> tuple:
    """jsonschema-rs reports numeric-looking keys as ints; mapping keys are always strings here."""
    parts = []
    node = instance
    for part in path:
        if isinstance(node, dict):
            part = str(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        parts.append(part)
    return tuple(parts)


def _tidy(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."
