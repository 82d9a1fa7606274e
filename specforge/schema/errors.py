"""The one error schema helpers raise: no instance can satisfy a schema."""

from __future__ import annotations


class UnsatisfiableSchema(ValueError):
    """No instance satisfies the schema; ``pointer`` is the suffix (tuple of keys) inside the schema."""

    def __init__(self, pointer: tuple = (), reason: str = "schema cannot be satisfied") -> None:
        super().__init__(f"{'/'.join(map(str, pointer)) or '<root>'}: {reason}")
        self.pointer = tuple(pointer)
        self.reason = reason

    def under(self, *prefix: str | int) -> UnsatisfiableSchema:
        """The same error with ``prefix`` put in front of its pointer."""
        return UnsatisfiableSchema(tuple(prefix) + self.pointer, self.reason)
