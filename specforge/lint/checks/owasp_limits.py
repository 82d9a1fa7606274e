"""Bounded inputs (OWASP API4:2023, resource consumption): strings, integers, arrays and maps.

These run on Schema Objects and on 2.0 parameters, headers and items, which carry ``type``
themselves; a 3.x parameter or header has no ``type`` of its own, so it is never matched twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.owasp_string_bounds import is_bounded_format, is_bounded_pattern
from specforge.lint.checks.security_view import declared_types
from specforge.lint.context import Context
from specforge.lint.functions import with_options
from specforge.lint.model import Problem

_INT64 = 2**63
_KEYWORD_OPTION = {
    "type": "object",
    "required": ["keyword"],
    "properties": {"keyword": {"enum": ["additionalProperties", "unevaluatedProperties"]}},
    "additionalProperties": False,
}


def string_limit(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A string needs ``maxLength``, ``enum``, ``const``, a bounded ``format`` or an anchored bounded ``pattern``."""
    if "string" not in declared_types(value) or _has_any(value, "maxLength", "enum", "const"):
        return
    if is_bounded_format(value.get("format")) or is_bounded_pattern(value.get("pattern")):
        return
    yield Problem()


def string_restricted(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A string needs a ``format``, ``pattern``, ``enum`` or ``const``."""
    if "string" in declared_types(value) and not _has_any(value, "format", "pattern", "enum", "const"):
        yield Problem()


def array_limit(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """An array needs ``maxItems``."""
    if "array" in declared_types(value) and "maxItems" not in value:
        yield Problem()


def integer_limit(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """3.1: an integer needs exactly one of ``minimum``/``exclusiveMinimum`` and of ``maximum``/``exclusiveMaximum``."""
    if "integer" not in declared_types(value) or _has_any(value, "enum", "const"):
        return
    wrong = [f'"{low}" or "{high}"' for low, high in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum"))
             if (low in value) == (high in value)]
    if wrong:
        yield Problem(f"exactly one of {' and one of '.join(wrong)} must be defined")


def integer_limit_legacy(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """2.0/3.0: an integer needs ``minimum`` and ``maximum``."""
    if "integer" not in declared_types(value) or _has_any(value, "enum", "const"):
        return
    missing = [key for key in ("minimum", "maximum") if key not in value]
    if missing:
        yield Problem(f'{" and ".join(missing)} must be defined')


def integer_format(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """An integer needs ``format`` (int32/int64) unless ``enum``/``const`` or its bounds already fix its size."""
    if "integer" not in declared_types(value) or "format" in value or _has_any(value, "enum", "const"):
        return
    low = value.get("minimum", value.get("exclusiveMinimum"))
    high = value.get("maximum", value.get("exclusiveMaximum"))
    if _is_number(low) and _is_number(high) and -_INT64 <= low and high < _INT64:
        return
    yield Problem()


@with_options(_KEYWORD_OPTION)
def no_additional_properties(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """``options.keyword`` (additional/unevaluatedProperties) is ``true`` or ``{}`` and ``maxProperties`` is missing."""
    keyword = options["keyword"]
    if "object" not in declared_types(value) or "maxProperties" in value:
        return
    allowed = value.get(keyword)
    if allowed is True or allowed == {}:
        yield Problem(f'"{keyword}" allows any property', (keyword,))


@with_options(_KEYWORD_OPTION)
def constrained_additional_properties(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """An object whose ``options.keyword`` is a schema needs ``maxProperties``."""
    keyword = options["keyword"]
    if "object" not in declared_types(value) or "maxProperties" in value:
        return
    allowed = value.get(keyword)
    if isinstance(allowed, dict) and allowed:
        yield Problem(f'"{keyword}" is a schema but "maxProperties" is not defined')


def _has_any(value: dict, *keys: str) -> bool:
    return any(key in value for key in keys)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
