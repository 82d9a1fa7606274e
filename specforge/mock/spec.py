"""A spec compiled for serving: routes, parameter and body checks, response generators -- built once."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable

from specforge.document import Document
from specforge.fake import Generator, UnsatisfiableSchema
from specforge.mock.operations import Header, Media, Operation, Parameter, SpecReader
from specforge.mock.routes import Router
from specforge.mock.schemas import Check, SchemaBundler, SchemaCompileError, compile_check

Generate = Callable[[random.Random], Any]


def _accept_all(instance: Any) -> list[tuple[tuple, str]]:
    return []


@dataclass
class ParameterCheck:
    parameter: Parameter
    defs: dict
    check: Check


@dataclass
class BodyCheck:
    media: Media
    schema: Any
    defs: dict
    check: Check


@dataclass
class ResponseBody:
    """How to fill one declared response media type: named examples (valid ones first) or a generator."""

    media: Media
    examples: dict[str, Any]
    valid: list[str]
    generate: Generate | None
    check: Check
    problem: str = ""


@dataclass
class HeaderValue:
    header: Header
    example: Any
    generate: Generate | None
    check: Check


@dataclass
class CompiledOperation:
    operation: Operation
    parameters: list[ParameterCheck]
    bodies: dict[str, BodyCheck]
    bodies_by_response: dict[tuple[str, str], ResponseBody] = field(default_factory=dict)
    headers_by_response: dict[str, list[HeaderValue]] = field(default_factory=dict)


class MockSpec:
    """Everything the request path needs, compiled from one document."""

    def __init__(self, document: Document, *, locale: str = "en_US") -> None:
        self.document = document
        self.bundler = SchemaBundler(document)
        self.reader = SpecReader(document, self.bundler)
        self.generator = Generator(None, dialect="oas3.1", locale=locale)
        self.warnings: list[str] = []
        operations = self.reader.operations()
        self.router = Router(operations, self.reader.base_path())
        self.compiled: dict[int, CompiledOperation] = {id(op): self._compile(op) for op in operations}
        self.warnings += self.reader.warnings + self.bundler.problems

    def __getitem__(self, operation: Operation) -> CompiledOperation:
        return self.compiled[id(operation)]

    def _check(self, schema: Any, where: str) -> Check:
        try:
            return compile_check(schema)
        except SchemaCompileError as exc:
            self.warnings.append(f"{where}: schema not checked ({exc})")
            return _accept_all

    def _compile(self, op: Operation) -> CompiledOperation:
        params = [ParameterCheck(p, _defs(p.schema), self._check(p.schema, f"{op.label} {p.location} {p.name}"))
                  for p in op.parameters]
        bodies: dict[str, BodyCheck] = {}
        for key, media in (op.body.content if op.body else {}).items():
            bundled = self.bundler.bundle(media.schema if media.schema is not None else {}, media.source, "request")
            bodies[key] = BodyCheck(media, bundled, _defs(bundled), self._check(bundled, f"{op.label} body {key}"))
        compiled = CompiledOperation(op, params, bodies)
        for status, response in op.responses.items():
            for key, media in response.content.items():
                compiled.bodies_by_response[(status, key)] = self._response_body(op, status, media)
            compiled.headers_by_response[status] = [self._header(op, h) for h in response.headers.values()]
        return compiled

    def _generator(self, schema: Any, where: str) -> tuple[Generate | None, str]:
        try:
            return self.generator.compile(schema, direction="response"), ""
        except (UnsatisfiableSchema, RecursionError, ValueError) as exc:
            message = f"{where}: cannot generate data ({exc})"
            self.warnings.append(message)
            return None, message

    def _response_body(self, op: Operation, status: str, media: Media) -> ResponseBody:
        where = f"{op.label} {status} {media.media_type}"
        schema = media.schema if media.schema is not None else {}
        bundled = self.bundler.bundle(schema, media.source, "response")
        check = self._check(bundled, where)
        valid = []
        for name, value in media.examples.items():
            errors = check(value)
            if errors:
                self.warnings.append(f"{where}: example {name!r} does not match its schema ({errors[0][1]});"
                                     " generated data is sent instead")
            else:
                valid.append(name)
        generate, problem = (None, "") if media.schema is None else self._generator(bundled, where)
        return ResponseBody(media, media.examples, valid, generate, check, problem)

    def _header(self, op: Operation, header: Header) -> HeaderValue:
        bundled = self.bundler.bundle(header.schema, header.source, "response")
        check = self._check(bundled, f"{op.label} header {header.name}")
        example = header.example if header.has_example and not check(header.example) else None
        generate = None
        if example is None:
            generate, _ = self._generator(bundled, f"{op.label} header {header.name}")
        return HeaderValue(header, example, generate, check)


def _defs(bundled: Any) -> dict:
    return bundled.get("$defs", {}) if isinstance(bundled, dict) else {}
