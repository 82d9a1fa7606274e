"""Every ``fixtures/rules/<rule-id>/cases.yaml`` case: lint with only that rule, compare positions.

A case is ``document`` (one file) or ``files`` + ``entry`` (a workspace). ``expect`` lists the
findings of the rule, each with ``line`` and ``column`` (required) and optionally ``file``,
``pointer``, ``message`` (substring) and ``severity``; ``[]`` means the rule must stay silent.
A case may set ``format`` (e.g. ``wsdl``) or ``config`` (the rule's entry in ``.specforge.yaml``,
e.g. ``{functionOptions: {case: snake}}``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.config import load_config

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rules"


def _cases() -> list:
    params = []
    for cases_file in sorted(FIXTURES.glob("*/cases.yaml")):
        data = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}::{name}"))
    return params


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_rule_case(rule_id: str, case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "files" in case:
        for name, text in case["files"].items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        entry = case["entry"]
    else:
        entry = "spec.wsdl" if case.get("format") == "wsdl" else "spec.yaml"
        (tmp_path / entry).write_text(case["document"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config_file = None
    if "config" in case:  # the rule's entry in a project config: {severity, functionOptions, message}
        config_file = tmp_path / ".specforge.yaml"
        config_file.write_text(yaml.safe_dump({"rules": {rule_id: case["config"]}}), encoding="utf-8")
    config = load_config(config_file, discover_config=False)
    config.severities = {rule_id: config.catalogue.rules[rule_id].severity or Severity.ERROR}
    result = lint_file(entry, config)
    assert result.error is None, f"the case must be lintable: {result.error}"
    actual = [f for f in result.findings if f.rule == rule_id]
    expected = case["expect"]
    got = [(f.file, f.line, f.column) for f in actual]
    want = [(e.get("file", entry), e["line"], e["column"]) for e in expected]
    assert sorted(got) == sorted(want), "\n".join(
        [f"expected: {w}" for w in sorted(want)] + [f"actual:   {g}  {f.message}  {f.pointer}" for g, f in
                                                  sorted(zip(got, actual, strict=True))]
    )
    for spec in expected:
        match = next(f for f in actual if (f.file, f.line, f.column) == (spec.get("file", entry), spec["line"],
                                                                          spec["column"]))
        if "pointer" in spec:
            assert match.pointer == spec["pointer"]
        if "message" in spec:
            assert spec["message"] in match.message
        if "severity" in spec:
            assert match.severity.label == spec["severity"]
