"""``pattern``: a string must match ``match`` and/or must not match ``notMatch``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from specforge.lint.context import MISSING, Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": "object",
    "properties": {"match": {"type": "string"}, "notMatch": {"type": "string"}},
    "additionalProperties": False,
    "minProperties": 1,
}


@lru_cache(maxsize=512)
def compile_pattern(text: str) -> re.Pattern[str]:
    """Compile a regex written plain (``^a.*``) or JavaScript-style (``/^a.*/i``)."""
    if len(text) > 1 and text.startswith("/") and text.rfind("/") > 0:
        body, _, flags = text[1:].rpartition("/")
        if set(flags) <= set("imsu"):
            value = 0
            for flag in flags:
                value |= {"i": re.I, "m": re.M, "s": re.S, "u": 0}[flag]
            return re.compile(body, value)
    return re.compile(text)


@skips_missing
@with_options(_SCHEMA)
def pattern(value: Any, options: dict, ctx: Context) -> list[Problem]:
    """Report a string that fails ``match`` or hits ``notMatch`` (a list, not a generator: this runs on
    every description of a spec).
    """
    if value is MISSING or value is None or isinstance(value, (dict, list, bool)):
        return []
    text = value if type(value) is str else str(value)
    problems = []
    if "match" in options and not compile_pattern(options["match"]).search(text):
        problems.append(Problem(f'"{text}" must match the pattern "{options["match"]}"'))
    if "notMatch" in options and compile_pattern(options["notMatch"]).search(text):
        problems.append(Problem(f'"{text}" must not match the pattern "{options["notMatch"]}"'))
    return problems
