"""The single traversal: every spec object is visited once, typed by kind, ``$ref``s followed lazily.

Handlers subscribe to kinds; the walker never asks rules what to do, it only calls the handlers
registered for the kind it is visiting. Cycles and shared objects are visited once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specforge.document import Document, RefError, Source
from specforge.openapi.types import REFERENCEABLE, ListOf, MapOf, types_for


class Node:
    """A visited spec object: its kind, value, file and pointer, and how it was reached."""

    __slots__ = ("kind", "value", "source", "pointer", "key", "relation", "parent", "ref_from")

    def __init__(self, kind: str, value: Any, source: Source, pointer: tuple, key: Any = None,
                 relation: str | None = None, parent: Node | None = None, ref_from: Node | None = None) -> None:
        self.kind = kind
        self.value = value
        self.source = source
        self.pointer = pointer
        self.key = key
        self.relation = relation
        self.parent = parent
        self.ref_from = ref_from

    def ancestor(self, kind: str) -> Node | None:
        """The nearest enclosing node of ``kind`` (following the way the walk reached this node)."""
        node = self.parent
        while node is not None and node.kind != kind:
            node = node.parent
        return node

    def __repr__(self) -> str:
        return f"Node({self.kind} {self.source.path}#{'/'.join(map(str, self.pointer))})"


Handler = Callable[[Node], None]


class WalkIndex:
    """What the walk saw, for document-level checks: nodes by kind and every ``$ref``; and, when
    recorded, every node in the order it was visited (``replay``).
    """

    def __init__(self) -> None:
        self.by_kind: dict[str, list[Node]] = {}
        self.refs: list[tuple[Node, Any]] = []  # (Reference node, Target or RefError)
        self.order: list[Node] = []

    def nodes(self, kind: str) -> list[Node]:
        return self.by_kind.get(kind, [])


def walk(document: Document, handlers: dict[str, list[Handler]], keep: bool = True,
         record: bool = False) -> WalkIndex:
    """Visit every typed object of ``document`` once, calling ``handlers[kind]`` for each.

    The index of what was seen is filled only with ``keep`` (nobody asks for it otherwise, and it
    holds every node); the visiting order (``Reference`` nodes included) only with ``record``.
    """
    types = types_for(document.format)
    allow_ref_siblings = document.format not in ("oas2", "oas3.0")
    workspace = document.workspace
    index = WalkIndex()
    by_kind = index.by_kind
    seen: set[int] = set()
    # The keys that can hold a typed child, per kind (None: any key can, a map such as ``paths``).
    typed_keys = {kind: None if "*" in fields else frozenset(fields) for kind, fields in types.items()}
    root = Node("Root", document.data, document.root, ())
    stack: list[Node] = [root]
    ref_handlers = handlers.get("Reference", ())
    order = index.order if record else None
    while stack:
        node = stack.pop()
        value = node.value
        if isinstance(value, dict) and "$ref" in value and node.kind in REFERENCEABLE:
            ref = Node("Reference", value, node.source, node.pointer, node.key, node.kind, node.parent)
            if order is not None:
                order.append(ref)
            for handler in ref_handlers:
                handler(ref)
            try:
                target = workspace.resolve(value["$ref"], node.source)
            except RefError as exc:
                if keep:  # without its traceback, whose frames (this one) would hold the index in a cycle
                    index.refs.append((ref, exc.with_traceback(None)))
            else:
                if keep:
                    index.refs.append((ref, target))
                if id(target.value) not in seen:
                    stack.append(Node(node.kind, target.value, target.source, target.pointer, node.key,
                                      node.relation, node.parent, ref))
            if not (allow_ref_siblings and node.kind == "Schema" and len(value) > 1):
                continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        kind = node.kind
        if keep:
            by_kind.setdefault(kind, []).append(node)
        if order is not None:
            order.append(node)
        for handler in handlers.get(kind, ()):
            handler(node)
        if isinstance(value, dict) and kind in types:
            keys = typed_keys[kind]
            if keys is not None and keys.isdisjoint(value):
                continue  # a leaf: most schemas are
            children = _children(node, value, types[kind])
            children.reverse()
            stack.extend(children)
    return index


def replay(index: WalkIndex, handlers: dict[str, list[Handler]], owner: Callable[[Node], int] | None = None,
           mine: int = 0, everywhere: dict[str, list[Handler]] | None = None) -> None:
    """Call ``handlers`` as ``walk`` would have, over the nodes a recorded walk visited, in its order.

    With ``owner``, ``handlers`` see only the nodes ``owner`` gives to ``mine``; ``everywhere`` sees them all.
    """
    everywhere = everywhere or {}
    for node in index.order:
        kind = node.kind
        if owner is None or owner(node) == mine:
            for handler in handlers.get(kind, ()):
                handler(node)
        for handler in everywhere.get(kind, ()):
            handler(node)


def _children(parent: Node, value: dict, fields: dict) -> list[Node]:
    """The typed children of ``value`` in document order (keys without a type are not walked)."""
    source, pointer = parent.source, parent.pointer
    children: list[Node] = []
    add = children.append
    entries = fields.get("*")
    if isinstance(entries, MapOf):
        skip = entries.skip_extensions
        for key, child in value.items():
            if isinstance(child, dict) and not (skip and key.startswith("x-")):
                add(Node(entries.kind, child, source, pointer + (key,), key, None, parent))
    for name, child in value.items():
        spec = fields.get(name)
        if spec is None or name == "*":
            continue
        if type(spec) is str:
            if isinstance(child, dict):
                add(Node(spec, child, source, pointer + (name,), name, name, parent))
            elif isinstance(child, list) and spec == "Schema":  # 2.0/3.0 tuple ``items``
                for i, item in enumerate(child):
                    if isinstance(item, dict):
                        add(Node(spec, item, source, pointer + (name, i), i, name, parent))
        elif isinstance(spec, ListOf):
            if isinstance(child, list):
                kind = spec.kind
                for i, item in enumerate(child):
                    if isinstance(item, dict):
                        add(Node(kind, item, source, pointer + (name, i), i, name, parent))
        elif isinstance(child, dict):
            kind, skip = spec.kind, spec.skip_extensions
            for key, item in child.items():
                if isinstance(item, dict) and not (skip and key.startswith("x-")):
                    add(Node(kind, item, source, pointer + (name, key), key, name, parent))
    return children
