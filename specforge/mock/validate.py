"""Request validation: security presence, media type, parameters and body -> one rejection listing everything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specforge.document.pointer import encode
from specforge.mock import problems
from specforge.mock.bodies import BodyError, match_media, parse_body, read_raw
from specforge.mock.params import (
    ParameterError,
    malformed_encoding,
    malformed_query,
    read_content,
    read_path,
    read_query,
    read_simple,
)
from specforge.mock.problems import Violation
from specforge.mock.security import challenge, cookies_of, unmet
from specforge.mock.spec import CompiledOperation

#: Header parameters OpenAPI says to ignore (they are described elsewhere).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


@dataclass
class Rejection:
    """A request the mock refuses: status, problem document, extra headers and the violations for the log."""

    status: int
    doc: dict[str, Any]
    headers: list[tuple[str, str]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


@dataclass
class RequestView:
    """The parts of a request validation reads (so it runs the same under any WSGI server or test client)."""

    environ: dict
    path_values: dict[str, str]
    query_pairs: list[tuple[str, str]]
    query: dict[str, list[str]]
    max_body_bytes: int
    tokens: frozenset[str] = frozenset()
    raw_path_values: dict[str, str] = field(default_factory=dict)  # still percent-encoded


def check_security(compiled: CompiledOperation, request: RequestView) -> Rejection | None:
    alternatives = compiled.operation.security
    if not alternatives:
        return None
    missing = unmet(alternatives, request.environ, request.query, request.tokens)
    if not missing:
        return None
    declared = compiled.operation.responses
    status = 403 if "403" in declared and not {"401", "4XX", "default"} & set(declared) else 401
    doc = problems.unauthorized([m.name for m in missing])
    doc.update(status=status, title=problems.phrase(status))
    what = "credentials missing" if not request.tokens else "credentials missing or not accepted"
    return Rejection(status, doc, [("WWW-Authenticate", challenge(alternatives))] if status == 401 else [],
                     [Violation(("security", m.name), what) for m in missing])


def _header(environ: dict, name: str) -> str | None:
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return environ.get(key)
    return environ.get("HTTP_" + key)


def check_parameters(compiled: CompiledOperation, request: RequestView) -> list[Violation]:
    """Every parameter violation; a query or path value that is not percent-encoded UTF-8 is one, declared or not."""
    malformed = malformed_query(request.environ.get("QUERY_STRING", ""))
    violations = [Violation(("query", name), reason) for name, reason in malformed.items()]
    cookies: dict[str, str] | None = None
    query_names = {p.parameter.name for p in compiled.parameters if p.parameter.location == "query"}
    for item in compiled.parameters:
        param, defs = item.parameter, item.defs
        where = (param.location, param.name)
        if param.location == "query" and param.name in malformed:
            continue
        try:
            if param.location == "path":
                badly_encoded = malformed_encoding(request.raw_path_values.get(param.name, ""))
                if badly_encoded:
                    raise ParameterError(badly_encoded)
                raw = request.path_values.get(param.name)
                present = raw is not None
                value = None if raw is None else (
                    read_content(raw, param.media_type) if param.media_type
                    else read_path(raw, param.name, param.style, param.explode, param.schema, defs))
            elif param.location == "query":
                if param.media_type:
                    values = request.query.get(param.name)
                    present, value = bool(values), read_content(values[-1], param.media_type) if values else None
                else:
                    present, value = read_query(request.query_pairs, param.name, param.style, param.explode,
                                                param.schema, defs, query_names)
            elif param.location == "header":
                if param.name.lower() in _IGNORED_HEADERS:
                    continue
                raw = _header(request.environ, param.name)
                present = raw is not None
                value = None if raw is None else (
                    read_content(raw, param.media_type) if param.media_type
                    else read_simple(raw.strip(), param.schema, defs, param.explode))
            else:
                if cookies is None:
                    cookies = cookies_of(request.environ)
                raw = cookies.get(param.name)
                present = raw is not None
                value = None if raw is None else (
                    read_content(raw, param.media_type) if param.media_type
                    else read_simple(raw, param.schema, defs, param.explode))
        except ParameterError as exc:
            violations.append(Violation(where, str(exc)))
            continue
        if not present:
            if param.required:
                violations.append(Violation(where, "required parameter is missing"))
            continue
        for path, message in item.check(value):
            violations.append(Violation(where + ((encode(path),) if path else ()), message))
    return violations


def check_body(compiled: CompiledOperation, request: RequestView) -> tuple[int, list[Violation]] | Rejection:
    """``(400 or 422, violations)``; a Rejection for 413/415."""
    body = compiled.operation.body
    if body is None or not compiled.bodies:
        return 422, []
    environ = request.environ
    try:
        raw = read_raw(environ, request.max_body_bytes)
    except BodyError as exc:
        return Rejection(exc.status, problems.problem(exc.status, exc.detail), [],
                         [Violation(("body",), exc.detail)])
    content_type = environ.get("CONTENT_TYPE", "")
    is_form = content_type.lower().startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
    if not raw and not (is_form and body.required):
        if body.required:
            return 400, [Violation(("body",), "request body is required")]
        return 422, []
    declared = list(compiled.bodies)
    key = match_media(content_type, declared) if content_type else None
    if key is None:
        doc = problems.unsupported_media(content_type, declared)
        return Rejection(415, doc, [("Accept-Post" if environ.get("REQUEST_METHOD") == "POST" else "Accept-Patch",
                                     ", ".join(declared))] if environ.get("REQUEST_METHOD") in ("POST", "PATCH")
                         else [], [Violation(("header", "Content-Type"), doc["detail"])])
    target = compiled.bodies[key]
    try:
        checkable, value = parse_body(raw, key, environ, target.schema, target.defs)
    except BodyError as exc:
        return 400, [Violation(("body",), exc.detail)]
    if not checkable:
        return 422, []
    return 422, [Violation(("body", encode(path) or "/"), message) for path, message in target.check(value)]


def rejection_status(compiled: CompiledOperation, preferred: int, violations: list[Violation]) -> int:
    """400 or 422 as preferred, unless the spec declares only the other one (or, for a path parameter that
    cannot identify a resource, only 404).
    """
    declared = compiled.operation.responses
    other = 400 if preferred == 422 else 422
    for status in (preferred, other):
        if str(status) in declared:
            return status
    if "4XX" in declared or "default" in declared:
        return preferred
    if "404" in declared and all(v.location[0] == "path" for v in violations):
        return 404
    return preferred


def check_request(compiled: CompiledOperation, request: RequestView) -> Rejection | None:
    """Everything wrong with the request, or None when it is valid."""
    refused = check_security(compiled, request)
    if refused is not None:
        return refused
    body = check_body(compiled, request)
    if isinstance(body, Rejection):
        return body
    body_status, body_violations = body
    violations = check_parameters(compiled, request)
    if not violations and not body_violations:
        return None
    everything = violations + body_violations
    status = rejection_status(compiled, 400 if violations or body_status == 400 else 422, everything)
    return Rejection(status, problems.invalid_request(status, everything), [], everything)
