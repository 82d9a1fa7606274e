"""JSONPath-Plus as Spectral rulesets write it, compiled once and evaluated over raw document data.

Supported: ``$``, ``.name``, ``['name']``, ``[0]``, ``[a,b]`` / ``['a','b']``, ``.*`` / ``[*]``, slices
``[0:2]``, recursive descent ``..name`` / ``..*`` / ``..[...]``, filters ``[?(...)]`` (see
``filters``), ``~`` (the key of the match instead of its value) and ``^`` (the parent).
``$ref``s are followed while evaluating when a ``resolver`` is given (Spectral's default
``resolved: true``); each match then carries the file and pointer where its value really lives.
Script expressions ``[(...)]`` are refused when the ruleset loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from specforge.document import pointer as jsonpointer
from specforge.lint.spectral.filters import UNDEFINED, FilterError, Scope, compile_filter, truthy

MAX_REF_HOPS = 16


class PathError(ValueError):
    """A JSONPath specforge cannot compile (the message names the path and the place)."""


@dataclass(frozen=True, slots=True)
class Match:
    """A node a path selected: its value, where it lives (file + pointer), its key and parent match."""

    value: Any
    source: Any
    pointer: tuple
    key: Any = None
    parent: Match | None = None
    is_key: bool = False  # selected with ``~``: ``value`` is the key, the position is the key's


#: ``resolver(value, source) -> (value, source, pointer)`` for a ``$ref`` object, or None if unresolvable.
Resolver = Callable[[dict, Any], "tuple[Any, Any, tuple] | None"]
Step = Callable[[list[Match], "Evaluation"], list[Match]]


class Evaluation:
    """One evaluation: the root data and how ``$ref``s are followed."""

    __slots__ = ("root", "resolver")

    def __init__(self, root: Any, resolver: Resolver | None) -> None:
        self.root = root
        self.resolver = resolver

    def follow(self, match: Match) -> Match:
        """``match`` with its ``$ref`` chain followed (unresolvable refs stay as they are)."""
        hops = 0
        while self.resolver is not None and isinstance(match.value, dict) and \
                isinstance(match.value.get("$ref"), str) and hops < MAX_REF_HOPS:
            target = self.resolver(match.value, match.source)
            if target is None:
                break
            value, source, pointer = target
            match = Match(value, source, pointer, match.key, match.parent)
            hops += 1
        return match

    def children(self, match: Match) -> Iterator[Match]:
        value = match.value
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            return
        for key, child in items:
            yield self.follow(Match(child, match.source, match.pointer + (key,), key, match))

    def descendants(self, match: Match) -> Iterator[Match]:
        """``match`` and everything below it, in document order, each object once (cycle-safe)."""
        seen: set[int] = set()
        stack = [match]
        while stack:
            current = stack.pop()
            if isinstance(current.value, (dict, list)):
                if id(current.value) in seen:
                    continue
                seen.add(id(current.value))
            yield current
            stack.extend(reversed(list(self.children(current))))


@dataclass(frozen=True)
class CompiledPath:
    """A compiled JSONPath: call ``evaluate(root, source, resolver)`` for its matches."""

    text: str
    steps: tuple[Step, ...]

    def evaluate(self, root: Any, source: Any, resolver: Resolver | None = None) -> list[Match]:
        run = Evaluation(root, resolver)
        matches = [run.follow(Match(root, source, ()))]
        for step in self.steps:
            matches = step(matches, run)
            if not matches:
                break
        return matches


@lru_cache(maxsize=1024)
def compile_path(text: str) -> CompiledPath:
    """Compile a JSONPath(-Plus) expression; raises ``PathError`` with the reason."""
    try:
        return CompiledPath(text, tuple(_Compiler(text).steps()))
    except FilterError as exc:
        raise PathError(f"{text!r}: {exc}") from None


_NAME = re.compile(r"[^.\[\]~^]+")
_INDEX = re.compile(r"-?\d+$")
_SLICE = re.compile(r"(-?\d*):(-?\d*)(?::(-?\d+))?$")


class _Compiler:
    def __init__(self, text: str) -> None:
        self.text = text.strip()
        self.pos = 0

    def fail(self, reason: str) -> PathError:
        return PathError(f"{self.text!r}: {reason} at character {self.pos + 1}")

    def steps(self) -> Iterator[Step]:
        if not self.text.startswith("$"):
            raise self.fail("a path must start with '$'")
        self.pos = 1
        text = self.text
        while self.pos < len(text):
            if text.startswith("..", self.pos):
                self.pos += 2
                yield _descendant(self.selector(after_descent=True))
            elif text[self.pos] == ".":
                self.pos += 1
                yield self.selector()
            elif text[self.pos] == "[":
                yield self.bracket()
            elif text[self.pos] == "~":
                self.pos += 1
                yield _key
            elif text[self.pos] == "^":
                self.pos += 1
                yield _parent
            else:
                raise self.fail(f"unexpected {text[self.pos]!r}")

    def selector(self, after_descent: bool = False) -> Step:
        text = self.text
        if self.pos < len(text) and text[self.pos] == "*":
            self.pos += 1
            return _wildcard
        if self.pos < len(text) and text[self.pos] == "[" and after_descent:
            return self.bracket()
        match = _NAME.match(text, self.pos)
        if not match:
            raise self.fail("expected a property name")
        self.pos = match.end()
        return _names((match.group(),))

    def bracket(self) -> Step:
        end = _closing_bracket(self.text, self.pos)
        if end < 0:
            raise self.fail("unclosed '['")
        inner = self.text[self.pos + 1:end].strip()
        self.pos = end + 1
        if inner == "*":
            return _wildcard
        if inner.startswith("?(") and inner.endswith(")"):
            return _filter(compile_filter(inner[2:-1]))
        if inner.startswith("("):
            raise self.fail("script expressions [(...)] are not supported")
        slice_match = _SLICE.match(inner)
        if slice_match:
            start, stop, step = (int(g) if g else None for g in slice_match.groups())
            return _slice(slice(start, stop, step))
        keys: list[Any] = []
        for part in _split_union(inner):
            part = part.strip()
            if len(part) >= 2 and part[0] == part[-1] and part[0] in "'\"":
                keys.append(part[1:-1].replace("\\'", "'").replace('\\"', '"'))
            elif _INDEX.match(part):
                keys.append(int(part))
            elif part:
                keys.append(part)
            else:
                raise self.fail("empty selector")
        return _names(tuple(keys))


def _closing_bracket(text: str, start: int) -> int:
    depth, pos, quote = 0, start, ""
    while pos < len(text):
        char = text[pos]
        if quote:
            if char == "\\":
                pos += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "/" and text[:pos].rstrip()[-1:] in ("(", ",", "!", "&", "|", "="):
            pos += 1
            while pos < len(text) and text[pos] != "/":
                pos += 2 if text[pos] == "\\" else 1
        elif char in "[(":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0 and char == "]":
                return pos
        pos += 1
    return -1


def _split_union(inner: str) -> list[str]:
    parts, current, quote = [], "", ""
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _names(keys: tuple) -> Step:
    def step(matches: list[Match], run: Evaluation) -> list[Match]:
        out = []
        for match in matches:
            value = match.value
            for key in keys:
                if isinstance(value, dict):
                    name = str(key)
                    if name in value:
                        out.append(run.follow(Match(value[name], match.source, match.pointer + (name,), name, match)))
                elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
                    index = key % len(value)
                    out.append(run.follow(Match(value[index], match.source, match.pointer + (index,), index, match)))
        return out

    return step


def _wildcard(matches: list[Match], run: Evaluation) -> list[Match]:
    return [child for match in matches for child in run.children(match)]


def _slice(selection: slice) -> Step:
    def step(matches: list[Match], run: Evaluation) -> list[Match]:
        out = []
        for match in matches:
            if isinstance(match.value, list):
                for index in range(len(match.value))[selection]:
                    child = match.value[index]
                    out.append(run.follow(Match(child, match.source, match.pointer + (index,), index, match)))
        return out

    return step


def _filter(expression: Callable[[Scope], Any]) -> Step:
    def step(matches: list[Match], run: Evaluation) -> list[Match]:
        out = []
        for match in matches:
            for child in run.children(match):
                scope = Scope(child.value, child.key, match.value, match.key, run.root,
                              jsonpointer.encode(child.pointer))
                if truthy(expression(scope)):
                    out.append(child)
        return out

    return step


def _descendant(selector: Step) -> Step:
    def step(matches: list[Match], run: Evaluation) -> list[Match]:
        out: list[Match] = []
        seen: set[tuple] = set()
        for match in matches:
            for node in run.descendants(match):
                for found in selector([node], run):
                    where = (id(found.source), found.pointer, found.is_key)
                    if where not in seen:
                        seen.add(where)
                        out.append(found)
        return out

    return step


def _key(matches: list[Match], run: Evaluation) -> list[Match]:
    return [Match(m.key, m.source, m.pointer, m.key, m.parent, True) for m in matches if m.key is not None]


def _parent(matches: list[Match], run: Evaluation) -> list[Match]:
    out, seen = [], set()
    for match in matches:
        if match.parent is not None and id(match.parent) not in seen:
            seen.add(id(match.parent))
            out.append(match.parent)
    return out


__all__ = ["UNDEFINED", "CompiledPath", "Match", "PathError", "compile_path"]
