"""Run compiled rules over one document in a single walk and turn problems into findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from specforge.document import Document, Source
from specforge.document import pointer as jsonpointer
from specforge.document.versions import families
from specforge.findings import Finding, Severity
from specforge.lint.context import MISSING, Context
from specforge.lint.functions import get_function
from specforge.lint.model import Problem, Rule, Then
from specforge.lint.walk import Handler, Node, walk

DOCUMENT = "Document"  # ``given: Document``: run once after the walk, with the walk's index


@dataclass(frozen=True)
class ActiveRule:
    """A rule with the severity the configuration gave it."""

    rule: Rule
    severity: Severity


@dataclass(slots=True)
class _Hit:
    rule: ActiveRule
    source: Source
    pointer: tuple
    problem: Problem
    value: Any


def lint_document(document: Document, rules: Iterable[ActiveRule]) -> list[Finding]:
    """Check ``document`` against ``rules`` (those whose formats match) and return sorted findings."""
    names = families(document.format)
    hits: list[_Hit] = []
    handlers: dict[str, list[Handler]] = {}
    after: list[tuple[ActiveRule, Then, Callable]] = []
    paths: list[tuple[ActiveRule, Then, Callable, str]] = []
    for active in rules:
        if not active.rule.applies_to(names):
            continue
        for then in active.rule.then:
            function = get_function(then.function)
            for kind in active.rule.given:
                if kind == DOCUMENT:
                    after.append((active, then, function))
                elif kind.startswith("$"):  # a JSONPath (Spectral rulesets): evaluated after the walk
                    paths.append((active, then, function, kind))
                else:
                    handlers.setdefault(kind, []).append(_handler(active, then, function, document, hits))
    index = walk(document, handlers)
    root = index.nodes("Root")[0] if index.nodes("Root") else Node("Root", document.data, document.root, ())
    for active, then, function in after:
        _apply(active, then, function, root, Context(root, document, index, then.field, active.rule.id), hits)
    if paths:
        from specforge.lint.spectral.given import run_paths

        run_paths(paths, document, hits, _apply)
    return _to_findings(hits)


def _handler(active: ActiveRule, then: Then, function: Callable, document: Document, hits: list[_Hit]) -> Handler:
    rule_id = active.rule.id

    def handle(node: Node) -> None:
        _apply(active, then, function, node, Context(node, document, None, then.field, rule_id), hits)

    return handle


def _apply(active: ActiveRule, then: Then, function: Callable, node: Node, ctx: Context, hits: list[_Hit]) -> None:
    field = then.field
    pointer = node.pointer
    if field is None:
        value = node.value
    elif field == "@key":
        value = node.key
    else:
        value = node.value
        for part in field.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
                pointer = pointer + (part,)
            else:
                value = MISSING
                pointer = node.pointer
                break
    for problem in function(value, then.options, ctx) or ():
        if problem.source is not None:
            hits.append(_Hit(active, problem.source, problem.path, problem, value))
        else:
            if field == "@key" and not problem.path and not problem.at_key:
                problem = Problem(problem.message, problem.path, True)
            hits.append(_Hit(active, node.source, pointer + problem.path, problem, value))


_TEMPLATE = re.compile(r"{{\s*(\w+)\s*}}")


def render_message(rule: Rule, problem: Problem, pointer: tuple, value: Any) -> str:
    """Fill a rule's message template (Spectral's ``{{error}} {{property}} {{value}} {{path}} {{description}}``)."""
    template = rule.message or ("{{error}}" if problem.message else rule.summary)
    fields = {
        "error": problem.message or rule.summary,
        "description": rule.summary,
        "property": str(pointer[-1]) if pointer else "",
        "value": _short(value),
        "path": jsonpointer.encode(pointer),
    }
    return _TEMPLATE.sub(lambda m: fields.get(m.group(1), m.group(0)), template).strip()


def _short(value: Any) -> str:
    if value is MISSING or isinstance(value, (dict, list)):
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _to_findings(hits: list[_Hit]) -> list[Finding]:
    findings: dict[tuple, Finding] = {}
    for hit in hits:
        rule = hit.rule.rule
        message = render_message(rule, hit.problem, hit.pointer, hit.value)
        span = hit.problem.span or hit.source.span(hit.pointer, hit.problem.at_key)
        pointer_text = jsonpointer.encode(hit.pointer)
        key = (rule.id, hit.source.path, pointer_text, message, span)
        if key not in findings:
            findings[key] = Finding(
                file=hit.source.path, line=span.line, column=span.column, rule=rule.id,
                severity=hit.rule.severity, message=message, end_line=span.end_line,
                end_column=span.end_column, pointer=pointer_text,
            )
    return sorted(findings.values())
