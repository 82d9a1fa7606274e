"""Rules whose ``given`` is a JSONPath: evaluated after the typed walk, matches handed to ``then``.

``JsonPathGiven`` is the ``given`` entry of such a rule: the path text (it *is* a ``str``, so rules
stay plain values) plus whether ``$ref``s are followed (Spectral's ``resolved``) and, for aliases
scoped by format, the formats it applies to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specforge.document import Document, RefError
from specforge.document.versions import families
from specforge.lint.context import Context
from specforge.lint.model import Then
from specforge.lint.spectral.jsonpath import Match, compile_path
from specforge.lint.walk import Node

KIND = "JSONPath"  # the ``kind`` of nodes a JSONPath rule is given


class JsonPathGiven(str):
    """A JSONPath ``given``: ``resolved`` (follow ``$ref``s) and optional ``formats`` restriction."""

    resolved: bool
    formats: frozenset[str] | None

    def __new__(cls, text: str, resolved: bool = True, formats: frozenset[str] | None = None) -> JsonPathGiven:
        self = super().__new__(cls, text)
        self.resolved = resolved
        self.formats = formats
        return self

    def __reduce__(self) -> tuple:
        return (JsonPathGiven, (str(self), self.resolved, self.formats))

    def __repr__(self) -> str:
        return f"JsonPathGiven({str(self)!r}, resolved={self.resolved}, formats={sorted(self.formats or ())})"


def is_path(given: Any) -> bool:
    """True for a ``given`` entry the JSONPath evaluator runs (rather than a node kind)."""
    return isinstance(given, str) and given.startswith("$")


Apply = Callable[[Any, Then, Callable, Node, Context, list], None]


def run_paths(entries: list[tuple[Any, Then, Callable, str]], document: Document, hits: list, apply: Apply,
              state: tuple[list, dict]) -> None:
    """Evaluate each distinct path once and apply every ``then`` that asked for it to each match.

    ``state``: the run's deferred reports and scratch (``Context.defer``, ``Context.run``).
    """
    names = families(document.format)
    workspace = document.workspace

    def resolver(value: dict, source: Any) -> tuple[Any, Any, tuple] | None:
        try:
            target = workspace.resolve(value["$ref"], source)
        except RefError:
            return None
        return target.value, target.source, target.pointer

    groups: dict[tuple[str, bool], list[tuple[Any, Then, Callable]]] = {}
    for active, then, function, given in entries:
        formats = getattr(given, "formats", None)
        if formats is not None and not formats & names:
            continue
        groups.setdefault((str(given), getattr(given, "resolved", True)), []).append((active, then, function))
    for (text, resolved), rules in groups.items():
        matches = compile_path(text).evaluate(document.data, document.root, resolver if resolved else None)
        for match in matches:
            for active, then, function in rules:
                _apply_to_match(match, active, then, function, document, hits, apply,
                                resolver if resolved else None, state)


def _apply_to_match(match: Match, active: Any, then: Then, function: Callable, document: Document, hits: list,
                    apply: Apply, resolver: Any, state: tuple[list, dict]) -> None:
    if then.field and then.field.startswith("$"):  # a JSONPath relative to the match
        for inner in compile_path(then.field).evaluate(match.value, match.source, resolver):
            pointer = match.pointer + inner.pointer if inner.source is match.source else inner.pointer
            shifted = Match(inner.value, inner.source, pointer, inner.key, match, inner.is_key)
            _apply_to_match(shifted, active, Then(then.function, None, then.options), function, document, hits,
                            apply, resolver, state)
        return
    if match.is_key:
        then = Then(then.function, "@key", then.options)
        value = match.parent.value if match.parent is not None else None
    else:
        value = match.value
    node = Node(KIND, value, match.source, match.pointer, match.key)
    apply(active, then, function, node, Context(node, document, None, then.field, active.rule.id, *state), hits)
