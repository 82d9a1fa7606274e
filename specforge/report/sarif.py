"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning, Azure DevOps and other SARIF viewers.

Rule metadata (descriptions, help, default level) comes from the rule catalogue; each result has
a relative ``artifactLocation`` under ``%SRCROOT%`` (the working directory), a full region and a
``partialFingerprints`` entry that survives line shifts (the baseline fingerprint). Files that
could not be linted and stale baseline entries are ``toolExecutionNotifications``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

import specforge
from specforge.findings import Finding, Severity
from specforge.report import Summary

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "specforge/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}


def render(findings: list[Finding], summary: Summary, *, rules: Mapping[str, Any] | None = None,
           stale: Iterable[Any] = (), errors: Iterable[tuple[str, str]] = (), notices: Iterable[str] = (),
           **_: object) -> str:
    """One SARIF log with one run; ``rules`` maps rule ids to ``Rule`` values for the metadata."""
    rules = rules or {}
    errors = list(errors)
    rule_ids = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    notifications = [_notification("file-not-linted", "error", message, {"file": file}) for file, message in errors]
    notifications += [_notification("notice", "warning", text) for text in notices]
    notifications += [_notification("stale-baseline-entry", "note",
                                    f"baseline entry no longer found: {e.rule} in {e.file} at {e.pointer or '/'}",
                                    e.to_dict()) for e in stale]
    invocation: dict[str, Any] = {"executionSuccessful": not errors and not summary.errored_files}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {
            "name": "specforge",
            "version": specforge.__version__,
            "semanticVersion": specforge.__version__,
            "informationUri": "https://github.com/specforge/specforge",
            "rules": [_descriptor(rule_id, rules.get(rule_id), findings) for rule_id in rule_ids],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        "invocations": [invocation],
        "results": [_result(f, index[f.rule]) for f in findings],
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return orjson.dumps(log, option=orjson.OPT_INDENT_2).decode() + "\n"


def artifact_uri(file: str) -> str:
    """A finding's file as a relative URI reference (``/`` separators, percent-encoded)."""
    return quote(Path(file).as_posix())


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line >= finding.line and finding.end_line:
        region["endLine"] = finding.end_line
        if finding.end_column and (finding.end_line > finding.line or finding.end_column >= finding.column):
            region["endColumn"] = finding.end_column
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(finding.file), "uriBaseId": SRCROOT},
        "region": region,
    }}
    if finding.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.pointer, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    return result


def _descriptor(rule_id: str, rule: Any, findings: list[Finding]) -> dict[str, Any]:
    if rule is None:  # a rule reported by the tool itself (e.g. lint-ignore-unknown-rule)
        from specforge.lint.ignores import TOOL_RULES

        rule = TOOL_RULES.get(rule_id)
    if rule is None:
        level = next(_LEVELS[f.severity] for f in findings if f.rule == rule_id)
        return {"id": rule_id, "shortDescription": {"text": rule_id}, "defaultConfiguration": {"level": level}}
    docs = rule.docs or {}
    why = str(docs.get("why") or rule.summary).strip()
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _pascal(rule_id),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": why},
        "help": {"text": _help_text(rule, why), "markdown": _help_markdown(rule, why)},
        "defaultConfiguration": {"level": _LEVELS[rule.severity] if rule.severity is not None else "none"},
    }
    if docs.get("url"):
        descriptor["helpUri"] = str(docs["url"])
    if rule.tags:
        descriptor["properties"] = {"tags": list(rule.tags)}
    return descriptor


def _help_text(rule: Any, why: str) -> str:
    parts = [rule.summary, why]
    if rule.fix:
        parts.append(f"Fix: {rule.fix}")
    return "\n\n".join(dict.fromkeys(p.strip() for p in parts if p))


def _help_markdown(rule: Any, why: str) -> str:
    docs = rule.docs or {}
    parts = [f"**{rule.summary}**", why]
    if rule.fix:
        parts.append(f"**Fix:** {rule.fix}")
    for title, key in (("Bad", "bad"), ("Good", "good")):
        if docs.get(key):
            parts.append(f"{title}:\n\n```yaml\n{str(docs[key]).rstrip()}\n```")
    return "\n\n".join(dict.fromkeys(p.strip() for p in parts if p))


def _notification(rule_id: str, level: str, text: str, properties: dict | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"descriptor": {"id": rule_id}, "level": level, "message": {"text": text}}
    if properties:
        note["properties"] = properties
    return note


def _pascal(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in rule_id.replace(":", "-").replace("_", "-").split("-"))
