"""XML Schema inside WSDL contracts: SOAP-encoded arrays, ArrayOf naming, weak typing, inline types."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.model import Problem
from specforge.wsdl import namespaces as ns
from specforge.wsdl.model import WsdlDocument, problem


def no_soapenc_arrays(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Types neither derive from ``soapenc:Array`` nor use ``wsdl:arrayType``."""
    array_type = "{" + ns.WSDL11 + "}arrayType"
    for schema in document.schemas:
        for element in schema.iter():
            if element.ns != ns.XSD:
                continue
            if element.local in ("restriction", "extension") and \
                    element.attr_qname("base") == (ns.SOAP_ENCODING, "Array"):
                yield problem(element, f'{element.get("base")} is a SOAP-encoded array — declare a sequence of '
                                       'elements with maxOccurs="unbounded"', "base")
            elif array_type in element.attrs:
                yield problem(element, 'wsdl:arrayType declares a SOAP-encoded array — use a sequence with '
                                       'maxOccurs="unbounded"', array_type)


def no_arrayof_naming(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Array types and elements are not named ``ArrayOfXXX``."""
    for schema in document.schemas:
        for element in schema.children:
            name = element.get("name") or ""
            if element.ns == ns.XSD and element.local in ("complexType", "element") and name.startswith("ArrayOf") \
                    and len(name) > 7:
                yield problem(element, f'"{name}" follows the SOAP-encoding ArrayOfXXX convention — name the '
                                       f"collection after what it holds (e.g. {name[7:]}List)", "name")


def xsd_hygiene(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """No ``xsd:any``/``anyAttribute``/``anyType``; ``elementFormDefault="qualified"``; named enumerations."""
    options = options or {}
    for schema in document.schemas:
        if options.get("elementFormDefault", True) and schema.get("elementFormDefault") != "qualified" and \
                any(c.is_(ns.XSD, ("element", "complexType")) for c in schema.children):
            yield problem(schema, 'set elementFormDefault="qualified" so local elements are namespace-qualified',
                          "elementFormDefault")
        for element in schema.iter():
            if element.ns != ns.XSD:
                continue
            if element.local in ("any", "anyAttribute"):
                yield problem(element, f"<{element.tag}> accepts anything — declare the allowed content")
            elif element.local in ("element", "attribute") and element.attr_qname("type") == (ns.XSD, "anyType"):
                yield problem(element, f'"{element.get("name") or element.get("ref")}" is xsd:anyType — give it a '
                                       "real type", "type")
            elif element.local == "simpleType" and not element.get("name") and _has_enumeration(element):
                yield problem(element, "anonymous enumeration — declare a named simpleType so clients get one "
                                       "reusable enum")


def _has_enumeration(simple_type: Any) -> bool:
    restriction = simple_type.find(ns.XSD, "restriction")
    return restriction is not None and restriction.find(ns.XSD, "enumeration") is not None


def types_imported(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """(House style) ``wsdl:types`` only imports schemas; no inline declarations."""
    for schema in document.inline_schemas:
        for child in schema.children:
            if child.is_(ns.XSD, ("element", "complexType", "simpleType", "group", "attributeGroup")):
                yield problem(child, f'<{child.tag} name="{child.get("name") or ""}"> is declared inline — move it '
                                     "to an .xsd file and xsd:import it")
