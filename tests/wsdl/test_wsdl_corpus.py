"""Every real WSDL of the shared corpus lints (no exit 2) with every WSDL rule on; spot checks of real findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.lint.api import lint_file
from specforge.lint.config import load_config

CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "wsdl").resolve()
WSDLS = sorted(CORPUS.rglob("*.wsdl"))


@pytest.fixture(scope="module")
def config():
    return load_config(rulesets=["wsdl"], discover_config=False)


def test_the_corpus_is_there() -> None:
    assert len(WSDLS) >= 60
    assert sum(1 for p in WSDLS if "wsdl20" in p.name) == 5


@pytest.mark.parametrize("path", WSDLS, ids=[str(p.relative_to(CORPUS)) for p in WSDLS])
def test_corpus_wsdl_lints_without_input_error(path: Path, config) -> None:
    result = lint_file(path, config)
    assert result.error is None, str(result.error)
    for finding in result.findings:
        assert finding.rule.startswith("wsdl-") and finding.line >= 1 and finding.column >= 1 and finding.message


@pytest.mark.parametrize(("name", "rule", "line", "column"), [
    ("memcache-rpc-encoded.wsdl", "wsdl-literal-only", 96, 16),
    ("google-search-api-2002.wsdl", "wsdl-no-soapenc-arrays", 57, 28),
    ("wsdl20-w3c-greath-hotel-reservation.wsdl", "wsdl-endpoint-https", 93, 16),
    ("wcf-soap12-helloworld.wsdl", "wsdl-schema-target-namespace", 10, 9),
])
def test_known_problems_of_real_contracts_are_found(name: str, rule: str, line: int, column: int, config) -> None:
    result = lint_file(CORPUS / name, config)
    assert (rule, line, column) in {(f.rule, f.line, f.column) for f in result.findings}


def test_recommended_applies_wsdl_rules_to_wsdl_files_only(tmp_path: Path) -> None:
    config = load_config(discover_config=False)
    findings = lint_file(CORPUS / "memcache-rpc-encoded.wsdl", config).findings
    rules = {f.rule for f in findings}
    assert "wsdl-literal-only" in rules
    assert "wsdl-naming" not in rules  # opinionated: only in the `wsdl` ruleset
    assert all(r.startswith("wsdl-") for r in rules)
