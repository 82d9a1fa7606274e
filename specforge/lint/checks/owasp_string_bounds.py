"""Whether a string schema is length-bounded without ``maxLength``: by its ``format`` or its ``pattern``."""

from __future__ import annotations

import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parser  # type: ignore[import-not-found]
from functools import lru_cache
from typing import Any

#: Formats whose values have a maximum length by definition (RFC 3339, RFC 4122, RFC 5321, RFC 1123...).
BOUNDED_FORMATS = frozenset({
    "date", "date-time", "time", "full-date", "full-time", "partial-time", "uuid", "email", "idn-email",
    "ipv4", "ipv6", "hostname", "idn-hostname", "int32", "int64", "uint32", "uint64", "int8", "int16",
    "uint8", "uint16", "ulid", "duration-iso8601", "country-code", "currency-code", "language-code", "bcp47",
    "mac-address", "cidr",
})

_REPEATS = frozenset(
    op for op in (getattr(sre_constants, name, None) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"))
    if op is not None
)
_STARTS = frozenset({sre_constants.AT_BEGINNING, sre_constants.AT_BEGINNING_STRING})
_ENDS = frozenset({sre_constants.AT_END, sre_constants.AT_END_STRING})


def is_bounded_format(fmt: Any) -> bool:
    """True for a ``format`` whose values cannot be arbitrarily long."""
    return isinstance(fmt, str) and fmt.strip().lower() in BOUNDED_FORMATS


@lru_cache(maxsize=1024)
def is_bounded_pattern(pattern: Any) -> bool:
    """True when ``pattern`` is anchored at both ends and every quantifier in it has an upper bound.

    ``^[a-z]{1,8}$`` is bounded; ``^[a-z]+$`` and the unanchored ``[a-z]{1,8}`` (which matches inside
    any longer string) are not. A pattern Python cannot parse is treated as unbounded.
    """
    if not isinstance(pattern, str):
        return False
    try:
        parsed = sre_parser.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return False
    items = list(parsed)
    return _anchored(items, 0, _STARTS) and _anchored(items, -1, _ENDS) and _all_bounded(items)


def _anchored(items: list, index: int, anchors: frozenset) -> bool:
    """The first (``index`` 0) or last (-1) element is an anchor, in every alternative and group."""
    if not items:
        return False
    op, arg = items[index]
    if op == sre_constants.AT:
        return arg in anchors
    if op == sre_constants.SUBPATTERN:
        return _anchored(list(arg[-1]), index, anchors)
    if op == sre_constants.BRANCH:
        return all(_anchored(list(branch), index, anchors) for branch in arg[1])
    return False


def _all_bounded(items: Any) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            if high == sre_constants.MAXREPEAT or not _all_bounded(body):
                return False
        elif op == sre_constants.SUBPATTERN:
            if not _all_bounded(arg[-1]):
                return False
        elif op == sre_constants.BRANCH:
            if not all(_all_bounded(branch) for branch in arg[1]):
                return False
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        elif op == sre_constants.GROUPREF_EXISTS:
            return False
    return True
