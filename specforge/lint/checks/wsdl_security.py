"""WSDL security: TLS endpoints, public hosts, WS-SecurityPolicy presence, tokens and algorithms."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from specforge.lint.model import Problem
from specforge.wsdl import namespaces as ns
from specforge.wsdl.bindings import soap_bindings
from specforge.wsdl.model import WsdlDocument, problem
from specforge.wsdl.xml_tree import Element

_ADDRESS_NS = (ns.SOAP11_BINDING, ns.SOAP12_BINDING, ns.HTTP_BINDING)
#: Algorithm suites built on SHA-1 and/or RSA 1.5 key transport (WS-SecurityPolicy 1.2 names).
WEAK_SUITES = frozenset({
    "Basic256", "Basic192", "Basic128", "TripleDes", "Basic256Rsa15", "Basic192Rsa15", "Basic128Rsa15",
    "TripleDesRsa15",
})
_INTERNAL_HOSTS = ("localhost", "example.com", "example.org", "example.net")


def _endpoints(document: WsdlDocument) -> Iterator[tuple[Element, str]]:
    """(element, attribute) of every endpoint address."""
    if document.version == 2:
        for service in document.top("service"):
            for endpoint in service.findall(ns.WSDL20, "endpoint"):
                if endpoint.get("address"):
                    yield endpoint, "address"
        return
    for service in document.top("service"):
        for port in service.findall(ns.WSDL11, "port"):
            for address in port.findall(_ADDRESS_NS, "address"):
                if address.get("location"):
                    yield address, "location"


def endpoint_https(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Endpoint addresses use ``https://``."""
    for element, attr in _endpoints(document):
        location = (element.get(attr) or "").strip()
        if location.lower().startswith("http://"):
            yield problem(element, f'endpoint "{location}" is plain HTTP — serve it over https://', attr)


def endpoint_not_internal(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """Endpoint hosts are not localhost, private addresses or example domains."""
    for element, attr in _endpoints(document):
        location = (element.get(attr) or "").strip()
        try:
            host = (urlparse(location).hostname or "").lower()
        except ValueError:  # no URL at all (an unbalanced "["): no host to judge
            continue
        if host and _is_internal(host):
            yield problem(element, f'endpoint host "{host}" is internal or a placeholder — publish the real '
                                   "address", attr)


def _is_internal(host: str) -> bool:
    if host in _INTERNAL_HOSTS or host.endswith((".local", ".localhost", ".internal", ".example.com")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def _policies(element: Element) -> Iterator[Element]:
    for child in element.iter():
        if child.ns in ns.POLICY and child.local in ("Policy", "PolicyReference"):
            yield child


def security_policy_present(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """SOAP bindings carry a WS-Policy with a WS-SecurityPolicy binding (unless the service is public)."""
    if (options or {}).get("public"):
        return
    has_security = any(e.ns in ns.SECURITY_POLICY and e.local in
                       ("TransportBinding", "SymmetricBinding", "AsymmetricBinding")
                       for d in document.definitions for e in d.iter())
    for binding in soap_bindings(document):
        attached = any(True for _ in _policies(binding.element)) or \
            bool(binding.element.attrs.get("PolicyURIs") or any(k.endswith("}PolicyURIs")
                                                                for k in binding.element.attrs))
        if not attached or not has_security:
            yield problem(binding.element, f'binding "{binding.name}" has no WS-SecurityPolicy (Transport, '
                                           "Symmetric or Asymmetric binding) — attach one with wsp:PolicyReference, "
                                           "or set the rule's public option for open services")


def policy_https_token(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """TransportBinding uses ``sp:HttpsToken``; UsernameToken only with a TLS transport binding."""
    for definitions in document.definitions:
        for policy in definitions.iter():
            if not (policy.ns in ns.POLICY and policy.local == "Policy") or \
                    (policy.parent is not None and _inside_policy(policy.parent)):
                continue
            tls = False
            tokens: list[Element] = []
            for element in policy.iter():
                if element.ns not in ns.SECURITY_POLICY:
                    continue
                if element.local == "HttpToken":
                    yield problem(element, "sp:HttpToken allows plain HTTP — use sp:HttpsToken")
                elif element.local == "HttpsToken":
                    tls = True
                elif element.local == "UsernameToken":
                    tokens.append(element)
            if not tls:
                for token in tokens:
                    yield problem(token, "sp:UsernameToken without a TransportBinding over sp:HttpsToken sends "
                                         "passwords readable on the wire — require TLS")


def _inside_policy(element: Element | None) -> bool:
    while element is not None:
        if element.ns in ns.POLICY and element.local == "Policy":
            return True
        element = element.parent
    return False


def policy_strong_algorithms(document: WsdlDocument, options: Any, ctx: Any) -> Iterator[Problem]:
    """AlgorithmSuite is not SHA-1 or RSA-1.5 based."""
    for definitions in document.definitions:
        for element in definitions.iter():
            if element.ns in ns.SECURITY_POLICY and element.local in WEAK_SUITES and element.parent is not None \
                    and _inside_algorithm_suite(element):
                yield problem(element, f"sp:{element.local} relies on SHA-1 or RSA 1.5 — use Basic256Sha256 or "
                                       "stronger")


def _inside_algorithm_suite(element: Element) -> bool:
    node = element.parent
    while node is not None:
        if node.ns in ns.SECURITY_POLICY and node.local == "AlgorithmSuite":
            return True
        node = node.parent
    return False

