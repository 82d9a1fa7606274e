"""Examples must be valid against their schema (``oas2/oas3-valid-schema-example``, ``-media-example``).

Examples are queued during the walk and validated after it, in Rust (jsonschema-rs), by one validator
compiled for all their schemas (``specforge.openapi.jsonschema_dialect``); ``$ref``s resolve inside the
validator, never inlined.
As in Spectral, each invalid example is reported once, at the place inside the example where
validation first fails (the failing property, or the example itself), with ``format`` asserted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specforge.document import Document, RefError, Source
from specforge.document.pointer import normalise_path
from specforge.lint.context import Context
from specforge.lint.functions import single_process, triggers
from specforge.lint.functions.truthy import is_truthy
from specforge.lint.model import Problem
from specforge.lint.walk import Node
from specforge.openapi.jsonschema_dialect import Dialect, SchemaError, dialect_for

#: Example fields of a schema, by format family (``x-example`` is a 2.0 convention).
_SCHEMA_FIELDS = {"oas2": ("example", "x-example", "default"), "oas3": ("example", "default")}
#: A schema is only checked when it says something about its instances (as Spectral's ``given``).
_DESCRIBING = ("enum", "type", "format", "$ref", "properties", "items")
_MISSING = object()


@single_process
@triggers("example", "x-example", "default")
def schema_example(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Check ``example``/``default`` (and 2.0 ``x-example``) of a schema against the schema itself."""
    if not isinstance(value, dict):
        return
    fields = _SCHEMA_FIELDS["oas2" if ctx.format == "oas2" else "oas3"]
    present = [name for name in fields if name in value]
    if not present or not any(is_truthy(value.get(k)) for k in _DESCRIBING):
        return
    node = ctx.node
    parameter = value if node.kind in ("Parameter", "Header") else None
    for name in present:
        yield from _validate(ctx, node.source, node.pointer, None, value[name], (name,), name, None, parameter, value)


@single_process
@triggers("schema")
def media_example(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Check the examples of a media type, parameter or header (3.x) or response (2.0) against its ``schema``."""
    if not isinstance(value, dict) or not isinstance(value.get("schema"), dict):
        return
    located = _schema_location(ctx, value["schema"], ctx.node.pointer + ("schema",))
    if located is None:
        return
    source, pointer, schema = located
    relaxed = _relaxed(ctx)
    if ctx.format == "oas2":
        examples = value.get("examples")
        if isinstance(examples, dict):
            for mime, example in examples.items():
                yield from _validate(
                    ctx, source, pointer, relaxed, example, ("examples", mime), mime, None, schema=schema
                )
        return
    if "example" in value:
        yield from _validate(
            ctx, source, pointer, relaxed, value["example"], ("example",), "example", None, schema=schema
        )
        return
    examples = value.get("examples")
    if not isinstance(examples, dict) or not examples:
        return
    for key, example in examples.items():
        where: Source | None = None
        place: tuple = ("examples", key)
        if isinstance(example, dict) and isinstance(example.get("$ref"), str):
            try:
                target = ctx.document.workspace.resolve(example["$ref"], ctx.node.source)
            except RefError:
                continue  # no-unresolved-refs reports it
            where, place, example = target.source, target.pointer, target.value
        if not isinstance(example, dict) or "externalValue" in example:
            continue
        yield from _validate(
            ctx,
            source,
            pointer,
            relaxed,
            example.get("value", _MISSING),
            place + ("value",),
            "value",
            where,
            schema=schema,
        )


@dataclass(frozen=True, slots=True)
class _Job:
    """One example to validate once the walk is over, and where to report it."""

    source: Source  # where the schema is
    pointer: tuple
    schema: Any
    parameter: dict | None  # a 2.0 parameter or header that is its own schema
    relaxed: str | None
    example: Any
    report_source: Source  # where the example is
    report_pointer: tuple
    label: str


def _validate(
    ctx: Context,
    source: Source,
    pointer: tuple,
    relaxed: str | None,
    example: Any,
    path: tuple,
    label: str,
    where: Source | None,
    parameter: dict | None = None,
    schema: Any = None,
) -> Iterator[Problem]:
    """Queue ``example`` for validation against the schema at ``pointer`` (see ``_report``)."""
    if example is _MISSING:
        yield Problem(f'"{label}" property must exist', path[:-1], source=where)
        return
    report_source, report_pointer = (where, path) if where is not None else (ctx.node.source, ctx.node.pointer + path)
    if isinstance(example, dict) and len(example) == 1 and isinstance(example.get("$ref"), str):
        # Not OpenAPI (examples are literal), but common and followed by Spectral and Redocly.
        try:
            target = ctx.document.workspace.resolve(example["$ref"], report_source)
        except RefError:
            return
        example, report_source, report_pointer = target.value, target.source, target.pointer
    queues = ctx.run.setdefault("examples.queues", {})
    queue = queues.get(ctx.rule_id)
    if queue is None:
        queue = queues[ctx.rule_id] = []
        document = ctx.document
        ctx.defer(lambda: _report(document, queue, queues))
    queue.append(_Job(source, pointer, schema, parameter, relaxed, example, report_source, report_pointer, label))


def _report(document: Document, jobs: list[_Job], queues: dict[str, list[_Job]]) -> Iterator[Problem]:
    """Validate a rule's queued examples; the first report compiles the schemas of every queue at once."""
    dialect = dialect_for(document)
    queued = [job for queue in queues.values() for job in queue]
    dialect.cover([(job.source, job.pointer) for job in queued])
    dialect.prepare([(job.source, job.pointer, job.schema) for job in queued if job.parameter is None])
    for job in jobs:
        yield from _check(document, dialect, job)


def _check(document: Document, dialect: Dialect, job: _Job) -> Iterator[Problem]:
    try:
        validator = (
            dialect.parameter_validator(job.source, job.pointer, job.parameter)
            if job.parameter is not None
            else dialect.validator(job.source, job.pointer, job.schema)
        )
    except SchemaError as exc:
        if not exc.unresolved and not exc.reported:
            exc.reported = True  # once per schema, not at every example that uses it
            yield Problem(f"schema is invalid: {exc} (its examples are not checked)", job.report_pointer,
                          source=job.report_source)
        return
    example = job.example
    if validator.is_valid(example):
        return
    errors = [e for e in validator.iter_errors(example) if not dialect.excused(e, job.relaxed)]
    if not errors:
        return
    if len(errors) > 1:
        errors.sort(key=lambda e: _schema_position(document, job.source, job.schema, e))
    error = _first_error(errors)
    inner = normalise_path(example, error.instance_path)
    yield Problem(_message(error, inner[-1] if inner else job.label), job.report_pointer + inner,
                  source=job.report_source)


def _schema_position(document: Document, source: Source, schema: Any, error: Any) -> tuple[int, ...]:
    """Where the failing keyword is written, as key positions along the way validation took to it
    (``$ref``s followed): ajv checks keywords and ``properties`` in the order they are written.
    """
    order = []
    node: Any = None  # the ``{"$ref": <schema>}`` wrapper the validator was compiled from
    for part in list(error.evaluation_path):
        if node is None and part == "$ref":
            node = schema
            continue
        if isinstance(node, dict) and part == "$ref" and isinstance(node.get("$ref"), str):
            try:
                target = document.workspace.resolve(node["$ref"], source)
            except RefError:
                break
            source, node = target.source, target.value
            continue
        if isinstance(node, dict):
            key = str(part)
            order.append(list(node).index(key) if key in node else len(node))
            node = node.get(key)
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            order.append(int(part))
            node = node[int(part)]
        else:
            break
    return tuple(order)


def _first_error(found: list[Any]) -> Any:
    """The error ajv (Spectral's validator) would stop at: an object's own keywords before its children."""
    first = found[0]
    path = list(first.instance_path)
    for error in found:
        candidate = list(error.instance_path)
        if len(candidate) < len(path) and path[: len(candidate)] == candidate:
            first, path = error, candidate
    return first


def _message(error: Any, label: Any) -> str:
    """Spectral's wording (better-ajv-errors): ``"name" property type must be string``."""
    kind = error.kind
    name = type(kind).__name__
    subject = f"Item at index {label}" if isinstance(label, int) else f'"{label}" property'
    if name == "Type":
        types = getattr(kind, "types", None) or [getattr(kind, "value", "")]
        return f"{subject} type must be {','.join(map(str, types))}"
    if name == "Required":
        return f'{subject} must have required property "{kind.property}"'
    if name == "Enum":
        return f"{subject} must be equal to one of the allowed values: {', '.join(map(_show, kind.options))}"
    if name in ("AdditionalProperties", "UnevaluatedProperties"):
        return f'Property "{kind.unexpected[0]}" is not expected to be here'
    if name == "Format":
        return f'{subject} must match format "{kind.format}"'
    if name == "Pattern":
        return f'{subject} must match pattern "{kind.pattern}"'
    if name == "Constant":
        return f"{subject} must be equal to constant"
    details = kind.as_dict() if hasattr(kind, "as_dict") else {}
    template = _AJV_WORDING.get(name)
    if template is not None:
        try:
            return f"{subject} {template.format(**details)}"
        except (KeyError, IndexError):
            pass  # a kind without the expected detail: fall back to jsonschema-rs's wording
    return f"{subject} {error.message}"


#: ajv's wording (what Spectral users know) for the remaining keyword failures.
_AJV_WORDING = {
    "Maximum": "must be <= {limit}",
    "Minimum": "must be >= {limit}",
    "ExclusiveMaximum": "must be < {limit}",
    "ExclusiveMinimum": "must be > {limit}",
    "MaxLength": "must NOT have more than {limit} characters",
    "MinLength": "must NOT have fewer than {limit} characters",
    "MaxItems": "must NOT have more than {limit} items",
    "MinItems": "must NOT have fewer than {limit} items",
    "MaxProperties": "must NOT have more than {limit} properties",
    "MinProperties": "must NOT have fewer than {limit} properties",
    "MultipleOf": "must be multiple of {multiple_of}",
    "UniqueItems": "must NOT have duplicate items",
    "OneOfNotValid": "must match exactly one schema in oneOf",
    "OneOfMultipleValid": "must match exactly one schema in oneOf",
    "AnyOf": "must match a schema in anyOf",
    "Not": "must NOT be valid",
    "FalseSchema": "must NOT be valid",
}


def _show(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _schema_location(ctx: Context, schema: dict, pointer: tuple) -> tuple[Source, tuple, dict] | None:
    """Where the schema really lives: ``$ref`` chains followed, across files."""
    if "$ref" in schema and not isinstance(schema["$ref"], str):
        return None  # no-unresolved-refs reports it
    source = ctx.node.source
    hops = 0
    while isinstance(schema.get("$ref"), str) and len(schema) == 1 and hops < 32:
        try:
            target = ctx.document.workspace.resolve(schema["$ref"], source)
        except RefError:
            return None
        if not isinstance(target.value, dict):
            return None
        source, pointer, schema, hops = target.source, target.pointer, target.value, hops + 1
    return source, pointer, schema


def _relaxed(ctx: Context) -> str | None:
    """Request bodies need no ``readOnly`` properties; responses (and their headers) no ``writeOnly`` ones."""
    node: Node | None = ctx.node
    while node is not None:
        if node.kind == "RequestBody":
            return "readOnly"
        if node.kind == "Response":
            return "writeOnly"
        node = node.parent
    return None
