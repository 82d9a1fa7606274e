"""Findings -> text in one format. Each format is a module with ``render(findings, summary, **options)``.

Options every renderer may receive (and ignore): ``color`` (bool), ``rules`` (rule id -> ``Rule``, for
rule metadata), ``stale`` (baseline entries no longer found), ``errors`` (one line per file that
could not be linted), ``notices`` (one line per skipped rule or similar tool message).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from specforge.findings import SEVERITY_NAMES, Finding

FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "markdown": "markdown",
}


@dataclass(frozen=True)
class Summary:
    """Counts for the summary line and exit code."""

    files: int
    errored_files: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: list[Finding], files: int, errored_files: int = 0) -> Summary:
        counts = {name: 0 for name in SEVERITY_NAMES}
        for finding in findings:
            counts[finding.severity.label] += 1
        return cls(files, errored_files, counts)

    def to_dict(self) -> dict[str, int]:
        return {"files": self.files, "unreadable_files": self.errored_files,
                "total": sum(self.by_severity.values()), **{f"{k}s": v for k, v in self.by_severity.items()}}


def renderer(name: str) -> Callable[..., str]:
    """The ``render`` function of a format (modules load on demand)."""
    module = importlib.import_module(f"specforge.report.{FORMATS[name]}")
    return module.render
