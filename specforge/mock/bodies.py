"""Request bodies off the wire: bounded reads, media type matching and parsing per media type."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qsl

import orjson

from specforge.mock.params import coerce, follow_ref, items_of, property_schemas, required_of, types_of

#: JSON documents nested deeper than this are refused before validation.
MAX_JSON_DEPTH = 64


class BodyError(Exception):
    """A body the mock refuses before schema validation: ``status`` is 400, 408, 413 or 415."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def essence(content_type: str) -> str:
    """``application/json; charset=utf-8`` -> ``application/json``."""
    return content_type.split(";", 1)[0].strip().lower()


def read_raw(environ: dict, max_bytes: int) -> bytes:
    """The request body, refusing more than ``max_bytes`` without reading it all."""
    length = environ.get("CONTENT_LENGTH")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    if length:
        try:
            size = int(length)
        except ValueError:
            raise BodyError(400, f"invalid Content-Length {length!r}") from None
        if size > max_bytes:
            raise BodyError(413, f"body of {size} bytes exceeds the limit of {max_bytes} bytes")
        data = _read(stream, size) if size > 0 else b""
        if len(data) < size:
            raise BodyError(400, f"the body ended after {len(data)} of the {size} bytes of its Content-Length")
        return data
    if environ.get("wsgi.input_terminated") or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        data = _read(stream, max_bytes + 1)
        if len(data) > max_bytes:
            raise BodyError(413, f"body exceeds the limit of {max_bytes} bytes")
        return data
    return b""


def _read(stream: Any, size: int) -> bytes:
    """``stream.read(size)``; a body the server cannot deliver (broken chunked framing, a client that went away
    or stalled) is the client's fault, whatever exception type the server uses for it.
    """
    try:
        return stream.read(size)
    except TimeoutError:
        raise BodyError(408, "the body did not arrive in time") from None
    except Exception as exc:  # noqa: BLE001 - each WSGI server raises its own types (gunicorn: InvalidChunkSize...)
        raise BodyError(400, f"the body could not be read: {str(exc) or type(exc).__name__}") from None


def match_media(content_type: str, declared: list[str]) -> str | None:
    """The declared media type key a request Content-Type falls under (exact beats wildcard)."""
    actual = essence(content_type)
    candidates = [(essence(key), key) for key in declared]
    for media, key in candidates:
        if media == actual:
            return key
    kind, _, sub = actual.partition("/")
    for media, key in candidates:
        mtype, _, msub = media.partition("/")
        if (mtype in (kind, "*")) and (msub in (sub, "*")):
            return key
    if sub.endswith("+json"):
        for media, key in candidates:
            if media == "application/json":
                return key
    return None


def is_json(media: str) -> bool:
    media = essence(media)
    return media == "application/json" or media.endswith("+json") or media == "*/*"


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


def parse_json(raw: bytes) -> Any:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BodyError(400, f"body is not valid JSON: {exc}") from None
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise BodyError(400, f"body is nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def _form_value(values: list[str], schema: Any, defs: dict) -> Any:
    types = types_of(schema, defs)
    if "array" in types and not types & {"string", "object"}:
        if len(values) == 1 and "," in values[0]:
            values = values[0].split(",")
        items = items_of(schema, defs)
        return [coerce(v, items, defs) for v in values]
    return coerce(values[-1], schema, defs)


def parse_form(fields: list[tuple[str, str]], schema: Any, defs: dict) -> dict[str, Any]:
    """Form fields (repeated names collected) coerced with the body schema's property schemas."""
    grouped: dict[str, list[str]] = {}
    for key, value in fields:
        grouped.setdefault(key, []).append(value)
    props = property_schemas(schema, defs)
    out = {k: _form_value(v, props.get(k, {}), defs) for k, v in grouped.items()}
    for name in required_of(schema, defs) - set(out):
        types = types_of(props.get(name, {}), defs)
        if "array" in types and not types & {"string", "object"}:
            out[name] = []  # an empty array has no form encoding: absent is how it is sent
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_name(schema: Any, defs: dict, default: str) -> tuple[str, dict]:
    xml = follow_ref(schema, defs).get("xml") if isinstance(follow_ref(schema, defs), dict) else None
    xml = xml if isinstance(xml, dict) else {}
    return str(xml.get("name", default)), xml


def _from_element(element: Any, schema: Any, defs: dict, depth: int) -> Any:
    """An XML element as the JSON value the schema describes (OpenAPI ``xml`` names, attributes, wrapping)."""
    if depth > MAX_JSON_DEPTH:
        raise BodyError(400, f"body is nested deeper than {MAX_JSON_DEPTH} levels")
    types = types_of(schema, defs)
    if "array" in types and not types & {"object", "string"}:
        items = items_of(schema, defs)
        return [_from_element(child, items, defs, depth + 1) for child in element]
    if "object" not in types and not len(element):
        return coerce(element.text or "", schema, defs)
    children: dict[str, list[Any]] = {}
    for child in element:
        children.setdefault(_local(child.tag), []).append(child)
    out: dict[str, Any] = {}
    used: set[str] = set()
    for name, prop in property_schemas(schema, defs).items():
        xname, xml = _xml_name(prop, defs, name)
        if xml.get("attribute") is True:
            if xname in element.attrib:
                out[name] = coerce(element.attrib[xname], prop, defs)
            continue
        ptypes = types_of(prop, defs)
        if "array" in ptypes and not ptypes & {"object", "string"}:
            items = items_of(prop, defs)
            item_name, _ = _xml_name(items, defs, xname)
            if xml.get("wrapped") is True:
                wrapper = children.get(xname)
                used.add(xname)
                if wrapper:
                    out[name] = [_from_element(c, items, defs, depth + 1) for c in wrapper[0]]
            elif item_name in children:
                used.add(item_name)
                out[name] = [_from_element(c, items, defs, depth + 1) for c in children[item_name]]
            continue
        if xname in children:
            used.add(xname)
            out[name] = _from_element(children[xname][0], prop, defs, depth + 1)
    for tag, elements in children.items():
        if tag not in used and tag not in out:
            out[tag] = elements[0].text or ""
    return out


def parse_xml(raw: bytes, schema: Any, defs: dict) -> Any:
    """An XML body (parsed safely: no entities, no DTD tricks) as the JSON value its schema describes."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(raw)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BodyError(400, f"body is not well-formed XML: {exc}") from None
    return _from_element(root, schema, defs, 0)


def parse_multipart(raw: bytes, environ: dict) -> list[tuple[str, str]]:
    """Multipart fields and files (a file's content as text, for ``format: binary`` string schemas)."""
    from werkzeug.formparser import parse_form_data

    sub = {k: environ[k] for k in ("CONTENT_TYPE", "REQUEST_METHOD") if k in environ}
    sub.update({"wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))})
    try:
        _, form, files = parse_form_data(sub, silent=False)
    except ValueError as exc:
        raise BodyError(400, f"malformed multipart body: {exc}") from None
    fields = [(name, value) for name, value in form.items(multi=True) if isinstance(name, str)]
    fields += [(name, f.read().decode("utf-8", "replace")) for name, f in files.items(multi=True)
               if isinstance(name, str)]
    return fields


def parse_body(raw: bytes, media: str, environ: dict, schema: Any, defs: dict) -> tuple[bool, Any]:
    """``(checkable, value)``: parsed per media type; opaque media (binary, XML) are not schema-checked."""
    kind = essence(media)
    content_type = essence(environ.get("CONTENT_TYPE", ""))
    if is_json(kind) and (is_json(content_type) or kind != "*/*"):
        return True, parse_json(raw)
    if kind == "application/x-www-form-urlencoded":
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyError(400, "form body is not UTF-8") from None
        return True, parse_form(parse_qsl(text, keep_blank_values=True), schema, defs)
    if kind == "multipart/form-data":
        return True, parse_form(parse_multipart(raw, environ), schema, defs)
    if "xml" in kind and "*" not in kind:
        return True, parse_xml(raw, schema, defs)
    if kind.startswith("text/") and "xml" not in kind:
        try:
            return True, raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyError(400, "text body is not UTF-8") from None
    return False, raw
