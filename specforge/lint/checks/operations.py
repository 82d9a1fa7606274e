"""Checks of one operation (responses, parameters, ``consumes``) and of operationIds across the API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.path_items import Located, iter_operations, iter_path_entries, root_paths
from specforge.lint.context import MISSING, Context
from specforge.lint.model import Problem

_STATUS = re.compile(r"\s*\d+(?:\.\d*)?\s*")


def success_response(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``responses`` has a 2xx or 3xx code (``2XX``/``3XX`` ranges count in OpenAPI 3)."""
    if not isinstance(value, dict):
        return
    ranges = ctx.format != "oas2"
    for code in value:
        text = str(code)
        if ranges and text.upper() in ("2XX", "3XX"):
            return
        if _STATUS.fullmatch(text) and 200 <= float(text) < 400:
            return
    yield Problem("Operation must define at least a single 2xx or 3xx response.")


def non_empty_tags(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``tags`` is a non-empty array; callback operations are skipped (documentation tools show
    them under the operation that registers them, so their tags group nothing).
    """
    if ctx.node.ancestor("Callback") is not None:
        return
    if value is MISSING:
        yield Problem('"tags" property must be defined')
    elif not isinstance(value, list) or not value:
        yield Problem('"tags" must be a non-empty array')


def operation_parameters(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """No two parameters share ``name`` + ``in``; at most one ``body``, never ``body`` with ``formData``."""
    if not isinstance(value, list) or len(value) < 2:
        return
    seen: set[tuple[str, str]] = set()
    bodies: list[int] = []
    form_data = False
    for i, raw in enumerate(value):
        param = ctx.resolve(raw)
        if not isinstance(param, dict):
            continue
        where, name = param.get("in"), param.get("name")
        fingerprint = (str(where), str(name).lower() if where == "header" else str(name))
        if fingerprint in seen:
            yield Problem(f'A parameter in this operation already exposes the same combination of "name" and "in" '
                          f'values ("{name}" in {where}).', (i,))
        seen.add(fingerprint)
        if where == "body":
            bodies.append(i)
        form_data = form_data or where == "formData"
    if bodies and form_data:
        yield Problem('Operation must not have both "in:body" and "in:formData" parameters.')
    for i in bodies[1:]:
        yield Problem('Operation must not have more than a single instance of the "in:body" parameter.', (i,))


_FORM_MEDIA = re.compile(r"application/x-www-form-urlencoded|multipart/form-data")


def form_data_consumes(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """2.0: an operation with ``in: formData`` parameters consumes a form media type.

    Path-item parameters count, and an operation without ``consumes`` inherits the global one.
    """
    if not isinstance(value, dict):
        return
    path_item = ctx.node.parent.value if ctx.node.parent is not None else {}
    parameters = [*(_as_list(path_item.get("parameters"))), *(_as_list(value.get("parameters")))]
    if not any(isinstance(p, dict) and p.get("in") == "formData" for p in map(ctx.resolve, parameters)):
        return
    root = ctx.document.data
    consumes = value["consumes"] if "consumes" in value else root.get("consumes")
    media = [str(m) for m in consumes] if isinstance(consumes, list) else []
    if not _FORM_MEDIA.search(",".join(media)):
        shown = ", ".join(f'"{m}"' for m in media) or "nothing"
        yield Problem("Consumes must include urlencoded, multipart, or form-data media type when using formData "
                      f"parameter (it lists {shown}).")


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def operation_id_unique(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report every operationId already used by an earlier operation, at its value.

    Paths come first in document order (a path item shared by two paths counts twice), then the
    operations of callbacks, webhooks and reusable path items.
    """
    first: dict[Any, str] = {}
    for label, operation in _all_operations(ctx):
        operation_id = operation.value.get("operationId")
        if operation_id is None or isinstance(operation_id, (dict, list)):
            continue
        if operation_id in first:
            yield Problem(f'Every operation must have unique "operationId": "{operation_id}" is already used by '
                          f"{first[operation_id]}.", operation.pointer + ("operationId",), source=operation.source)
        else:
            first[operation_id] = label


def _all_operations(ctx: Context) -> Iterator[tuple[str, Located]]:
    seen: set[tuple[int, tuple]] = set()
    located = root_paths(ctx)
    if located is not None:
        for entry in iter_path_entries(*located, ctx):
            for method, operation in iter_operations(entry.item, ctx):
                seen.add((id(operation.source), operation.pointer))
                yield f"{method.upper()} {entry.path}", operation
    if ctx.index is None:
        return
    for node in ctx.index.nodes("Operation"):
        if (id(node.source), node.pointer) in seen:
            continue
        item = node.parent
        where = f" {item.key}" if item is not None and isinstance(item.key, str) else ""
        yield f"{str(node.key).upper()}{where}", Located(node.value, node.source, node.pointer)

