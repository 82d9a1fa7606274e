"""Run compiled rules over one document in a single walk and turn problems into findings."""

from __future__ import annotations

import re
import time
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


def lint_document(document: Document, rules: Iterable[ActiveRule],
                  timings: dict[str, float] | None = None) -> list[Finding]:
    """Check ``document`` against ``rules`` (those whose formats match) and return sorted findings.

    ``timings``, when given, collects the seconds spent in each rule's functions (for profiling).
    """
    names = families(document.format)
    hits: list[_Hit] = []
    by_kind: dict[str, list[_Entry]] = {}
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
                    by_kind.setdefault(kind, []).append(_Entry.of(active, then, function))
    handlers = {kind: [_visitor(entries, document, hits, timings)] for kind, entries in by_kind.items()}
    index = walk(document, handlers)
    root = index.nodes("Root")[0] if index.nodes("Root") else Node("Root", document.data, document.root, ())
    for active, then, function in after:
        started = time.process_time() if timings is not None else 0.0
        _apply(active, then, function, root, Context(root, document, index, then.field, active.rule.id), hits)
        if timings is not None:
            timings[active.rule.id] = timings.get(active.rule.id, 0.0) + time.process_time() - started
    if paths:
        from specforge.lint.spectral.given import run_paths

        run_paths(paths, document, hits, _apply)
    return _to_findings(hits)


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    """One ``then`` of one rule, prepared for the hot loop."""

    active: ActiveRule
    then: Then
    function: Callable
    field: str | None
    simple_field: bool  # a plain key (no dots, not ``@key``)
    skips_missing: bool  # the function never reports a missing field
    trigger_keys: frozenset[str] | None  # the function only acts on objects having one of these keys

    def keys_needed(self) -> frozenset[str] | None:
        """Keys of which the node must have one for this entry to run (None: run on every node)."""
        if self.simple_field and self.skips_missing:
            return frozenset({self.field}) if self.field else None
        if self.field is None and self.trigger_keys is not None:
            return self.trigger_keys
        return None

    @classmethod
    def of(cls, active: ActiveRule, then: Then, function: Callable) -> _Entry:
        field = then.field
        return cls(active, then, function, field, field is not None and field != "@key" and "." not in field,
                   bool(getattr(function, "skips_missing", False)), getattr(function, "trigger_keys", None))


def _visitor(entries: list[_Entry], document: Document, hits: list[_Hit],
             timings: dict[str, float] | None) -> Handler:
    """One handler per kind running every subscribed rule.

    Entries that only act when the node has certain keys (a missing field their function ignores,
    or declared ``trigger_keys``) are found through the node's own keys, so a node pays only for
    the rules that can say something about it.
    """
    always: list[tuple[int, _Entry]] = []
    by_key: dict[str, list[tuple[int, _Entry]]] = {}
    for order, entry in enumerate(entries):
        keys = entry.keys_needed()
        if keys is None:
            always.append((order, entry))
        else:
            for key in keys:
                by_key.setdefault(key, []).append((order, entry))

    def visit(node: Node) -> None:
        value = node.value
        if by_key and type(value) is dict:
            chosen = list(always)
            for key in value:
                found = by_key.get(key)
                if found:
                    chosen.extend(found)
            if len(chosen) > len(always):
                chosen = sorted(set(chosen), key=lambda pair: pair[0])
        else:
            chosen = always
        ctx: Context | None = None
        for _, entry in chosen:
            if ctx is None:
                ctx = Context(node, document, None, entry.field, entry.active.rule.id)
            else:
                ctx.field, ctx.rule_id = entry.field, entry.active.rule.id
            if timings is None:
                _apply(entry.active, entry.then, entry.function, node, ctx, hits)
            else:
                started = time.process_time()
                _apply(entry.active, entry.then, entry.function, node, ctx, hits)
                rule_id = entry.active.rule.id
                timings[rule_id] = timings.get(rule_id, 0.0) + time.process_time() - started

    return visit


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
