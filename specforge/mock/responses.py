"""Response bodies and headers: examples or generated data, serialised for the chosen media type."""

from __future__ import annotations

import random
from typing import Any
from xml.sax.saxutils import escape

import orjson

from specforge.mock.bodies import essence, is_json
from specforge.mock.params import follow_ref, items_of, property_schemas
from specforge.mock.problems import PROBLEM_JSON
from specforge.mock.spec import CompiledOperation, GenerationError, HeaderValue, ResponseBody
from specforge.schema.refs import ref_name

_MESSAGE_FIELDS = ("detail", "message", "error", "title", "description", "error_description", "msg")


class NoBody(Exception):
    """The declared response cannot be filled (no example, no generable schema)."""


def serialise(value: Any, content_type: str, body: ResponseBody | None = None) -> bytes:
    """A value as bytes of ``content_type``: JSON for JSON types, text as is, XML (named by the schema's ``xml``
    objects) for XML types.
    """
    media = essence(content_type)
    if isinstance(value, bytes):
        return value
    if is_json(media):
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    if "xml" in media:
        if isinstance(value, str):
            return value.encode()
        schema = body.schema if body is not None else {}
        raw = body.media.schema if body is not None else None
        default = ref_name(raw["$ref"]) if isinstance(raw, dict) and isinstance(raw.get("$ref"), str) else "root"
        defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}
        name = str(_xml_of(schema, defs).get("name", default if default != "root" or not isinstance(value, list)
                                              else "items"))
        text = to_xml(name, value, schema, defs)
        if isinstance(value, list) and _xml_of(schema, defs).get("wrapped") is not True:
            text = f"<{name}>{text}</{name}>"  # one document element, even for a bare array
        return text.encode()
    if isinstance(value, str):
        return value.encode("utf-8")
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def _xml_of(schema: Any, defs: dict) -> dict:
    target = follow_ref(schema, defs)
    xml = target.get("xml") if isinstance(target, dict) else None
    return xml if isinstance(xml, dict) else {}


def to_xml(name: str, value: Any, schema: Any = None, defs: dict | None = None) -> str:
    """XML for JSON-like data: an element per property (``xml.name``, ``xml.attribute``), arrays as repeated
    elements (inside a wrapper element when ``xml.wrapped``).
    """
    defs = defs or {}
    if isinstance(value, dict):
        props = property_schemas(schema, defs) if schema is not None else {}
        attributes, inner = "", ""
        for key, item in value.items():
            sub = props.get(key, {})
            xml = _xml_of(sub, defs)
            tag = str(xml.get("name", key))
            if xml.get("attribute") is True and not isinstance(item, (dict, list)):
                attributes += f' {tag}="{escape(header_text(item), {chr(34): "&quot;"})}"'
            else:
                inner += to_xml(tag, item, sub, defs)
        return f"<{name}{attributes}>{inner}</{name}>"
    if isinstance(value, list):
        items = items_of(schema, defs) if schema is not None else {}
        item_name = str(_xml_of(items, defs).get("name", name))
        rendered = "".join(to_xml(item_name, v, items, defs) for v in value)
        return f"<{name}>{rendered}</{name}>" if _xml_of(schema, defs).get("wrapped") is True else rendered
    if isinstance(value, bool):
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
        return media_type, serialise(value, media_type, body)
    return PROBLEM_JSON, problem_body


def _with_message(value: dict, body: ResponseBody, detail: str) -> dict:
    for name in _MESSAGE_FIELDS:
        if isinstance(value.get(name), str):
            candidate = {**value, name: detail}
            if not body.check(candidate):
                return candidate
    return value
