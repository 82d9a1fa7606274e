"""SOAP 1.1 / 1.2 envelopes: read a request safely, write responses and faults.

Requests go through the same hardened parser as WSDL files, so entity declarations, DTDs and
deep nesting become a ``Client``/``Sender`` fault before any expansion happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from specforge.wsdl import namespaces as ns
from specforge.wsdl.xml_tree import Element, UnsafeXml, XmlFile

CONTENT_TYPES = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}
ENVELOPE_NS = {"1.1": ns.SOAP11_ENV, "1.2": ns.SOAP12_ENV}


class SoapFault(Exception):
    """A fault to answer with: ``client`` faults are the caller's (Client/Sender), others the server's."""

    def __init__(self, message: str, *, client: bool = True, version_mismatch: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.client = client
        self.version_mismatch = version_mismatch


@dataclass
class Request:
    """A parsed request envelope: its SOAP version, headers and the first body element."""

    version: str
    body_element: Element | None
    header: Element | None


def parse_request(data: bytes) -> Request:
    """Parse and check an envelope; raises ``SoapFault`` with a message a client developer can act on."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SoapFault(f"the request is not UTF-8 (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise SoapFault("the request body is empty; send a SOAP envelope")
    try:
        root = XmlFile("request", "request", text).root
    except UnsafeXml as exc:
        raise SoapFault(f"request line {exc.line}, column {exc.column}: {exc.reason}") from None
    if root.local != "Envelope" or root.ns not in (ns.SOAP11_ENV, ns.SOAP12_ENV):
        raise SoapFault(f"the root element must be a SOAP Envelope ({{{ns.SOAP11_ENV}}}Envelope or "
                        f"{{{ns.SOAP12_ENV}}}Envelope), got {{{root.ns}}}{root.local}", version_mismatch=root.local
                        == "Envelope")
    version = "1.1" if root.ns == ns.SOAP11_ENV else "1.2"
    header = root.find(root.ns, "Header")
    body = root.find(root.ns, "Body")
    if body is None:
        raise SoapFault("the envelope has no Body element")
    unexpected = [c for c in root.children if c is not header and c is not body]
    if unexpected:
        raise SoapFault(f"unexpected element {unexpected[0].tag} in the Envelope (only Header and Body are allowed)")
    return Request(version, body.children[0] if body.children else None, header)


def envelope(version: str, body_xml: str, header_xml: str = "") -> str:
    """A response envelope around already serialised body (and header) content."""
    env = ENVELOPE_NS[version]
    header = f"<soapenv:Header>{header_xml}</soapenv:Header>" if header_xml else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<soapenv:Envelope xmlns:soapenv="{env}">{header}'
            f"<soapenv:Body>{body_xml}</soapenv:Body></soapenv:Envelope>")


def fault(version: str, fault_error: SoapFault) -> tuple[str, int]:
    """(envelope text, HTTP status) of a fault: 1.1 Client/Server (500); 1.2 Sender 400 / Receiver 500."""
    reason = escape(fault_error.message)
    if version == "1.1":
        code = "VersionMismatch" if fault_error.version_mismatch else ("Client" if fault_error.client else "Server")
        body = (f"<soapenv:Fault><faultcode>soapenv:{code}</faultcode><faultstring>{reason}</faultstring>"
                "</soapenv:Fault>")
        return envelope(version, body), 500
    code = "VersionMismatch" if fault_error.version_mismatch else ("Sender" if fault_error.client else "Receiver")
    body = (f"<soapenv:Fault><soapenv:Code><soapenv:Value>soapenv:{code}</soapenv:Value></soapenv:Code>"
            f'<soapenv:Reason><soapenv:Text xml:lang="en">{reason}</soapenv:Text></soapenv:Reason></soapenv:Fault>')
    return envelope(version, body), 400 if fault_error.client else 500
