"""JSON pointer -> (line, column) spans, computed lazily for the nodes that are reported.

Conventions: 1-based lines and columns; a member whose value is a mapping or sequence is located
at its key, a scalar at its value; ``at_key=True`` always locates the key.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from specforge.document.yaml_tree import iter_members, key_text


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


class YamlLocator:
    """Walks the composed YAML node tree along a pointer; mapping lookups are cached per node."""

    def __init__(self, root: Node | None) -> None:
        self._root = root
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}

    def span(self, pointer: tuple, at_key: bool = False) -> Span:
        node = self._root
        key_node: Node | None = None
        for part in pointer:
            if isinstance(node, MappingNode):
                members = self._members(node)
                pair = members.get(str(part))
                if pair is None:
                    break
                key_node, node = pair
            elif isinstance(node, SequenceNode):
                try:
                    node = node.value[int(part)]
                except (ValueError, IndexError):
                    break
                key_node = None
            else:
                break
        if node is None:
            return START
        target = key_node if key_node is not None and (at_key or not isinstance(node, ScalarNode)) else node
        start, end = target.start_mark, target.end_mark
        if end.line > start.line and target is not key_node:
            return Span(start.line + 1, start.column + 1, start.line + 1, start.column + 1)
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def _members(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        cached = self._maps.get(id(node))
        if cached is None:
            cached = {}
            for key, value in iter_members(node):
                cached.setdefault(key_text(key), (key, value))
            self._maps[id(node)] = cached
        return cached


_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_raw_decode = json.JSONDecoder().raw_decode


class JsonLocator:
    """Locates pointers in JSON text without building a full position index.

    Each container on a reported path is indexed once (child key -> offsets); siblings are
    skipped with the C JSON scanner, so the cost is one C-speed pass per level actually visited.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = LineIndex(text)
        self._containers: dict[int, dict[str, tuple[int, int, int, int]] | list[tuple[int, int]]] = {}

    def span(self, pointer: tuple, at_key: bool = False) -> Span:
        text = self._text
        offset = _WS.match(text, 0).end()
        key_span: tuple[int, int] | None = None
        value_end = -1
        for part in pointer:
            children = self._index(offset)
            if isinstance(children, dict):
                entry = children.get(str(part))
                if entry is None:
                    break
                key_start, key_end, offset, value_end = entry
                key_span = (key_start, key_end)
            elif isinstance(children, list):
                try:
                    offset, value_end = children[int(part)]
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

    def _index(self, offset: int) -> dict[str, tuple[int, int, int, int]] | list[tuple[int, int]] | None:
        cached = self._containers.get(offset)
        if cached is not None:
            return cached
        text = self._text
        opener = text[offset] if offset < len(text) else ""
        if opener not in "{[":
            return None
        pos = _WS.match(text, offset + 1).end()
        if opener == "{":
            members: dict[str, tuple[int, int, int, int]] = {}
            while pos < len(text) and text[pos] == '"':
                key_start = pos
                key, key_end = _scanstring(text, pos + 1)
                colon = _WS.match(text, key_end).end()
                value_start = _WS.match(text, colon + 1).end()
                value_end = self._skip(value_start)
                members[key] = (key_start, key_end, value_start, value_end)  # last duplicate wins, as in the data
                pos = _WS.match(text, value_end).end()
                if pos < len(text) and text[pos] == ",":
                    pos = _WS.match(text, pos + 1).end()
            self._containers[offset] = members
            return members
        items: list[tuple[int, int]] = []
        while pos < len(text) and text[pos] != "]":
            value_end = self._skip(pos)
            items.append((pos, value_end))
            pos = _WS.match(text, value_end).end()
            if pos < len(text) and text[pos] == ",":
                pos = _WS.match(text, pos + 1).end()
        self._containers[offset] = items
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
