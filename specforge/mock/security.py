"""Declared security, checked for presence: which credentials are missing, and the 401 challenge."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from specforge.mock.operations import SecurityScheme


def cookies_of(environ: dict) -> dict[str, str]:
    raw = environ.get("HTTP_COOKIE", "")
    if not raw:
        return {}
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return {}
    return {k: m.value for k, m in jar.items()}


def _authorization(environ: dict) -> tuple[str, str]:
    scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    return scheme.lower(), credentials.strip()


def has_credentials(scheme: SecurityScheme, environ: dict, query: dict[str, list[str]]) -> bool:
    """True when the request carries a credential of the scheme's shape (its value is not checked)."""
    if scheme.kind == "apiKey":
        if scheme.location == "query":
            return bool(query.get(scheme.parameter))
        if scheme.location == "cookie":
            return bool(cookies_of(environ).get(scheme.parameter))
        return bool(environ.get("HTTP_" + scheme.parameter.upper().replace("-", "_"), "").strip())
    if scheme.kind == "http":
        given, credentials = _authorization(environ)
        return given == scheme.scheme and bool(credentials)
    if scheme.kind in ("oauth2", "openIdConnect"):
        given, credentials = _authorization(environ)
        return given == "bearer" and bool(credentials)
    return True  # mutualTLS and unknown kinds cannot be checked by an HTTP mock


def unmet(alternatives: list[list[SecurityScheme]], environ: dict, query: dict[str, list[str]]) -> list[SecurityScheme]:
    """The schemes of the closest alternative when no alternative is satisfied; ``[]`` when one is."""
    best: list[SecurityScheme] | None = None
    for schemes in alternatives:
        missing = [s for s in schemes if not has_credentials(s, environ, query)]
        if not missing:
            return []
        if best is None or len(missing) < len(best):
            best = missing
    return best or []


def challenge(alternatives: list[list[SecurityScheme]]) -> str:
    """A ``WWW-Authenticate`` value naming every accepted scheme (RFC 9110 section 11.6.1)."""
    parts: list[str] = []
    for schemes in alternatives:
        for s in schemes:
            if s.kind == "http":
                value = f'{s.scheme.capitalize()} realm="specforge"'
            elif s.kind in ("oauth2", "openIdConnect"):
                value = 'Bearer realm="specforge"'
            elif s.kind == "apiKey":
                value = f'ApiKey realm="specforge", in="{s.location}", name="{s.parameter}"'
            else:
                continue
            if value not in parts:
                parts.append(value)
    return ", ".join(parts) or 'Bearer realm="specforge"'
