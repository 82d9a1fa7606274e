"""JSON pointer -> (line, column) spans in a YAML file, read off the composed node tree.

Apart from ``positions`` (JSON) so that linting JSON never imports the YAML library.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from specforge.document.positions import START, Span
from specforge.document.yaml_tree import iter_members, key_text


class YamlLocator:
    """Walks the composed YAML node tree along a pointer; mapping lookups are cached per node."""

    def __init__(self, root: Node | None) -> None:
        self._root = root
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}

    def span(self, pointer: tuple, at_key: bool = False) -> Span:
        if not pointer:
            return START  # the document itself, even after leading comments (as Spectral reports it)
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
