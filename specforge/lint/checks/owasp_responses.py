"""Responses an API must document: rate limiting (OWASP API4:2023), errors and CORS (API8:2023).

Responses are checked once where they are defined, so headers written once on a shared
``$ref``'d response count for every operation that uses it. Header names are compared
case-insensitively, as HTTP does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from specforge.lint.checks.security_view import (
    header_names,
    is_api_operation,
    is_protected,
    locate,
    response_has_body,
)
from specforge.lint.context import Context
from specforge.lint.functions import with_options
from specforge.lint.model import Problem

#: Any one of these header sets declares rate limiting (IETF draft, GitHub, Twitter styles).
RATE_LIMIT_HEADER_SETS = (
    ("ratelimit",), ("ratelimit-policy",), ("ratelimit-limit", "ratelimit-reset"),
    ("x-ratelimit-limit",), ("x-rate-limit-limit",),
)


def _status(node_key: Any) -> str:
    return str(node_key).upper()


def _at_headers(response: dict) -> tuple:
    return ("headers",) if isinstance(response.get("headers"), dict) else ()


def rate_limit_headers(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each 2XX and 4XX response of an API operation declares rate-limit headers (once per definition)."""
    for response, source, pointer in _operation_responses(ctx, lambda status: status[:1] in ("2", "4")):
        names = header_names(response)
        if not any(all(name in names for name in group) for group in RATE_LIMIT_HEADER_SETS):
            yield Problem("no rate-limit headers", pointer + _at_headers(response), source=source)


def retry_after(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each 429 response of an API operation declares ``Retry-After`` (once per definition)."""
    for response, source, pointer in _operation_responses(ctx, lambda status: status == "429"):
        if "retry-after" not in header_names(response):
            yield Problem("no Retry-After header", pointer + _at_headers(response), source=source)


def _operation_responses(ctx: Context, wanted: Callable[[str], bool]) -> Iterator[tuple[dict, Any, tuple]]:
    """(response, file, pointer) of the API operations' responses whose status is ``wanted``, with
    ``$ref``s followed and each definition given once, however many operations share it.
    """
    assert ctx.index is not None
    seen: set[tuple[str, tuple]] = set()
    for node in ctx.index.nodes("Responses"):
        if not isinstance(node.value, dict) or not is_api_operation(node):
            continue
        for status, entry in node.value.items():
            if not wanted(_status(status)):
                continue
            found = locate(entry, node.source, node.pointer + (status,), ctx.document.workspace)
            if found is None or not isinstance(found[0], dict) or (found[1].path, found[2]) in seen:
                continue
            seen.add((found[1].path, found[2]))
            yield found


def cors_origin(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A response that declares headers includes ``Access-Control-Allow-Origin``."""
    if isinstance(value, dict) and _at_headers(value) and "access-control-allow-origin" not in header_names(value):
        yield Problem("Access-Control-Allow-Origin", ("headers",))


_RESPONSE_OPTIONS = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"type": "string"},
        "alternatives": {"type": "array", "items": {"type": "string"}},
        "body": {"type": "boolean"},
        "securedOnly": {"type": "boolean"},
    },
    "additionalProperties": False,
}


@with_options(_RESPONSE_OPTIONS)
def documented_response(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """The Responses Object of an API operation has ``status`` (or one of ``alternatives``), with a body if ``body``.

    ``securedOnly`` limits the check to operations covered by a security requirement (a public
    operation never answers 401).
    """
    if not isinstance(value, dict) or not is_api_operation(ctx.node):
        return
    if options.get("securedOnly"):
        operation = ctx.node.ancestor("Operation")
        if operation is None or not is_protected(operation.value, ctx.document.data):
            return
    by_status = {_status(key): key for key in value}
    wanted = [options["status"], *options.get("alternatives", ())]
    found = next((by_status[code.upper()] for code in wanted if code.upper() in by_status), None)
    if found is None:
        yield Problem(f"responses[{' or '.join(wanted)}]")
    elif options.get("body", True) and not response_has_body(ctx.resolve(value[found])):
        yield Problem(f"a body (content/schema) in responses[{found}]", (found,), at_key=True)
