"""The single traversal: every spec object is visited once, typed by kind, ``$ref``s followed lazily.

Handlers subscribe to kinds; the walker never asks rules what to do, it only calls the handlers
registered for the kind it is visiting. Cycles and shared objects are visited once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
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
    by_kind: defaultdict[str, list[Node]] = defaultdict(list)
    seen: set[int] = set()
    plans = _plans(types)
    root = Node("Root", document.data, document.root, (), None, None, None, None)
    stack: list[Node] = [root]
    pop, push = stack.pop, stack.append
    ref_handlers = handlers.get("Reference", ())
    order = index.order if record else None
    while stack:
        node = pop()
        value = node.value
        kind = node.kind
        if type(value) is dict and "$ref" in value and kind in REFERENCEABLE:
            ref = Node("Reference", value, node.source, node.pointer, node.key, kind, node.parent, None)
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
                    push(Node(kind, target.value, target.source, target.pointer, node.key, node.relation,
                              node.parent, ref))
            if not (allow_ref_siblings and kind == "Schema" and len(value) > 1):
                continue
        key = id(value)
        if key in seen:
            continue
        seen.add(key)
        if keep:
            by_kind[kind].append(node)
        if order is not None:
            order.append(node)
        for handler in handlers.get(kind, ()):
            handler(node)
        plan = plans.get(kind)
        if plan is not None and type(value) is dict:
            typed, entries, fields = plan
            if typed is None or not typed.isdisjoint(value):
                _push_children(node, value, entries, fields, push)
    index.by_kind = dict(by_kind)
    return index


def replay(index: WalkIndex, handlers: dict[str, list[Handler]], spans: Iterable[range] | None = None) -> None:
    """Call ``handlers`` as ``walk`` would have, over the nodes a recorded walk visited, in its order:
    all of them, or those at the positions ``spans`` give (chunks of ``index.order``).
    """
    order = index.order
    for span in spans if spans is not None else (range(len(order)),):
        for node in order[span.start:span.stop]:
            for handler in handlers.get(node.kind, ()):
                handler(node)


#: How a field holds typed children: one object, a list of them, or a map of them.
_ONE, _LIST, _MAP = 0, 1, 2


def _plans(types: dict[str, dict]) -> dict[str, tuple[frozenset | None, tuple | None, dict[str, tuple]]]:
    """Per kind: the keys that can hold a typed child (None: any key, a map such as ``paths``), how
    the entries of a map kind are typed, and ``field -> (how, kind, skips x-)`` for the named fields.
    """
    plans = {}
    for kind, fields in types.items():
        entries = fields.get("*")
        named: dict[str, tuple] = {}
        for name, spec in fields.items():
            if name == "*":
                continue
            if isinstance(spec, str):
                named[name] = (_ONE, spec, False)
            elif isinstance(spec, ListOf):
                named[name] = (_LIST, spec.kind, False)
            else:
                named[name] = (_MAP, spec.kind, spec.skip_extensions)
        typed = None if entries is not None else frozenset(named)
        plans[kind] = (typed, (entries.kind, entries.skip_extensions) if isinstance(entries, MapOf) else None, named)
    return plans


def _push_children(parent: Node, value: dict, entries: tuple | None, fields: dict[str, tuple],
                   push: Callable[[Node], None]) -> None:
    """Push the typed children of ``value`` so that they pop in document order: the entries of a map
    kind first, then the named fields (keys without a type are not walked).
    """
    source, pointer = parent.source, parent.pointer
    for name, child in reversed(value.items()):
        spec = fields.get(name)
        if spec is None:
            continue
        how, kind, skip = spec
        if type(child) is dict:
            if how == _ONE:
                push(Node(kind, child, source, pointer + (name,), name, name, parent, None))
            elif how == _MAP:
                for key, item in reversed(child.items()):
                    if type(item) is dict and not (skip and key.startswith("x-")):
                        push(Node(kind, item, source, pointer + (name, key), key, name, parent, None))
        elif type(child) is list and (how == _LIST or (how == _ONE and kind == "Schema")):  # or tuple ``items``
            for i in range(len(child) - 1, -1, -1):
                if type(child[i]) is dict:
                    push(Node(kind, child[i], source, pointer + (name, i), i, name, parent, None))
    if entries is not None:
        kind, skip = entries
        for key, child in reversed(value.items()):
            if type(child) is dict and not (skip and key.startswith("x-")):
                push(Node(kind, child, source, pointer + (key,), key, None, parent, None))
