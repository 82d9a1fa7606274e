"""What the SOAP mock serves: ports (path + SOAP version) and their operations' wire shapes.

Built once from the loaded document: for each WSDL 1.1 ``service/port`` with a ``soap:address`` or
``soap12:address`` (and each SOAP binding no service publishes, and each port type nothing binds), or each
WSDL 2.0 endpoint of a SOAP binding, the operations with their SOAPAction, style, the QName that identifies
the request (first body element) and what the response body and headers hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

from specforge.wsdl import namespaces as ns
from specforge.wsdl.bindings import (
    Binding,
    Operation,
    all_bindings,
    body_part_names,
    message_for,
    operations,
    parts,
    soap_bindings,
)
from specforge.wsdl.model import WsdlDocument
from specforge.wsdl.xml_tree import Element

QName = tuple[str, str]


@dataclass(frozen=True)
class Part:
    """A message part placed in a body or header: an element, or a named part of a type (rpc)."""

    name: str
    element: QName | None
    type: QName | None


@dataclass
class SoapOperation:
    """One bound operation as it appears on the wire."""

    name: str
    action: str
    style: str  # "document" | "rpc"
    namespace: str  # rpc wrapper namespace
    request: QName | None  # first body element of the request
    request_parts: list[Part] = field(default_factory=list)
    response_parts: list[Part] = field(default_factory=list)
    response_headers: list[Part] = field(default_factory=list)
    one_way: bool = False

    @property
    def response_wrapper(self) -> QName:
        return (self.namespace, self.name + "Response")


@dataclass
class SoapPort:
    """A port: where it is served, which SOAP version, the original address and its operations."""

    name: str
    service: str
    path: str
    version: str  # "1.1" | "1.2"
    address: Element | None  # None: a binding no service publishes, served at /<binding name>
    binding: str
    operations: list[SoapOperation] = field(default_factory=list)
    address_attr: str = "location"  # WSDL 2.0 endpoints use "address"


def build_ports(document: WsdlDocument, paths: dict[str, str] | None = None) -> list[SoapPort]:
    """Every SOAP port of every service, plus unpublished SOAP bindings at ``/<binding name>``.

    ``paths`` maps port (or binding) names to served paths, overriding the addresses.
    """
    paths = paths or {}
    if document.version == 2:
        return _wsdl2_ports(document, paths)
    by_name = {(b.element.get("name") or ""): b for b in soap_bindings(document)}
    ports: list[SoapPort] = []
    served: set[str] = set()
    for service in document.top("service"):
        for port in service.findall(ns.WSDL11, "port"):
            address = port.find(ns.SOAP_BINDINGS, "address")
            binding_name = port.attr_qname("binding")
            binding = by_name.get(binding_name[1]) if binding_name else None
            if address is None or binding is None:
                continue
            name = port.get("name") or ""
            served.add(binding.name)
            path = paths.get(name) or _path_of(address.get("location") or "", name)
            version = "1.1" if address.ns == ns.SOAP11_BINDING else "1.2"
            ports.append(SoapPort(name, service.get("name") or "", path, version, address, binding.name,
                                  [_operation(document, binding, op) for op in operations(binding)]))
    for binding in by_name.values():  # abstract contracts (no service): serve each binding at /<binding name>
        if binding.name not in served and binding.soap is not None:
            ports.append(_unpublished(document, binding, paths, binding.soap_version or "1.1"))
    bound = {id(b.port_type) for b in all_bindings(document) if b.port_type is not None}
    for port_type in document.top("portType"):  # messages and port types only, made to be imported: SOAP
        if id(port_type) not in bound:  # 1.1 document/literal, what a binding states when it states nothing
            ports.append(_unpublished(document, Binding(port_type, None, port_type), paths, "1.1"))
    return ports


def _unpublished(document: WsdlDocument, binding: Binding, paths: dict[str, str], version: str) -> SoapPort:
    """A binding (or port type) that no service publishes, served at ``/<its name>``."""
    path = paths.get(binding.name) or f"/{binding.name}"
    return SoapPort(binding.name, "", path, version, None, binding.name,
                    [_operation(document, binding, op) for op in operations(binding)])


def _path_of(location: str, port_name: str) -> str:
    path = urlparse(location.strip()).path if location.strip() else ""
    return path if path.startswith("/") else f"/{port_name}"


def _operation(document: WsdlDocument, binding: Binding, op: Operation) -> SoapOperation:
    body = op.soap_body("input")
    action = (op.soap.get("soapAction") if op.soap is not None else None) or ""
    namespace = (body.get("namespace") if body is not None else None) or ""  # rpc without one: unqualified
    request_message = message_for(document, op, "input")
    request_parts = _body_parts(body, request_message)
    response_body = op.soap_body("output")
    response_message = message_for(document, op, "output")
    result = SoapOperation(
        name=op.name, action=action.strip(), style=op.style, namespace=namespace, request=None,
        request_parts=request_parts,
        response_parts=_body_parts(response_body, response_message),
        response_headers=_header_parts(document, op.bound("output")),
        one_way=op.abstract is not None and op.abstract.find(ns.WSDL11, "output") is None,
    )
    if op.style == "rpc":
        result.request = (namespace, op.name)
    elif request_parts:
        first = request_parts[0]
        result.request = first.element or ("", first.name)
    return result


def _body_parts(body: Element | None, message: Element | None) -> list[Part]:
    names = body_part_names(body, message)
    return [_part(p) for p in parts(message) if p.get("name") in names]


def _part(part: Element) -> Part:
    return Part(part.get("name") or "", part.attr_qname("element"), part.attr_qname("type"))


def _header_parts(document: WsdlDocument, bound: Element | None) -> list[Part]:
    if bound is None:
        return []
    found = []
    for header in bound.findall(ns.SOAP_BINDINGS, "header"):
        name = header.attr_qname("message")
        message = document.named("message").get(name) if name else None
        for part in parts(message):
            if part.get("name") == header.get("part"):
                found.append(_part(part))
    return found


def _wsdl2_ports(document: WsdlDocument, paths: dict[str, str]) -> list[SoapPort]:
    """WSDL 2.0: each endpoint of a SOAP binding (``wsoap:version``, default 1.2); operations are doc-literal."""
    interfaces = document.named("interface")
    bindings = document.named("binding")
    ports = []
    for service in document.top("service"):
        for endpoint in service.findall(ns.WSDL20, "endpoint"):
            binding_name = endpoint.attr_qname("binding")
            binding = bindings.get(binding_name) if binding_name else None
            if binding is None or "soap" not in (binding.get("type") or ""):
                continue
            interface_name = binding.attr_qname("interface")
            interface = interfaces.get(interface_name) if interface_name else None
            if interface is None:
                continue
            version = next((v for k, v in binding.attrs.items() if k.endswith("}version")), "1.2")
            actions = {(op.get("ref") or "").rpartition(":")[2]: next(
                (v for k, v in op.attrs.items() if k.endswith("}action")), "")
                for op in binding.findall(ns.WSDL20, "operation")}
            name = endpoint.get("name") or ""
            path = paths.get(name) or _path_of(endpoint.get("address") or "", name)
            ports.append(SoapPort(name, service.get("name") or "", path, "1.1" if version == "1.1" else "1.2",
                                  endpoint, binding.get("name") or "",
                                  [_wsdl2_operation(op, actions) for op in interface.findall(ns.WSDL20, "operation")],
                                  address_attr="address"))
    return ports


def _wsdl2_operation(op: Element, actions: dict[str, str]) -> SoapOperation:
    def element_of(direction: str) -> QName | None:
        io = op.find(ns.WSDL20, direction)
        return io.attr_qname("element") if io is not None and not (io.get("element") or "#").startswith("#") \
            else None

    name = op.get("name") or ""
    request, response = element_of("input"), element_of("output")
    return SoapOperation(
        name=name, action=actions.get(name, ""), style="document", namespace="", request=request,
        request_parts=[Part("body", request, None)] if request else [],
        response_parts=[Part("body", response, None)] if response else [],
        one_way=op.find(ns.WSDL20, "output") is None,
    )
