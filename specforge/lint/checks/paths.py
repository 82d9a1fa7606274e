"""Checks over the keys and templates of ``paths``: ``path-params`` and the path-key patterns.

``path-params`` follows Spectral's ``oasPathParam``: every ``{name}`` of a path is declared as an
``in: path`` parameter (path item and operation levels merged), every declared path parameter
is used in the path and is ``required: true``, no name is declared twice on one level or used
twice in one path, and no two paths are the same template with different variable names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.path_items import Located, PathEntry, follow, iter_operations, iter_path_entries
from specforge.lint.context import Context
from specforge.lint.functions import shares_entries, with_options
from specforge.lint.functions.pattern import compile_pattern
from specforge.lint.model import Problem

# ``{id}``, and the RFC 6570 forms Spectral tolerates (``{;id}``, ``{?id}``, ``{id*}``).
_TEMPLATE = re.compile(r"\{([^{}/]+)\}")


def template_names(path: str) -> list[str]:
    """The variable names of a path template, in order (``/a/{x}/{y*}`` -> ``["x", "y"]``)."""
    return [match.group(1).lstrip(";?").rstrip("*") for match in _TEMPLATE.finditer(path)]


@shares_entries
def path_params(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report undeclared, unused, optional, repeated and equivalent path parameters."""
    if not isinstance(value, dict):
        return
    first_of_shape: dict[str, str] = {}
    for entry in iter_path_entries(value, ctx.node.source, ctx.node.pointer, ctx):
        shape = _TEMPLATE.sub("%", entry.path)
        checked = ctx.reports_on(entry.path)
        if shape in first_of_shape:
            if checked:
                yield _at_key(entry, f'Paths "{first_of_shape[shape]}" and "{entry.path}" must not be equivalent.')
        else:
            first_of_shape[shape] = entry.path
        if checked:
            yield from _check_entry(entry, ctx)


def _check_entry(entry: PathEntry, ctx: Context) -> Iterator[Problem]:
    path = entry.path
    expected: list[str] = []
    for name in template_names(path):
        if name in expected:
            yield _at_key(entry, f'Path "{path}" must not use parameter "{{{name}}}" multiple times.')
        else:
            expected.append(name)
    item = entry.item
    shared: dict[str, Located] = {}
    yield from _declared(item.value.get("parameters"), item, shared, ctx)
    for _method, operation in iter_operations(item, ctx):
        own: dict[str, Located] = {}
        yield from _declared(operation.value.get("parameters"), operation, own, ctx)
        declared = {**shared, **own}
        for name, where in declared.items():
            if name not in expected:
                yield _at(where, f'Parameter "{name}" must be used in path "{path}".')
        for name in expected:
            if name not in declared:
                yield _at(operation, f'Operation must define parameter "{{{name}}}" as expected by path "{path}".')


def _declared(parameters: Any, owner: Located, found: dict[str, Located], ctx: Context) -> Iterator[Problem]:
    """Collect the ``in: path`` parameters of one level into ``found``; report bad declarations."""
    if not isinstance(parameters, list):
        return
    for i, raw in enumerate(parameters):
        if not isinstance(raw, dict):
            continue
        param = follow(ctx, raw, owner.source, owner.pointer + ("parameters", i))
        if param is None or not isinstance(param.value, dict):
            continue
        name = param.value.get("name")
        if param.value.get("in") != "path" or not isinstance(name, str):
            continue
        if param.value.get("required") is not True:
            yield _at(param, f'Path parameter "{name}" must have "required" property that is set to "true".')
        if name in found:
            yield _at(param, f'Path parameter "{name}" must not be defined multiple times.')
        else:
            found[name] = param


def _at(where: Located, message: str) -> Problem:
    return Problem(message, where.pointer, source=where.source)


def _at_key(entry: PathEntry, message: str) -> Problem:
    return Problem(message, entry.key_pointer, at_key=True, source=entry.key_source)


_KEY_OPTIONS = {
    "type": "object",
    "required": ["notMatch", "reason"],
    "properties": {"notMatch": {"type": "string"}, "reason": {"type": "string"}},
    "additionalProperties": False,
}


@shares_entries
@with_options(_KEY_OPTIONS)
def path_key(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report each path key (of ``paths`` only) matching ``notMatch``: 'Path "<key>" <reason>.'."""
    if not isinstance(value, dict):
        return
    forbidden = compile_pattern(options["notMatch"])
    for key in value:
        if isinstance(key, str) and not key.startswith("x-") and ctx.reports_on(key) and forbidden.search(key):
            yield Problem(f'Path "{key}" {options["reason"]}.', (key,), at_key=True)
