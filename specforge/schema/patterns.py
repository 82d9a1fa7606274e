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


def pattern_bounds(pattern: str) -> tuple[int, int, bool, bool]:
    """(min width, max width, anchored at start, anchored at end) of a compiling ``pattern``."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    regex = compile_pattern(pattern)
    tree = sre_parse.parse(regex.pattern, regex.flags)
    lo, hi = tree.getwidth()
    data = tree.data
    start = bool(data) and data[0][0] is C.AT and data[0][1] in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
    end = bool(data) and data[-1][0] is C.AT and data[-1][1] in (C.AT_END, C.AT_END_STRING)
    return lo, hi, start, end
