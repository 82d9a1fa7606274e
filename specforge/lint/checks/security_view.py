"""One view of security schemes, requirements, operations and responses over OpenAPI 2.0 and 3.x.

The security checks ask the questions below instead of testing the document version: a 2.0
``type: basic`` scheme and a 3.x ``type: http, scheme: basic`` scheme are both ``http_scheme ==
"basic"``; a 2.0 ``flow: accessCode`` and a 3.x ``flows.authorizationCode`` are both the flow
``authorizationCode``; a 2.0 response ``schema`` and a 3.x response ``content`` are both a body.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specforge.document import RefError, Source, Workspace
from specforge.lint.walk import Node

#: 2.0 flow names -> the 3.x names used everywhere in the checks.
_FLOW_NAMES = {"application": "clientCredentials", "accessCode": "authorizationCode"}

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
READ_METHODS = frozenset({"get", "head"})


@dataclass(frozen=True)
class Flow:
    """An OAuth 2 flow: its 3.x name, its fields, and where to report it (relative to the scheme)."""

    name: str
    value: dict
    path: tuple


@dataclass(frozen=True)
class SchemeView:
    """What a security scheme is, whatever the version that declares it."""

    type: str
    http_scheme: str | None  # lower-cased HTTP auth scheme: "basic", "bearer", "negotiate"...
    http_scheme_path: tuple  # where the HTTP scheme is named: ("scheme",) in 3.x, ("type",) in 2.0
    api_key_in: str | None
    flows: tuple[Flow, ...]


def scheme_view(value: Any) -> SchemeView | None:
    """The normalised view of a Security Scheme Object (None for a non-mapping)."""
    if not isinstance(value, dict):
        return None
    kind = str(value.get("type", ""))
    if kind == "basic":  # 2.0
        return SchemeView("http", "basic", ("type",), None, ())
    http_scheme = str(value["scheme"]).strip().lower() if kind == "http" and "scheme" in value else None
    api_key_in = str(value.get("in")) if kind == "apiKey" and "in" in value else None
    flows: tuple[Flow, ...] = ()
    if kind == "oauth2":
        if isinstance(value.get("flows"), dict):  # 3.x
            flows = tuple(Flow(name, flow, ("flows", name)) for name, flow in value["flows"].items()
                          if isinstance(flow, dict) and not str(name).startswith("x-"))
        elif isinstance(value.get("flow"), str):  # 2.0: the scheme is its one flow
            flow_name = str(value["flow"])
            flows = (Flow(_FLOW_NAMES.get(flow_name, flow_name), value, ("flow",)),)
    return SchemeView(kind, http_scheme, ("scheme",), api_key_in, flows)


def operation_method(node: Node) -> str | None:
    """The HTTP method of an Operation node (its key in the Path Item)."""
    return str(node.key).lower() if node.kind == "Operation" and node.key is not None else None


def is_api_operation(node: Node) -> bool:
    """True for operations of ``paths`` (not callbacks the API makes, nor 3.1 webhooks)."""
    path_item = node.parent if node.kind == "Operation" else node.ancestor("PathItem")
    return path_item is not None and path_item.parent is not None and path_item.parent.kind == "Paths"


def path_of(node: Node) -> str:
    """The path template an operation (or anything below it) belongs to, e.g. ``/pets/{id}``."""
    path_item = node if node.kind == "PathItem" else node.ancestor("PathItem")
    return str(path_item.key) if path_item is not None else ""


@dataclass(frozen=True)
class EffectiveSecurity:
    """The security requirements that apply to an operation and where they were written."""

    requirements: Any  # a list of requirement objects, or None when nothing applies
    declared_on_operation: bool


def effective_security(operation: dict, root: Any) -> EffectiveSecurity:
    """The operation's own ``security``, else the document's (the override rule of 2.0 and 3.x)."""
    if "security" in operation:
        return EffectiveSecurity(operation["security"], True)
    inherited = root.get("security") if isinstance(root, dict) else None
    return EffectiveSecurity(inherited, False)


def is_protected(operation: dict, root: Any) -> bool:
    """True when some non-empty requirement applies to the operation."""
    requirements = effective_security(operation, root).requirements
    return isinstance(requirements, list) and any(isinstance(r, dict) and r for r in requirements)


def response_has_body(response: Any) -> bool:
    """A described payload: non-empty ``content`` (3.x) or a ``schema`` (2.0)."""
    return isinstance(response, dict) and bool(response.get("content") or response.get("schema"))


def header_names(response: Any) -> dict[str, str]:
    """The response's header names, lower-cased -> as written (header names are case-insensitive)."""
    headers = response.get("headers") if isinstance(response, dict) else None
    return {str(name).lower(): str(name) for name in headers} if isinstance(headers, dict) else {}


def declared_types(schema: Any) -> frozenset[str]:
    """The ``type`` of a schema (or 2.0 parameter/header/items) as a set; 3.1 allows a list."""
    if not isinstance(schema, dict):
        return frozenset()
    kind = schema.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        return frozenset(k for k in kind if isinstance(k, str))
    return frozenset()


def parameter_schema(parameter: dict) -> tuple[Any, tuple]:
    """(the schema describing a parameter's value, its path relative to the parameter).

    3.x and 2.0 ``in: body`` parameters carry a ``schema``; other 2.0 parameters are their own schema.
    """
    if "schema" in parameter:
        return parameter["schema"], ("schema",)
    return parameter, ()


def iter_requirement_entries(requirements: Any) -> Iterator[tuple[int, dict]]:
    """(index, requirement) for each mapping in a ``security`` list."""
    if isinstance(requirements, list):
        for index, requirement in enumerate(requirements):
            if isinstance(requirement, dict):
                yield index, requirement


def locate(value: Any, source: Source, pointer: tuple, workspace: Workspace) -> tuple[Any, Source, tuple] | None:
    """(value, file, pointer) where ``value`` is defined, following ``$ref`` chains; None if one is broken."""
    for _ in range(32):
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return value, source, pointer
        try:
            target = workspace.resolve(value["$ref"], source)
        except RefError:
            return None
        value, source, pointer = target.value, target.source, target.pointer
    return None
