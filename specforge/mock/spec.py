"""A spec compiled for serving: routes, parameter and body checks, response generators -- built once."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from specforge.document import Document
from specforge.fake import Generator, UnsatisfiableSchema
from specforge.mock.operations import Header, Media, Operation, Parameter, SpecReader
from specforge.mock.routes import Router
from specforge.mock.schemas import Check, SchemaBundler, SchemaCompileError, compile_check

Generate = Callable[[random.Random], Any]

#: Specs with more operations than this compile response generators on first use (bounded startup time).
EAGER_OPERATIONS = 100


class GenerationError(Exception):
    """No instance of the schema can be generated (the message says why)."""


class LazyGenerator:
    """``rng -> instance`` for one schema, compiled by the fake-data generator once, when first needed."""

    def __init__(self, generator: Generator, schema: Any, where: str, warnings: list[str]) -> None:
        self.generator, self.schema, self.where, self.warnings = generator, schema, where, warnings
        self._fn: Generate | None = None
        self.problem = ""

    def compile(self) -> Generate | None:
        if self._fn is None and not self.problem:
            try:
                self._fn = self.generator.compile(self.schema, direction="response")
            except (UnsatisfiableSchema, RecursionError, ValueError) as exc:
                self.problem = f"{self.where}: cannot generate data ({exc})"
                self.warnings.append(self.problem)
        return self._fn

    def __call__(self, rng: random.Random) -> Any:
        fn = self._fn or self.compile()
        if fn is None:
            raise GenerationError(self.problem)
        try:
            return fn(rng)
        except (UnsatisfiableSchema, RecursionError, ValueError) as exc:  # a $ref'd part compiled only now
            raise GenerationError(f"{self.where}: cannot generate data ({exc})") from None


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
    generate: LazyGenerator | None
    check: Check
    schema: Any = None  # the bundled schema (XML names for XML responses)


@dataclass
class HeaderValue:
    header: Header
    example: Any
    generate: LazyGenerator | None
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
        if len(operations) <= EAGER_OPERATIONS:
            for compiled in self.compiled.values():
                for body in compiled.bodies_by_response.values():
                    if isinstance(body.generate, LazyGenerator):
                        body.generate.compile()
                for headers in compiled.headers_by_response.values():
                    for header in headers:
                        if isinstance(header.generate, LazyGenerator):
                            header.generate.compile()
        self.warnings += self.reader.warnings + self.bundler.problems

    def __getitem__(self, operation: Operation) -> CompiledOperation:
        return self.compiled[id(operation)]

    def _check(self, schema: Any, where: str, formats: bool = True) -> Check:
        try:
            return compile_check(schema, formats)
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

    def _generator(self, schema: Any, where: str) -> LazyGenerator:
        return LazyGenerator(self.generator, schema, where, self.warnings)

    def _response_body(self, op: Operation, status: str, media: Media) -> ResponseBody:
        where = f"{op.label} {status} {media.media_type}"
        schema = media.schema if media.schema is not None else {}
        bundled = self.bundler.bundle(schema, media.source, "response")
        check = self._check(bundled, where, formats=False)  # as in 2020-12: examples' formats are annotations
        valid = []
        for name, value in media.examples.items():
            errors = check(value)
            if errors:
                self.warnings.append(f"{where}: example {name!r} does not match its schema ({errors[0][1]});"
                                     " generated data is sent instead")
            else:
                valid.append(name)
        generate = None if media.schema is None else self._generator(bundled, where)
        return ResponseBody(media, media.examples, valid, generate, check, bundled)

    def _header(self, op: Operation, header: Header) -> HeaderValue:
        bundled = self.bundler.bundle(header.schema, header.source, "response")
        check = self._check(bundled, f"{op.label} header {header.name}")
        example = header.example if header.has_example and not check(header.example) else None
        generate = None
        if example is None:
            generate = self._generator(bundled, f"{op.label} header {header.name}")
        return HeaderValue(header, example, generate, check)


def _defs(bundled: Any) -> dict:
    return bundled.get("$defs", {}) if isinstance(bundled, dict) else {}
