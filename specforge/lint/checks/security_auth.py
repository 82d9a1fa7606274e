"""Checks on Security Scheme Objects: how clients authenticate (OWASP API2:2023 and OAuth 2.1).

Every check reads the scheme through ``security_view.scheme_view``, so 2.0 ``securityDefinitions``
and 3.x ``components.securitySchemes`` are checked alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.security_view import scheme_view
from specforge.lint.context import Context
from specforge.lint.model import Problem

_INSECURE_HTTP_SCHEMES = frozenset({"negotiate", "oauth"})
_RFC8725 = re.compile(r"RFC\s*-?\s*8725", re.IGNORECASE)
#: Flows that are issued refresh tokens (RFC 6749 §4.1, §4.3); implicit and client credentials are not.
_REFRESHABLE_FLOWS = frozenset({"authorizationCode", "password"})
_DEPRECATED_FLOWS = {
    "implicit": "the implicit flow returns the token in the redirect URL, where it leaks",
    "password": "the password flow hands the user's password to the client",
}


def http_basic(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report an HTTP Basic scheme (3.x ``scheme: basic``, 2.0 ``type: basic``)."""
    view = scheme_view(value)
    if view is not None and view.http_scheme == "basic":
        yield Problem("Security scheme uses HTTP Basic", view.http_scheme_path)


def api_key_in_url(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report an API key sent in the query string or the path."""
    view = scheme_view(value)
    if view is not None and view.api_key_in in ("query", "path"):
        yield Problem(f'the key is sent "in: {view.api_key_in}"', ("in",))


def api_key_in_cookie(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report an API key sent as a cookie."""
    view = scheme_view(value)
    if view is not None and view.api_key_in == "cookie":
        yield Problem("API key sent in a cookie", ("in",))


def insecure_http_scheme(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report the HTTP ``negotiate`` (NTLM/Kerberos) and ``oauth`` (OAuth 1) schemes."""
    view = scheme_view(value)
    if view is not None and view.http_scheme in _INSECURE_HTTP_SCHEMES:
        yield Problem(str(value["scheme"]), view.http_scheme_path)


def jwt_rfc8725(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """OAuth 2 and ``bearerFormat: JWT`` schemes must say in their description that they follow RFC 8725."""
    view = scheme_view(value)
    if view is None:
        return
    uses_jwt = view.type == "oauth2" or str(value.get("bearerFormat", "")).strip().lower() == "jwt"
    if not uses_jwt:
        return
    description = value.get("description")
    if not isinstance(description, str) or not description.strip():
        yield Problem("the scheme has no description")
    elif not _RFC8725.search(description):
        yield Problem("the description does not mention RFC8725", ("description",))


def refresh_url(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each authorization-code or password flow declares a ``refreshUrl``."""
    view = scheme_view(value)
    if view is None:
        return
    for flow in view.flows:
        if flow.name in _REFRESHABLE_FLOWS and not flow.value.get("refreshUrl"):
            yield Problem(f'the "{flow.name}" flow has no refreshUrl', flow.path)


def deprecated_flows(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report OAuth 2 implicit and password flows (removed by OAuth 2.1)."""
    view = scheme_view(value)
    if view is None:
        return
    for flow in view.flows:
        if flow.name in _DEPRECATED_FLOWS:
            yield Problem(f'OAuth 2 "{flow.name}" flow is removed by OAuth 2.1: {_DEPRECATED_FLOWS[flow.name]}',
                          flow.path)
