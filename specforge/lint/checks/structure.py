"""``oas2-schema`` / ``oas3-schema``: the document against the official JSON Schema of its version.

Validation runs in Rust (jsonschema-rs); only failures are post-processed in Python: for
``oneOf``/``anyOf`` failures the branch closest to the instance is chosen (never the bare
Reference Object branch), so messages name the real problem at the real place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.document.pointer import normalise_path
from specforge.lint.context import Context
from specforge.lint.model import Problem
from specforge.openapi.official_schemas import FRAGMENT_DEFINITIONS, validator

_MAX_PER_DOCUMENT = 10_000  # a safety valve for generated garbage, not a display limit


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
    path = normalise_path(instance, error.instance_path)
    if name in _COMBINATORS:
        options = _best_branches(error.kind.context)
        merged = _merged_enum(options)
        if merged is not None:
            yield Problem(f"must be equal to one of the allowed values: {', '.join(merged[1])}",
                          normalise_path(instance, merged[0]))
            return
        if options:
            for sub in max(options, key=lambda b: max(len(e.instance_path) for e in b)):
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


_COMBINATORS = ("OneOfNotValid", "AnyOfNotValid", "AnyOf")
_ARTICLE = {"object": "an object", "array": "an array", "integer": "an integer", "string": "a string",
            "number": "a number", "boolean": "a boolean", "null": "null"}


def _is_reference_branch(branch: list[Any]) -> bool:
    return all(type(e.kind).__name__ == "Required" and e.kind.property == "$ref" for e in branch)


def _cost(branch: list[Any]) -> int:
    """How far an instance is from a branch: its errors, a nested combinator counting as its best branch."""
    total = 0
    for error in branch:
        if type(error.kind).__name__ in _COMBINATORS:
            options = [b for b in error.kind.context if b and not _is_reference_branch(b)]
            total += min((_cost(b) for b in options), default=1)
        else:
            total += 1
    return total


def _best_branches(context: list[list[Any]]) -> list[list[Any]]:
    """The cheapest branches (nested combinators flattened to their own cheapest), never a
    "must be a Reference Object" branch.
    """
    candidates = [branch for branch in context if branch and not _is_reference_branch(branch)]
    if not candidates:
        return []
    cheapest = min(_cost(b) for b in candidates)
    best: list[list[Any]] = []
    for branch in candidates:
        if _cost(branch) != cheapest:
            continue
        if len(branch) == 1 and type(branch[0].kind).__name__ in _COMBINATORS:
            best.extend(_best_branches(branch[0].kind.context) or [branch])
        else:
            best.append(branch)
    return best


def _merged_enum(branches: list[list[Any]]) -> tuple[list[Any], list[str]] | None:
    """When every best branch fails only on an enum of one same property (``in`` of a 2.0 parameter,
    ``type`` of a security scheme), the union of their allowed values and where that property is.
    """
    leaves = [b[0] for b in branches if len(b) == 1 and type(b[0].kind).__name__ in ("Enum", "Constant")]
    if not leaves or len(leaves) != len(branches) or len({tuple(x.instance_path) for x in leaves}) != 1:
        return None
    values: list[str] = []
    for leaf in leaves:
        options = leaf.kind.options if type(leaf.kind).__name__ == "Enum" else [leaf.kind.expected_value]
        values.extend(f'"{v}"' for v in options if f'"{v}"' not in values)
    return list(leaves[0].instance_path), values


def _tidy(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."
