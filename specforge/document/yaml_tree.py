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

from specforge.document.limits import MAX_EXPANDED_NODES, MAX_INTEGER_DIGITS, MAX_NESTING_DEPTH, LimitExceeded

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TOO_DEEP = f"nesting deeper than {MAX_NESTING_DEPTH} levels"


class YamlError(ValueError):
    """The text is not usable YAML; ``line``/``column`` are 1-based when known."""

    def __init__(self, reason: str, line: int = 0, column: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def compose(text: str) -> Node | None:
    """Compose one YAML document into a node tree (None for an empty document).

    Nesting past libyaml's 1000 levels (or the stack, for the pure-Python composer) is ``LimitExceeded``.
    """
    try:
        return yaml.compose(text, Loader=_Loader)
    except RecursionError:
        raise LimitExceeded(_TOO_DEEP) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "exceeded maximum nesting depth" in reason:
            raise LimitExceeded(_TOO_DEEP, *_where(mark)) from None
        if mark is not None:
            raise YamlError(reason, mark.line + 1, mark.column + 1) from None
        raise YamlError(reason) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters...)
        offset = max(text.find(chr(exc.character)), 0)  # its first occurrence: the reader stops at the first
        line = text.count("\n", 0, offset) + 1
        raise YamlError(f"character #x{exc.character:04x} is not allowed in YAML", line,
                        offset - text.rfind("\n", 0, offset)) from None
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
        return _integer(node, text, 10)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return _integer(node, text[2:], 8)
    if _HEX.match(text):
        return _integer(node, text[2:], 16)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def _integer(node: ScalarNode, digits: str, base: int) -> int:
    if len(digits) > MAX_INTEGER_DIGITS:
        raise LimitExceeded(f"integer of more than {MAX_INTEGER_DIGITS} digits", *_where(node.start_mark))
    return int(digits, base)


def _where(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def key_text(node: Node) -> str:
    """A mapping key as the string JSON pointers use."""
    if isinstance(node, ScalarNode):
        return node.value
    raise YamlError("complex mapping keys are not supported", node.start_mark.line + 1, node.start_mark.column + 1)


def iter_members(node: MappingNode) -> list[tuple[Node, Node]]:
    """The (key, value) pairs of a mapping, with ``<<`` merge keys expanded (explicit keys win).

    Merged mappings are read depth first (a merged mapping's own merges before the next one), the
    first occurrence of a key winning; without recursion, so deeply nested merges cannot overflow.
    """
    pairs: list[tuple[Node, Node]] = []
    sources: list[MappingNode] = []
    for key, value in node.value:
        if _is_merge(key):
            sources.extend(_merge_sources(value))
        else:
            pairs.append((key, value))
    if not sources:
        return pairs
    merged: list[tuple[Node, Node]] = []
    stack = sources[::-1]
    while stack:
        source = stack.pop()
        nested: list[MappingNode] = []
        for key, value in source.value:
            if _is_merge(key):
                nested.extend(_merge_sources(value))
            else:
                merged.append((key, value))
        stack.extend(reversed(nested))
    explicit = {key_text(k) for k, _ in pairs}
    seen: set[str] = set()
    extra = []
    for key, value in merged:
        text = key_text(key)
        if text not in explicit and text not in seen:
            seen.add(text)
            extra.append((key, value))
    return pairs + extra


def _is_merge(key: Node) -> bool:
    return key.tag == _MERGE_TAG or (isinstance(key, ScalarNode) and key.value == "<<" and not key.style)


def _merge_sources(value: Node) -> list[MappingNode]:
    """The mappings a ``<<`` value merges: itself, or the mappings of a sequence (other nodes are ignored)."""
    candidates = value.value if isinstance(value, SequenceNode) else [value]
    return [source for source in candidates if isinstance(source, MappingNode)]


def to_data(root: Node, *, has_aliases: bool = True) -> tuple[Any, list[tuple[Node, str]]]:
    """Convert a node tree to dicts/lists/scalars. Returns the data and the duplicate keys found.

    Aliases convert once and are shared; recursive aliases raise ``YamlError``, alias bombs and
    nesting deeper than ``MAX_NESTING_DEPTH`` (through aliases too) raise ``LimitExceeded``.
    ``has_aliases=False`` (the text has no ``&``) skips the alias checks.
    """
    memo: dict[int, Any] = {}
    duplicates: list[tuple[Node, str]] = []
    if has_aliases:
        _check_expansion(root)
    stack: list[tuple[Node, Any, int]] = []

    def convert(node: Node, depth: int) -> Any:
        known = memo.get(id(node))
        if known is not None:
            return known
        if isinstance(node, ScalarNode):
            return scalar_value(node)
        if depth > MAX_NESTING_DEPTH:
            raise LimitExceeded(_TOO_DEEP, *_where(node.start_mark))
        container: Any = {} if isinstance(node, MappingNode) else []
        memo[id(node)] = container
        stack.append((node, container, depth))
        return container

    data = convert(root, 1)
    while stack:
        node, container, depth = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in iter_members(node):
                text = key_text(key)
                if text in container:
                    duplicates.append((key, text))
                container[text] = convert(value, depth + 1)
        else:
            container.extend(convert(item, depth + 1) for item in node.value)
    return data, duplicates


def _check_expansion(root: Node) -> None:
    """Reject recursive aliases, and documents whose aliases expand past ``MAX_EXPANDED_NODES`` nodes or
    ``MAX_NESTING_DEPTH`` levels (each node's expanded size and height are computed once, bottom up).
    """
    sizes: dict[int, tuple[int, int]] = {}  # id -> (nodes, height) of the expanded subtree
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            size, height = 1, 0
            for child in children:
                child_size, child_height = sizes[id(child)]
                size += child_size
                height = max(height, child_height)
            if not isinstance(node, ScalarNode):
                height += 1
            if size > MAX_EXPANDED_NODES:
                raise LimitExceeded(f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?)",
                                    *_where(node.start_mark))
            if height > MAX_NESTING_DEPTH:
                raise LimitExceeded(_TOO_DEEP, *_where(node.start_mark))
            sizes[key] = (size, height)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlError("recursive YAML alias", *_where(node.start_mark))
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                if id(child) in on_path:
                    raise YamlError("recursive YAML alias", *_where(child.start_mark))
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []
