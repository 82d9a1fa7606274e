"""Rule functions by name: Spectral's core set, plus named checks addressed as ``module:function``.

Core functions are looked up by their Spectral name (``truthy``, ``typedEnum``...). A named check
is written ``paths:path_params`` and lives in ``specforge.lint.checks.paths``. Modules are
imported on first use, so a run only pays for the functions its active rules need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

CORE: dict[str, str] = {
    "truthy": "truthy:truthy",
    "falsy": "truthy:falsy",
    "defined": "defined:defined",
    "undefined": "defined:undefined",
    "pattern": "pattern:pattern",
    "casing": "casing:casing",
    "enumeration": "enumeration:enumeration",
    "length": "length:length",
    "alphabetical": "alphabetical:alphabetical",
    "xor": "xor:xor",
    "typedEnum": "typed_enum:typed_enum",
    "schema": "schema:schema",
    "unreferencedReusableObject": "unreferenced:unreferenced_reusable_object",
}

_cache: dict[str, Callable] = {}


class UnknownFunction(LookupError):
    """A rule names a function that does not exist."""


def get_function(name: str) -> Callable[..., Any]:
    """The callable behind a function name (core name or ``module:function`` check)."""
    found = _cache.get(name)
    if found is not None:
        return found
    if name in CORE:
        module_name, _, attr = CORE[name].partition(":")
        module_path = f"specforge.lint.functions.{module_name}"
    elif ":" in name:
        module_name, _, attr = name.partition(":")
        module_path = f"specforge.lint.checks.{module_name}"
    else:
        raise UnknownFunction(f"unknown function {name!r}")
    try:
        module = importlib.import_module(module_path)
        function = getattr(module, attr)
    except (ImportError, AttributeError):
        raise UnknownFunction(f"unknown function {name!r}") from None
    _cache[name] = function
    return function


def options_schema(name: str) -> dict | None:
    """The JSON Schema a function's options must satisfy (``OPTIONS`` beside it), if any."""
    function = get_function(name)
    return getattr(function, "options_schema", None)


def with_options(schema: dict) -> Callable[[Callable], Callable]:
    """Attach the JSON Schema of a function's options (checked when a ruleset loads)."""

    def mark(function: Callable) -> Callable:
        function.options_schema = schema  # type: ignore[attr-defined]
        return function

    return mark


def skips_missing(function: Callable) -> Callable:
    """Mark a function that never reports an absent field: the engine then skips the call."""
    function.skips_missing = True  # type: ignore[attr-defined]
    return function


def single_process(function: Callable) -> Callable:
    """Mark a check whose per-document state (a compiled validator registry, say) costs too much memory
    to build in every forked worker: when a document is shared out, the last share runs it on every node.
    """
    function.single_process = True  # type: ignore[attr-defined]
    return function


def shares_entries(function: Callable) -> Callable:
    """Mark a check of a document-wide node (``paths``) that reports on its entries one by one: when a
    document is shared out, every share runs it and reports only on the entries ``Context.reports_on``
    gives it, so the work is spread instead of falling on one share. Each problem must be gated that way.
    """
    function.shares_entries = True  # type: ignore[attr-defined]
    return function


def triggers(*keys: str) -> Callable[[Callable], Callable]:
    """Mark a function that only acts on objects having one of ``keys``: others are skipped unseen."""

    def mark(function: Callable) -> Callable:
        function.trigger_keys = frozenset(keys)  # type: ignore[attr-defined]
        return function

    return mark
