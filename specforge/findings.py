"""Findings are values: a rule, a severity, a message and an exact place in a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Finding severities; a lower value is more severe (Spectral's numbering)."""

    ERROR = 0
    WARNING = 1
    INFO = 2
    HINT = 3

    @property
    def label(self) -> str:
        return SEVERITY_NAMES[self]  # read for every finding a report shows

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse ``error|warning|warn|info|information|hint`` (case-insensitive)."""
        key = str(text).strip().lower()
        key = {"warn": "warning", "information": "info"}.get(key, key)
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning, info or hint)") from None


SEVERITY_NAMES = ("error", "warning", "info", "hint")


@dataclass(frozen=True, order=True, slots=True)
class Finding:
    """One problem found in a document. Ordered by file, position and rule."""

    file: str
    line: int
    column: int
    rule: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    end_line: int = field(default=0, compare=False)
    end_column: int = field(default=0, compare=False)
    pointer: str = field(default="", compare=False)
    fingerprint: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of a finding (``--format json``)."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "pointer": self.pointer,
        }
