"""``--format markdown``: a job summary (``$GITHUB_STEP_SUMMARY``, merge request notes).

A headline with the counts, then one table row per finding: severity, file:line:col, rule, message.
"""

from __future__ import annotations

from collections.abc import Iterable

from specforge.findings import Finding
from specforge.report import Summary

_ICONS = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info", "hint": "⚪ hint"}


def cell(text: str) -> str:
    """Text safe inside a table cell: pipes escaped, newlines as ``<br>``, markup characters escaped."""
    for char in ("\\", "|", "`", "*", "_", "<", ">", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "<br>")


def render(findings: list[Finding], summary: Summary, *, errors: Iterable[tuple[str, str]] = (),
           stale: Iterable[object] = (), **_: object) -> str:
    """``## specforge lint`` + counts + findings table (+ unreadable files and stale baseline entries)."""
    counts = summary.by_severity
    total = sum(counts.values())
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    lines = ["## specforge lint", ""]
    if total:
        parts = ", ".join(f"{counts[n]} {n}{'s' if counts[n] != 1 else ''}"
                          for n in ("error", "warning", "info", "hint") if counts.get(n))
        lines.append(f"**{total} problem{'s' if total != 1 else ''}** ({parts}) in {files}.")
    else:
        lines.append(f"No problems found in {files}.")
    if findings:
        lines += ["", "| Severity | Location | Rule | Message |", "| --- | --- | --- | --- |"]
        lines += [f"| {_ICONS[f.severity.label]} | {cell(f'{f.file}:{f.line}:{f.column}')} | "
                  f"{cell(f.rule)} | {cell(f.message)} |" for f in findings]
    errors = list(errors)
    if errors:
        lines += ["", f"**{len(errors)} file{'s' if len(errors) != 1 else ''} could not be linted:**", ""]
        lines += [f"- {cell(file)}: {cell(message)}" for file, message in errors]
    stale = list(stale)
    if stale:
        lines += ["", f"**{len(stale)} baseline entr{'ies' if len(stale) != 1 else 'y'} no longer found** "
                  "(remove them with `--write-baseline`):", ""]
        lines += [f"- {cell(e.rule)} in {cell(e.file)} at {cell(e.pointer or '/')}" for e in stale]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"
