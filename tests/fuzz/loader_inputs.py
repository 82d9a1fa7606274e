"""Hypothesis strategies for loader fuzzing: what a hostile or broken spec file can look like.

Each strategy draws ``{file name: bytes}`` for one folder; the first name is the file linted, the
others sit beside it (the targets of ``$ref``s and imports).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
SEED_LIMIT = 12_000  # bytes: small seeds keep each example fast


def _seeds() -> list[tuple[str, bytes]]:
    """Real specs to mutate: the bundled demos and the corpus's small files."""
    paths = sorted((REPO / "fixtures" / "specs").glob("*.*"))
    if CORPUS.is_dir():
        paths += sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".json", ".wsdl", ".xsd")
                        and p.is_file() and p.stat().st_size <= SEED_LIMIT)
    return [(p.suffix, p.read_bytes()) for p in paths]


SEEDS = _seeds()

TOKENS = [
    b"&a ", b"*a", b"<<: *a\n", b"<<: [*a, *a]\n", b"&a [*a]", b"{", b"}", b"[", b"]", b'"', b"'", b"\\", b"\x00",
    b"\xff", b"\xc3", b"\xed\xa0\x80", b"\t", b"\n", b"\r", b": ", b"- ", b"? ", b"---\n", b"...\n", b"%YAML 1.1\n",
    b"!!binary ", b"!!python/object:os.system ", b"!custom ", b"|\n", b">-\n", b"#", b",", b"~", b"0x", b"1e999",
    b"9" * 1200, b"\\ud800", b"\\u0000", b"$ref: '#'\n", b"$ref: '#/components/schemas/A'\n", b"{$ref: '#/paths'}",
    b'"$ref": "#"', b'"$ref": "../x.yaml"', b"$ref: /etc/passwd\n", b"$ref: 'http://127.0.0.1:9/x'\n",
    b"<!DOCTYPE d [<!ENTITY x 'y'>]>", b"<!ENTITY % p SYSTEM 'http://127.0.0.1:9/'>", b"&x;", b"&amp;", b"&#0;",
    b"&#x110000;", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<?pi x?>", b"xmlns:a='urn:a' ", b"xmlns='' ", b"<a>",
    b"</a>",
    b'schemaLocation="../../x.xsd" ', b'location="/etc/passwd" ', b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe\x00\x00",
]

KEYS = [
    "openapi", "swagger", "info", "title", "version", "paths", "components", "schemas", "parameters", "responses",
    "requestBody", "content", "application/json", "schema", "type", "properties", "items", "allOf", "oneOf", "anyOf",
    "not", "required", "enum", "const", "default", "example", "examples", "value", "$ref", "get", "post", "put",
    "delete", "operationId", "tags", "security", "securitySchemes", "servers", "url", "variables", "in", "name",
    "description", "summary", "format", "pattern", "minimum", "maximum", "minLength", "maxLength", "maxItems",
    "discriminator", "mapping", "propertyName", "additionalProperties", "nullable", "readOnly", "callbacks", "links",
    "webhooks", "headers", "style", "explode", "definitions", "basePath", "host", "schemes", "consumes",
    "x-lint-ignore",
    "/pets", "/pets/{id}", "200", "default", "4XX", "x-ext", "", "~", "a/b", "<<",
]

REFS = [
    "#", "#/", "#/components/schemas/A", "#/components/schemas/B", "#/paths/~1pets", "#/components/parameters/P",
    "#/definitions/A", "other.yaml", "other.yaml#/A", "other.yaml#/components/schemas/A",
    "main.yaml#/components/schemas/A",
    "main.yaml", "/etc/passwd", "file:///etc/passwd", "../secret.yaml", "../../../../etc/passwd", "%2e%2e/x.yaml",
    "http://127.0.0.1:9/x.yaml", "https://example.invalid/x#/A", "//host/share", "a\x00b", "http://[::1", "#/%ZZ",
    "#/components/schemas/A/$ref", "#/paths/~2", "data:text/plain,x", "C:\\x.yaml", ".", "..", "", "x" * 300,
]


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """Apply 1-8 random edits: flip a byte, insert a token, delete, duplicate, truncate."""
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "insert", "delete", "duplicate", "truncate"]))
        at = draw(st.integers(0, len(buffer)))
        if kind == "flip" and buffer:
            buffer[min(at, len(buffer) - 1)] = draw(st.integers(0, 255))
        elif kind == "insert":
            buffer[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del buffer[at:at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            buffer[at:at] = buffer[at:at + draw(st.integers(1, 256))]
        elif kind == "truncate":
            del buffer[at:]
    return bytes(buffer)


@st.composite
def raw_bytes(draw: st.DrawFn) -> dict[str, bytes]:
    """Random bytes, often after a prefix that sends them down the JSON, YAML or XML path."""
    prefix = draw(st.sampled_from([b"", b"openapi: 3.0.3\n", b"swagger: '2.0'\n", b"{", b'{"openapi": "3.1.0", ',
                                   b"<", b"<?xml version='1.0'?>\n<definitions xmlns='http://schemas.xmlsoap.org/wsdl/'>"]))
    body = draw(st.binary(max_size=600) | st.lists(st.sampled_from(TOKENS), max_size=40).map(b"".join))
    return {draw(st.sampled_from(["spec.yaml", "spec.json", "spec.wsdl"])): prefix + body}


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, bytes]:
    """A real spec or WSDL with a few random edits."""
    suffix, data = draw(st.sampled_from(SEEDS))
    return {"spec" + (suffix if suffix != ".xsd" else ".wsdl"): mutate(data, draw)}


def _values(refs: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
               | st.sampled_from(["string", "object", "array", "integer", "query", "path", "3.0.3", "2.0", "{id}",
                                 "http://[::1", "https://a]b/{v}", "http://h:99999/", "//x", "mailto:a@b", "#/x"]))
    return st.recursive(
        scalars,
        lambda inner: (st.lists(inner, max_size=4)
                       | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=5)
                       | st.builds(lambda ref: {"$ref": ref}, refs)),
        max_leaves=40,
    )


def _share(data: Any, draw: st.DrawFn) -> Any:
    """Put one sub-object in a second place (YAML writes it as an anchor and an alias), sometimes inside itself."""
    containers: list[Any] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)) and len(containers) < 200:
            containers.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    if len(containers) < 2:
        return data
    shared = draw(st.sampled_from(containers))
    host = draw(st.sampled_from(containers))
    if isinstance(host, dict):
        host[draw(st.sampled_from(KEYS))] = shared
    else:
        host.append(shared)
    return data


@st.composite
def structured_specs(draw: st.DrawFn) -> dict[str, bytes]:
    """OpenAPI-shaped data: real keywords with values of any type, ``$ref``s of every kind, shared nodes."""
    refs = st.sampled_from(REFS) | st.text(max_size=20) | st.lists(st.sampled_from(KEYS), max_size=4).map(
        lambda parts: "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts))
    values = _values(refs)
    header = draw(st.sampled_from([{"openapi": "3.0.3"}, {"openapi": "3.1.0"}, {"swagger": "2.0"},
                                   {"openapi": "3.2.0"}]))
    document = {**header, "info": draw(values), "paths": draw(st.dictionaries(st.sampled_from(KEYS), values,
                                                                               max_size=3)),
                "components": {"schemas": draw(st.dictionaries(st.sampled_from(["A", "B", "C"]), values, max_size=3))},
                **draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=3))}
    other = draw(values)
    if draw(st.booleans()):
        document = _share(document, draw)
        main = yaml.safe_dump(document, allow_unicode=draw(st.booleans()), default_flow_style=draw(st.booleans()))
        name = "main.yaml"
    else:
        main = json.dumps(document, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
        name = "main.json"
    return {name: main.encode("utf-8", "surrogatepass"),
            "other.yaml": yaml.safe_dump(other).encode("utf-8", "surrogatepass")}


TAGS = ["wsdl:definitions", "wsdl:types", "wsdl:message", "wsdl:part", "wsdl:portType", "wsdl:operation", "wsdl:input",
        "wsdl:output", "wsdl:fault", "wsdl:binding", "wsdl:service", "wsdl:port", "wsdl:import", "wsdl:documentation",
        "xsd:schema", "xsd:element", "xsd:complexType", "xsd:sequence", "xsd:import", "xsd:include", "xsd:simpleType",
        "xsd:restriction", "soap:binding", "soap:operation", "soap:body", "soap:address", "soap12:binding", "x:y", "a"]
ATTRIBUTES = ["name", "type", "element", "message", "binding", "location", "schemaLocation", "namespace",
              "targetNamespace", "style", "use", "soapAction", "transport", "base", "minOccurs", "maxOccurs", "ref",
              "xmlns:tns", "xmlns", "wsdl:required", "parts", "xml:lang"]
ATTRIBUTE_VALUES = ["tns:A", "tns:B", "xsd:string", "A", "B", "document", "rpc", "literal", "encoded", "urn:t",
                    "http://schemas.xmlsoap.org/soap/http", "x.xsd", "other.xsd", "../secret.xsd", "/etc/passwd",
                    "http://127.0.0.1:9/x.xsd", "file:///etc/passwd", "unbounded", "-1", "", "a:b:c", "&amp;", "\x00",
                    "http://[oops", "https://w]w.example.com/", "http://h:99999/", "http://localhost/", "urn:"]
ROOT_NAMESPACES = ('xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
                   'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
                   'xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" '
                   'xmlns:tns="urn:t" targetNamespace="urn:t"')


_ATTRIBUTE_LISTS = st.dictionaries(st.sampled_from(ATTRIBUTES), st.sampled_from(ATTRIBUTE_VALUES) | st.text(max_size=6),
                                   max_size=4).map(lambda attrs: "".join(f' {k}="{v}"' for k, v in attrs.items()))
_TEXTS = st.sampled_from(["", "text", "&lt;", "&x;", "<!-- c -->", "<![CDATA[x]]>", "]]>", "<"])
ELEMENTS = st.recursive(
    st.builds(lambda tag, attrs: f"<{tag}{attrs}/>", st.sampled_from(TAGS), _ATTRIBUTE_LISTS),
    lambda children: st.builds(lambda tag, attrs, text, kids: f"<{tag}{attrs}>{text}{''.join(kids)}</{tag}>",
                               st.sampled_from(TAGS), _ATTRIBUTE_LISTS, _TEXTS, st.lists(children, max_size=4)),
    max_leaves=25,
)


@st.composite
def wsdl_documents(draw: st.DrawFn) -> dict[str, bytes]:
    """WSDL-shaped XML: real element and attribute names, random values and imports, sometimes DTD payloads."""
    prolog = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>\n',
                                   '<?xml version="1.0" encoding="x"?>\n',
                                   "<!DOCTYPE d [<!ENTITY e 'x'>]>\n", '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/d">\n',
                                   "<!DOCTYPE d>\n", '<?xml-stylesheet href="/etc/passwd"?>\n']))
    children = "".join(draw(st.lists(ELEMENTS, max_size=4)))
    root = draw(st.sampled_from(["wsdl:definitions", "wsdl:description", "xsd:schema", "definitions"]))
    main = f"{prolog}<{root} {ROOT_NAMESPACES}>{children}</{root}>"
    schema = f'<xsd:schema {ROOT_NAMESPACES}>{"".join(draw(st.lists(ELEMENTS, max_size=2)))}</xsd:schema>'
    return {"spec.wsdl": main.encode("utf-8", "surrogatepass"), "x.xsd": schema.encode("utf-8", "surrogatepass"),
            "other.xsd": mutate(schema.encode("utf-8", "surrogatepass"), draw)}
