"""WSDL loading: positions, prefixes, imports, WSDL 2.0, and hostile XML rejected fast without reading files."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from specforge.errors import InputError
from specforge.wsdl import namespaces as ns
from specforge.wsdl.loader import load_wsdl

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / ".." / "shared" / "corpus" / "wsdl"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">&lol3;</definitions>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE d [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><documentation>&xxe;</documentation></definitions>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE definitions SYSTEM "file:///etc/passwd">
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>
"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>
"""
DEEP = '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">' + "<a>" * 100_000 + "</a>" * 100_000 + "</definitions>"


def _load(tmp_path: Path, text: str, name: str = "evil.wsdl"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_wsdl(text, name, path)


@pytest.mark.parametrize(("text", "where", "reason"), [
    (BILLION_LAUGHS, "evil.wsdl:3:1", "XML entity declarations are not allowed"),
    (XXE, "evil.wsdl:3:3", "XML entity declarations are not allowed"),
    (EXTERNAL_DTD, "evil.wsdl:2:1", "XML external DTDs are not allowed"),
    (PARAMETER_ENTITY, "evil.wsdl:2:15", "XML entity declarations are not allowed"),
    (DEEP, "evil.wsdl:1:", "XML nesting deeper than 256 levels is not allowed"),
    ("<definitions xmlns='http://schemas.xmlsoap.org/wsdl/'><a></definitions>", "evil.wsdl:1:",
     "not well-formed XML (mismatched tag)"),
    ('<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">&undefined;</definitions>', "evil.wsdl:1:",
     "not well-formed XML (undefined entity)"),
])
def test_hostile_xml_is_one_clear_error_fast(tmp_path: Path, text: str, where: str, reason: str) -> None:
    path = tmp_path / "evil.wsdl"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_wsdl(text, "evil.wsdl", path)
    assert time.perf_counter() - start < 2.0  # milliseconds in practice; generous for a loaded CI machine
    assert caught.value.file.startswith(where)
    assert caught.value.reason == reason
    assert "\n" not in str(caught.value)


def test_hostile_imported_schema_is_rejected_with_its_own_position(tmp_path: Path) -> None:
    (tmp_path / "evil.xsd").write_text(XXE.replace("definitions", "xsd:schema").replace(
        'xmlns="http://schemas.xmlsoap.org/wsdl/"', 'xmlns:xsd="http://www.w3.org/2001/XMLSchema"'), encoding="utf-8")
    wsdl = ('<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
            '<types><xsd:schema><xsd:import schemaLocation="evil.xsd"/></xsd:schema></types>\n</definitions>\n')
    with pytest.raises(InputError) as caught:
        _load(tmp_path, wsdl, "main.wsdl")
    assert caught.value.file.endswith("evil.xsd:3:3")


def test_no_file_is_opened_for_external_entities(tmp_path: Path) -> None:
    """An audit hook records every ``open``: only the WSDL itself may be read."""
    evil = tmp_path / "evil.wsdl"
    evil.write_text(XXE, encoding="utf-8")
    code = (
        "import sys\nopened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' else None)\n"
        "from pathlib import Path\nfrom specforge.wsdl.lint import lint_wsdl\nfrom specforge.errors import InputError\n"
        f"path = Path({str(evil)!r})\ntext = path.read_text()\nopened.clear()\n"
        "try:\n    lint_wsdl(text, 'evil.wsdl', path, [])\nexcept InputError as exc:\n    print('ERR', exc)\n"
        "print('OPENED', [p for p in opened if not p.endswith(('.py', '.pyc')) and '/lib/' not in p])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert "ERR evil.wsdl:3:3: XML entity declarations are not allowed" in out
    assert "OPENED []" in out


def test_cli_exits_2_with_one_line(tmp_path: Path) -> None:
    evil = tmp_path / "evil.wsdl"
    evil.write_text(BILLION_LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "specforge", "lint", "evil.wsdl"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["specforge: error: evil.wsdl:3:1: XML entity declarations are not "
                                                  "allowed"]
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - start < 10


def test_elements_and_attributes_have_exact_positions(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?>\n<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/"\n'
            '    xmlns:t="urn:t" targetNamespace="urn:t">\n'
            '  <w:message name="m"><w:part name="p" element="t:E"/></w:message>\n</w:definitions>\n')
    document = _load(tmp_path, text, "pos.wsdl")
    message = document.top("message")[0]
    part = message.children[0]
    assert (message.line, message.column) == (4, 3)
    assert (part.line, part.column) == (4, 23)
    assert part.attr_span("element")[:2] == (4, 40)
    assert part.attr_qname("element") == ("urn:t", "E")
    assert part.qname("nope:E") is None
    assert document.named("message") == {("urn:t", "m"): message}


def test_relative_imports_are_followed_and_remote_ones_are_not(tmp_path: Path) -> None:
    (tmp_path / "xsd").mkdir()
    (tmp_path / "xsd" / "a.xsd").write_text(
        '<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">'
        '<s:include schemaLocation="b.xsd"/><s:element name="A" type="s:string"/></s:schema>', encoding="utf-8")
    (tmp_path / "xsd" / "b.xsd").write_text(
        '<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">'
        '<s:element name="B" type="s:string"/></s:schema>', encoding="utf-8")
    text = ('<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema">'
            '<types><s:schema targetNamespace="urn:main"><s:import namespace="urn:a" schemaLocation="xsd/a.xsd"/>'
            '<s:import namespace="urn:r" schemaLocation="https://example.com/r.xsd"/></s:schema></types>'
            '</definitions>')
    document = _load(tmp_path, text, "main.wsdl")
    assert [Path(f.location).name for f in document.files] == ["main.wsdl", "a.xsd", "b.xsd"]
    assert set(document.xsd_globals("element")) == {("urn:a", "A"), ("urn:a", "B")}
    assert [(i.kind, i.skipped) for i in document.imports] == [("import", None), ("import", "remote"),
                                                               ("include", None)]
    assert "urn:r" in document.opaque_namespaces


def test_wsdl20_loads_with_its_definitions() -> None:
    path = CORPUS / "wsdl20-w3c-greath-hotel-reservation.wsdl"
    document = load_wsdl(path.read_text(encoding="utf-8"), path.name, path)
    assert document.version == 2
    assert document.wsdl_ns == ns.WSDL20
    assert [i.get("name") for i in document.top("interface")] == ["reservationInterface"]
    assert document.top("service")[0].find(ns.WSDL20, "endpoint") is not None


def test_non_wsdl_xml_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"not a WSDL document \(the root element is <xs:schema>"):
        _load(tmp_path, '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>', "types.wsdl")


def test_linting_wsdl_loads_nothing_heavy() -> None:
    code = (
        "import sys\nfrom specforge.lint.api import lint_file\n"
        f"result = lint_file({str(REPO / 'fixtures' / 'specs' / 'calculator.wsdl')!r})\n"
        "assert result.error is None\n"
        "print(' '.join(m for m in ('flask', 'faker', 'werkzeug', 'lxml', 'jsonschema', 'xmlschema', 'zeep') "
        "if m in sys.modules) or 'none')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "none"
