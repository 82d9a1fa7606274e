"""Where an API is served: TLS only (OWASP API8:2023) and a declared environment (API9:2023).

Loopback hosts (``localhost``, ``127.0.0.1``, ``[::1]``) may use plain HTTP: traffic to them never
leaves the machine, and local development servers are the common reason to list them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.model import Problem

_LOOPBACK = re.compile(r"^(localhost|127(\.\d{1,3}){3}|\[?::1\]?|[\w.-]+\.localhost)(:\d+)?$", re.IGNORECASE)
_VARIABLE_SCHEME = re.compile(r"^\{([^}]+)\}://")
_ENVIRONMENT = re.compile(
    r"local|sandbox|alpha|beta|test|testing|stag|staging|prod|production|next|preprod|preproduction"
    r"|dev|development|qa|uat|demo|mock|live", re.IGNORECASE)


def is_loopback(host: str) -> bool:
    """True for ``localhost``, ``127.x.x.x``, ``[::1]`` and ``*.localhost`` (with or without a port)."""
    return bool(_LOOPBACK.match(host.strip()))


def server_http(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A Server Object's ``url`` (or the variable that supplies its scheme) does not use ``http``."""
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        return
    url = value["url"].strip()
    variable = _VARIABLE_SCHEME.match(url)
    if variable:
        name = variable.group(1)
        spec = (value.get("variables") or {}).get(name) if isinstance(value.get("variables"), dict) else None
        if not isinstance(spec, dict) or is_loopback(_host(url)):
            return
        if str(spec.get("default", "")).lower() == "http":
            yield Problem(f'server variable "{name}" defaults to http', ("variables", name, "default"))
        elif isinstance(spec.get("enum"), list) and "http" in [str(v).lower() for v in spec["enum"]]:
            yield Problem(f'server variable "{name}" allows http', ("variables", name, "enum"))
        return
    if url.lower().startswith("http:") and not is_loopback(_host(url)):
        yield Problem(url, ("url",))


def scheme_http(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """2.0: ``schemes`` (document or operation) lists only ``https``/``wss``, unless ``host`` is loopback."""
    schemes = value.get("schemes") if isinstance(value, dict) else None
    if not isinstance(schemes, list):
        return
    root = ctx.document.data
    if isinstance(root, dict) and isinstance(root.get("host"), str) and is_loopback(root["host"]):
        return
    for index, scheme in enumerate(schemes):
        if str(scheme).lower() in ("http", "ws"):
            yield Problem(str(scheme), ("schemes", index))


def server_environment(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A Server Object's ``description`` names its environment (production, staging, local...)."""
    if not isinstance(value, dict):
        return
    description = value.get("description")
    if not isinstance(description, str) or not description.strip():
        yield Problem("the server has no description")
    elif not _ENVIRONMENT.search(description):
        yield Problem("the description names no environment", ("description",))


def _host(url: str) -> str:
    """``host[:port]`` of a URL (also of a ``{scheme}://...`` template)."""
    rest = url.split("://", 1)[1] if "://" in url else url
    return rest.split("/", 1)[0].rsplit("@", 1)[-1]
