"""WSDL 1.1 bindings seen through their SOAP extensions: version, style, operations and messages.

Rules about SOAP bindings all need the same joins (binding -> soap:binding -> portType,
binding operation -> soap:operation + abstract operation -> input/output messages -> parts);
they are made once here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from specforge.wsdl import namespaces as ns
from specforge.wsdl.model import WsdlDocument
from specforge.wsdl.xml_tree import Element


@dataclass(frozen=True, eq=False)
class Binding:
    """A ``wsdl:binding`` and its ``soap:binding``/``soap12:binding`` (None for HTTP or other bindings)."""

    element: Element
    soap: Element | None
    port_type: Element | None

    @property
    def soap_version(self) -> str | None:
        if self.soap is None:
            return None
        return "1.1" if self.soap.ns == ns.SOAP11_BINDING else "1.2"

    @property
    def style(self) -> str:
        return (self.soap.get("style") if self.soap is not None else None) or "document"

    @property
    def name(self) -> str:
        return self.element.get("name") or ""


@dataclass(frozen=True, eq=False)
class Operation:
    """A binding operation with its ``soap:operation``, effective style and abstract operation."""

    binding: Binding
    element: Element
    soap: Element | None
    abstract: Element | None

    @property
    def name(self) -> str:
        return self.element.get("name") or ""

    @property
    def style(self) -> str:
        own = self.soap.get("style") if self.soap is not None else None
        return own or self.binding.style

    def bound(self, direction: str) -> Element | None:
        """The binding's ``input``/``output`` element."""
        return self.element.find(ns.WSDL11, direction)

    def soap_body(self, direction: str) -> Element | None:
        bound = self.bound(direction)
        return bound.find(ns.SOAP_BINDINGS, "body") if bound is not None else None


def soap_bindings(document: WsdlDocument) -> Iterator[Binding]:
    """Every WSDL 1.1 binding that has a SOAP 1.1 or 1.2 ``binding`` extension."""
    for binding in all_bindings(document):
        if binding.soap is not None:
            yield binding


def all_bindings(document: WsdlDocument) -> Iterator[Binding]:
    if document.version != 1:
        return
    port_types = document.named("portType")
    for element in document.top("binding"):
        soap = element.find(ns.SOAP_BINDINGS, "binding")
        name = element.attr_qname("type")
        yield Binding(element, soap, port_types.get(name) if name else None)


def operations(binding: Binding) -> Iterator[Operation]:
    abstract: dict[str | None, Element] = {}
    if binding.port_type is not None:
        for op in binding.port_type.findall(ns.WSDL11, "operation"):
            abstract.setdefault(op.get("name"), op)
    for element in binding.element.findall(ns.WSDL11, "operation"):
        soap = element.find(ns.SOAP_BINDINGS, "operation")
        yield Operation(binding, element, soap, abstract.get(element.get("name")))


def message_for(document: WsdlDocument, operation: Operation, direction: str) -> Element | None:
    """The message of the abstract operation's ``input``/``output``."""
    if operation.abstract is None:
        return None
    io = operation.abstract.find(ns.WSDL11, direction)
    return resolve_message(document, io)


def resolve_message(document: WsdlDocument, element: Element | None, attr: str = "message") -> Element | None:
    if element is None:
        return None
    name = element.attr_qname(attr)
    return document.named("message").get(name) if name else None


def parts(message: Element | None) -> list[Element]:
    return list(message.findall(ns.WSDL11, "part")) if message is not None else []


def body_part_names(body: Element | None, message: Element | None) -> list[str]:
    """Names of the parts a ``soap:body`` binds: its ``parts`` list, or all parts of the message."""
    if body is not None and body.get("parts") is not None:
        return (body.get("parts") or "").split()
    return [p.get("name") or "" for p in parts(message)]
