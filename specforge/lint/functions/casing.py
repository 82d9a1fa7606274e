"""``casing``: a string must be in a given case (flat, camel, pascal, kebab, cobol, snake, macro)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from specforge.lint.context import MISSING, Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_CASES = ("flat", "camel", "pascal", "kebab", "cobol", "snake", "macro")
_SCHEMA = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {"enum": list(_CASES)},
        "disallowDigits": {"type": "boolean"},
        "separator": {
            "type": "object",
            "required": ["char"],
            "properties": {"char": {"type": "string", "maxLength": 1}, "allowLeading": {"type": "boolean"}},
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
_WORD = {
    "flat": "[a-z][a-z{d}]*",
    "camel": "[a-z][a-z{d}]*(?:[A-Z{d}](?:[a-z{d}]+|$))*",
    "pascal": "[A-Z][a-z{d}]*(?:[A-Z{d}](?:[a-z{d}]+|$))*",
    "kebab": "[a-z][a-z{d}]*(?:-[a-z{d}]+)*",
    "cobol": "[A-Z][A-Z{d}]*(?:-[A-Z{d}]+)*",
    "snake": "[a-z][a-z{d}]*(?:_[a-z{d}]+)*",
    "macro": "[A-Z][A-Z{d}]*(?:_[A-Z{d}]+)*",
}


@lru_cache(maxsize=64)
def case_regex(case: str, disallow_digits: bool = False, separator: str = "",
               allow_leading: bool = False) -> re.Pattern:
    """The regex of one case (Spectral's definitions), optionally joined by a separator."""
    word = _WORD[case].replace("{d}", "" if disallow_digits else "0-9")
    if not separator:
        return re.compile(f"^{word}$")
    sep = re.escape(separator)
    leading = f"{sep}?" if allow_leading else ""
    return re.compile(f"^{leading}{word}(?:{sep}{word})*$")


@skips_missing
@with_options(_SCHEMA)
def casing(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report a string that is not in the configured case."""
    if value is MISSING or not isinstance(value, str) or value == "":
        return
    sep = options.get("separator") or {}
    regex = case_regex(options["type"], bool(options.get("disallowDigits")), sep.get("char", ""),
                       bool(sep.get("allowLeading")))
    if not regex.match(value):
        yield Problem(f'"{value}" must be {options["type"]} case')
