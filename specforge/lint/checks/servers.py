"""``oas3-server-variables``: every ``{variable}`` of a server URL is defined, has a valid default,
no defined variable is unused, and every substitution of the variables gives a valid URL.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from specforge.lint.context import Context
from specforge.lint.model import Problem

_VARIABLE = re.compile(r"{(.+?)}")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_URI_SAFE = ";,/?:@&=+$-_.!~*'()#"  # what JavaScript's encodeURI leaves alone
_MAX_INVALID = 5
_MAX_SUBSTITUTIONS = 1000  # enough to find bad values; enum products can be huge


def server_variables(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report unused, undefined and default-less variables, defaults outside the enum, invalid URLs."""
    url = value.get("url") if isinstance(value, dict) else None
    if not isinstance(url, str):
        return
    used = [match.group(1) for match in _VARIABLE.finditer(url)]
    variables = value.get("variables")
    variables = variables if isinstance(variables, dict) else {}
    for name in variables:
        if name not in used:
            yield Problem(f'Server\'s "variables" object has unused defined "{name}" url variable.',
                          ("variables", name), at_key=True)
    if not used:
        return
    missing = list(dict.fromkeys(name for name in used if name not in variables))
    if missing:
        yield Problem('Not all server\'s variables are described with "variables" object. '
                      f"Missed: {', '.join(missing)}.", ("variables",), at_key=True)
    choices: list[tuple[str, list[str]]] = []
    for name, variable in variables.items():
        if name not in used or not isinstance(variable, dict):
            continue
        enum, default = variable.get("enum"), variable.get("default")
        if isinstance(enum, list):
            choices.append((name, [str(v) for v in enum]))
            if default is not None and default not in enum:
                yield Problem(f'Server Variable "{name}" has a default not listed in the enum.',
                              ("variables", name, "default"))
        elif default is not None:
            choices.append((name, [str(default)]))
        if default is None:
            yield Problem(f'Server Variable "{name}" has a missing default.', ("variables", name), at_key=True)
    invalid = _invalid_substitutions(url, choices)
    if invalid:
        shown = ", ".join(invalid)
        message = (f"At least {_MAX_INVALID} substitutions of server variables resulted in invalid URLs: {shown} "
                   "and more" if len(invalid) == _MAX_INVALID
                   else f"A few substitutions of server variables resulted in invalid URLs: {shown}")
        yield Problem(message, ("variables",), at_key=True)


def _invalid_substitutions(url: str, choices: list[tuple[str, list[str]]]) -> list[str]:
    if not choices:
        return []
    invalid: list[str] = []
    names = [name for name, _ in choices]
    combinations = itertools.product(*(values for _, values in choices))
    for values in itertools.islice(combinations, _MAX_SUBSTITUTIONS):
        substituted = url
        for name, text in zip(names, values, strict=True):
            substituted = substituted.replace("{" + name + "}", quote(text, safe=_URI_SAFE))
        if not is_valid_url(substituted):
            invalid.append(substituted)
            if len(invalid) == _MAX_INVALID:
                break
    return invalid


def is_valid_url(url: str) -> bool:
    """An absolute URL a browser would parse, or a relative reference (servers may be relative)."""
    scheme, colon, rest = url.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme) or "/" in scheme:
        return not re.search(r"[\x00-\x20]", url)
    if scheme.lower() not in _SPECIAL_SCHEMES:
        return True
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number in range
        host = unquote(parts.hostname or "")
        if "[" in parts.netloc:
            return bool(ipaddress.IPv6Address(host))
    except ValueError:
        return False
    return bool(host) and not _FORBIDDEN_HOST.search(host)
