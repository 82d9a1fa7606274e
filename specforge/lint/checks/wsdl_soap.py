"""WS-I Basic Profile 1.1 checks on SOAP bindings, port types and messages (R-numbers in the rules)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from specforge.lint.model import Problem
from specforge.wsdl import namespaces as ns
from specforge.wsdl.bindings import (
    all_bindings,
    body_part_names,
    message_for,
    operations,
    parts,
    soap_bindings,
)
from specforge.wsdl.model import WsdlDocument, problem, target_namespace
from specforge.wsdl.xml_tree import Element

_SOAP_PARTS = ("body", "header", "fault", "headerfault")


def _soap_elements(operation_element: Element, locals_: tuple[str, ...] = _SOAP_PARTS) -> Iterator[Element]:
    for element in operation_element.iter():
        if element.ns in ns.SOAP_BINDINGS and element.local in locals_:
            yield element


def soap_binding_transport(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """``soap:binding`` declares its ``transport``."""
    for binding in soap_bindings(document):
        assert binding.soap is not None
        if not (binding.soap.get("transport") or "").strip():
            yield problem(binding.soap, f'<{binding.soap.tag}> of binding "{binding.name}" must have a "transport" '
                                        f'attribute (use "{ns.SOAP_HTTP_TRANSPORT}")')


def soap_http_transport(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """The transport is SOAP over HTTP."""
    for binding in soap_bindings(document):
        assert binding.soap is not None
        transport = (binding.soap.get("transport") or "").strip()
        if transport and transport.rstrip("/") != ns.SOAP_HTTP_TRANSPORT:
            yield problem(binding.soap, f'transport "{transport}" is not interoperable — use '
                                        f'"{ns.SOAP_HTTP_TRANSPORT}"', "transport")


def literal_only(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """``use="literal"`` on every soap body, header, fault and headerfault (no SOAP encoding)."""
    for binding in soap_bindings(document):
        for element in _soap_elements(binding.element):
            if element.get("use") == "encoded":
                yield problem(element, f'<{element.tag}> uses "encoded" in binding "{binding.name}" — use '
                                       '"literal" (SOAP encoding is not interoperable)', "use")


def consistent_style(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A binding's operations are all rpc or all document (the binding's declared style, else the first's)."""
    for binding in soap_bindings(document):
        assert binding.soap is not None
        ops = list(operations(binding))
        if not ops:
            continue
        declared = binding.soap.get("style")
        expected = declared or ops[0].style
        for op in ops if declared else ops[1:]:
            if op.style != expected:
                target = op.soap if op.soap is not None and op.soap.get("style") else op.element
                yield problem(target, f'operation "{op.name}" is {op.style} style but binding "{binding.name}" is '
                                      f"{expected} — use one style per binding", "style")


def prefer_document_literal(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Document style (document/literal wrapped) rather than rpc."""
    for binding in soap_bindings(document):
        assert binding.soap is not None
        if binding.style == "rpc":
            yield problem(binding.soap, f'binding "{binding.name}" is rpc style — prefer document/literal '
                                        "(wrapped)", "style")
            continue
        for op in operations(binding):
            if op.soap is not None and op.soap.get("style") == "rpc":
                yield problem(op.soap, f'operation "{op.name}" is rpc style — prefer document/literal (wrapped)',
                              "style")


def doclit_single_part(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Document-literal bodies bind at most one part."""
    for binding in soap_bindings(document):
        for op in operations(binding):
            if op.style != "document":
                continue
            for direction in ("input", "output"):
                body = op.soap_body(direction)
                if body is None:
                    continue
                message = message_for(document, op, direction)
                names = body_part_names(body, message)
                if body.get("parts") is None:
                    names = [n for n in names if n not in _header_parts(op, direction, message)]
                if len(names) > 1:
                    yield problem(body, f'the {direction} of document-literal operation "{op.name}" binds '
                                        f'{len(names)} parts ({", ".join(names)}) to the body — bind one part '
                                        "(a wrapper element)", "parts" if body.get("parts") is not None else None)


def _header_parts(op: Any, direction: str, message: Element | None) -> set[str]:
    bound = op.bound(direction)
    if bound is None or message is None:
        return set()
    found = set()
    for header in bound.findall(ns.SOAP_BINDINGS, "header"):
        if header.attr_qname("message") == (message_ns(message), message.get("name")):
            found.add(header.get("part") or "")
    return found


def message_ns(message: Element) -> str:
    return target_namespace(message)


def doclit_element_parts(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Document-literal parts use ``element=``; rpc-literal parts use ``type=``."""
    for binding in soap_bindings(document):
        for op in operations(binding):
            for direction in ("input", "output"):
                body = op.soap_body(direction)
                if body is None or body.get("use") == "encoded":
                    continue
                message = message_for(document, op, direction)
                names = set(body_part_names(body, message))
                for part in parts(message):
                    if part.get("name") not in names:
                        continue
                    if op.style == "document" and part.get("element") is None:
                        yield problem(part, f'part "{part.get("name")}" is used by document-literal operation '
                                            f'"{op.name}" and must use element=, not type=', "type")
                    elif op.style == "rpc" and part.get("type") is None:
                        yield problem(part, f'part "{part.get("name")}" is used by rpc-literal operation '
                                            f'"{op.name}" and must use type=, not element=', "element")


def part_element_xor_type(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A ``wsdl:part`` has ``element`` or ``type``, not both."""
    for message in document.top("message"):
        for part in parts(message):
            if part.get("element") is not None and part.get("type") is not None:
                yield problem(part, f'part "{part.get("name")}" has both element= and type= — keep one', "type")


def part_global_element(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A part's ``element`` names a global element declaration (not a type)."""
    for message in document.top("message"):
        for part in parts(message):
            name = part.attr_qname("element")
            if name is None or document.resolvable(name, "element"):
                continue
            if document.has_type(name):
                yield problem(part, f'part "{part.get("name")}" element="{part.get("element")}" names a type, not a '
                                    "global element — use type= or declare a global element", "element")


def qualified_body(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Part ``element``/``type`` QNames are namespace-qualified."""
    for message in document.top("message"):
        for part in parts(message):
            for attr in ("element", "type"):
                name = part.attr_qname(attr)
                if name is not None and name[0] == "":
                    yield problem(part, f'part "{part.get("name")}" {attr}="{part.get(attr)}" has no namespace — '
                                        "give the schema a targetNamespace and qualify the name", attr)


def body_namespace_attr(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Document-literal: no ``namespace`` on soap body/header/fault; rpc-literal: the body has an absolute one."""
    for binding in soap_bindings(document):
        for op in operations(binding):
            for element in _soap_elements(op.element):
                if element.get("use") == "encoded":
                    continue
                namespace = element.get("namespace")
                if op.style == "document" or element.local != "body":
                    if namespace is not None:
                        yield problem(element, f'<{element.tag}> of {op.style}-literal operation "{op.name}" must not '
                                               'have a "namespace" attribute', "namespace")
                elif not namespace or not _scheme(namespace):
                    yield problem(element, f'<{element.tag}> of rpc-literal operation "{op.name}" must have an '
                                           'absolute-URI "namespace" attribute', "namespace" if namespace else None)


def header_part_attr(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Soap header/headerfault name one part with ``part`` (not ``parts``)."""
    for binding in soap_bindings(document):
        for element in _soap_elements(binding.element, ("header", "headerfault")):
            if element.get("parts") is not None:
                yield problem(element, f'<{element.tag}> must use "part", not "parts"', "parts")
            elif not element.get("part"):
                yield problem(element, f'<{element.tag}> must name its part with "part"')


def fault_binding_name(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A ``soap:fault`` has a ``name`` equal to its ``wsdl:fault``'s."""
    for binding in soap_bindings(document):
        for op in operations(binding):
            for fault in op.element.findall(ns.WSDL11, "fault"):
                soap_fault = fault.find(ns.SOAP_BINDINGS, "fault")
                if soap_fault is None:
                    continue
                if soap_fault.get("name") != fault.get("name"):
                    yield problem(soap_fault, f'<{soap_fault.tag}> name "{soap_fault.get("name") or ""}" must equal '
                                              f'the wsdl:fault name "{fault.get("name")}"',
                                  "name" if soap_fault.get("name") is not None else None)


def bind_all_parts(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Every part of an operation's messages is bound to the body or a header."""
    for binding in soap_bindings(document):
        for op in operations(binding):
            for direction in ("input", "output"):
                bound = op.bound(direction)
                body = op.soap_body(direction)
                message = message_for(document, op, direction)
                if bound is None or message is None or body is None:
                    continue
                used = set(body_part_names(body, message)) | _header_parts(op, direction, message)
                for part in parts(message):
                    if part.get("name") not in used:
                        yield problem(bound, f'part "{part.get("name")}" of message "{message.get("name")}" is not '
                                             f'bound in the {direction} of operation "{op.name}"')


def binding_matches_porttype(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """A binding has exactly the operations of its portType (WSDL 2.0: of its interface)."""
    if document.version == 2:
        yield from _binding_matches_interface(document)
        return
    for binding in all_bindings(document):
        if binding.port_type is None:
            continue
        abstract = [op.get("name") for op in binding.port_type.findall(ns.WSDL11, "operation")]
        bound = [op.get("name") for op in binding.element.findall(ns.WSDL11, "operation")]
        for op in binding.element.findall(ns.WSDL11, "operation"):
            if op.get("name") not in abstract:
                yield problem(op, f'operation "{op.get("name")}" is not in portType '
                                  f'"{binding.port_type.get("name")}"', "name")
        missing = [name for name in abstract if name not in bound]
        if missing:
            yield problem(binding.element, f'binding "{binding.name}" does not bind operation(s) '
                                           f'{", ".join(map(str, missing))} of portType '
                                           f'"{binding.port_type.get("name")}"')


def _binding_matches_interface(document: WsdlDocument) -> Iterator[Problem]:
    interfaces = document.named("interface")
    for binding in document.top("binding"):
        name = binding.attr_qname("interface")
        interface = interfaces.get(name) if name else None
        if interface is None:
            continue
        own = {op.get("name") for op in interface.findall(ns.WSDL20, "operation")}
        for op in binding.findall(ns.WSDL20, "operation"):
            ref = op.attr_qname("ref")
            if ref is not None and ref[1] not in own:
                yield problem(op, f'operation "{op.get("ref")}" is not an operation of interface '
                                  f'"{interface.get("name")}"', "ref")


def unique_operation_names(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """No overloaded operation names in a portType."""
    for port_type in document.top("portType"):
        seen: set[str] = set()
        for op in port_type.findall(ns.WSDL11, "operation"):
            name = op.get("name") or ""
            if name in seen:
                yield problem(op, f'operation "{name}" is declared twice in portType "{port_type.get("name")}" — '
                                  "overloading is not interoperable", "name")
            seen.add(name)


def unique_wire_signatures(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Operations of a binding have distinct first body elements (unambiguous dispatch)."""
    for binding in soap_bindings(document):
        seen: dict[tuple, str] = {}
        for op in operations(binding):
            signature = _wire_signature(document, op)
            if signature is None:
                continue
            if signature in seen:
                yield problem(op.element, f'operation "{op.name}" has the same request body element '
                                          f'{{{signature[0]}}}{signature[1]} as "{seen[signature]}" — the service '
                                          "cannot tell them apart", "name")
            else:
                seen[signature] = op.name


def _wire_signature(document: WsdlDocument, op: Any) -> tuple | None:
    body = op.soap_body("input")
    if op.style == "rpc":
        return ((body.get("namespace") if body is not None else "") or "", op.name)
    message = message_for(document, op, "input")
    names = body_part_names(body, message)
    for part in parts(message):
        if part.get("name") in names:
            return part.attr_qname("element") or part.attr_qname("type")
    return ("", "")  # an empty body


def request_response_only(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """No notification (output only) or solicit-response (output first) operations."""
    for port_type in document.top("portType"):
        for op in port_type.findall(ns.WSDL11, "operation"):
            order = [c.local for c in op.children if c.ns == ns.WSDL11 and c.local in ("input", "output")]
            if order and order[0] == "output":
                kind = "notification" if len(order) == 1 else "solicit-response"
                yield problem(op, f'operation "{op.get("name")}" is a {kind} operation — only one-way and '
                                  "request-response operations are interoperable", "name")


def soap_action(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Each SOAP 1.1 binding operation has a non-empty ``soapAction``, unique within the binding, that does
    not name another operation of the binding (a copy-paste slip: ``.../Subtract`` on ``Add``).
    """
    for binding in soap_bindings(document):
        seen: dict[str, str] = {}
        ops = list(operations(binding))
        names = {op.name for op in ops}
        for op in ops:
            action = (op.soap.get("soapAction") if op.soap is not None else None) or ""
            if not action.strip():
                if binding.soap_version == "1.1":
                    target = op.soap if op.soap is not None else op.element
                    yield problem(target, f'operation "{op.name}" has no soapAction — set a unique, non-empty '
                                          "soapAction", "soapAction")
                continue
            assert op.soap is not None
            named = re.split(r"[/#:.]", action.strip().rstrip("/"))[-1]
            if action in seen:
                yield problem(op.soap, f'soapAction "{action}" of operation "{op.name}" is also used by '
                                       f'"{seen[action]}" — dispatch by SOAPAction is ambiguous', "soapAction")
            elif named != op.name and named in names:
                yield problem(op.soap, f'soapAction "{action}" of operation "{op.name}" names operation "{named}" — '
                                       "a copy-paste slip?", "soapAction")
            seen.setdefault(action, op.name)


def soap12_awareness(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """SOAP 1.2 bindings are outside WS-I BP 1.1 (informational)."""
    for binding in soap_bindings(document):
        if binding.soap_version == "1.2":
            assert binding.soap is not None
            yield problem(binding.soap, f'binding "{binding.name}" is SOAP 1.2, which WS-I Basic Profile 1.1 does '
                                        "not cover — its BP checks are advisory here")


def _scheme(uri: str) -> str:
    """The URI's scheme; "" for text that is no URI at all (``urlparse`` raises on an unbalanced "[")."""
    try:
        return urlparse(uri).scheme
    except ValueError:
        return ""
