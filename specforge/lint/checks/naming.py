"""Naming conventions: property names, parameter names per location, boolean prefixes, and the
keys of reusable components.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import with_options
from specforge.lint.functions.casing import case_regex
from specforge.lint.model import Problem

#: Spectral's cases plus ``train`` (Hyphenated-Pascal, the HTTP header convention: ``X-Request-ID``).
CASES = ["flat", "camel", "pascal", "kebab", "cobol", "snake", "macro", "train"]
_TRAIN = re.compile(r"^[A-Z][A-Za-z0-9]*(?:-[A-Z0-9][A-Za-z0-9]*)*$")
_LOCATIONS = ("path", "query", "header", "cookie")
_DEFAULT_PARAMETER_CASES = {"path": "camel", "query": "camel", "header": "train"}


@lru_cache(maxsize=32)
def name_regex(case: str) -> re.Pattern:
    """The regex a name in ``case`` matches (digits allowed)."""
    return _TRAIN if case == "train" else case_regex(case)


@with_options({
    "type": ["object", "null"],
    "properties": {
        "case": {"enum": CASES},
        "ignore": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
})
def property_casing(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each key of a schema's ``properties`` in the configured case (camel by default).

    A leading ``@``, ``$`` or ``_`` (JSON-LD, HAL) is ignored; names in ``ignore`` pass.
    """
    options = options or {}
    case = options.get("case", "camel")
    ignore = set(options.get("ignore") or ())
    properties = value.get("properties") if isinstance(value, dict) else None
    if not isinstance(properties, dict):
        return
    regex = name_regex(case)
    for name in properties:
        if not isinstance(name, str) or name in ignore:
            continue
        bare = name[1:] if name[:1] in ("@", "$", "_") else name
        if not regex.match(bare):
            yield Problem(f'Property "{name}" is not {case} case', ("properties", name), at_key=True)


@with_options({
    "type": ["object", "null"],
    "properties": {
        **{location: {"enum": [*CASES, None]} for location in _LOCATIONS},
        "ignore": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
})
def parameter_casing(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A parameter's ``name`` in the case configured for its location (``null`` skips a location).

    Defaults: path and query camelCase, header Train-Case, cookie unchecked.
    """
    if not isinstance(value, dict):
        return
    cases = {**_DEFAULT_PARAMETER_CASES, **(options or {})}
    location, name = value.get("in"), value.get("name")
    if not isinstance(location, str) or not isinstance(name, str):
        return
    case = cases.get(location)
    if not case or name in ((options or {}).get("ignore") or ()):
        return
    if not name_regex(case).match(name):
        yield Problem(f'{location.capitalize()} parameter "{name}" is not {case} case', ("name",))


@with_options({
    "type": ["object", "null"],
    "properties": {"prefixes": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}},
    "additionalProperties": False,
})
def boolean_prefix(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A boolean parameter's name starts with one of ``prefixes`` (``is``, ``has`` by default)."""
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return
    schema = ctx.resolve(value.get("schema")) if "schema" in value else value
    if not isinstance(schema, dict) or schema.get("type") != "boolean":
        return
    prefixes = (options or {}).get("prefixes") or ["is", "has"]
    name = value["name"]
    pattern = "^(?:" + "|".join(map(re.escape, prefixes)) + ")[A-Z_-]"
    if not re.match(pattern, name):
        yield Problem(f'Boolean parameter "{name}" should start with one of: {", ".join(prefixes)}', ("name",))


_COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9.\-_]+$")


def component_keys(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Keys of every ``components`` map match ``^[a-zA-Z0-9._-]+$`` (needed to ``$ref`` them)."""
    if not isinstance(value, dict):
        return
    for section, entries in value.items():
        if not isinstance(entries, dict) or section.startswith("x-"):
            continue
        for key in entries:
            if isinstance(key, str) and not _COMPONENT_KEY.match(key):
                yield Problem(f'Component name "{key}" in "{section}" may only use letters, digits, ".", "-" and'
                              ' "_"', (section, key), at_key=True)
