"""Run compiled rules over one document in a single walk and turn problems into findings."""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from specforge.document import Document, Source
from specforge.document import pointer as jsonpointer
from specforge.document.versions import families
from specforge.findings import Finding, Severity
from specforge.lint.claims import ChunkSource, InTurn, chunks_of
from specforge.lint.context import MISSING, Context
from specforge.lint.functions import get_function
from specforge.lint.model import Problem, Rule, Then
from specforge.lint.walk import Handler, Node, WalkIndex, replay, walk

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


def lint_document(document: Document, rules: Iterable[ActiveRule], timings: dict[str, float] | None = None,
                  share: tuple[int, int] = (0, 1), claims: ChunkSource | None = None) -> list[Finding]:
    """Check ``document`` against ``rules`` (those whose formats match) and return sorted findings.

    ``timings``, when given, collects the seconds spent in each rule's functions (for profiling).
    ``share`` ``(k, n)``: check only the k-th of n shares of the nodes, the chunks of the recorded walk
    that ``claims`` hands this share as it asks (forked processes), or every n-th chunk. Share 0 also
    runs the document-level rules and the last share the ``single_process`` checks, each before it
    asks for chunks. The n shares together give exactly the findings of one whole run.
    """
    rules = list(rules)
    names = families(document.format)
    hits: list[_Hit] = []
    deferred: list[tuple[str, Callable[[], Iterable[Problem]]]] = []
    run: dict[str, Any] = {}
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
    state = (deferred, run)
    actives = {a.rule.id: a for a in rules}
    if share[1] == 1:
        handlers = {kind: [_visitor(entries, document, hits, timings, state)] for kind, entries in by_kind.items()}
        index = walk(document, handlers)
        _document_rules(after, paths, document, index, hits, timings, state)
    else:  # a share replays a recorded whole walk, so its nodes have the context one whole run gives them
        index = walk(document, {}, keep=share[0] == 0, record=True)
        mine, everywhere = _shared_handlers(by_kind, document, hits, timings, share, state, owners(share[1]))
        replay(index, everywhere)  # the extra work first: chunks are then shared out around it
        _run_deferred(deferred, actives, hits, timings)
        if share[0] == 0:
            _document_rules(after, paths, document, index, hits, timings, state)
        spans = chunks_of(len(index.order))
        taken = (claims or InTurn()).take(share, len(spans))
        replay(index, mine, (spans[chunk] for chunk in taken))
    _run_deferred(deferred, actives, hits, timings)
    return _to_findings(hits)


def _document_rules(after: list[tuple[ActiveRule, Then, Callable]], paths: list[tuple[ActiveRule, Then, Callable, str]],
                    document: Document, index: WalkIndex, hits: list[_Hit], timings: dict[str, float] | None,
                    state: tuple[list, dict]) -> None:
    """The ``given: Document`` rules, with what the walk collected, and the JSONPath rules."""
    root = index.nodes("Root")[0] if index.nodes("Root") else Node("Root", document.data, document.root, ())
    for active, then, function in after:
        started = time.process_time() if timings is not None else 0.0
        ctx = Context(root, document, index, then.field, active.rule.id, *state)
        _apply(active, then, function, root, ctx, hits)
        if timings is not None:
            timings[active.rule.id] = timings.get(active.rule.id, 0.0) + time.process_time() - started
    if paths:
        from specforge.lint.spectral.given import run_paths

        run_paths(paths, document, hits, _apply, state)


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    """One ``then`` of one rule, prepared for the hot loop."""

    active: ActiveRule
    then: Then
    function: Callable
    options: Any
    field: str | None
    rule_id: str
    simple_field: bool  # a plain key (no dots, not ``@key``)
    skips_missing: bool  # the function never reports a missing field
    single_process: bool  # a shared-out document runs it in the last share only, on every node
    shares_entries: bool  # a shared-out document runs it in every share, on the entries each owns
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
        simple = field is not None and field != "@key" and "." not in field
        return cls(active, then, function, then.options, field, active.rule.id, simple,
                   bool(getattr(function, "skips_missing", False)), bool(getattr(function, "single_process", False)),
                   bool(getattr(function, "shares_entries", False)), getattr(function, "trigger_keys", None))


def owners(shares: int) -> Callable[[Source, tuple], int]:
    """Which of ``shares`` shares reports on an entry of a document-wide node (a path of ``paths``), for
    the ``shares_entries`` checks every share runs: given the file and the entry's pointer, grouped by
    top-level entry (a path item, a component). A checksum of the file name and entry, not ``hash()``,
    picks the share: the same split in every process, on every run. Top-level keys go to the first share.
    """
    of: dict[tuple, int] = {}

    def owner(source: Source, pointer: tuple) -> int:
        if len(pointer) < 2:
            return 0
        group = (source.path, pointer[:3] if pointer[0] == "components" else pointer[:2])
        share = of.get(group)
        if share is None:
            key = "\0".join((group[0].rpartition("/")[2], *map(str, group[1])))
            share = of[group] = zlib.crc32(key.encode("utf-8", "surrogatepass")) % shares
        return share

    return owner


def _shared_handlers(by_kind: dict[str, list[_Entry]], document: Document, hits: list[_Hit],
                     timings: dict[str, float] | None, share: tuple[int, int], state: tuple[list, dict],
                     owner: Callable[[Source, tuple], int],
                     ) -> tuple[dict[str, list[Handler]], dict[str, list[Handler]]]:
    """The visitors of a share, by kind: those for the nodes of the chunks it claims, and those for
    every node: the ``shares_entries`` checks (reporting on the entries ``owner`` gives the share) and,
    in the last share only, the ``single_process`` checks.
    """
    mine: dict[str, list[Handler]] = {}
    everywhere: dict[str, list[Handler]] = {}
    last = share[0] == share[1] - 1

    def owned(source: Source, pointer: tuple) -> bool:
        return owner(source, pointer) == share[0]

    for kind, entries in by_kind.items():
        spread = [entry for entry in entries if not (entry.single_process or entry.shares_entries)]
        if spread:
            mine[kind] = [_visitor(spread, document, hits, timings, state)]
        every = [entry for entry in entries if entry.shares_entries or (entry.single_process and last)]
        if every:
            everywhere[kind] = [_visitor(every, document, hits, timings, state, owned)]
    return mine, everywhere


def _run_deferred(deferred: list[tuple[str, Callable[[], Iterable[Problem]]]], actives: dict[str, ActiveRule],
                  hits: list[_Hit], timings: dict[str, float] | None) -> None:
    """The work checks deferred to the end of the walk (``Context.defer``); it may defer more."""
    while deferred:
        rule_id, report = deferred.pop(0)
        started = time.process_time() if timings is not None else 0.0
        for problem in report():
            assert problem.source is not None, "a deferred report gives absolute problems"
            hits.append(_Hit(actives[rule_id], problem.source, problem.path, problem, MISSING))
        if timings is not None:
            timings[rule_id] = timings.get(rule_id, 0.0) + time.process_time() - started


def _visitor(entries: list[_Entry], document: Document, hits: list[_Hit], timings: dict[str, float] | None,
             state: tuple[list, dict], owned: Callable[[Source, tuple], bool] | None = None) -> Handler:
    """One handler per kind running every subscribed rule.

    Entries that only act when the node has certain keys (a missing field their function ignores,
    or declared ``trigger_keys``) are found through the node's own keys, so a node pays only for
    the rules that can say something about it. The entries for a set of keys are worked out once:
    specs repeat the same few shapes (``type``+``description``...) thousands of times.
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
    plain = [entry for _, entry in always]
    plans: dict[tuple, list[_Entry]] = {}

    def plan(keys: tuple) -> list[_Entry]:
        chosen = set(always)
        for key in keys:
            chosen.update(by_key.get(key, ()))
        return [entry for _, entry in sorted(chosen, key=lambda pair: pair[0])]

    def visit(node: Node) -> None:
        value = node.value
        if by_key and type(value) is dict:
            keys = tuple(value)
            if len(keys) > _MAX_PLANNED_KEYS:
                chosen = plan(keys)
            else:
                chosen = plans.get(keys)  # type: ignore[assignment]
                if chosen is None:
                    chosen = plans[keys] = plan(keys)
        else:
            chosen = plain
        if not chosen:
            return
        ctx = Context(node, document, None, None, "", *state, owned)
        if timings is not None:
            for entry in chosen:
                ctx.field, ctx.rule_id = entry.field, entry.rule_id
                started = time.process_time()
                _apply(entry.active, entry.then, entry.function, node, ctx, hits)
                timings[entry.rule_id] = timings.get(entry.rule_id, 0.0) + time.process_time() - started
            return
        is_dict = type(value) is dict
        for entry in chosen:  # ``_apply`` inlined for the whole node and plain fields: most calls
            field = entry.field
            ctx.field, ctx.rule_id = field, entry.rule_id
            if field is None:
                found = value
            elif entry.simple_field and is_dict:
                found = value.get(field, MISSING)
            else:
                _apply(entry.active, entry.then, entry.function, node, ctx, hits)
                continue
            problems = entry.function(found, entry.options, ctx)
            if problems:
                at = node.pointer if field is None or found is MISSING else node.pointer + (field,)
                _record(entry.active, node, at, found, problems, hits)

    return visit


#: Objects with more keys than this (a ``paths`` map, say) are planned each time instead of remembered.
_MAX_PLANNED_KEYS = 48


def _apply(active: ActiveRule, then: Then, function: Callable, node: Node, ctx: Context, hits: list[_Hit]) -> None:
    field = then.field
    pointer = node.pointer
    if field is None:
        value = node.value
    elif field == "@key":
        value = node.key
    else:
        value = node.value
        for part in then.field_path:
            if isinstance(value, dict) and part in value:
                value = value[part]
                pointer = pointer + (part,)
            else:
                value = MISSING
                pointer = node.pointer
                break
    problems = function(value, then.options, ctx)
    if problems:
        _record(active, node, pointer, value, problems, hits, field == "@key")


def _record(active: ActiveRule, node: Node, pointer: tuple, value: Any, problems: Iterable[Problem],
            hits: list[_Hit], on_key: bool = False) -> None:
    """Keep the ``problems`` a function reported on ``value`` (at ``pointer`` in ``node``'s file)."""
    for problem in problems:
        if problem.source is not None:
            hits.append(_Hit(active, problem.source, problem.path, problem, value))
        else:
            if on_key and not problem.path and not problem.at_key:
                problem = Problem(problem.message, problem.path, True)
            hits.append(_Hit(active, node.source, pointer + problem.path, problem, value))


_TEMPLATE = re.compile(r"{{\s*(\w+)\s*}}")


def render_message(rule: Rule, problem: Problem, pointer: tuple, value: Any) -> str:
    """Fill a rule's message template (Spectral's ``{{error}} {{property}} {{value}} {{path}} {{description}}``)."""
    template = rule.message or ("{{error}}" if problem.message else rule.summary)
    if template == "{{error}}":  # most rules: the function's own message
        return (problem.message or rule.summary).strip()

    def field(match: re.Match) -> str:
        name = match.group(1)
        if name == "error":
            return problem.message or rule.summary
        if name == "description":
            return rule.summary
        if name == "property":
            return str(pointer[-1]) if pointer else ""
        if name == "value":
            return _short(value)
        if name == "path":
            return jsonpointer.encode(pointer)
        return match.group(0)

    return _TEMPLATE.sub(field, template).strip()


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
