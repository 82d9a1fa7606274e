"""JSON pointer -> (line, column) spans, computed lazily for the nodes that are reported.

Conventions: 1-based lines and columns; a member whose value is a mapping or sequence is located
at its key, a scalar at its value; ``at_key=True`` always locates the key.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import NamedTuple

import orjson


class Span(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int


START = Span(1, 1, 1, 1)


class LineIndex:
    """Offset -> (line, column) over a text, built on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


_WS = re.compile(r"[ \t\n\r]*")


def _skip_ws(text: str, pos: int) -> int:
    """The first offset at or after ``pos`` that is not JSON whitespace."""
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # ``*`` always matches


_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_raw_decode = json.JSONDecoder().raw_decode


class JsonLocator:
    """Locates pointers in JSON text without building a full position index.

    Each container on a reported path is indexed once (child key -> offsets). Siblings are
    skipped with the C JSON scanner; when the text is canonical compact JSON (what ``orjson`` or
    ``JSON.stringify`` writes, as machine-made specs usually are) their lengths come from
    re-serialising the parsed data instead, which is an order of magnitude faster.
    """

    def __init__(self, text: str, data: object = None, canonical: bool | None = None) -> None:
        self._text = text
        self._data = data
        self._canonical: bool | None = canonical if data is not None else False
        self._lines = LineIndex(text)
        self._containers: dict[int, dict[str, tuple[int, int, int, int]] | list[tuple[int, int]]] = {}

    def span(self, pointer: tuple, at_key: bool = False) -> Span:
        text = self._text
        if self._canonical is None:
            self._canonical = orjson.dumps(self._data) == text.encode()
        offset = 0 if self._canonical else _skip_ws(text, 0)
        node = self._data
        key_span: tuple[int, int] | None = None
        value_end = -1
        for part in pointer:
            children = self._index(offset, node)
            if isinstance(children, dict):
                entry = children.get(str(part))
                if entry is None:
                    break
                key_start, key_end, offset, value_end = entry
                key_span = (key_start, key_end)
                node = node.get(str(part)) if isinstance(node, dict) else None
            elif isinstance(children, list):
                try:
                    offset, value_end = children[int(part)]
                    node = node[int(part)] if isinstance(node, list) else None
                except (ValueError, IndexError):
                    break
                key_span = None
            else:
                break
        is_container = offset < len(text) and text[offset] in "{["
        if key_span is not None and (at_key or is_container):
            start, end = key_span
        elif is_container:
            start, end = offset, offset + 1
        else:
            start, end = offset, value_end if value_end >= 0 else self._skip(offset)
        line, column = self._lines.position(start)
        end_line, end_column = self._lines.position(end)
        return Span(line, column, end_line, end_column)

    def _index(self, offset: int, node: object) -> dict[str, tuple[int, int, int, int]] | list[tuple[int, int]] | None:
        cached = self._containers.get(offset)
        if cached is None:
            if self._canonical and isinstance(node, (dict, list)):
                cached = _canonical_children(offset, node)
            else:
                cached = self._scan_children(offset)
            if cached is not None:
                self._containers[offset] = cached
        return cached

    def _scan_children(self, offset: int) -> dict[str, tuple[int, int, int, int]] | list[tuple[int, int]] | None:
        text = self._text
        opener = text[offset] if offset < len(text) else ""
        if opener not in "{[":
            return None
        pos = _skip_ws(text, offset + 1)
        if opener == "{":
            members: dict[str, tuple[int, int, int, int]] = {}
            while pos < len(text) and text[pos] == '"':
                key_start = pos
                key, key_end = _scanstring(text, pos + 1)
                colon = _skip_ws(text, key_end)
                value_start = _skip_ws(text, colon + 1)
                value_end = self._skip(value_start)
                members[key] = (key_start, key_end, value_start, value_end)  # last duplicate wins, as in the data
                pos = _skip_ws(text, value_end)
                if pos < len(text) and text[pos] == ",":
                    pos = _skip_ws(text, pos + 1)
            return members
        items: list[tuple[int, int]] = []
        while pos < len(text) and text[pos] != "]":
            value_end = self._skip(pos)
            items.append((pos, value_end))
            pos = _skip_ws(text, value_end)
            if pos < len(text) and text[pos] == ",":
                pos = _skip_ws(text, pos + 1)
        return items

    def _skip(self, offset: int) -> int:
        """The offset just past the JSON value starting at ``offset``."""
        text = self._text
        char = text[offset] if offset < len(text) else ""
        if char == '"':
            return _scanstring(text, offset + 1)[1]
        if char in "{[":
            return _raw_decode(text, offset)[1]
        match = _SCALAR.match(text, offset)
        return match.end() if match else offset + 1


def _char_length(value: object) -> int:
    """Characters ``value`` takes in canonical compact JSON."""
    dumped = orjson.dumps(value)
    return len(dumped) if dumped.isascii() else len(dumped.decode())


def _canonical_children(offset: int, node: dict | list) -> dict[str, tuple[int, int, int, int]] | list[tuple[int, int]]:
    """Child offsets of a container in canonical compact JSON, computed from the parsed data."""
    pos = offset + 1
    if isinstance(node, dict):
        members: dict[str, tuple[int, int, int, int]] = {}
        for key, child in node.items():
            key_end = pos + _char_length(key)
            value_start = key_end + 1
            value_end = value_start + _char_length(child)
            members[key] = (pos, key_end, value_start, value_end)
            pos = value_end + 1
        return members
    items: list[tuple[int, int]] = []
    for child in node:
        end = pos + _char_length(child)
        items.append((pos, end))
        pos = end + 1
    return items
