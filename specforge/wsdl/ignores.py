"""Inline ignores in WSDL/XSD files: ``<!-- lint-ignore: rule-id, other-rule -->``.

The comment silences the named rules (or ``all``) for the element that follows it and everything
inside; placed as the last thing inside an element (no element after it), it covers that element.
Before the root element it covers the whole file. This is the XML spelling of ``x-lint-ignore``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from specforge.findings import Finding
from specforge.wsdl.model import WsdlDocument, element_path
from specforge.wsdl.xml_tree import Comment, Element

_DIRECTIVE = re.compile(r"^\s*(?:x-)?lint-ignore\s*:?\s*(?P<rules>[\w:.\-, ]+?)\s*$")


@dataclass(frozen=True)
class Directive:
    """Rules silenced in one file below one element path."""

    file: str
    pointer: str
    rules: frozenset[str]

    def covers(self, finding: Finding) -> bool:
        if finding.file != self.file or not (self.rules & {finding.rule, "all"}):
            return False
        return finding.pointer == self.pointer or finding.pointer.startswith(self.pointer + "/")


def collect(document: WsdlDocument) -> list[Directive]:
    """Every ignore comment of every loaded file."""
    found = []
    for file in document.files:
        for comment in file.comments:
            match = _DIRECTIVE.match(comment.text)
            if match is None:
                continue
            rules = frozenset(r.strip() for r in match.group("rules").split(",") if r.strip())
            target = _target(comment, file.root)
            found.append(Directive(file.path, "/" + "/".join(element_path(target)), rules))
    return found


def _target(comment: Comment, root: Element) -> Element:
    parent = comment.parent
    if parent is None:
        return root
    return parent.children[comment.before] if comment.before < len(parent.children) else parent


def apply(findings: Iterable[Finding], directives: list[Directive]) -> list[Finding]:
    """The findings no directive covers."""
    return [f for f in findings if not any(d.covers(f) for d in directives)]
