"""Fuzzing the request validator over HTTP: hypothesis builds requests from each spec's own routes, parameter
names and body properties -- with random methods, wrong types, bad percent-escapes, random bytes and JSON,
odd media types and credentials -- and sends them to the real server (``specforge mock`` in a subprocess).

The server must never answer 5xx (unless the request asks for one: ``Prefer: code=503``), must answer every
request (no hang, no silent close), and every 4xx must be a problem document (``application/problem+json`` whose
``status`` is the HTTP status) or a body of a media type the spec declares for that status.

CI: ``EXAMPLES`` requests per spec, derandomized (the same requests every run); the file takes ~25 s.
Long run: ``SPECFORGE_FUZZ_SECONDS=600 python -m pytest tests/fuzz/test_fuzz_requests.py`` shares the seconds
between the specs, draws fresh random requests until they are spent, and lists every distinct failure found
(with one request for each) instead of stopping at the first.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mock"))  # the mock tests' server and raw client
from mock_support import CORPUS, PETSTORE2, PETSTORE3, Answer, Server, http_request, read_answer  # noqa: E402

from specforge.document import load_spec  # noqa: E402
from specforge.mock.spec import MockSpec  # noqa: E402

SPECS = {
    "petstore-3.0": PETSTORE3,
    "petstore-2.0": PETSTORE2,
    "swagger-petstore-v3": CORPUS / "openapi3" / "swagger-petstore-v3.yaml",
    "redocly-museum (3.1)": CORPUS / "openapi3" / "redocly-museum.yaml",
}
EXAMPLES = 400
LONG_SECONDS = float(os.environ.get("SPECFORGE_FUZZ_SECONDS", "0"))
PROBLEM_JSON = "application/problem+json"
_ASKED = re.compile(rb"code=([1-5][0-9][0-9])\b")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "get"]
#: Framing headers are the raw-socket abuse tests' business (tests/mock/test_abuse.py).
FRAMING = frozenset({"host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te"})
SPECIAL = ["", "0", "-1", "1", "007", "1.5", "1e309", "-0", "NaN", "true", "false", "null", "[]", "{}", "%", "%zz",
           "%ff", "%00", "%ED%A0%80", "%c0%af", "%2F", "%2e%2e", "..", "a,b", "a|b", ".1", ";x=1", "x" * 300,
           "2024-02-30", "1970-01-01T00:00:00Z", "5b7c1d0e-3f7a-4d8e-9a55-0c1f6f2b9e11", "\u00e9", "+", "%20"]
HEADER_VALUES = ["Bearer x", "Bearer ", "Basic dXNlcjpwYXNz", "Basic !!!", "Basic Og==", "code=404", "code=abc",
                 "code=100", "code=204", "code=304", "dynamic=true", "example=x", "code=400, example=none", "*/*",
                 "application/json", "text/html;q=0", "application/xml", "text/*;q=0.5, */*;q=0.1", 'a="b\\"c"',
                 "session=abc; other", "\u00ff\u00fe", "x" * 500]
MEDIA_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "text/xml",
               "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "multipart/form-data",
               "application/octet-stream", "*/*", "application/problem+json", "application/vnd.api+json",
               "image/png", ";", "garbage"]
RAW_BODIES = [b'{"a":', b"\x00", b'{"a": 1e999999}', b"[" * 100, b"[" * 100 + b"]" * 100, b'"\\ud800"',
              b"\xff\xfe{}", b"<xml/>", b"<a><b>1</b></a>", b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
              b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--b--\r\n', b"--b--", b"a=1&a=2&%zz=3",
              b'{"name": "Rex", "photoUrls": ["x"]}', b'{"petId": 1, "quantity": 1}', b"{}", b"[]", b"null"]


@dataclass
class OperationModel:
    template: str
    method: str
    parameters: dict[str, list[str]]  # location -> names
    media_types: list[str]  # declared request body media types
    properties: list[str]  # property names of the request body schemas


@dataclass
class SpecModel:
    """What the generator draws from, and the oracle for error media types, read from the spec."""

    base_path: str
    operations: list[OperationModel]
    names: list[str]
    credentials: list[tuple[str, str]]
    error_media: dict[str, set[str]] = field(default_factory=dict)  # response key -> media types
    bodiless: set[str] = field(default_factory=set)  # response keys declared without content

    def declared_media(self, status: int) -> set[str]:
        code = str(status)
        return set().union(*(self.error_media.get(key, set()) for key in (code, code[0] + "XX", "default")))

    def declares_bodiless(self, status: int) -> bool:
        code = str(status)
        return bool({code, code[0] + "XX", "default"} & self.bodiless)


def _property_names(schema: Any) -> Iterator[str]:
    todo = [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                yield from (str(name) for name in node["properties"])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)


def _essence(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def read_model(path: Path) -> SpecModel:
    spec = MockSpec(load_spec(path))
    operations, names, credentials = [], set(), {("Authorization", "Bearer fuzz")}
    error_media: dict[str, set[str]] = {}
    bodiless: set[str] = set()
    for route in spec.router.routes:
        for method, op in route.operations.items():
            parameters: dict[str, list[str]] = {}
            for p in op.parameters:
                parameters.setdefault(p.location, []).append(p.name)
                names.add(p.name)
            properties = {name for body in spec[op].bodies.values() for name in _property_names(body.schema)}
            names.update(properties)
            for key, response in op.responses.items():
                error_media.setdefault(key, set()).update(_essence(m) for m in response.content)
                if not response.content:
                    bodiless.add(key)
            for alternative in op.security:
                for scheme in alternative:
                    if scheme.kind == "apiKey" and scheme.location == "header":
                        credentials.add((scheme.parameter, "fuzz"))
                    elif scheme.kind == "http" and scheme.scheme == "basic":
                        credentials.add(("Authorization", "Basic dXNlcjpwYXNz"))
            operations.append(OperationModel(route.template, method, parameters, list(spec[op].bodies),
                                             sorted(properties)))
    return SpecModel(spec.router.base_path, operations, sorted(names), sorted(credentials), error_media, bodiless)


# -- strategies ----------------------------------------------------------------------------------------------------

def _components(names: list[str]) -> st.SearchStrategy[str]:
    """A path segment or query component as it goes on the wire (mostly percent-encoded, sometimes not)."""
    return st.one_of(
        st.sampled_from(SPECIAL),
        st.integers(-10**12, 10**12).map(str),
        st.floats(allow_nan=False).map(repr),
        st.text(max_size=20).map(lambda text: quote(text, safe="")),
        st.sampled_from(names or ["x"]),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=12),  # raw reserved characters
    )


def _json_values(names: list[str]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(names) | st.text(max_size=8) if names else st.text(max_size=8)
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | \
        st.text(max_size=20) | st.sampled_from(SPECIAL)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
                        max_leaves=12)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def requests(model: SpecModel) -> st.SearchStrategy[tuple[str, bytes]]:
    """``(method, request bytes)`` aimed at any operation of the spec (strategies built once: drawing is the hot
    path). Most choices favour what the operation declares, so that requests get past routing, security and
    media type checks into parameter and body validation.
    """
    return st.one_of([_operation_requests(model, op) for op in model.operations])


def _mostly(usual: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``usual`` four times out of five."""
    return st.integers(0, 4).flatmap(lambda n: other if n == 0 else usual)


def _operation_requests(model: SpecModel, op: OperationModel) -> st.SearchStrategy[tuple[str, bytes]]:
    names = op.properties + [n for group in op.parameters.values() for n in group] + model.names
    some_name = st.sampled_from(names or ["x"])
    components = _components(names)
    json_values = _json_values(names)
    methods = _mostly(st.just(op.method), st.sampled_from(METHODS))
    path_names = op.parameters.get("path", [])
    path_values = st.lists(components, min_size=len(path_names), max_size=len(path_names))
    declared_query = op.parameters.get("query", [])
    query_names = _mostly(st.sampled_from(declared_query), components) if declared_query else components
    queries = st.lists(st.tuples(query_names | st.sampled_from(["__code", "__example", "__dynamic"]), components),
                       max_size=5)
    header_names = st.sampled_from(op.parameters.get("header", []) + [
        "Accept", "Prefer", "Authorization", "Cookie", "Content-Type", "Origin", "X-Request-ID", "If-None-Match",
        "Access-Control-Request-Method"]) | st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True)
    header_values = st.sampled_from(HEADER_VALUES + SPECIAL) | \
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40) | \
        st.builds(lambda n, v: f"{n}={v}", st.sampled_from(op.parameters.get("cookie", []) or ["session"]),
                  components)
    headers = st.lists(st.tuples(header_names, header_values), max_size=4)
    objects = st.dictionaries(some_name | st.text(max_size=3), json_values, max_size=6)
    any_body = st.one_of(
        json_values.map(_dumps),
        st.binary(max_size=100),
        st.lists(st.tuples(some_name, components), max_size=4).map(
            lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode()),
        st.sampled_from(RAW_BODIES),
    )
    bodies = st.just(b"") | _mostly(objects.map(_dumps), any_body) if op.media_types else st.just(b"") | any_body
    content_types = _mostly(st.sampled_from(op.media_types), st.sampled_from(MEDIA_TYPES)) if op.media_types \
        else st.sampled_from(MEDIA_TYPES)
    credentials = _mostly(st.sampled_from(model.credentials).map(lambda c: [c]), st.just([]))

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, bytes]:
        method = draw(methods)
        path = op.template
        for name, value in zip(path_names, draw(path_values), strict=True):
            path = path.replace("{" + name + "}", value, 1)
        if draw(st.booleans()):
            path = model.base_path + path
        query = draw(queries)
        target = path + ("?" + "&".join(f"{quote_plus(k, safe='%[]')}={v}" for k, v in query) if query else "")
        fields = [h for h in draw(headers) if h[0].lower() not in FRAMING] + draw(credentials)
        body = draw(bodies)
        if body or not draw(st.integers(0, 4)):
            fields.append(("Content-Type", draw(content_types)))
        return method, http_request(method, target, fields, body)

    return build()


# -- the oracle ----------------------------------------------------------------------------------------------------

def asked_for(data: bytes) -> set[int]:
    """The statuses the request asks for (``Prefer: code=503``, ``?__code=503``): the mock sends those."""
    return {int(code) for code in _ASKED.findall(data)}


def judge(answer: Answer, method: str, model: SpecModel, data: bytes) -> list[str]:
    """What is wrong with the answer to the request ``data`` (empty when nothing)."""
    if answer.status >= 500 and (answer.status not in asked_for(data) or b"internal error" in answer.body):
        return [f"{answer.status} server error: {answer.body[:300]!r}"]
    if answer.status >= 500:
        return []
    if answer.status < 400 or method.upper() == "HEAD":
        return []
    media = answer.media_type
    if not answer.body and not media and model.declares_bodiless(answer.status):
        return []  # e.g. ``Prefer: code=404`` for a 404 the spec declares without content
    if media == PROBLEM_JSON:
        try:
            doc = json.loads(answer.body)
        except ValueError:
            return [f"{answer.status} problem+json that is not JSON: {answer.body[:200]!r}"]
        if not isinstance(doc, dict) or doc.get("status") != answer.status or not doc.get("title"):
            return [f"{answer.status} problem document without its status and title: {doc!r:.200}"]
        return []
    if media not in model.declared_media(answer.status):
        return [f"{answer.status} answered as {media or 'no Content-Type'}, neither problem+json nor declared for it"]
    if "json" in media:
        try:
            json.loads(answer.body)
        except ValueError:
            return [f"{answer.status} {media} body that is not JSON: {answer.body[:200]!r}"]
    return []


class Client:
    """One kept-alive connection to the server, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None

    def send(self, method: str, data: bytes) -> Answer | str:
        """The answer, or what went wrong at the HTTP level."""
        for attempt in range(2):
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            try:
                self.sock.sendall(data)
                answer = read_answer(self.sock, method.upper())
            except TimeoutError:
                self.close()
                return "no answer within 10 s"
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self.close()
                if attempt == 0:
                    continue  # a kept-alive connection the server had just closed: try once on a fresh one
                return f"connection closed without an answer ({type(exc).__name__})"
            except http.client.HTTPException as exc:
                self.close()
                return f"malformed response: {type(exc).__name__}: {exc}"
            if answer.headers.get("connection", "").lower() == "close":
                self.close()
            return answer
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@dataclass
class Findings:
    examples: int = 0
    failures: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # kind -> (count, one request)

    def add(self, problems: list[str], data: bytes) -> None:
        for problem in problems:
            kind = problem[:90]
            count, example = self.failures.get(kind, (0, data))
            self.failures[kind] = (count + 1, example)

    def report(self) -> str:
        return "\n".join(f"{count} x {kind}\n    e.g. {example[:400]!r}" for kind, (count, example)
                         in sorted(self.failures.items(), key=lambda item: -item[1][0]))


def fuzz(server: Server, model: SpecModel, *, examples: int, derandomize: bool, findings: Findings | None) -> None:
    """Send ``examples`` generated requests; assert on each (CI) or collect the failures (long run)."""
    client = Client(server.port)

    @settings(max_examples=examples, derandomize=derandomize, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=True)
    @given(requests(model))
    def one(request: tuple[str, bytes]) -> None:
        method, data = request
        answer = client.send(method, data)
        problems = [answer] if isinstance(answer, str) else judge(answer, method, model, data)
        if findings is None:
            assert not problems, f"{problems}\nrequest: {data[:600]!r}\nserver log:\n{server.log()[-2000:]}"
        else:
            findings.examples += 1
            findings.add(problems, data)

    try:
        one()
    finally:
        client.close()


def crashed(server: Server) -> bool:
    """A traceback in the server's log (not a request line that happens to contain the word)."""
    return any(line.startswith("Traceback (most recent call last)") for line in server.log().splitlines())


# -- the tests -----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def targets() -> Iterator[dict[str, tuple[Server, SpecModel]]]:
    with ThreadPoolExecutor(max_workers=len(SPECS)) as pool:
        servers = dict(zip(SPECS, pool.map(lambda path: Server(path), SPECS.values()), strict=True))
    try:
        yield {name: (servers[name], read_model(path)) for name, path in SPECS.items()}
    finally:
        for server in servers.values():
            server.stop()


@pytest.mark.parametrize("name", list(SPECS))
def test_generated_requests_never_get_a_5xx_and_every_4xx_is_a_problem(targets, name):
    server, model = targets[name]
    if not LONG_SECONDS:
        fuzz(server, model, examples=EXAMPLES, derandomize=True, findings=None)
        assert server.proc.poll() is None and not crashed(server)
        return
    findings = Findings()
    deadline = time.monotonic() + LONG_SECONDS / len(SPECS)
    while time.monotonic() < deadline:
        fuzz(server, model, examples=200, derandomize=False, findings=findings)
    print(f"\n{name}: {findings.examples} requests, {len(findings.failures)} kinds of failure\n{findings.report()}")
    assert server.proc.poll() is None and not crashed(server)
    assert not findings.failures, findings.report()


#: Requests that got wrong answers (fixed since): (spec, method, request bytes, the right status).
REGRESSIONS: list[tuple[str, str, bytes, int]] = [
    # Prefer code=1xx through a "default" response: the mock sent "100 Continue" as its answer, the client hung
    ("swagger-petstore-v3", "GET", http_request("GET", "/pet/1", [("Prefer", "code=100"), ("api_key", "k")]), 400),
    ("swagger-petstore-v3", "GET", http_request("GET", "/api/v3/pet/1?__code=101", [("api_key", "k")]), 400),
    # gunicorn dropped header names with underscores: the declared api_key credential never arrived (401)
    ("swagger-petstore-v3", "GET", http_request("GET", "/store/inventory", [("api_key", "k")]), 200),
    # a broken chunked body reached the app, whose read raised gunicorn's InvalidChunkSize: 500
    ("petstore-3.0", "POST", http_request("POST", "/v1/store/orders", [
        ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]) + b"zz\r\n{}\r\n0\r\n\r\n", 400),
    # invalid UTF-8 and invalid percent-escapes were accepted (as U+FFFD or literally) instead of a 400
    ("petstore-3.0", "GET", http_request("GET", "/v1/pets?tags=%ff"), 400),
    ("redocly-museum (3.1)", "GET", http_request("GET", "/special-events/%zz", [("Authorization", "Basic eDp5")]), 400),
]


@pytest.mark.parametrize("name, method, data, status", REGRESSIONS)
def test_requests_that_got_wrong_answers_before(targets, name, method, data, status):
    server, model = targets[name]
    answer = Client(server.port).send(method, data)
    assert not isinstance(answer, str), answer
    assert judge(answer, method, model, data) == []
    assert answer.status == status, answer
