"""The request path: route -> validate -> negotiate -> respond, as one lean WSGI callable."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote

import orjson

from specforge.mock import cors, problems
from specforge.mock.access_log import RequestLog
from specforge.mock.negotiate import Refusal, choose_example, negotiate, read_preferences
from specforge.mock.problems import Violation, phrase
from specforge.mock.responses import NoBody, body_value, fit_error, header_values, serialise
from specforge.mock.spec import CompiledOperation, MockSpec
from specforge.mock.tombstones import Tombstones
from specforge.mock.validate import RequestView, check_request

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass
class MockOptions:
    """How the mock answers; every field has the CLI's default."""

    seed: int | None = None
    dynamic: bool = False
    validate: bool = True
    cors: bool = True
    delay_ms: int = 0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    tokens: frozenset[str] = frozenset()  # accepted credentials; empty: any non-empty credential
    remember_deletes: bool = True


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    note: str
    violations: list[Violation] = field(default_factory=list)
    exposed: list[str] = field(default_factory=list)
    value: Any = None  # the body before serialisation


def raw_path(environ: dict) -> str:
    """The request path still percent-encoded (so ``%2F`` inside a parameter does not split segments)."""
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if uri:
        path = uri.split("?", 1)[0]
        if "://" in path:  # absolute-form request target
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        return path or "/"
    return quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/;=,.~!$&'()*+:@-_")


_UNSEEDED = random.Random()


def request_rng(seed: int | None, method: str, path: str, query: list[tuple[str, str]]) -> random.Random:
    """Seeded: the same method, path and query give the same data across restarts (no ``hash()``).
    Unseeded: one shared generator (seeding a fresh one from the OS per request costs more than the rest).
    """
    if seed is None:
        return _UNSEEDED
    key = "\0".join([str(seed), method, path, *(f"{k}={v}" for k, v in sorted(query))])
    return random.Random(int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:8], "big"))


class MockHandler:
    """WSGI application serving one compiled spec; ``spec`` may be swapped at any time (``--watch``)."""

    def __init__(self, spec: MockSpec, options: MockOptions, log: RequestLog) -> None:
        self.spec = spec
        self.options = options
        self.log = log
        self.tombstones = Tombstones() if options.remember_deletes else None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = raw_path(environ)
        try:
            reply = self.handle(method, path, environ)
        except Exception:  # noqa: BLE001 - a bug must still answer HTTP and be logged with its traceback
            self.log.logger.exception("internal error on %s %s", method, path)
            reply = _problem_reply(problems.problem(500, "internal error in the mock (see its log)"), "internal error")
        headers = reply.headers
        if self.options.cors and not cors.is_preflight(method, environ):
            headers = headers + cors.response_headers(environ, reply.exposed)
        body = reply.body
        if reply.status not in (204, 304):
            headers.append(("Content-Length", str(len(body))))
        if self.options.delay_ms:
            time.sleep(self.options.delay_ms / 1000)
        query = environ.get("QUERY_STRING")
        shown = path + ("?" + query if query else "")
        self.log.request(method, shown, reply.status, reply.note, reply.violations, time.perf_counter() - started)
        start_response(f"{reply.status} {phrase(reply.status)}", headers)
        return [b""] if method == "HEAD" or reply.status in (204, 304) else [body]

    def handle(self, method: str, path: str, environ: dict) -> Reply:
        spec = self.spec
        found = spec.router.match(path)
        if found is None:
            return _problem_reply(problems.no_route(path), "no path matched")
        route, path_values, relative, raw_path_values = found
        if self.options.cors and cors.is_preflight(method, environ):
            return Reply(204, cors.preflight_headers(environ, route.allow), b"", "CORS preflight")
        operation = route.operations.get(method)
        if operation is None and method == "HEAD":
            operation = route.operations.get("GET")
        if operation is None:
            if method == "OPTIONS":
                return Reply(204, [("Allow", route.allow)], b"", "OPTIONS (allowed methods)")
            reply = _problem_reply(problems.no_method(method, route.template, route.allow), "method not declared")
            reply.headers.append(("Allow", route.allow))
            return reply
        compiled = spec[operation]
        query_pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        query: dict[str, list[str]] = {}
        for key, value in query_pairs:
            query.setdefault(key, []).append(value)
        rng = request_rng(self.options.seed, method, path, query_pairs)
        if self.options.validate:
            view = RequestView(environ, path_values, query_pairs, query, self.options.max_body_bytes,
                               self.options.tokens, raw_path_values)
            rejected = check_request(compiled, view)
            if rejected is not None:
                media_type, body = fit_error(compiled, rejected.status, rejected.doc, rng)
                return Reply(rejected.status, [("Content-Type", media_type), *rejected.headers], body,
                             "rejected", rejected.violations)
        tombstones = self.tombstones
        if tombstones is None:
            return self.respond(compiled, environ, query, rng)
        if method not in ("PUT", "POST"):
            gone = self._gone(compiled, tombstones.deleted(relative), rng)
            if gone is not None:
                return gone
        reply = self.respond(compiled, environ, query, rng)
        if 200 <= reply.status < 300 and method in ("DELETE", "PUT", "POST"):
            tombstones.mark(relative, deleted=method == "DELETE")
            if method == "POST":
                for created in _created_paths(relative, reply, self.spec.router.base_path):
                    tombstones.mark(created, deleted=False)
        return reply

    def _gone(self, compiled: CompiledOperation, deleted: str | None, rng: random.Random) -> Reply | None:
        """404 (or 410) for a resource deleted earlier, when the operation declares one of them."""
        if deleted is None:
            return None
        responses = compiled.operation.responses
        pairs = (("404", "404"), ("404", "4XX"), ("410", "410"), ("404", "default"))
        status = next((int(code) for code, key in pairs if key in responses), None)
        if status is None:
            return None
        doc = problems.problem(status, f"{deleted} was deleted earlier", code="DELETED")
        media_type, body = fit_error(compiled, status, doc, rng)
        return Reply(status, [("Content-Type", media_type)], body, f"{deleted} was deleted earlier")

    def respond(self, compiled: CompiledOperation, environ: dict, query: dict[str, list[str]],
                rng: random.Random) -> Reply:
        preferences = read_preferences(environ.get("HTTP_PREFER"), query)
        choice = negotiate(compiled.operation.responses, preferences, environ.get("HTTP_ACCEPT"))
        if isinstance(choice, Refusal):
            doc = problems.problem(choice.status, choice.detail, title=choice.title)
            media_type, body = fit_error(compiled, choice.status, doc, rng)
            return Reply(choice.status, [("Content-Type", media_type)], body, choice.title.lower())
        headers: list[tuple[str, str]] = []
        note = choice.reason
        body = b""
        value: Any = None
        if choice.media_type is not None and choice.response is not None and choice.status in (204, 304):
            headers.append(("Content-Type", choice.content_type or choice.media_type))
            note = f"no content ({choice.content_type} declared); {choice.reason}"
        elif choice.media_type is not None and choice.response is not None:
            filler = compiled.bodies_by_response[(choice.response.key, choice.media_type)]
            picked = choose_example(list(filler.examples), filler.valid, preferences, self.options.dynamic)
            if isinstance(picked, Refusal):
                doc = problems.problem(picked.status, picked.detail, title=picked.title)
                media_type, error_body = fit_error(compiled, picked.status, doc, rng)
                return Reply(picked.status, [("Content-Type", media_type)], error_body, picked.title.lower())
            example, why = picked
            try:
                value = body_value(filler, example, rng)
            except NoBody as exc:
                doc = problems.problem(500, f"the mock cannot fill this response: {exc}")
                return _problem_reply(doc, "no body available", 500)
            body = serialise(value, choice.content_type or choice.media_type, filler)
            headers.append(("Content-Type", choice.content_type or choice.media_type))
            note = f"{choice.content_type} {why}; {choice.reason}"
        else:
            note = f"no content; {choice.reason}"
        declared = header_values(compiled.headers_by_response.get(choice.response.key, []) if choice.response
                                 else [], rng)
        headers.extend(declared)
        return Reply(choice.status, headers, body, note, exposed=[name for name, _ in declared],
                     value=value if body else None)


def _created_paths(collection: str, reply: Reply, base_path: str) -> list[str]:
    """Where a POST may have created something: its ``Location`` and ``collection/<scalar>`` for the body's
    top-level scalars (a created ``{"id": 42}`` under ``/pets`` is ``/pets/42``).
    """
    paths = []
    for name, value in reply.headers:
        if name.lower() == "location" and value.startswith("/"):
            paths.append(value[len(base_path):] if base_path and value.startswith(base_path + "/") else value)
    if isinstance(reply.value, dict):
        root = collection.rstrip("/")
        paths += [f"{root}/{quote(str(v), safe='')}" for v in reply.value.values()
                  if isinstance(v, (str, int)) and not isinstance(v, bool)]
    return paths


def _problem_reply(doc: dict[str, Any], note: str, status: int | None = None) -> Reply:
    code = status or doc["status"]
    return Reply(code, [("Content-Type", problems.PROBLEM_JSON)], orjson.dumps(doc), note)
