"""Run the active ``formats: [wsdl]`` rules over one WSDL document and return findings.

Each rule is ``given: Document`` with named checks (``wsdl_<topic>:<check>``) that receive the
loaded ``WsdlDocument``; problems carry their file and span, and become the same ``Finding``
values OpenAPI rules produce (so formats, config, overrides and baselines work unchanged).
``<!-- lint-ignore: rule-id -->`` comments silence rules for the element that follows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specforge.findings import Finding
from specforge.lint.engine import ActiveRule, render_message
from specforge.lint.functions import get_function
from specforge.wsdl import ignores
from specforge.wsdl.loader import load_wsdl
from specforge.wsdl.model import WsdlDocument

FORMAT_NAMES = {1: frozenset({"wsdl", "wsdl1"}), 2: frozenset({"wsdl", "wsdl2"})}


class WsdlContext:
    """What a WSDL check gets besides the document: the rule id and its options."""

    __slots__ = ("document", "rule_id", "options")

    def __init__(self, document: WsdlDocument, rule_id: str, options: Any) -> None:
        self.document = document
        self.rule_id = rule_id
        self.options = options

    @property
    def format(self) -> str:
        return f"wsdl{self.document.version}"


def lint_wsdl(text: str, display: str, path: Path, active_rules: list[ActiveRule]) -> list[Finding]:
    """Load ``path`` (text already read) and apply every active rule written for WSDL."""
    document = load_wsdl(text, display, path)
    return lint_wsdl_document(document, active_rules)


def lint_wsdl_document(document: WsdlDocument, active_rules: list[ActiveRule]) -> list[Finding]:
    """Apply the WSDL rules among ``active_rules`` to a loaded document."""
    names = FORMAT_NAMES[document.version]
    findings: dict[tuple, Finding] = {}
    for active in active_rules:
        rule = active.rule
        if not rule.formats & names:
            continue
        for then in rule.then:
            function = get_function(then.function)
            ctx = WsdlContext(document, rule.id, then.options)
            for problem in function(document, then.options, ctx) or ():
                span = problem.span
                file = problem.source.path if problem.source is not None else document.root.path
                pointer = "/" + "/".join(problem.path)
                message = render_message(rule, problem, (), "")
                key = (rule.id, file, span, message)
                if key not in findings:
                    findings[key] = Finding(
                        file=file, line=span.line, column=span.column, rule=rule.id, severity=active.severity,
                        message=message, end_line=span.end_line, end_column=span.end_column, pointer=pointer,
                    )
    directives = ignores.collect(document)
    return sorted(ignores.apply(findings.values(), directives) if directives else findings.values())
