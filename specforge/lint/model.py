"""Rules as values: what a rule looks at (``given``), what it checks (``then``) and how it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from specforge.findings import Severity


@dataclass(frozen=True, slots=True)
class Problem:
    """What a function reports: a message and where, relative to the value it was given.

    ``source`` set means ``path`` is an absolute pointer inside that file (document-level checks
    report in referenced files this way).
    """

    message: str = ""
    path: tuple = ()
    at_key: bool = False
    source: Any = None
    span: Any = None  # an explicit position, for problems no pointer can name (duplicate keys)


@dataclass(frozen=True)
class Then:
    """One check of a rule: a function applied to a field of the visited node."""

    function: str
    field: str | None = None
    options: Any = None

    @cached_property
    def field_path(self) -> tuple[str, ...]:
        """``field`` split at its dots (``a.b`` -> ``("a", "b")``)."""
        return tuple(self.field.split(".")) if self.field else ()


@dataclass(frozen=True)
class Rule:
    """A rule as loaded from ``rules/**/*.yaml`` or a config file."""

    id: str
    summary: str
    severity: Severity | None  # None: "off"
    given: tuple[str, ...]
    then: tuple[Then, ...]
    formats: frozenset[str] = frozenset()
    message: str | None = None
    recommended: bool = True
    tags: tuple[str, ...] = ()
    fix: str | None = None
    docs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    source: str = ""  # the file the rule was defined in

    def applies_to(self, format_names: frozenset[str]) -> bool:
        return not self.formats or bool(self.formats & format_names)
