"""The namespace URIs WSDL, SOAP, XML Schema and WS-Policy documents use."""

from __future__ import annotations

WSDL11 = "http://schemas.xmlsoap.org/wsdl/"
WSDL20 = "http://www.w3.org/ns/wsdl"
SOAP11_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/"
SOAP_BINDINGS = (SOAP11_BINDING, SOAP12_BINDING)
HTTP_BINDING = "http://schemas.xmlsoap.org/wsdl/http/"
WSDL20_SOAP = "http://www.w3.org/ns/wsdl/soap"
WSDL20_HTTP = "http://www.w3.org/ns/wsdl/http"
XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOAP_ENCODING = "http://schemas.xmlsoap.org/soap/encoding/"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
SOAP_HTTP_TRANSPORT = "http://schemas.xmlsoap.org/soap/http"
POLICY = ("http://schemas.xmlsoap.org/ws/2004/09/policy", "http://www.w3.org/ns/ws-policy")
SECURITY_POLICY = (
    "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702",
    "http://schemas.xmlsoap.org/ws/2005/07/securitypolicy",
    "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200512",
)
#: Namespaces whose names need no definition in the document.
BUILTIN = frozenset({XSD, SOAP_ENCODING, "http://www.w3.org/XML/1998/namespace"})
#: Conventional prefixes and the namespaces they must name.
STANDARD_PREFIXES = {
    "wsdl": (WSDL11, WSDL20),
    "soap": (SOAP11_BINDING,),
    "soap12": (SOAP12_BINDING,),
    "xsd": (XSD,),
    "xs": (XSD,),
    "soapenc": (SOAP_ENCODING,),
    "http": (HTTP_BINDING,),
}
