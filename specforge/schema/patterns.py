"""Compile ``pattern`` regexes (ECMA 262 as far as Python's ``re`` can follow), cached."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``re.compile`` after the few ECMA spellings Python lacks (``(?<name>``); raises ``re.error``."""
    text = re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", pattern)
    text = text.replace("\\/", "/")
    return re.compile(text)


def pattern_error(pattern: str) -> str | None:
    """``None`` when ``pattern`` compiles, else the compiler's message."""
    try:
        compile_pattern(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None
