"""``--format gitlab``: GitLab Code Quality report (a JSON array of Code Climate issues).

GitLab needs ``description``, ``check_name``, ``fingerprint`` (unique per issue), ``severity``
(``info|minor|major|critical|blocker``) and ``location.path`` + ``location.lines.begin``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import orjson

from specforge.findings import Finding, Severity
from specforge.report import Summary

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info", Severity.HINT: "info"}


def render(findings: list[Finding], summary: Summary, *, errors: Iterable[tuple[str, str]] = (),
           **_: object) -> str:
    """The Code Quality array; unreadable files are ``blocker`` issues at line 1."""
    issues = []
    seen: dict[str, int] = {}
    for f in findings:
        issues.append({
            "type": "issue",
            "check_name": f.rule,
            "description": f.message,
            "categories": ["Style"],
            "severity": _SEVERITIES[f.severity],
            "fingerprint": _unique(f.fingerprint or _fallback(f), seen),
            "location": {"path": f.file, "lines": {"begin": f.line, "end": max(f.end_line, f.line)},
                         "positions": {"begin": {"line": f.line, "column": f.column}}},
        })
    for file, message in errors:
        issues.append({"type": "issue", "check_name": "specforge", "description": message,
                       "categories": ["Bug Risk"], "severity": "blocker",
                       "fingerprint": _unique(_digest("error", file), seen),
                       "location": {"path": file, "lines": {"begin": 1}}})
    return orjson.dumps(issues, option=orjson.OPT_INDENT_2).decode() + "\n"


def _fallback(f: Finding) -> str:
    return _digest(f.rule, f.file, f.pointer, f.message)


def _digest(*parts: str) -> str:
    return hashlib.md5("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


def _unique(fingerprint: str, seen: dict[str, int]) -> str:
    """GitLab drops issues with equal fingerprints: number repeats (same rule on the same node)."""
    count = seen.get(fingerprint, 0)
    seen[fingerprint] = count + 1
    return fingerprint if count == 0 else _digest(fingerprint, str(count))
