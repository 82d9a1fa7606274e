"""What a rule function is given besides the value: where it is and what surrounds it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from specforge.document import Document, RefError, Source, Target
from specforge.lint.model import Problem
from specforge.lint.walk import Node, WalkIndex


class Missing:
    """The value of a ``then.field`` the node does not have."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


class Context:
    """The visited node, the document, and (for document-level checks) what the walk collected."""

    __slots__ = ("node", "document", "index", "field", "rule_id", "deferred", "run", "_owned")

    def __init__(self, node: Node, document: Document, index: WalkIndex | None, field: str | None,
                 rule_id: str, deferred: list[tuple[str, Callable[[], Iterable[Problem]]]] | None = None,
                 run: dict[str, Any] | None = None, owned: Callable[[Source, tuple], bool] | None = None) -> None:
        self.node = node
        self.document = document
        self.index = index
        self.field = field
        self.rule_id = rule_id
        self.deferred = deferred
        self.run = run if run is not None else {}  # state of this lint run (``document.cache`` outlives it)
        self._owned = owned

    def reports_on(self, key: Any) -> bool:
        """Whether this run reports on the entry ``key`` of the visited node (a path of ``paths``, say):
        always, unless the document is shared out and the entry belongs to another share (``shares_entries``).
        """
        return self._owned is None or self._owned(self.node.source, self.node.pointer + (key,))

    def defer(self, report: Callable[[], Iterable[Problem]]) -> None:
        """Run ``report`` once the walk is over; its problems (absolute: ``source`` set) count for this rule.

        For checks that batch work over the whole document (compiling one validator for every
        example, say) instead of doing it node by node.
        """
        if self.deferred is None:
            raise RuntimeError("this check runs after the walk: there is nothing left to defer to")
        self.deferred.append((self.rule_id, report))

    @property
    def format(self) -> str:
        return self.document.format

    def resolve(self, value: Any) -> Any:
        """``value`` with ``$ref``s followed (through chains); unresolvable refs give None."""
        seen = 0
        source = self.node.source
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 32:
            try:
                target: Target = self.document.workspace.resolve(value["$ref"], source)
            except RefError:
                return None
            value, source, seen = target.value, target.source, seen + 1
        return value
