"""Inline ignores: ``x-lint-ignore: rule-id`` (or a list) silences rules for a node and below.

``x-zally-ignore`` is read the same way (Zalando's spelling). Directives are read from the raw
data of every file a lint loaded, so a finding in a referenced file honours the ignores written
in that file. An ``x-lint-ignore`` naming a rule that does not exist is itself reported
(``lint-ignore-unknown-rule``); ``x-zally-ignore`` lists Zally rule numbers, so unknown ids there
are left alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from specforge.document import Source
from specforge.document import pointer as jsonpointer
from specforge.findings import Finding, Severity
from specforge.lint.model import Rule, Then

IGNORE_KEYS = ("x-lint-ignore", "x-zally-ignore")
REPORTING_KEY = "x-lint-ignore"
UNKNOWN_RULE = "lint-ignore-unknown-rule"

#: Rules the tool reports by itself (no rule file): their metadata, for SARIF and ``rules explain``.
TOOL_RULES: dict[str, Rule] = {
    UNKNOWN_RULE: Rule(
        id=UNKNOWN_RULE,
        summary="x-lint-ignore must name existing rules.",
        severity=Severity.WARNING,
        given=("Document",),
        then=(Then("truthy"),),
        fix="Correct the rule id (see `specforge rules list`) or remove the ignore.",
        docs={"why": "An ignore with a misspelt rule id silences nothing, so the finding it was meant to "
                     "hide is still reported, or the ignore hides a rule added later by accident."},
    ),
}


@dataclass(frozen=True)
class Directive:
    """One ignore: in ``file`` at ``pointer`` (the object holding the key), for ``rules``."""

    file: str
    pointer: str
    key: str
    rules: tuple[tuple[str, tuple], ...]  # (rule id, pointer of the id inside the file)

    def covers(self, finding: Finding) -> bool:
        if finding.file != self.file:
            return False
        if not (finding.pointer == self.pointer or finding.pointer.startswith(self.pointer + "/")):
            return False
        return any(rule == finding.rule for rule, _ in self.rules)


def collect(sources: Iterable[Source]) -> list[Directive]:
    """Every ignore directive in ``sources`` (files whose text has no ignore key are not walked)."""
    directives: list[Directive] = []
    for source in sources:
        if source.syntax == "text" or not any(key in source.text for key in IGNORE_KEYS):
            continue
        directives.extend(_directives_in(source))
    return directives


def _directives_in(source: Source) -> Iterator[Directive]:
    stack: list[tuple[Any, tuple]] = [(source.data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key in IGNORE_KEYS:
                if key in node:
                    ids = _rule_ids(node[key], where + (key,))
                    if ids:
                        yield Directive(source.path, jsonpointer.encode(where), key, ids)
            stack.extend((v, where + (k,)) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(node) if isinstance(v, (dict, list)))


def _rule_ids(value: Any, where: tuple) -> tuple[tuple[str, tuple], ...]:
    if isinstance(value, list):
        return tuple((str(v).strip(), where + (i,)) for i, v in enumerate(value)
                     if isinstance(v, (str, int)) and str(v).strip())
    if isinstance(value, (str, int)) and str(value).strip():
        return tuple((part.strip(), where) for part in str(value).split(",") if part.strip())
    return ()


def apply(findings: Iterable[Finding], directives: list[Directive]) -> list[Finding]:
    """The findings no directive covers."""
    if not directives:
        return list(findings)
    return [f for f in findings if not any(d.covers(f) for d in directives)]


def unknown_rule_findings(directives: list[Directive], known: Collection[str],
                          sources: Iterable[Source]) -> list[Finding]:
    """A ``lint-ignore-unknown-rule`` warning for each ``x-lint-ignore`` id that is no rule."""
    by_path = {s.path: s for s in sources}
    findings = []
    for directive in directives:
        if directive.key != REPORTING_KEY:
            continue
        for rule, where in directive.rules:
            if rule in known or rule in TOOL_RULES:
                continue
            span = by_path[directive.file].span(where)
            findings.append(Finding(
                file=directive.file, line=span.line, column=span.column, rule=UNKNOWN_RULE,
                severity=Severity.WARNING, message=f"x-lint-ignore names an unknown rule {rule!r}.",
                end_line=span.end_line, end_column=span.end_column, pointer=jsonpointer.encode(where)))
    return findings
