"""``--format json``: ``{"findings": [...], "summary": {...}}``."""

from __future__ import annotations

import orjson

from specforge.findings import Finding
from specforge.report import Summary


def render(findings: list[Finding], summary: Summary, **_: object) -> str:
    payload = {"findings": [f.to_dict() for f in findings], "summary": summary.to_dict()}
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n"
