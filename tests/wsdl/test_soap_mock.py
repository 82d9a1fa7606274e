"""The SOAP mock in-process: envelopes, dispatch, faults, hostile XML, determinism and schema-valid bodies."""

from __future__ import annotations

import random
import time
import urllib.error
from pathlib import Path

import lxml.etree as etree
import pytest
import xmlschema

from specforge.errors import InputError
from specforge.mock.soap import create_soap_app
from specforge.mock.soap.contract import build_ports
from specforge.mock.soap.instances import InstanceGenerator
from specforge.mock.soap.schema import build_schema, only_schema_files, rooted_opener
from specforge.wsdl.loader import load_wsdl
from tests.wsdl.soap_support import CALCULATOR, CORPUS, request_body

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
CALC = "urn:specforge:calculator"
ADD = f'<Add xmlns="{CALC}"><intA>1</intA><intB>2</intB></Add>'


def _envelope(body: str, ns: str = SOAP11) -> str:
    return f'<e:Envelope xmlns:e="{ns}"><e:Body>{body}</e:Body></e:Envelope>'


def _post11(client, body: str, action: str | None = None, path: str = "/calculator"):
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    if action is not None:
        headers["SOAPAction"] = f'"{action}"'
    return client.post(path, data=body, headers=headers)


def _xml(response) -> etree._Element:
    return etree.fromstring(response.data)


def _fault_text(response) -> str:
    root = _xml(response)
    return " ".join(root.xpath("//faultstring/text() | //*[local-name()='Text']/text()"))


@pytest.fixture(scope="module")
def client():
    return create_soap_app(CALCULATOR, seed=7).test_client()


def test_soap11_response_envelope_and_content_type(client) -> None:
    response = _post11(client, _envelope(ADD), f"{CALC}/Add")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = _xml(response)
    assert root.tag == f"{{{SOAP11}}}Envelope"
    result = root.find(f"{{{SOAP11}}}Body/{{{CALC}}}AddResponse/{{{CALC}}}AddResult")
    assert result is not None and int(result.text) == int(result.text.strip())


def test_soap12_dispatch_by_action_parameter(client) -> None:
    response = client.post("/calculator", data=_envelope(f'<Divide xmlns="{CALC}"><dividend>1</dividend>'
                                                         "<divisor>2</divisor></Divide>", SOAP12),
                           headers={"Content-Type": f'application/soap+xml; charset=utf-8; action="{CALC}/Divide"'})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/soap+xml; charset=utf-8"
    assert _xml(response).find(f"{{{SOAP12}}}Body/{{{CALC}}}DivideResponse") is not None


def test_dispatch_by_first_body_element_without_soapaction(client) -> None:
    response = _post11(client, _envelope(ADD))
    assert _xml(response).find(f"{{{SOAP11}}}Body/{{{CALC}}}AddResponse") is not None


@pytest.mark.parametrize(("body", "headers", "status", "code", "message"), [
    ("not xml at all", {}, 500, "Client", "not well-formed XML"),
    ('<x:Envelope xmlns:x="urn:other"><x:Body/></x:Envelope>', {}, 500, "VersionMismatch",
     "the root element must be a SOAP Envelope"),
    (f'<e:Envelope xmlns:e="{SOAP11}"><e:Header/></e:Envelope>', {}, 500, "Client", "the envelope has no Body"),
    (_envelope(f'<Multiply xmlns="{CALC}"/>'), {}, 500, "Client",
     'no operation of port "CalculatorSoap" matches SOAPAction "" or body element {urn:specforge:calculator}Multiply'),
    (_envelope(ADD.replace("<intA>1</intA>", "<intA>one</intA>")), {}, 500, "Client",
     'invalid request for operation "Add" at /Add/intA'),
    (_envelope(ADD), {"SOAPAction": f'"{CALC}/Divide"'}, 500, "Client",
     'operation "Divide" expects body element {urn:specforge:calculator}Divide, got {urn:specforge:calculator}Add'),
    ("", {}, 500, "Client", "the request body is empty"),
])
def test_invalid_requests_get_a_client_fault(client, body, headers, status, code, message) -> None:
    response = client.post("/calculator", data=body, headers={"Content-Type": "text/xml", **headers})
    assert response.status_code == status
    root = _xml(response)
    assert root.findtext(f"{{{SOAP11}}}Body/{{{SOAP11}}}Fault/faultcode") == f"soapenv:{code}"
    assert message in _fault_text(response)


def test_soap12_fault_is_sender_with_400(client) -> None:
    response = client.post("/calculator", data=_envelope(f'<Add xmlns="{CALC}"/>', SOAP12),
                           headers={"Content-Type": "application/soap+xml"})
    assert response.status_code == 400
    assert _xml(response).findtext(f".//{{{SOAP12}}}Code/{{{SOAP12}}}Value") == "soapenv:Sender"
    assert "invalid request" in _fault_text(response)


HOSTILE = {
    "billion-laughs": '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                      + _envelope("<x>&b;</x>"),
    "xxe": '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + _envelope("<x>&x;</x>"),
    "deep": _envelope("<a>" * 100_000 + "</a>" * 100_000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_requests_get_a_fast_fault(client, name: str) -> None:
    start = time.perf_counter()
    response = _post11(client, HOSTILE[name], f"{CALC}/Add")
    assert time.perf_counter() - start < 2.0  # milliseconds in practice; generous for a loaded CI machine
    assert response.status_code == 500
    text = _fault_text(response)
    assert "root:" not in text  # nothing of /etc/passwd
    expected = "XML nesting deeper than 256 levels" if name == "deep" else "XML entity declarations are not allowed"
    assert expected in text


def test_wsdl_is_served_with_the_mock_address() -> None:
    app = create_soap_app(CALCULATOR, base_url="http://mock.local:9000/")
    text = app.test_client().get("/calculator?wsdl").data.decode()
    assert text.count('location="http://mock.local:9000/calculator"') == 2
    assert "calculator.acme.test" not in text


def test_port_paths_can_be_overridden() -> None:
    app = create_soap_app(CALCULATOR, paths={"CalculatorSoap": "/v1/calc"}, seed=1)
    client = app.test_client()
    assert _post11(client, _envelope(ADD), path="/v1/calc").status_code == 200
    not_found = _post11(client, _envelope(ADD), path="/nowhere")
    assert not_found.status_code == 404 and b"/v1/calc" in not_found.data


def test_other_methods_are_405_with_allow(client) -> None:
    response = client.put("/calculator", data="x")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, POST"


def test_seed_makes_bodies_deterministic() -> None:
    first = _post11(create_soap_app(CALCULATOR, seed=3).test_client(), _envelope(ADD), f"{CALC}/Add").data
    again = _post11(create_soap_app(CALCULATOR, seed=3).test_client(), _envelope(ADD), f"{CALC}/Add").data
    other = _post11(create_soap_app(CALCULATOR, seed=4).test_client(), _envelope(ADD), f"{CALC}/Add").data
    assert first == again
    assert first != other


def test_unusable_contracts_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has no SOAP 1.1 or 1.2 port to mock"):
        create_soap_app(CORPUS / "zeep-tests" / "http.wsdl")  # HTTP GET/POST bindings only
    evil = tmp_path / "evil.wsdl"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE d [\n<!ENTITY a "b">]><d/>', encoding="utf-8")
    with pytest.raises(InputError, match=r"evil.wsdl:3:1: XML entity declarations are not allowed"):
        create_soap_app(evil)


def test_port_types_nothing_binds_are_served_as_soap11_document_literal() -> None:
    # zeep's soap_import_2.wsdl: messages and a port type made to be imported, no binding, no service
    app = create_soap_app(CORPUS / "zeep-tests" / "soap_import_2.wsdl", seed=1)
    quote = "http://example.com/stockquote.xsd"
    body = (f'<q:TradePriceRequest xmlns:q="{quote}"><tickerSymbol>ABC</tickerSymbol>'
            "<q:country><name>Chile</name><code>CL</code></q:country></q:TradePriceRequest>")
    response = _post11(app.test_client(), _envelope(body), path="/StockQuotePortType")
    assert response.status_code == 200, response.data
    (price,) = _xml(response).find(f"{{{SOAP11}}}Body")
    xsd = xmlschema.XMLSchema(str(CORPUS / "zeep-tests" / "test_import_2.xsd"))
    assert price.tag == f"{{{quote}}}TradePrice"
    xsd.validate(etree.tostring(price).decode())


def test_imports_outside_the_root_folder_are_neither_read_nor_served(tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.xsd").write_text(
        '<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:secret">'
        '<!-- SECRET --><element name="x" type="string"/></schema>', encoding="utf-8")
    (tmp_path / "contract").mkdir()
    wsdl = CALCULATOR.read_text(encoding="utf-8").replace(
        "<wsdl:types>", '<wsdl:import namespace="urn:secret" location="../private/secret.xsd"/>\n  <wsdl:types>', 1)
    assert "../private/secret.xsd" in wsdl
    contract = tmp_path / "contract" / "calculator.wsdl"
    contract.write_text(wsdl, encoding="utf-8")

    client = create_soap_app(contract).test_client()
    assert client.get("/secret.xsd").status_code == 404
    assert _post11(client, _envelope(ADD), f"{CALC}/Add").status_code == 200  # the contract itself still works

    widened = create_soap_app(contract, ref_root=tmp_path).test_client()  # --ref-root: the user says it is fine
    assert b"SECRET" in widened.get("/secret.xsd").data


def test_xsd_imports_outside_the_root_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "contract").mkdir()
    secret, inside = tmp_path / "secret.xsd", tmp_path / "contract" / "types.xsd"
    for path in (secret, inside):
        path.write_text("<schema/>", encoding="utf-8")
    opener = rooted_opener((tmp_path / "contract").resolve())
    with pytest.raises(urllib.error.URLError, match="outside the root folder"):
        opener.open(secret.as_uri())
    assert opener.open(inside.as_uri()).read() == b"<schema/>"
    with pytest.raises(urllib.error.URLError):
        opener.open("http://127.0.0.1:9/types.xsd")  # never remote
    assert only_schema_files("../x.txt") == "urn:specforge:not-a-schema-file"


def _independent_calculator_schema() -> etree.XMLSchema:
    """Lxml's validator over the fixture's inline schema (not the xmlschema build the mock uses)."""
    wsdl = etree.parse(str(CALCULATOR))
    schema = wsdl.find(".//{http://www.w3.org/2001/XMLSchema}schema")
    return etree.XMLSchema(etree.fromstring(etree.tostring(schema)))


@pytest.mark.parametrize("seed", range(12))
def test_calculator_bodies_validate_with_lxml(seed: int) -> None:
    validator = _independent_calculator_schema()
    client = create_soap_app(CALCULATOR, seed=seed).test_client()
    requests = {"Add": ADD, "Divide": f'<Divide xmlns="{CALC}"><dividend>1</dividend><divisor>3</divisor></Divide>',
                "Evaluate": f'<Evaluate xmlns="{CALC}"><start>1</start></Evaluate>'}
    for name, body in requests.items():
        response = _post11(client, _envelope(body), f"{CALC}/{name}")
        payload = _xml(response).find(f"{{{SOAP11}}}Body")[0]
        assert payload.tag == f"{{{CALC}}}{name}Response"
        assert validator.validate(payload), validator.error_log.last_error


VALIDATED_CORPUS = ["oorsprong-countryinfoservice.wsdl", "eu-vies-checkvatservice.wsdl", "tempuri-basedatatypes.wsdl",
                    "dneonline-calculator.wsdl", "mnb-exchange-rates.wsdl", "salesforce-partner.wsdl",
                    "amazon-ec2-2013-10-15.wsdl", "agresso-timesheet.wsdl", "zeep-tests/soap.wsdl",
                    "tamu-texas-geocoder.wsdl",  # lists of enumerated tokens
                    "cybersource-transaction/CyberSourceTransaction_1.26.wsdl",  # required xs:any, imported XSD
                    "onvif/ver10/device/wsdl/devicemgmt.wsdl",  # SOAP 1.2 binding without a service
                    "travelport-system/system_v32_0/System.wsdl"]  # several ports on one path


@pytest.mark.parametrize("name", VALIDATED_CORPUS)
def test_corpus_response_bodies_validate_against_their_xsd(name: str) -> None:
    path = CORPUS / name
    document = load_wsdl(path.read_text(encoding="utf-8-sig"), name, path, root_dir=CORPUS)
    schema = build_schema(document)
    client = create_soap_app(path, seed=11, ref_root=CORPUS).test_client()  # onvif, travelport import from ../
    checked = 0
    for port in build_ports(document):
        env, content_type = (SOAP11, "text/xml") if port.version == "1.1" else (SOAP12, "application/soap+xml")
        for operation in port.operations[:30]:
            if operation.style != "document" or operation.one_way:
                continue
            body = request_body(InstanceGenerator(schema, random.Random(operation.name)), operation)
            response = client.post(port.path, data=_envelope(body, env),
                                   headers={"Content-Type": content_type, "SOAPAction": f'"{operation.action}"'})
            assert response.status_code == 200, _fault_text(response)
            for element in _xml(response).find(f"{{{env}}}Body"):
                errors = list(schema.iter_errors(etree.tostring(element).decode()))
                assert not errors, f"{operation.name}: {errors[0].reason}"
                checked += 1
    assert checked >= 1


def test_instances_cover_xsd_features() -> None:
    schema = xmlschema.XMLSchema("""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:f"
      xmlns:f="urn:f" elementFormDefault="qualified">
      <xs:element name="R"><xs:complexType><xs:sequence>
        <xs:element name="code"><xs:simpleType><xs:restriction base="xs:string">
          <xs:pattern value="[A-Z]{2}[0-9]{3}"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="size"><xs:simpleType><xs:restriction base="xs:integer">
          <xs:minExclusive value="10"/><xs:maxInclusive value="12"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="tags"><xs:simpleType><xs:list itemType="xs:NCName"/></xs:simpleType></xs:element>
        <xs:element name="short"><xs:simpleType><xs:restriction base="xs:string">
          <xs:minLength value="3"/><xs:maxLength value="5"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="when" type="xs:date"/>
        <xs:element name="blob" type="xs:base64Binary"/>
        <xs:element name="maybe" type="xs:int" nillable="true" maxOccurs="5"/>
        <xs:element ref="f:Shape"/>
        <xs:element name="amount"><xs:complexType><xs:simpleContent><xs:extension base="xs:decimal">
          <xs:attribute name="currency" type="xs:string" use="required"/></xs:extension></xs:simpleContent>
        </xs:complexType></xs:element>
        <xs:choice minOccurs="2" maxOccurs="3"><xs:element name="a" type="xs:boolean"/>
          <xs:element name="b" type="xs:time"/></xs:choice>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="Shape" abstract="true" type="f:ShapeType"/>
      <xs:element name="Circle" substitutionGroup="f:Shape" type="f:ShapeType"/>
      <xs:complexType name="ShapeType"><xs:attribute name="id" type="xs:ID" use="required"/></xs:complexType>
    </xs:schema>""")
    from specforge.mock.soap.instances import to_xml

    for seed in range(40):
        node = InstanceGenerator(schema, random.Random(seed)).element(("urn:f", "R"))
        assert node is not None
        text = to_xml([node])
        assert schema.is_valid(text), (seed, text, list(schema.iter_errors(text))[:1])


def test_mock_cli_rejects_a_hostile_wsdl_with_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    evil = tmp_path / "evil.wsdl"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE d [\n<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<d>&x;</d>\n',
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "specforge", "mock", "evil.wsdl", "--port", "0"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "specforge: error: evil.wsdl:3:1: XML entity declarations are not allowed"


def test_oversized_request_gets_a_fault(client) -> None:
    response = _post11(client, _envelope("<x>" + "a" * (3 * 1024 * 1024) + "</x>"), f"{CALC}/Add")
    assert response.status_code == 413
    assert "the request is larger than" in _fault_text(response)


def test_a_schema_xmlschema_cannot_build_still_mocks_with_a_warning(caplog) -> None:
    """google-search-api-2002 uses soapenc arrays xmlschema cannot compile: parts come back empty, no crash."""
    app = create_soap_app(CORPUS / "google-search-api-2002.wsdl", seed=1)
    assert any("cannot be compiled" in r.getMessage() for r in caplog.records)
    body = ('<g:doSpellingSuggestion xmlns:g="urn:GoogleSearch"><key>k</key><phrase>speling</phrase>'
            "</g:doSpellingSuggestion>")
    response = _post11(app.test_client(), _envelope(body), "urn:GoogleSearchAction", "/search/beta2")
    assert response.status_code == 200
    wrapper = _xml(response).find(f"{{{SOAP11}}}Body/{{urn:GoogleSearch}}doSpellingSuggestionResponse")
    assert wrapper is not None and wrapper[0].tag == "return"


def test_schema_imports_never_open_non_schema_files(tmp_path: Path) -> None:
    """An audit hook records every ``open`` while the mock compiles a WSDL importing /etc/passwd."""
    import subprocess
    import sys

    wsdl = CALCULATOR.read_text(encoding="utf-8").replace(
        '<xsd:schema targetNamespace="urn:specforge:calculator" elementFormDefault="qualified">',
        '<xsd:schema targetNamespace="urn:specforge:calculator" elementFormDefault="qualified">'
        '<xsd:include schemaLocation="/etc/passwd"/>')
    (tmp_path / "leaky.wsdl").write_text(wsdl, encoding="utf-8")
    code = (
        "import sys\nopened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' else None)\n"
        "from specforge.mock.soap import create_soap_app\n"
        f"create_soap_app({str(tmp_path / 'leaky.wsdl')!r})\n"
        "print('PASSWD' if any('passwd' in p for p in opened) else 'CLEAN')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CALCULATOR.parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "CLEAN"


def test_wsdl20_endpoint_is_mocked_with_its_interface_elements() -> None:
    app = create_soap_app(CORPUS / "wsdl20-w3c-greath-hotel-reservation.wsdl", seed=2)
    client = app.test_client()
    res = "http://greath.example.com/2004/schemas/resSvc"
    body = (f'<g:checkAvailability xmlns:g="{res}"><checkInDate>2024-01-01</checkInDate>'
            "<checkOutDate>2024-01-02</checkOutDate><roomType>double</roomType></g:checkAvailability>")
    response = client.post("/2004/reservation", data=_envelope(body, SOAP12),
                           headers={"Content-Type": "application/soap+xml"})
    assert response.status_code == 200
    answer = _xml(response).find(f"{{{SOAP12}}}Body/{{{res}}}checkAvailabilityResponse")
    assert answer is not None and float(answer.text) == float(answer.text)
    wsdl = client.get("/2004/reservation?wsdl", base_url="http://mock.local:1").data.decode()
    assert 'address ="http://mock.local:1/2004/reservation"' in wsdl
