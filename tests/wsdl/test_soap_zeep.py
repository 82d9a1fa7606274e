"""A real SOAP client (zeep) against the real ``specforge mock`` server: every operation, typed results."""

from __future__ import annotations

import datetime as dt
import decimal
import random

import lxml.etree as etree
import pytest
import zeep
import zeep.helpers

from specforge.mock.soap.contract import build_ports
from specforge.mock.soap.instances import InstanceGenerator
from specforge.mock.soap.schema import build_schema
from specforge.wsdl.loader import load_wsdl
from tests.wsdl.soap_support import CALCULATOR, CORPUS, request_body, running_mock

#: Corpus contracts zeep itself can load (doc-literal .NET/Java/DataFlex services, one rpc-literal).
CORPUS_WSDLS = [
    "dneonline-calculator.wsdl", "eu-vies-checkvatservice.wsdl", "oorsprong-countryinfoservice.wsdl",
    "w3schools-tempconvert.wsdl", "dataaccess-numberconversion.wsdl", "learnwebservices-hello.wsdl",
    "telefonkatalogen-rpc-literal.wsdl", "mnb-exchange-rates.wsdl", "tempuri-basedatatypes.wsdl",
    "afip-logincms.wsdl", "zeep-benchmark.wsdl",
]


def test_calculator_over_soap11_and_soap12_gives_typed_results() -> None:
    with running_mock(CALCULATOR, "--seed", "5") as base:
        client = zeep.Client(f"{base}/calculator?wsdl")
        assert client.wsdl.services["Calculator"].ports["CalculatorSoap"].binding_options["address"] == \
            f"{base}/calculator"
        for port in ("CalculatorSoap", "CalculatorSoap12"):
            service = client.bind("Calculator", port)
            assert isinstance(service.Add(intA=2, intB=3), int)
            divided = service.Divide(dividend=7.0, divisor=2.0)
            assert isinstance(divided.quotient, float)
            assert divided.remainder is None or isinstance(divided.remainder, float)
            evaluated = service.Evaluate(start=1, step=[{"operator": "add", "operand": 4, "index": 0}])
            assert evaluated.ticket[3] == "-" and evaluated.ticket[:3].isupper()
            assert (evaluated.value is None) != (evaluated.error is None)  # exactly one branch of the choice
            assert len(evaluated.step) >= 1 and all(s.operator in ("add", "subtract", "multiply", "divide")
                                                    for s in evaluated.step)
            assert isinstance(evaluated.accuracy, decimal.Decimal) and 0 <= evaluated.accuracy <= 100
            assert isinstance(evaluated.computedAt, dt.datetime)
            assert evaluated.engine


def test_same_seed_same_answers_across_restarts() -> None:
    answers = []
    for _ in range(2):
        with running_mock(CALCULATOR, "--seed", "42") as base:
            service = zeep.Client(f"{base}/calculator?wsdl").service
            answers.append(zeep.helpers.serialize_object(service.Evaluate(start=3, step=[])))
    assert answers[0] == answers[1]
    with running_mock(CALCULATOR, "--seed", "43") as base:
        other = zeep.helpers.serialize_object(zeep.Client(f"{base}/calculator?wsdl").service.Evaluate(start=3,
                                                                                                       step=[]))
    assert other != answers[0]


@pytest.mark.parametrize("name", CORPUS_WSDLS)
def test_zeep_calls_every_operation_of_a_real_contract(name: str) -> None:
    path = CORPUS / name
    document = load_wsdl(path.read_text(encoding="utf-8-sig"), name, path, root_dir=CORPUS)
    ports = build_ports(document)
    schema = build_schema(document)
    calls = 0
    with running_mock(path, "--seed", "1") as base:
        client = zeep.Client(f"{base}{ports[0].path}?wsdl")
        for port in ports:
            binding = next(b for qname, b in client.wsdl.bindings.items() if qname.endswith("}" + port.binding))
            service = client.create_service(binding.name, f"{base}{port.path}")
            for operation in port.operations:
                zeep_operation = binding._operations[operation.name]
                body = request_body(InstanceGenerator(schema, random.Random(operation.name)), operation)
                kwargs = {}
                if zeep_operation.input.body is not None and body:
                    value = zeep_operation.input.body.parse(etree.fromstring(body), client.wsdl.types)
                    kwargs = dict(value.__values__) if hasattr(value, "__values__") else {}
                result = service[operation.name](**kwargs)  # raises zeep.exceptions.Fault on a fault
                _assert_typed(result, zeep_operation)
                calls += 1
    assert calls == sum(len(p.operations) for p in ports) and calls >= 1


def _assert_typed(result: object, zeep_operation: object) -> None:
    """Zeep parsed the body into its own typed values (never a raw XML fallback)."""
    assert not isinstance(result, etree._Element), "zeep fell back to raw XML: the body did not match its type"
    output = zeep_operation.output.body  # type: ignore[attr-defined]
    names = [name for name, _ in getattr(getattr(output, "type", None), "elements", [])]
    plain = zeep.helpers.serialize_object(result)
    if isinstance(plain, dict) and len(names) > 1:
        assert set(plain) <= set(names) | {n for n in plain if n.startswith("_")} | set(
            getattr(output.type, "attributes", []) and [a for a, _ in output.type.attributes])
