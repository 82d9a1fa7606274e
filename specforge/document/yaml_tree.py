"""YAML text -> plain data (YAML 1.2 core schema) plus the composed node tree for positions.

PyYAML's C composer builds the node tree; we convert nodes ourselves instead of using PyYAML's
constructor so that scalars follow YAML 1.2 (``yes``/``on`` and dates stay strings, as in every
JavaScript-based OpenAPI tool) and mapping keys are always strings (``200:`` is the key ``"200"``).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_MERGE_TAG = "tag:yaml.org,2002:merge"

#: A document whose aliases expand to more nodes than this is rejected (billion-laughs guard).
MAX_EXPANDED_NODES = 5_000_000


class YamlError(ValueError):
    """The text is not usable YAML; ``line``/``column`` are 1-based when known."""

    def __init__(self, reason: str, line: int = 0, column: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def compose(text: str) -> Node | None:
    """Compose one YAML document into a node tree (None for an empty document)."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if mark is not None:
            raise YamlError(reason, mark.line + 1, mark.column + 1) from None
        raise YamlError(reason) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0]) from None


def scalar_value(node: ScalarNode) -> Any:
    """Resolve a scalar with the YAML 1.2 core schema; quoted and explicitly tagged ``!!str`` stay strings."""
    text = node.value
    if node.style:  # quoted or block scalar (plain is None in PyYAML, "" in its C composer)
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def key_text(node: Node) -> str:
    """A mapping key as the string JSON pointers use."""
    if isinstance(node, ScalarNode):
        return node.value
    raise YamlError("complex mapping keys are not supported", node.start_mark.line + 1, node.start_mark.column + 1)


def iter_members(node: MappingNode) -> list[tuple[Node, Node]]:
    """The (key, value) pairs of a mapping, with ``<<`` merge keys expanded (explicit keys win)."""
    pairs: list[tuple[Node, Node]] = []
    merged: list[tuple[Node, Node]] = []
    for key, value in node.value:
        if key.tag == _MERGE_TAG or (isinstance(key, ScalarNode) and key.value == "<<" and not key.style):
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in sources:
                if isinstance(source, MappingNode):
                    merged.extend(iter_members(source))
        else:
            pairs.append((key, value))
    if not merged:
        return pairs
    explicit = {key_text(k) for k, _ in pairs}
    seen: set[str] = set()
    extra = []
    for key, value in merged:
        text = key_text(key)
        if text not in explicit and text not in seen:
            seen.add(text)
            extra.append((key, value))
    return pairs + extra


def to_data(root: Node, *, has_aliases: bool = True) -> tuple[Any, list[tuple[Node, str]]]:
    """Convert a node tree to dicts/lists/scalars. Returns the data and the duplicate keys found.

    Aliases convert once and are shared; recursive aliases and alias bombs raise ``YamlError``.
    ``has_aliases=False`` (the text has no ``&``) skips that check.
    """
    memo: dict[int, Any] = {}
    duplicates: list[tuple[Node, str]] = []
    if has_aliases:
        _check_expansion(root, {})
    stack: list[tuple[Node, Any]] = []

    def new_container(node: Node) -> Any:
        if isinstance(node, MappingNode):
            container: Any = {}
        else:
            container = []
        memo[id(node)] = container
        stack.append((node, container))
        return container

    def convert(node: Node) -> Any:
        known = memo.get(id(node))
        if known is not None:
            return known
        if isinstance(node, ScalarNode):
            return scalar_value(node)
        return new_container(node)

    data = convert(root)
    while stack:
        node, container = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in iter_members(node):
                text = key_text(key)
                if text in container:
                    duplicates.append((key, text))
                container[text] = convert(value)
        else:
            container.extend(convert(item) for item in node.value)
    return data, duplicates


def _check_expansion(root: Node, sizes: dict[int, int]) -> None:
    """Reject recursive aliases and documents whose aliases expand past ``MAX_EXPANDED_NODES``."""
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            size = 1 + sum(sizes[id(child)] for child in children)
            if size > MAX_EXPANDED_NODES:
                mark = node.start_mark
                raise YamlError("aliases expand to too many nodes (alias bomb?)", mark.line + 1, mark.column + 1)
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in on_path:
            mark = node.start_mark
            raise YamlError("recursive YAML alias", mark.line + 1, mark.column + 1)
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                if id(child) in on_path:
                    mark = child.start_mark
                    raise YamlError("recursive YAML alias", mark.line + 1, mark.column + 1)
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []
