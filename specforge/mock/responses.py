"""Response bodies and headers: examples or generated data, serialised for the chosen media type."""

from __future__ import annotations

import random
from typing import Any
from xml.sax.saxutils import escape

import orjson

from specforge.mock.bodies import essence, is_json
from specforge.mock.problems import PROBLEM_JSON
from specforge.mock.spec import CompiledOperation, GenerationError, HeaderValue, ResponseBody

_MESSAGE_FIELDS = ("detail", "message", "error", "title", "description", "error_description", "msg")


class NoBody(Exception):
    """The declared response cannot be filled (no example, no generable schema)."""


def serialise(value: Any, content_type: str) -> bytes:
    """A value as bytes of ``content_type``: JSON for JSON types, text as is, XML for XML types."""
    media = essence(content_type)
    if isinstance(value, bytes):
        return value
    if is_json(media):
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    if "xml" in media:
        return value.encode() if isinstance(value, str) else to_xml("root", value).encode()
    if isinstance(value, str):
        return value.encode("utf-8")
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def to_xml(name: str, value: Any) -> str:
    """A plain XML rendering of JSON-like data (element per property, repeated elements for arrays)."""
    if isinstance(value, dict):
        inner = "".join(to_xml(str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        return "".join(to_xml(name, v) for v in value)
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    else:
        inner = escape("" if value is None else str(value))
    return f"<{name}>{inner}</{name}>"


def body_value(body: ResponseBody, example: str | None, rng: random.Random) -> Any:
    """The named example, else generated data, else the first example even if it is invalid."""
    if example is not None:
        return body.examples[example]
    if body.generate is not None:
        try:
            return body.generate(rng)
        except GenerationError as exc:
            if body.examples:
                return body.examples[next(iter(body.examples))]
            raise NoBody(str(exc)) from None
    return body.examples[next(iter(body.examples))] if body.examples else b""


def header_text(value: Any) -> str:
    """A header value in ``simple`` style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(header_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{header_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _safe(text: str) -> bool:
    return text.isascii() and text.isprintable() and text == text.strip()


def header_values(values: list[HeaderValue], rng: random.Random) -> list[tuple[str, str]]:
    """Declared headers with schema-valid, wire-safe values (a few draws for printable ASCII)."""
    out: list[tuple[str, str]] = []
    for item in values:
        if item.example is not None:
            text = header_text(item.example)
            if _safe(text):
                out.append((item.header.name, text))
                continue
        if item.generate is None or item.generate.compile() is None:
            continue
        for _ in range(8):
            value = item.generate(rng)
            text = header_text(value)
            if _safe(text) and not item.check(_reparse(text, value)):
                out.append((item.header.name, text))
                break
    return out


def _reparse(text: str, value: Any) -> Any:
    """The value a client reads back from the header text (scalars keep their type)."""
    return value if not isinstance(value, str) else text


def fit_error(compiled: CompiledOperation | None, status: int, doc: dict[str, Any],
              rng: random.Random) -> tuple[str, bytes]:
    """``(content type, body)`` for a refusal: the problem document when the spec allows it, else a body that
    fits the declared response for ``status`` (with the detail in a message field when the schema has one).
    """
    problem_body = orjson.dumps(doc)
    if compiled is None:
        return PROBLEM_JSON, problem_body
    code = str(status)
    responses = compiled.operation.responses
    key = next((k for k in (code, code[0] + "XX", "default") if k in responses), None)
    if key is None or not responses[key].content:
        return PROBLEM_JSON, problem_body
    content = responses[key].content
    for media_type in content:
        if essence(media_type) == PROBLEM_JSON:
            return media_type, problem_body
    for media_type in content:
        body = compiled.bodies_by_response[(key, media_type)]
        if is_json(media_type) and "*" not in media_type and body.media.schema is not None and not body.check(doc):
            return media_type, problem_body
    for media_type in content:
        if "*" in media_type:
            continue
        body = compiled.bodies_by_response[(key, media_type)]
        try:
            value = body_value(body, body.valid[0] if body.valid else None, rng)
        except NoBody:
            continue
        if isinstance(value, dict):
            value = _with_message(value, body, str(doc.get("detail", "")))
        return media_type, serialise(value, media_type)
    return PROBLEM_JSON, problem_body


def _with_message(value: dict, body: ResponseBody, detail: str) -> dict:
    for name in _MESSAGE_FIELDS:
        if isinstance(value.get(name), str):
            candidate = {**value, name: detail}
            if not body.check(candidate):
                return candidate
    return value
