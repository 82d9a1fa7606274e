"""Human-readable output: findings grouped by file, aligned columns, one summary line."""

from __future__ import annotations

from itertools import groupby

from specforge.findings import Finding, Severity
from specforge.report import Summary

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue", Severity.HINT: "white"}


def render(findings: list[Finding], summary: Summary, *, color: bool = False, **_: object) -> str:
    """``file`` headers, then ``line:col  severity  rule  message``, then a summary line."""
    import click

    lines: list[str] = []
    for file, group in groupby(findings, key=lambda f: f.file):
        items = list(group)
        lines.append(click.style(file, underline=True) if color else file)
        where_width = max(len(f"{f.line}:{f.column}") for f in items)
        rule_width = max(len(f.rule) for f in items)
        for f in items:
            where = f"{f.line}:{f.column}".ljust(where_width)
            severity = f.severity.label.ljust(7)
            if color:
                severity = click.style(severity, fg=_COLOURS[f.severity])
            lines.append(f"  {where}  {severity}  {f.rule.ljust(rule_width)}  {f.message}")
        lines.append("")
    lines.append(_summary_line(summary, color))
    return "\n".join(lines) + "\n"


def _summary_line(summary: Summary, color: bool) -> str:
    import click

    counts = summary.by_severity
    total = sum(counts.values())
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    unreadable = ""
    if summary.errored_files:
        unreadable = f" {summary.errored_files} file{'s' if summary.errored_files != 1 else ''} could not be linted."
    if total == 0:
        if summary.errored_files:
            linted = summary.files - summary.errored_files
            line = (unreadable.strip() if not linted else
                    f"No problems found in {linted} file{'s' if linted != 1 else ''}.{unreadable}")
            return click.style(line, fg="red", bold=True) if color else line
        line = f"No problems found in {files}."
        return click.style(line, fg="green") if color else line
    parts = ", ".join(f"{counts[name]} {name}{'s' if counts[name] != 1 else ''}"
                      for name in ("error", "warning", "info", "hint") if counts[name])
    line = f"{total} problem{'s' if total != 1 else ''} ({parts}) in {files}."
    line += unreadable
    return click.style(line, fg="red" if counts["error"] else "yellow", bold=True) if color else line
