"""``<!-- lint-ignore: rule -->`` comments silence WSDL rules for the element that follows (and below)."""

from __future__ import annotations

from pathlib import Path

from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.config import load_config

WSDL = """<?xml version="1.0"?>
{before_root}<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:tns="urn:t" targetNamespace="urn:t">
  <portType name="P"/>
  <binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/></binding>
  <service name="S">
    {before_port}<port name="A" binding="tns:B"><soap:address location="http://a.acme.test/"/></port>
    <port name="C" binding="tns:B"><soap:address location="http://c.acme.test/"/></port>
    {last_in_service}
  </service>
</definitions>
"""


def _findings(tmp_path: Path, **comments: str) -> list[tuple[str, int, int]]:
    text = WSDL.format(**{"before_root": "", "before_port": "", "last_in_service": "", **comments})
    (tmp_path / "s.wsdl").write_text(text, encoding="utf-8")
    config = load_config(discover_config=False)
    config.severities = {"wsdl-endpoint-https": Severity.ERROR, "wsdl-one-endpoint-per-service": Severity.INFO}
    result = lint_file(tmp_path / "s.wsdl", config)
    assert result.error is None
    return sorted((f.rule, f.line, f.column) for f in result.findings)


def test_without_comments_everything_is_reported(tmp_path: Path) -> None:
    assert _findings(tmp_path) == [("wsdl-endpoint-https", 7, 50), ("wsdl-endpoint-https", 8, 50),
                                   ("wsdl-one-endpoint-per-service", 8, 11)]


def test_comment_before_an_element_covers_it_only(tmp_path: Path) -> None:
    found = _findings(tmp_path, before_port="<!-- lint-ignore: wsdl-endpoint-https -->")
    assert found == [("wsdl-endpoint-https", 8, 50), ("wsdl-one-endpoint-per-service", 8, 11)]


def test_comment_as_last_child_covers_its_parent(tmp_path: Path) -> None:
    comment = "<!-- lint-ignore: wsdl-endpoint-https, wsdl-one-endpoint-per-service -->"
    found = _findings(tmp_path, last_in_service=comment)
    assert found == []


def test_comment_before_the_root_covers_the_file_and_all_means_every_rule(tmp_path: Path) -> None:
    assert _findings(tmp_path, before_root="<!-- lint-ignore: all -->\n") == []


def test_other_comments_change_nothing(tmp_path: Path) -> None:
    found = _findings(tmp_path, before_port="<!-- lint-ignore: wsdl-naming -->", last_in_service="<!-- a note -->")
    assert len(found) == 3
