"""Resolve ``$ref`` strings: local pointers against a document, anything else through a callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specforge.document.pointer import decode, lookup
from specforge.schema.errors import UnsatisfiableSchema


class Resolver:
    """``resolver(ref, root)`` -> target node; ``root`` answers ``#...`` when there is no document."""

    def __init__(self, document: Any = None, resolve: Callable[[str], Any] | None = None) -> None:
        self.document = document
        self.external = resolve
        self._local: dict[str, Any] = {}  # the document's own ``#...`` refs, resolved once each

    def __call__(self, ref: str, root: Any = None) -> Any:
        if ref.startswith("#"):
            if self.document is not None and ref in self._local:
                return self._local[ref]
            base = self.document if self.document is not None else root
            try:
                target = lookup(base, decode(ref[1:]))
            except (KeyError, ValueError):
                if self.external is None:
                    raise UnsatisfiableSchema(("$ref",), f"cannot resolve {ref}") from None
            else:
                if self.document is not None:
                    self._local[ref] = target
                return target
        if self.external is None:
            raise UnsatisfiableSchema(("$ref",), f"cannot resolve {ref} (no resolver given)")
        try:
            target = self.external(ref)
        except Exception as exc:  # the callback is foreign code: report, do not crash
            raise UnsatisfiableSchema(("$ref",), f"cannot resolve {ref}: {exc}") from None
        if target is None:
            raise UnsatisfiableSchema(("$ref",), f"cannot resolve {ref}")
        return target


def ref_name(ref: str) -> str:
    """The schema name a ``$ref`` points to: ``#/components/schemas/Pet`` -> ``Pet``."""
    tail = ref.rstrip("/").rsplit("/", 1)[-1]
    return tail.replace("~1", "/").replace("~0", "~")
