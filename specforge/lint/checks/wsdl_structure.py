"""WSDL structure: markup shape, imports, element order, schema namespaces, resolvable QNames."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from specforge.lint.model import Problem
from specforge.wsdl import namespaces as ns
from specforge.wsdl.loader import OUTSIDE_ROOT
from specforge.wsdl.model import WsdlDocument, problem
from specforge.wsdl.xml_tree import Element

_WSDL11_CHILDREN = {
    "definitions": ("import", "documentation", "types", "message", "portType", "binding", "service"),
    "message": ("documentation", "part"),
    "portType": ("documentation", "operation"),
    "binding": ("documentation", "operation"),
    "service": ("documentation", "port"),
    "port": ("documentation",),
    "types": ("documentation",),
}
_WSDL11_REQUIRED = {
    "message": ("name",), "part": ("name",), "portType": ("name",), "binding": ("name", "type"),
    "service": ("name",), "port": ("name", "binding"), "import": ("namespace", "location"),
}
_WSDL20_CHILDREN = {
    "description": ("documentation", "import", "include", "types", "interface", "binding", "service"),
    "interface": ("documentation", "operation", "fault"),
    "service": ("documentation", "endpoint"),
}
_WSDL20_REQUIRED = {
    "interface": ("name",), "binding": ("name", "type"), "service": ("name", "interface"),
    "endpoint": ("name", "binding"), "operation": ("name",),
}
_ENUMS = {
    (ns.SOAP11_BINDING, "binding", "style"): ("rpc", "document"),
    (ns.SOAP12_BINDING, "binding", "style"): ("rpc", "document"),
    (ns.SOAP11_BINDING, "operation", "style"): ("rpc", "document"),
    (ns.SOAP12_BINDING, "operation", "style"): ("rpc", "document"),
}


def schema_valid(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """WSDL elements are known for their parent and carry their required attributes."""
    wsdl_ns = document.wsdl_ns
    children, required = (_WSDL11_CHILDREN, _WSDL11_REQUIRED) if document.version == 1 else \
        (_WSDL20_CHILDREN, _WSDL20_REQUIRED)
    for definitions in document.definitions:
        for element in definitions.iter():
            if element.ns != wsdl_ns:
                if element.ns in ns.SOAP_BINDINGS:
                    yield from _soap_markup(element)
                continue
            allowed = children.get(element.local)
            if allowed is not None:
                for child in element.children:
                    if child.ns == wsdl_ns and child.local not in allowed:
                        yield problem(child, f"<{child.tag}> is not allowed inside <{element.tag}>")
            for attr in _required_here(element, required, document.version):
                if not element.get(attr):
                    yield problem(element, f'<{element.tag}> must have a non-empty "{attr}" attribute')


def _required_here(element: Element, required: dict, version: int) -> tuple[str, ...]:
    if version == 1 and element.local == "operation" and element.parent is not None \
            and element.parent.local in ("portType", "binding"):
        return ("name",)
    if version == 1 and element.local == "import" and element.parent is not None \
            and element.parent.local != "definitions":
        return ()
    if version == 2 and element.local == "operation" and element.parent is not None \
            and element.parent.local == "binding":
        return ("ref",)
    if version == 2 and element.local == "operation" and element.parent is not None \
            and element.parent.local != "interface":
        return ()
    return required.get(element.local, ())


def _soap_markup(element: Element) -> Iterator[Problem]:
    for attr in ("style",):
        allowed = _ENUMS.get((element.ns, element.local, attr))
        value = element.get(attr)
        if allowed and value is not None and value not in allowed:
            yield problem(element, f'"{attr}" must be one of {", ".join(allowed)} (got "{value}")', attr)
    if element.local in ("body", "header", "fault", "headerfault"):
        use = element.get("use")
        if use is not None and use not in ("literal", "encoded"):
            yield problem(element, f'"use" must be literal or encoded (got "{use}")', "use")
    if element.local == "address" and element.get("location") is None:
        yield problem(element, f'<{element.tag}> must have a "location" attribute')


def import_wsdl_only(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """``wsdl:import`` imports WSDL; schemas come in through ``xsd:import`` inside ``wsdl:types``."""
    for imp in document.imports:
        target = imp.target
        if target is None:
            continue
        if imp.kind == "wsdl" and not target.root.is_((ns.WSDL11, ns.WSDL20), "definitions") \
                and not target.root.is_(ns.WSDL20, "description"):
            yield problem(imp.element, f'{imp.element.tag} imports "{imp.location}", which is not a WSDL document '
                                       "— import schemas with xsd:import inside wsdl:types", "location")
        elif imp.kind != "wsdl" and not target.root.is_(ns.XSD, "schema"):
            yield problem(imp.element, f'{imp.element.tag} points at "{imp.location}", which is not an XML Schema',
                          "schemaLocation")
    for definitions in document.definitions:
        for child in definitions.children:
            if child.is_(ns.XSD, ("import", "include")):
                yield problem(child, f"<{child.tag}> must be inside an xsd:schema in wsdl:types, not a child of "
                                     f"<{definitions.tag}>")


def import_location(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """``wsdl:import`` has a non-empty ``location`` and an absolute ``namespace``; local files exist."""
    for imp in document.imports:
        element = imp.element
        if imp.kind == "wsdl":
            if not (element.get("location") or "").strip():
                yield problem(element, f"<{element.tag}> must have a non-empty \"location\"")
            namespace = element.get("namespace")
            if document.version == 1 and (not namespace or not _scheme(namespace)):
                yield problem(element, f'<{element.tag}> "namespace" must be an absolute URI (got "{namespace or ""}")',
                              "namespace")
        if imp.skipped == "missing":
            attr = "location" if imp.kind == "wsdl" else "schemaLocation"
            yield problem(element, f'"{imp.location}" does not exist (relative to {element.file.path})', attr)
        elif imp.skipped == OUTSIDE_ROOT:
            attr = "location" if imp.kind == "wsdl" else "schemaLocation"
            yield problem(element, f'"{imp.location}" is {OUTSIDE_ROOT}; not read (widen it with --ref-root)', attr)


def element_order(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """``import`` elements first, then ``types``, then the other WSDL elements."""
    rank = {"import": 0, "include": 0, "types": 1}
    for definitions in document.definitions:
        highest = 0
        for child in definitions.children:
            if child.ns != document.wsdl_ns or child.local == "documentation":
                continue
            level = rank.get(child.local, 2)
            if level < highest:
                after = "wsdl:types and other definitions" if level == 0 else "messages, portTypes, bindings " \
                                                                              "and services"
                yield problem(child, f"<{child.tag}> must come before {after}")
            highest = max(highest, level)


def schema_target_namespace(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Every ``xsd:schema`` in ``wsdl:types`` with definitions has a ``targetNamespace``."""
    for schema in document.inline_schemas:
        if schema.get("targetNamespace"):
            continue
        if any(c.ns == ns.XSD and c.local not in ("import", "annotation") for c in schema.children):
            yield problem(schema, "xsd:schema in wsdl:types must have a targetNamespace")


_V1_REFS = (
    ("part", "element", "element"), ("part", "type", "type"), ("input", "message", "message"),
    ("output", "message", "message"), ("fault", "message", "message"), ("binding", "type", "portType"),
    ("port", "binding", "binding"),
)
_V2_REFS = (
    ("binding", "interface", "interface"), ("service", "interface", "interface"), ("endpoint", "binding", "binding"),
    ("input", "element", "element"), ("output", "element", "element"), ("fault", "element", "element"),
    ("interface", "extends", "interface"),
)


def qnames_resolvable(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Every QName reference (message, portType, binding, interface, element, type) names a definition."""
    refs = _V1_REFS if document.version == 1 else _V2_REFS
    for definitions in document.definitions:
        for element in definitions.iter():
            if element.ns == document.wsdl_ns:
                for local, attr, kind in refs:
                    if element.local == local and element.get(attr):
                        if element.local == "fault" and attr == "message" and element.parent is not None \
                                and element.parent.local != "operation":
                            continue
                        for value in (element.get(attr) or "").split():
                            yield from _check_ref(document, element, attr, value, kind)
                if document.version == 2 and element.local == "operation" and element.get("ref"):
                    yield from _check_interface_operation(document, element)
            elif element.ns in ns.SOAP_BINDINGS and element.local in ("header", "headerfault") \
                    and element.get("message"):
                yield from _check_ref(document, element, "message", element.get("message") or "", "message")


def _check_ref(document: WsdlDocument, element: Element, attr: str, value: str, kind: str) -> Iterator[Problem]:
    if value.startswith("#"):  # WSDL 2.0 tokens: #any, #none, #other, #element
        return
    name = element.qname(value)
    if name is None:
        yield problem(element, f'"{value}": the prefix "{value.partition(":")[0]}" is not declared', attr)
    elif not document.resolvable(name, kind):
        where = f" in namespace {name[0]}" if name[0] else ""
        yield problem(element, f'{kind} "{value}" is not defined{where}', attr)


def _check_interface_operation(document: WsdlDocument, element: Element) -> Iterator[Problem]:
    name = element.attr_qname("ref")
    if name is None:
        yield problem(element, f'"{element.get("ref")}": the prefix is not declared', "ref")
        return
    if name[0] in document.opaque_namespaces:
        return
    known = {(i_ns, op.get("name")) for (i_ns, _), interface in document.named("interface").items()
             for op in interface.findall(ns.WSDL20, "operation")}
    if name not in known:
        yield problem(element, f'interface operation "{element.get("ref")}" is not defined', "ref")


def no_required_extensions(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """No extension element is marked ``wsdl:required="true"``."""
    key = "{" + document.wsdl_ns + "}required"
    for definitions in document.definitions:
        for element in definitions.iter():
            if element.attrs.get(key, "").strip() in ("true", "1") or \
                    (document.version == 2 and element.ns != ns.WSDL20 and element.get("required") == "true"):
                yield problem(element, f"<{element.tag}> is a required extension; clients that do not know it must "
                                       "reject the WSDL", key)


def _scheme(uri: str) -> str:
    """The URI's scheme; "" for text that is no URI at all (``urlparse`` raises on an unbalanced "[")."""
    try:
        return urlparse(uri).scheme
    except ValueError:
        return ""
