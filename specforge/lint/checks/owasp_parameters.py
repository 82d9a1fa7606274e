"""What parameters reveal: guessable ids (API1:2023), credentials in URLs (API2), URLs to fetch (API7)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.security_view import declared_types, parameter_schema
from specforge.lint.context import Context
from specforge.lint.model import Problem

_ID_NAME = re.compile(r"^id$|(_id|Id|-id)$")
_CREDENTIAL = re.compile(r"client_?secret|token|password|secret|api-?_?key|passwd", re.IGNORECASE)
#: Names that mention a credential but do not carry one: pagination cursors and credential *identifiers*.
_NOT_A_CREDENTIAL = re.compile(
    r"(page|next|continuation|sync|resume|pagination|start|skip)[_-]?token"
    r"|(token|secret|key|password)[_-]?(id|ids|name|names|type|types|hint|expires?|expiry|length|policy)$",
    re.IGNORECASE,
)
_NOT_SECRET_TYPES = frozenset({"boolean", "integer", "number", "null"})
_URL_NAME = re.compile(r"^(callback|redirect|url|uri|webhook)$|(_url|Url|-url|_uri|Uri|-uri)$")


def numeric_id(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A parameter named ``id``, ``*_id``, ``*Id`` or ``*-id`` is not an integer."""
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not _ID_NAME.search(value["name"]):
        return
    schema, path = parameter_schema(value)
    if "integer" in declared_types(ctx.resolve(schema)):
        yield Problem(f'"{value["name"]}" is an integer', path or ("type",))


def credential_in_url(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A query or path parameter is not named like a credential (token, password, secret, API key)."""
    if not isinstance(value, dict) or value.get("in") not in ("query", "path"):
        return
    name = value.get("name")
    if not isinstance(name, str) or not _CREDENTIAL.search(name) or _NOT_A_CREDENTIAL.search(name):
        return
    types = declared_types(ctx.resolve(parameter_schema(value)[0]))
    if types and types <= _NOT_SECRET_TYPES:  # ``rotateToken: boolean`` asks for a rotation, it is no token
        return
    yield Problem(name, ("name",))


def url_parameter(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A parameter whose name says it carries a URL the server may fetch or redirect to."""
    if not isinstance(value, dict) or value.get("in") not in ("query", "path", "header", "cookie", "formData"):
        return
    name = value.get("name")
    if isinstance(name, str) and _URL_NAME.search(name):
        yield Problem(name, ("name",))
