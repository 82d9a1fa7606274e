"""Declared security, checked for presence: which credentials are missing, and the 401 challenge."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection

from specforge.mock.operations import SecurityScheme

_ESCAPE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)) if m.group(1) else m.group(2), value[1:-1])


def cookies_of(environ: dict) -> dict[str, str]:
    r"""``Cookie: a=1; b="x\073y"`` -> ``{"a": "1", "b": "x;y"}``.

    Lenient like a server framework: a segment without ``=`` continues the previous value (clients that do not
    quote a ``;`` inside a value send it that way), and odd characters never drop the whole header.
    """
    out: dict[str, str] = {}
    last: str | None = None
    for segment in environ.get("HTTP_COOKIE", "").split(";"):
        name, found, value = segment.partition("=")
        if not found or not name.strip():
            if last is not None:
                out[last] += ";" + segment
            continue
        last = name.strip()
        out[last] = value
    return {name: _unquote(value) for name, value in out.items()}


def _authorization(environ: dict) -> tuple[str, str]:
    scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    return scheme.lower(), credentials.strip()


def credential(scheme: SecurityScheme, environ: dict, query: dict[str, list[str]]) -> str | None:
    """The credential the request carries for ``scheme`` (``user:password`` for basic), or None."""
    if scheme.kind == "apiKey":
        if scheme.location == "query":
            values = query.get(scheme.parameter)
            return values[-1] if values and values[-1] else None
        if scheme.location == "cookie":
            return cookies_of(environ).get(scheme.parameter) or None
        return environ.get("HTTP_" + scheme.parameter.upper().replace("-", "_"), "").strip() or None
    given, value = _authorization(environ)
    expected = scheme.scheme if scheme.kind == "http" else "bearer" if scheme.kind in ("oauth2",
                                                                                          "openIdConnect") else None
    if expected is None:
        return ""  # mutualTLS and unknown kinds cannot be checked by an HTTP mock
    if given != expected or not value:
        return None
    if expected == "basic":
        try:
            return base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    return value


def has_credentials(scheme: SecurityScheme, environ: dict, query: dict[str, list[str]],
                    accepted: Collection[str] = ()) -> bool:
    """True when the request carries a credential of the scheme's shape -- one of ``accepted`` when given."""
    value = credential(scheme, environ, query)
    if value is None:
        return False
    return value == "" or not accepted or value in accepted


def unmet(alternatives: list[list[SecurityScheme]], environ: dict, query: dict[str, list[str]],
          accepted: Collection[str] = ()) -> list[SecurityScheme]:
    """The schemes of the closest alternative when no alternative is satisfied; ``[]`` when one is."""
    best: list[SecurityScheme] | None = None
    for schemes in alternatives:
        missing = [s for s in schemes if not has_credentials(s, environ, query, accepted)]
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
