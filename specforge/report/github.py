"""``--format github``: GitHub Actions workflow commands, shown as annotations on the pull request.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::message``; info and hint map to
``notice``. Values are escaped as the Actions runner expects (``%``, CR, LF; in properties also
``:`` and ``,``).
"""

from __future__ import annotations

from collections.abc import Iterable

from specforge.findings import Finding, Severity
from specforge.report import Summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding], summary: Summary, *, errors: Iterable[tuple[str, str]] = (),
           **_: object) -> str:
    """One workflow command per finding, and an ``::error`` per file that could not be linted."""
    lines = []
    for f in findings:
        props = [f"file={escape_property(f.file)}", f"line={f.line}", f"col={f.column}"]
        if f.end_line:
            props.append(f"endLine={f.end_line}")
            if f.end_column:
                props.append(f"endColumn={f.end_column}")
        props.append(f"title={escape_property(f.rule)}")
        lines.append(f"::{_COMMANDS[f.severity]} {','.join(props)}::{escape_data(f.message)}")
    for file, message in errors:
        lines.append(f"::error file={escape_property(file)},title=specforge::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
