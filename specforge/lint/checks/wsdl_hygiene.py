"""WSDL hygiene: endpoints per service, naming, faults, documentation, unused definitions, namespaces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.model import Problem
from specforge.wsdl import namespaces as ns
from specforge.wsdl.model import WsdlDocument, problem, target_namespace
from specforge.wsdl.xml_tree import Element

_UPPER_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_LOWER_CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
_VERSION_SUFFIX = re.compile(r"(?:[_-]?[vV]\d+(?:[._]\d+)*)$")
_DRAFT = re.compile(r"\b(beta|draft|alpha|snapshot)\b", re.IGNORECASE)


def one_endpoint_per_service(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A service has one port (WSDL 2.0: one endpoint)."""
    local = "port" if document.version == 1 else "endpoint"
    for service in document.top("service"):
        ports = list(service.findall(document.wsdl_ns, local))
        for extra in ports[1:]:
            yield problem(extra, f'service "{service.get("name")}" has {len(ports)} {local}s — publish one {local} '
                                 "per service (one address, one binding)", "name")


def naming(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """UpperCamelCase definitions/service/portType names without version suffix; lowerCamelCase operations;
    message names ending in one of ``messageSuffixes``.
    """
    options = options or {}
    suffixes = tuple(options.get("messageSuffixes", ("Request", "Response", "Fault")))
    operation_case = _LOWER_CAMEL if options.get("operationCase", "lowerCamel") == "lowerCamel" else _UPPER_CAMEL
    for definitions in document.definitions[:1]:
        if definitions.get("name") is not None:
            yield from _upper(definitions, "definitions")
    for kind in ("service", "portType", "interface"):
        for element in document.top(kind):
            yield from _upper(element, kind)
            if kind in ("portType", "interface"):
                for op in element.findall(document.wsdl_ns, "operation"):
                    name = op.get("name") or ""
                    if name and not operation_case.match(name):
                        case = options.get("operationCase", "lowerCamel")
                        yield problem(op, f'operation "{name}" should be {case}Case', "name")
    if suffixes:
        for message in document.top("message"):
            name = message.get("name") or ""
            if name and not name.endswith(suffixes):
                yield problem(message, f'message "{name}" should end with {"/".join(suffixes)}', "name")


def _upper(element: Element, kind: str) -> Iterator[Problem]:
    name = element.get("name") or ""
    if not name:
        return
    if not _UPPER_CAMEL.match(name):
        yield problem(element, f'{kind} name "{name}" should be UpperCamelCase', "name")
    elif _VERSION_SUFFIX.search(name):
        yield problem(element, f'{kind} name "{name}" carries a version — version the namespace instead', "name")


def faults_declared(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Each operation declares a fault (from ``allowedFaults`` when given)."""
    allowed = set((options or {}).get("allowedFaults") or ())
    fault_names = ("fault",) if document.version == 1 else ("outfault", "infault")
    for kind in ("portType", "interface"):
        for interface in document.top(kind):
            for op in interface.findall(document.wsdl_ns, "operation"):
                faults = [f for f in op.children if f.ns == document.wsdl_ns and f.local in fault_names]
                if not faults:
                    yield problem(op, f'operation "{op.get("name")}" declares no fault — describe how it fails',
                                  "name")
                for fault in faults:
                    message = fault.attr_qname("message") or fault.attr_qname("ref")
                    if allowed and message and message[1] not in allowed:
                        yield problem(fault, f'fault "{message[1]}" is not one of {", ".join(sorted(allowed))}',
                                      "message")


def documentation(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """definitions, portTypes/interfaces and operations carry ``wsdl:documentation`` of a sensible length."""
    options = options or {}
    min_length = int(options.get("minLength", 1))
    max_length = int(options.get("maxLength", 4000))
    targets: list[Element] = document.definitions[:1]
    for kind in ("portType", "interface"):
        for interface in document.top(kind):
            targets.append(interface)
            targets.extend(interface.findall(document.wsdl_ns, "operation"))
    for element in targets:
        doc = element.find(document.wsdl_ns, "documentation")
        label = f'{element.local} "{element.get("name")}"' if element.get("name") else f"<{element.tag}>"
        text = _text_of(doc).strip() if doc is not None else ""
        if doc is None or len(text) < min_length:
            yield problem(element, f"{label} has no wsdl:documentation" if doc is None else
                          f"the documentation of {label} is shorter than {min_length} characters", "name")
            continue
        if len(text) > max_length:
            yield problem(doc, f"the documentation of {label} is longer than {max_length} characters")
        if re.search(r"\b(TODO|FIXME|TBD|XXX)\b", text):
            yield problem(doc, f"the documentation of {label} contains a TODO marker")
        if options.get("asciiOnly", False) and not text.isascii():
            yield problem(doc, f"the documentation of {label} contains non-ASCII characters")


def _text_of(element: Element) -> str:
    return "".join(e.text for e in element.iter())


_QNAME_ATTRS = ("type", "element", "base", "ref", "message", "binding", "itemType", "substitutionGroup", "interface",
                "extends", "memberTypes", "refer")


def unused_definitions(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Messages, portTypes, bindings, schema elements and types nobody uses; unused namespace prefixes."""
    used = _used_names(document)
    kinds = ("message", "portType", "binding") if document.version == 1 else ("interface", "binding")
    for kind in kinds:
        for element in document.top(kind):
            name = (target_namespace(element), element.get("name") or "")
            if (kind, name) not in used:
                yield problem(element, f'{kind} "{name[1]}" is defined but never used', "name")
    for schema in document.inline_schemas:
        tns = schema.get("targetNamespace") or ""
        for child in schema.children:
            if child.ns == ns.XSD and child.local in ("element", "complexType", "simpleType") and child.get("name"):
                kind = "element" if child.local == "element" else "type"
                if (kind, (tns, child.get("name"))) not in used:
                    yield problem(child, f'{child.local} "{child.get("name")}" is defined but never used', "name")
    yield from _unused_prefixes(document)


def _used_names(document: WsdlDocument) -> set[tuple[str, tuple[str, str]]]:
    used: set[tuple[str, tuple[str, str]]] = set()
    kind_of = {"message": "message", "binding": "binding", "element": "element", "ref": "element",
               "substitutionGroup": "element", "interface": "interface", "extends": "interface"}
    roots = list(document.definitions) + [s for s in document.schemas if s not in document.inline_schemas]
    for root in roots:
        for element in root.iter():
            for attr in _QNAME_ATTRS:
                value = element.get(attr)
                if not value:
                    continue
                for token in value.split() if attr in ("memberTypes", "extends") else [value]:
                    name = element.qname(token)
                    if name is None:
                        continue
                    if attr == "type" and element.local == "binding" and element.ns == ns.WSDL11:
                        kind = "portType"
                    elif attr == "ref" and element.local in ("attributeGroup", "group", "attribute"):
                        kind = "group"
                    elif attr in ("type", "base", "itemType", "memberTypes"):
                        kind = "type"
                    else:
                        kind = kind_of.get(attr, attr)
                    used.add((kind, name))
    return used


def _unused_prefixes(document: WsdlDocument) -> Iterator[Problem]:
    root = document.root.root
    declared = {p: u for p, u in root.nsmap.items() if p}
    if not declared:
        return
    text = _without_xmlns(document.root.text)
    used = set(_PREFIX_USE.findall(text))  # one pass, not one search of the whole text per declared prefix
    for prefix in sorted(set(declared) - used):
        yield problem(root, f'namespace prefix "{prefix}" is declared but never used', f"xmlns:{prefix}")


_PREFIX_USE = re.compile(r"(?<=[<\s/\"'])([\w.-]+):(?=[A-Za-z_])")
_XMLNS = re.compile(r"\sxmlns:[\w.-]+\s*=\s*(\"[^\"]*\"|'[^']*')")


def _without_xmlns(text: str) -> str:
    return _XMLNS.sub(" ", text)


def tns_consistent(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A ``tns`` prefix names the targetNamespace; standard prefixes name standard namespaces; no draft namespaces."""
    root = document.root.root
    tns = root.get("targetNamespace") or ""
    if "tns" not in root.nsmap:
        yield problem(root, 'declare xmlns:tns with the targetNamespace so references read "tns:Name"')
    elif root.nsmap["tns"] != tns:
        yield problem(root, f'xmlns:tns is "{root.nsmap["tns"]}" but the targetNamespace is "{tns}"', "xmlns:tns")
    for prefix, expected in ns.STANDARD_PREFIXES.items():
        uri = root.nsmap.get(prefix)
        if uri is not None and uri not in expected:
            yield problem(root, f'prefix "{prefix}" is bound to "{uri}", not to "{expected[0]}"', f"xmlns:{prefix}")
    if _DRAFT.search(tns):
        yield problem(root, f'targetNamespace "{tns}" looks like a beta/draft namespace', "targetNamespace")
