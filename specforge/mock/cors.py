"""CORS for local frontend work: preflights answered, requested methods and headers mirrored.

The request's ``Origin`` is echoed (never ``*``) together with ``Access-Control-Allow-Credentials: true``, so
credentialed browser requests (cookies, ``Authorization``) work; ``Vary: Origin`` keeps caches honest.
"""

from __future__ import annotations

MAX_AGE_SECONDS = "600"


def is_preflight(method: str, environ: dict) -> bool:
    return method == "OPTIONS" and "HTTP_ORIGIN" in environ and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ


def preflight_headers(environ: dict, allow: str) -> list[tuple[str, str]]:
    """Headers answering a preflight: the asked method (when declared) and headers are allowed."""
    asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "").strip().upper()
    methods = [m.strip() for m in allow.split(",")]
    headers = [
        ("Access-Control-Allow-Origin", environ["HTTP_ORIGIN"]),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", asked if asked in methods else allow),
        ("Access-Control-Max-Age", MAX_AGE_SECONDS),
        ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
    ]
    requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "").strip()
    if requested:
        headers.append(("Access-Control-Allow-Headers", requested))
    return headers


def response_headers(environ: dict, exposed: list[str]) -> list[tuple[str, str]]:
    """Headers for an actual (non-preflight) response."""
    origin = environ.get("HTTP_ORIGIN")
    if origin is None:
        return [("Access-Control-Allow-Origin", "*")]
    headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"),
               ("Vary", "Origin")]
    if exposed:
        headers.append(("Access-Control-Expose-Headers", ", ".join(exposed)))
    return headers
