"""The spec as the mock needs it: operations with resolved parameters, bodies, responses and security.

OpenAPI 2.0 is mapped onto the 3.x shape here, once (``body``/``formData`` parameters become a request body,
``produces``/``examples`` become response content), so the rest of the mock knows one model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from specforge.document import Document, RefError, Source
from specforge.mock.schemas import SchemaBundler

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
_COLLECTION_FORMATS = {"csv": ("form", False), "ssv": ("spaceDelimited", False), "pipes": ("pipeDelimited", False),
                       "tsv": ("tabDelimited", False), "multi": ("form", True)}
_PARAM_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
                      "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
                      "uniqueItems", "multipleOf", "x-nullable")


@dataclass
class Parameter:
    """One request parameter; ``schema`` is a bundled 2020-12 schema (request direction)."""

    name: str
    location: str  # path | query | header | cookie
    required: bool
    style: str
    explode: bool
    schema: Any
    media_type: str | None = None  # parameters described by ``content`` (JSON in a query string...)


@dataclass
class Media:
    """One media type of a body: its schema (as written, and where) and its named static examples."""

    media_type: str
    schema: Any
    source: Source
    examples: dict[str, Any] = field(default_factory=dict)


@dataclass
class Header:
    """A declared response header."""

    name: str
    required: bool
    schema: Any
    source: Source
    example: Any = None
    has_example: bool = False


@dataclass
class Response:
    """A declared response: ``key`` is ``"200"``, ``"2XX"`` or ``"default"``."""

    key: str
    content: dict[str, Media]
    headers: dict[str, Header]


@dataclass
class RequestBody:
    """The declared request body, by media type."""

    required: bool
    content: dict[str, Media]


@dataclass(frozen=True)
class SecurityScheme:
    """What a credential looks like: ``kind`` is apiKey, http, oauth2, openIdConnect or mutualTLS."""

    name: str
    kind: str
    location: str = ""  # apiKey: header | query | cookie
    parameter: str = ""  # apiKey: the header/query/cookie name
    scheme: str = ""  # http: bearer, basic, digest...


@dataclass
class Operation:
    """One operation of one path template."""

    method: str
    path: str
    operation_id: str
    parameters: list[Parameter]
    body: RequestBody | None
    responses: dict[str, Response]
    security: list[list[SecurityScheme]]  # alternatives; each needs all its schemes; [] = open

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


class SpecReader:
    """Read operations out of a document (``$ref``s followed through the workspace)."""

    def __init__(self, document: Document, bundler: SchemaBundler) -> None:
        self.document = document
        self.bundler = bundler
        self.oas2 = document.format == "oas2"
        self.warnings: list[str] = []

    def deref(self, node: Any, source: Source) -> tuple[Any, Source]:
        """Follow ``$ref`` chains of a non-schema object; ``({}, source)`` when broken."""
        for _ in range(16):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, source
            try:
                target = self.document.workspace.resolve(node["$ref"], source)
            except RefError as exc:
                self.warnings.append(str(exc))
                return {}, source
            node, source = target.value, target.source
        return {}, source

    def base_path(self) -> str:
        """``/v3`` from ``servers[0].url`` (variables at their defaults) or ``basePath``; ``""`` for none."""
        data = self.document.data
        if self.oas2:
            path: str = data["basePath"] if isinstance(data.get("basePath"), str) else ""
        else:
            servers = data.get("servers")
            server = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
            url: str = server["url"] if isinstance(server.get("url"), str) else ""
            for name, var in (server.get("variables") or {}).items():
                if isinstance(var, dict):
                    url = url.replace("{" + str(name) + "}", str(var.get("default", "")))
            path = urlsplit(url).path if "://" in url or url.startswith("//") else url
        path = path.rstrip("/")
        return path if path.startswith("/") else ("/" + path if path else "")

    def operations(self) -> list[Operation]:
        data = self.document.data
        root = self.document.root
        out: list[Operation] = []
        for path, item in (data.get("paths") or {}).items():
            if not isinstance(path, str) or not path.startswith("/"):
                continue
            item, item_source = self.deref(item, root)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    out.append(self._operation(method, path, item, op, item_source))
        return out

    def _operation(self, method: str, path: str, item: dict, op: dict, source: Source) -> Operation:
        params: dict[tuple[str, str], tuple[dict, Source]] = {}
        for raw in list(item.get("parameters") or []) + list(op.get("parameters") or []):
            param, psource = self.deref(raw, source)
            if isinstance(param, dict) and isinstance(param.get("name"), str) and isinstance(param.get("in"), str):
                params[(param["in"], param["name"] if param["in"] != "header" else param["name"].lower())] = \
                    (param, psource)
        if self.oas2:
            parameters, body = self._oas2_parameters(op, list(params.values()))
            responses = self._oas2_responses(op, source)
        else:
            parameters = [p for p in (self._parameter(p, s) for p, s in params.values()) if p is not None]
            body = self._request_body(op.get("requestBody"), source)
            responses = self._responses(op.get("responses"), source)
        security = self._security(op.get("security", self.document.data.get("security")))
        op_id: str = op["operationId"] if isinstance(op.get("operationId"), str) else f"{method} {path}"
        return Operation(method, path, op_id, parameters, body, responses, security)

    # -- OpenAPI 3.x --------------------------------------------------------------------------------------

    def _parameter(self, param: dict, source: Source) -> Parameter | None:
        location = param["in"]
        if location not in _DEFAULT_STYLE:
            return None
        style: str = param["style"] if isinstance(param.get("style"), str) else _DEFAULT_STYLE[location]
        explode: bool = param["explode"] if isinstance(param.get("explode"), bool) else style == "form"
        required = param.get("required") is True or location == "path"
        schema, media_type = param.get("schema", {}), None
        content = param.get("content")
        if isinstance(content, dict) and content:
            media_type, media = next(iter(content.items()))
            media, _ = self.deref(media, source)
            schema = media.get("schema", {}) if isinstance(media, dict) else {}
        bundled = self.bundler.bundle(schema, source, "request")
        return Parameter(param["name"], location, required, style, explode, bundled, media_type)

    def _request_body(self, raw: Any, source: Source) -> RequestBody | None:
        body, bsource = self.deref(raw, source)
        if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
            return None
        return RequestBody(body.get("required") is True, self._content(body["content"], bsource))

    def _content(self, content: dict, source: Source) -> dict[str, Media]:
        out: dict[str, Media] = {}
        for media_type, media in content.items():
            media, msource = self.deref(media, source)
            if not isinstance(media, dict):
                media = {}
            examples: dict[str, Any] = {}
            for name, example in (media.get("examples") or {}).items():
                example, _ = self.deref(example, msource)
                if isinstance(example, dict) and "value" in example:
                    examples[str(name)] = example["value"]
            if not examples and "example" in media:
                examples["example"] = media["example"]
            out[str(media_type).lower()] = Media(str(media_type).lower(), media.get("schema"), msource, examples)
        return out

    def _responses(self, raw: Any, source: Source) -> dict[str, Response]:
        out: dict[str, Response] = {}
        for key, response in (raw or {}).items() if isinstance(raw, dict) else ():
            response, rsource = self.deref(response, source)
            if not isinstance(response, dict):
                continue
            content = self._content(response["content"], rsource) if isinstance(response.get("content"), dict) \
                else {}
            headers: dict[str, Header] = {}
            for name, header in (response.get("headers") or {}).items():
                header, hsource = self.deref(header, rsource)
                if not isinstance(header, dict) or str(name).lower() == "content-type":
                    continue
                schema = header.get("schema", {})
                if isinstance(header.get("content"), dict) and header["content"]:
                    media, _ = self.deref(next(iter(header["content"].values())), hsource)
                    schema = media.get("schema", {}) if isinstance(media, dict) else {}
                example, has = _header_example(header, self, hsource)
                headers[str(name)] = Header(str(name), header.get("required") is True, schema, hsource, example, has)
            out[str(key).upper() if str(key).lower() != "default" else "default"] = \
                Response(str(key).upper() if str(key).lower() != "default" else "default", content, headers)
        return out

    # -- OpenAPI 2.0 --------------------------------------------------------------------------------------

    def _oas2_parameters(self, op: dict, params: list[tuple[dict, Source]]
                         ) -> tuple[list[Parameter], RequestBody | None]:
        data = self.document.data
        consumes = _media_list(op.get("consumes", data.get("consumes"))) or ["application/json"]
        parameters: list[Parameter] = []
        body: RequestBody | None = None
        form: dict[str, Any] = {}
        form_required: list[str] = []
        has_file = False
        for param, source in params:
            location = param["in"]
            if location == "body":
                content = {m: Media(m, param.get("schema", {}), source) for m in consumes}
                body = RequestBody(param.get("required") is True, content)
                continue
            schema = {k: v for k, v in param.items() if k in _PARAM_SCHEMA_KEYS}
            if location == "formData":
                has_file = has_file or param.get("type") == "file"
                form[param["name"]] = schema
                if param.get("required") is True:
                    form_required.append(param["name"])
                continue
            if location not in _DEFAULT_STYLE:
                continue
            fmt = param.get("collectionFormat", "csv")
            style, explode = _COLLECTION_FORMATS.get(fmt, ("form", False))
            if location in ("path", "header"):
                style = "simple" if style == "form" else style
            if location == "query" and param.get("allowEmptyValue") is True and param.get("type") != "array":
                schema = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
            bundled = self.bundler.bundle(schema, source, "request")
            parameters.append(Parameter(param["name"], location, param.get("required") is True or location == "path",
                                        style, explode, bundled))
        if form:
            form_types = [m for m in consumes if m in ("multipart/form-data", "application/x-www-form-urlencoded")]
            if not form_types:
                form_types = ["multipart/form-data" if has_file else "application/x-www-form-urlencoded"]
            schema = {"type": "object", "properties": form, "additionalProperties": False}
            if form_required:
                schema["required"] = form_required
            content = {m: Media(m, schema, self.document.root) for m in form_types}
            body = RequestBody(bool(form_required), content)
        return parameters, body

    def _oas2_responses(self, op: dict, source: Source) -> dict[str, Response]:
        produces = _media_list(op.get("produces", self.document.data.get("produces"))) or ["application/json"]
        out: dict[str, Response] = {}
        for key, response in (op.get("responses") or {}).items():
            response, rsource = self.deref(response, source)
            if not isinstance(response, dict):
                continue
            content: dict[str, Media] = {}
            examples: dict = response["examples"] if isinstance(response.get("examples"), dict) else {}
            for media_type in produces:
                named = {"example": examples[media_type]} if media_type in examples else {}
                content[media_type] = Media(media_type, response.get("schema"), rsource, named)
            headers = {
                str(name): Header(str(name), False, {k: v for k, v in h.items() if k in _PARAM_SCHEMA_KEYS}, rsource,
                                  h.get("x-example", h.get("example")), "x-example" in h or "example" in h)
                for name, h in (response.get("headers") or {}).items() if isinstance(h, dict)
            }
            norm = str(key).upper() if str(key).lower() != "default" else "default"
            out[norm] = Response(norm, content, headers)
        return out

    # -- security -----------------------------------------------------------------------------------------

    def _security(self, requirements: Any) -> list[list[SecurityScheme]]:
        if not isinstance(requirements, list) or not requirements:
            return []
        data = self.document.data
        defined = data.get("securityDefinitions") if self.oas2 else (data.get("components") or {}).get(
            "securitySchemes")
        defined = defined if isinstance(defined, dict) else {}
        alternatives: list[list[SecurityScheme]] = []
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            if not requirement:
                return []  # an empty requirement makes security optional
            schemes = []
            for name in requirement:
                raw, _ = self.deref(defined.get(name), self.document.root)
                if isinstance(raw, dict):
                    schemes.append(_scheme(str(name), raw))
            if schemes:
                alternatives.append(schemes)
        return alternatives


def _scheme(name: str, raw: dict) -> SecurityScheme:
    kind = str(raw.get("type", ""))
    if kind == "basic":
        return SecurityScheme(name, "http", scheme="basic")
    if kind == "apiKey":
        return SecurityScheme(name, "apiKey", str(raw.get("in", "header")).lower(), str(raw.get("name", "")))
    if kind == "http":
        return SecurityScheme(name, "http", scheme=str(raw.get("scheme", "bearer")).lower())
    return SecurityScheme(name, kind)


def _media_list(value: Any) -> list[str]:
    return [str(m).lower() for m in value] if isinstance(value, list) else []


def _header_example(header: dict, reader: SpecReader, source: Source) -> tuple[Any, bool]:
    if "example" in header:
        return header["example"], True
    for example in (header.get("examples") or {}).values():
        example, _ = reader.deref(example, source)
        if isinstance(example, dict) and "value" in example:
            return example["value"], True
    return None, False
