"""``--format json``: ``{"findings": [...], "summary": {...}}``.

When there are any, ``errors`` (files that could not be linted), ``notices`` (rules skipped, e.g.
Spectral rules needing JavaScript functions) and ``stale_baseline`` (baseline entries no longer
found) are added.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from specforge.findings import Finding
from specforge.report import Summary


def render(findings: list[Finding], summary: Summary, *, errors: Iterable[tuple[str, str]] = (),
           stale: Iterable[Any] = (), notices: Iterable[str] = (), **_: object) -> str:
    payload: dict[str, Any] = {"findings": [f.to_dict() for f in findings], "summary": summary.to_dict()}
    unreadable = [{"file": file, "message": message} for file, message in errors]
    if unreadable:
        payload["errors"] = unreadable
    skipped = list(notices)
    if skipped:
        payload["notices"] = skipped
    gone = [entry.to_dict() for entry in stale]
    if gone:
        payload["stale_baseline"] = gone
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n"
