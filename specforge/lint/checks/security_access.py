"""Who may call what: operations protected by a security requirement (OWASP API2 and API5:2023)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.security_view import (
    READ_METHODS,
    WRITE_METHODS,
    effective_security,
    is_api_operation,
    iter_requirement_entries,
    operation_method,
    path_of,
)
from specforge.lint.context import Context
from specforge.lint.functions import with_options
from specforge.lint.model import Problem

_OPTIONS = {
    "type": "object",
    "properties": {
        "methods": {"type": "array", "items": {"type": "string"}},
        "allowAnonymous": {"type": "boolean"},
    },
    "additionalProperties": False,
}


@with_options(_OPTIONS)
def restricted(value: Any, options: dict | None, ctx: Context) -> Iterator[Problem]:
    """An operation whose method is in ``methods`` must be covered by a non-empty security requirement.

    ``security: []`` written on the operation is an explicit opt-out and gets its own message; an
    empty requirement ``{}`` among others makes authentication optional, which is reported unless
    ``allowAnonymous``.
    """
    options = options or {}
    methods = {m.lower() for m in options.get("methods") or ()} or (READ_METHODS | WRITE_METHODS)
    method = operation_method(ctx.node)
    if method not in methods or not is_api_operation(ctx.node) or not isinstance(value, dict):
        return
    kind = "write" if method in WRITE_METHODS else "read"
    security = effective_security(value, ctx.document.data)
    requirements = security.requirements
    if not isinstance(requirements, list) or not any(r for _, r in iter_requirement_entries(requirements)):
        if security.declared_on_operation:
            yield Problem(f"This {kind} operation opts out of security with an empty "
                          f"`security: {_shown(requirements)}`", ("security",))
        elif requirements is None:
            yield Problem(f"This {kind} operation is not protected by any security scheme")
        else:
            yield Problem(f"This {kind} operation is not protected: the document-wide `security` is "
                          f"`{_shown(requirements)}`")
        return
    if options.get("allowAnonymous"):
        return
    for index, requirement in iter_requirement_entries(requirements):
        if not requirement:
            where = ("security", index) if security.declared_on_operation else ()
            yield Problem(f"This {kind} operation also accepts anonymous calls (an empty `{{}}` security "
                          "requirement)", where)


def _shown(requirements: Any) -> str:
    return "[]" if not requirements else "[{}]" if isinstance(requirements, list) else repr(requirements)


_ADMIN_OPTIONS = {
    "type": "object",
    "properties": {"adminUrl": {"type": "string"}},
    "additionalProperties": False,
}


@with_options(_ADMIN_OPTIONS)
def admin_security_unique(value: Any, options: dict | None, ctx: Context) -> Iterator[Problem]:
    """Operations under an admin path must not share a security requirement with non-admin operations.

    Only requirements written on operations are compared (as Spectral does); scopes are compared
    as sets, so ``[read, write]`` and ``[write, read]`` are the same requirement.
    """
    assert ctx.index is not None
    admin_url = (options or {}).get("adminUrl", "/admin")
    admin_entries = []
    public: set[str] = set()
    for node in ctx.index.nodes("Operation"):
        if not is_api_operation(node) or not isinstance(node.value, dict) or "security" not in node.value:
            continue
        is_admin = admin_url in path_of(node)
        for index, requirement in iter_requirement_entries(node.value["security"]):
            key = _requirement_key(requirement)
            if is_admin:
                admin_entries.append((node, index, key))
            else:
                public.add(key)
    for node, index, key in admin_entries:
        if key in public:
            yield Problem(f"Admin endpoint {path_of(node)} has the same security requirement as a non-admin "
                          "endpoint", node.pointer + ("security", index), source=node.source)


def _requirement_key(requirement: dict) -> str:
    normalised = {str(name): sorted(map(str, scopes)) if isinstance(scopes, list) else scopes
                  for name, scopes in requirement.items()}
    return json.dumps(normalised, sort_keys=True)
