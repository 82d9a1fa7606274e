"""The ``fixtures/rules/wsdl-*/cases.yaml`` cases against a catalogue of the WSDL rules alone.

``tests/rules/test_rule_cases.py`` runs the same cases with the whole catalogue; this copy
validates the WSDL rule files strictly (``check=True``), checks each rule's documented bad/good
examples, and keeps WSDL work testable while other rule packs are in flux.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.catalogue import RawFile, read_yaml_mapping
from specforge.lint.config import Config
from specforge.lint.ruleset import build_catalogue

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "rules"
RULE_FILES = sorted((REPO / "rules" / "wsdl").glob("*.yaml"))


def _catalogue():
    raw = [RawFile(str(p), read_yaml_mapping(p)) for p in RULE_FILES]
    ruleset = REPO / "rules" / "rulesets" / "wsdl.yaml"
    return build_catalogue(raw, [RawFile(str(ruleset), read_yaml_mapping(ruleset))], check=True)


CATALOGUE = _catalogue()


def _cases() -> list:
    params = []
    for cases_file in sorted(FIXTURES.glob("wsdl-*/cases.yaml")):
        data = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}::{name}"))
    return params


def _config(rule_id: str, tmp_path: Path) -> Config:
    severity = CATALOGUE.rules[rule_id].severity or Severity.ERROR
    return Config(None, tmp_path, CATALOGUE, {rule_id: severity})


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_wsdl_rule_case(rule_id: str, case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "files" in case:
        for name, text in case["files"].items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        entry = case["entry"]
    else:
        entry = "spec.wsdl"
        (tmp_path / entry).write_text(case["document"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = lint_file(entry, _config(rule_id, tmp_path))
    assert result.error is None, f"the case must be lintable: {result.error}"
    got = sorted((f.file, f.line, f.column) for f in result.findings if f.rule == rule_id)
    want = sorted((e.get("file", entry), e["line"], e["column"]) for e in case["expect"])
    assert got == want, "\n".join(f"{f.line}:{f.column} {f.message}" for f in result.findings)
    assert all(f.message and f.rule == rule_id for f in result.findings)


def test_every_wsdl_rule_has_flagged_and_clean_cases() -> None:
    for path in RULE_FILES:
        rule_id = path.stem
        cases = yaml.safe_load((FIXTURES / rule_id / "cases.yaml").read_text(encoding="utf-8"))["cases"]
        assert any(c["expect"] for c in cases.values()), rule_id
        assert any(not c["expect"] for c in cases.values()), rule_id


@pytest.mark.parametrize("rule_id", [p.stem for p in RULE_FILES])
def test_documented_examples_behave(rule_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = CATALOGUE.rules[rule_id].docs
    monkeypatch.chdir(tmp_path)
    for key, flagged in (("bad", True), ("good", False)):
        if key not in docs:
            continue
        (tmp_path / f"{key}.wsdl").write_text(docs[key], encoding="utf-8")
        result = lint_file(f"{key}.wsdl", _config(rule_id, tmp_path))
        assert result.error is None
        assert bool([f for f in result.findings if f.rule == rule_id]) is flagged, key


def test_wsdl_ruleset_selects_every_wsdl_rule() -> None:
    chosen = CATALOGUE.selection("wsdl")
    assert set(chosen) == {p.stem for p in RULE_FILES}
    assert chosen["wsdl-types-imported"] is None  # off by default
    assert chosen["wsdl-literal-only"] is Severity.ERROR
