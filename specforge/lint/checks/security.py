"""``oas2-`` / ``oas3-operation-security-defined``: security requirements name defined schemes and scopes.

Scopes are checked for OAuth2 schemes only: OpenID Connect scopes come from the discovery
document, and OpenAPI 3.1 lets other scheme types list role names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.path_items import follow
from specforge.lint.context import Context
from specforge.lint.model import Problem


def security_defined(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report requirements naming an undefined scheme, and scopes the OAuth2 scheme does not define."""
    if not isinstance(value, dict) or not value:
        return
    oas2 = ctx.format == "oas2"
    schemes = _schemes(ctx.document.data, oas2)
    where = "securityDefinitions" if oas2 else "components.securitySchemes"
    owner = "API" if ctx.node.parent is not None and ctx.node.parent.kind == "Root" else "Operation"
    for name, scopes in value.items():
        if name not in schemes:
            yield Problem(f'{owner} "security" values must match a scheme defined in the "{where}" object: '
                          f'"{name}" is not defined.', (name,), at_key=True)
            continue
        if not isinstance(scopes, list) or not scopes:
            continue
        found = follow(ctx, schemes[name], ctx.document.root, ())  # scheme refs are relative to the root file
        scheme = found.value if found is not None else None
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        if kind == "oauth2" and isinstance(scheme, dict):
            defined = _oauth_scopes(scheme, oas2)
            for i, scope in enumerate(scopes):
                if isinstance(scope, str) and scope not in defined:
                    yield Problem(f'"{scope}" must be listed among scopes of the "{name}" scheme.', (name, i))
        elif kind != "openIdConnect" and ctx.format in ("oas2", "oas3.0"):
            only = "oauth2" if oas2 else "oauth2 and openIdConnect"
            for i, scope in enumerate(scopes):  # one finding per scope, where Spectral puts them
                yield Problem(f'"{scope}" must be listed among scopes of the "{name}" scheme: a "{kind}" scheme'
                              f" has none (only {only} schemes have scopes).", (name, i))


def _schemes(root: Any, oas2: bool) -> dict:
    if not isinstance(root, dict):
        return {}
    if oas2:
        found = root.get("securityDefinitions")
    else:
        components = root.get("components")
        found = components.get("securitySchemes") if isinstance(components, dict) else None
    return found if isinstance(found, dict) else {}


def _oauth_scopes(scheme: dict, oas2: bool) -> set[str]:
    if oas2:
        scopes = scheme.get("scopes")
        return set(scopes) if isinstance(scopes, dict) else set()
    defined: set[str] = set()
    flows = scheme.get("flows")
    for flow in flows.values() if isinstance(flows, dict) else ():
        if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
            defined.update(flow["scopes"])
    return defined
