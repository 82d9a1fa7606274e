"""Compile ``pattern`` regexes (ECMA 262 as far as Python's ``re`` can follow), cached."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

# ``[[`` or ``--`` in a class: Python warns that a future version may read these as set operations. ECMA reads
# them literally, as ``re`` does today; a spec's pattern is not ours to fix, so the warning is only noise on stderr.
warnings.filterwarnings("ignore", r"Possible (nested set|set (difference|intersection|union|symmetric difference))",
                        FutureWarning)

# Unicode property escapes (ECMA ``u`` flag, Java) Python's ``re`` lacks, as class fragments (approximations).
_PROPERTIES = {
    "L": "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff",
    "N": "0-9", "Nd": "0-9", "Z": " ", "Zs": " ", "S": "$+<=>^`|~", "P": "!-#%-*,-/:;?@\\[-\\]_{}",
    "M": "\u0300-\u036f", "Alnum": "a-zA-Z0-9", "Alpha": "a-zA-Z", "ASCII": "\x00-\x7f", "Print": " -~",
    "all": "\x00-\uffff", "Han": "\u4e00-\u9fff", "Hiragana": "\u3040-\u309f", "Katakana": "\u30a0-\u30ff",
    "Hangul": "\uac00-\ud7a3", "Lu": "A-Z", "Ll": "a-z", "C": "\x00-\x1f\x7f-\x9f", "Cc": "\x00-\x1f\x7f-\x9f",
}


def _translate(pattern: str) -> str:
    r"""ECMA/Java spellings -> Python: ``(?<name>``, ``\p{L}``, ``\P{C}``, ``\z``, ``\/``, ``[\w-x]``."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            match = re.match(r"[pP]\{(\^?)([A-Za-z_]+)\}", pattern[i + 1:])
            if match:
                negated = (nxt == "P") != bool(match[1])
                name = match[2].removeprefix("Is")
                body = _PROPERTIES.get(name)
                if body is not None:
                    if in_class and not negated:
                        out.append(body)
                    else:
                        out.append(f"[{'^' if negated else ''}{body}]")
                    i += 1 + len(match[0])
                    continue
            out.append({"z": "\\Z", "/": "/"}.get(nxt, ch + nxt))
            i += 2
            if in_class and nxt in "dDwWsS" and pattern[i:i + 1] == "-" and pattern[i + 1:i + 2] != "]":
                out.append("\\-")  # ECMA reads ``[\w-x]`` as \w, "-", "x"; Python calls it a bad range
                i += 1
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and out and out[-1] != "[":
            in_class = False
        out.append(ch)
        i += 1
    return re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", "".join(out))


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``re.compile`` after translating the ECMA/Java spellings Python lacks; raises ``re.error``."""
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(_translate(pattern))


def pattern_error(pattern: str) -> str | None:
    """``None`` when ``pattern`` compiles, else the compiler's message."""
    try:
        compile_pattern(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None


@lru_cache(maxsize=4096)
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


_RISKY_LENGTH = 16  # about 2**16 backtracking steps at worst: milliseconds


@lru_cache(maxsize=4096)
def is_risky(pattern: str) -> bool:
    """True for nested unbounded quantifiers (``(a+)+``): Python's backtracking ``re`` may take exponential
    time on strings that almost match, and it cannot be interrupted.
    """
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    try:
        regex = compile_pattern(pattern)
        tree = sre_parse.parse(regex.pattern, regex.flags)
    except Exception:
        return False
    repeats = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)

    def walk(items: list, inside: bool) -> bool:
        for op, av in items:
            if op in repeats:
                _, high, sub = av
                many = high is C.MAXREPEAT or high > 8
                if inside and many:
                    return True
                if walk(sub.data, inside or many):
                    return True
            elif op is C.SUBPATTERN and walk(av[3].data, inside):
                return True
            elif op is C.BRANCH and any(walk(b.data, inside) for b in av[1]):
                return True
            elif op is C.ATOMIC_GROUP and walk(av.data, inside):
                return True
        return False

    return walk(tree.data, False)


def search(pattern: str, text: str) -> bool | None:
    """``re.search`` as a bool; ``None`` (unknown) instead of risking exponential time on long text."""
    try:
        regex = compile_pattern(pattern)
    except Exception:
        return None
    if len(text) > _RISKY_LENGTH and is_risky(pattern):
        return None
    return regex.search(text) is not None


def matches(pattern: str, text: str) -> bool:
    """``re.search`` as a bool; a pattern that does not compile matches nothing."""
    try:
        return compile_pattern(pattern).search(text) is not None
    except re.error:
        return False
