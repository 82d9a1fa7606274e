"""Every output format against the consumer that reads it: the SARIF 2.1.0 schema, junitparser,
the GitHub workflow-command grammar, GitLab's Code Quality fields, Markdown table syntax.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

from specforge.findings import Finding, Severity
from specforge.lint.api import lint_file
from specforge.lint.baseline import BaselineEntry
from specforge.lint.config import load_config
from specforge.report import FORMATS, Summary, renderer

SARIF_SCHEMA = json.loads((Path(__file__).with_name("sarif-schema-2.1.0.json")).read_text(encoding="utf-8"))

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: OK}
    post:
      description: Adds a pet.
      responses:
        "201": {description: Created}
"""


def _finding(**overrides: object) -> Finding:
    values: dict = dict(file="api/spec.yaml", line=5, column=5, rule="operation-description",
                        severity=Severity.WARNING, message="Operation \"description\" must be present.",
                        end_line=5, end_column=8, pointer="/paths/~1pets/get", fingerprint="abc123")
    values.update(overrides)
    return Finding(**values)  # type: ignore[arg-type]


def _render(name: str, findings: list[Finding], **extras: object) -> str:
    return renderer(name)(sorted(findings), Summary.of(findings, 2, len(extras.get("errors", ()))), **extras)


@pytest.fixture
def linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(discover_config=False)
    config.severities = {"operation-description": Severity.WARNING}  # stable expectations as rules are added
    result = lint_file("spec.yaml", config)
    assert result.error is None
    return result.findings


def test_every_registered_format_renders() -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "github", "gitlab", "markdown"}
    for name in FORMATS:
        assert "operation-description" in _render(name, [_finding()])


def test_sarif_of_a_real_lint_is_valid_and_complete(linted: list[Finding]) -> None:
    config = load_config(discover_config=False)
    stale = [BaselineEntry("spec.yaml", "operation-description", "/paths/~1pets/put", "f" * 32, "gone")]
    text = renderer("sarif")(linted, Summary.of(linted, 1), rules=config.catalogue.rules, stale=stale,
                             errors=[("broken.yaml", "broken.yaml: not valid YAML")])
    log = json.loads(text)
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft202012Validator)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    rules = run["tool"]["driver"]["rules"]
    (result,) = [r for r in run["results"] if r["ruleId"] == "operation-description"]
    rule = rules[result["ruleIndex"]]
    assert rule["id"] == "operation-description"
    assert rule["shortDescription"]["text"] == "Operation must have a non-empty description."
    assert "reference docs" in rule["fullDescription"]["text"]  # the rule's docs.why
    assert "```yaml" in rule["help"]["markdown"] and rule["help"]["text"]
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert result["level"] == "warning"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "spec.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 8}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert len(result["partialFingerprints"]["specforge/v1"]) == 32
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["file-not-linted", "stale-baseline-entry"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_uris_are_relative_references_and_levels_map() -> None:
    findings = [_finding(file="my specs/a b.yaml", severity=Severity.HINT, end_line=0, end_column=0),
                _finding(file="../shared/x.yaml", rule="oas3-schema", severity=Severity.ERROR)]
    log = json.loads(_render("sarif", findings))
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft202012Validator)
    results = log["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == \
        ["../shared/x.yaml", "my%20specs/a%20b.yaml"]
    assert [r["level"] for r in results] == ["error", "note"]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 5}
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["oas3-schema", "operation-description"]


def test_junit_one_testcase_per_file_and_rule(tmp_path: Path) -> None:
    findings = [_finding(), _finding(line=9, pointer="/paths/~1pets/put"),
                _finding(rule="oas3-schema", severity=Severity.ERROR, message="bad <type> & \"x\"")]
    out = tmp_path / "junit.xml"
    out.write_text(_render("junit", findings, files=["api/spec.yaml", "api/clean.yaml", "api/bad.yaml"],
                           errors=[("api/bad.yaml", "api/bad.yaml: not valid YAML")]), encoding="utf-8")
    xml = JUnitXml.fromfile(str(out))
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["api/spec.yaml", "api/clean.yaml", "api/bad.yaml"]
    cases = {case.name: case for case in suites["api/spec.yaml"]}
    assert set(cases) == {"operation-description", "oas3-schema"}
    (failure,) = cases["operation-description"].result
    assert isinstance(failure, Failure) and failure.type == "warning"
    assert "api/spec.yaml:5:5 warning" in failure.text and "api/spec.yaml:9:5 warning" in failure.text
    assert "bad <type> & \"x\"" in cases["oas3-schema"].result[0].text
    (clean,) = list(suites["api/clean.yaml"])
    assert clean.is_passed
    (broken,) = list(suites["api/bad.yaml"])
    assert isinstance(broken.result[0], Error)
    assert (xml.tests, xml.failures, xml.errors) == (4, 2, 1)


def test_github_workflow_commands_escape_data_and_properties() -> None:
    findings = [_finding(file="a,b:c.yaml", rule="r:x", message="100% wrong\r\nnext: line, here"),
                _finding(file="z.yaml", severity=Severity.INFO, line=2, column=1, end_line=0, end_column=0)]
    lines = _render("github", findings, errors=[("bad.yaml", "bad.yaml: no such file")]).splitlines()
    assert lines == [
        "::warning file=a%2Cb%3Ac.yaml,line=5,col=5,endLine=5,endColumn=8,title=r%3Ax::"
        "100%25 wrong%0D%0Anext: line, here",
        "::notice file=z.yaml,line=2,col=1,title=operation-description::Operation \"description\" must be present.",
        "::error file=bad.yaml,title=specforge::bad.yaml: no such file",
    ]


def test_gitlab_code_quality_fields_and_unique_fingerprints() -> None:
    findings = [_finding(), _finding(message="another message, same node")]
    issues = json.loads(_render("gitlab", findings))
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in issues] == [("operation-description", "minor")[:2] + ("api/spec.yaml", 5)] * 2
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert all(i["description"] for i in issues)


def test_markdown_table_escapes_cells() -> None:
    text = _render("markdown", [_finding(message="a | b\nc")],
                   stale=[BaselineEntry("spec.yaml", "r1", "/x", "f", "m")])
    assert "| 🟠 warning | api/spec.yaml:5:5 | operation-description | a \\| b<br>c |" in text
    assert "**1 problem** (1 warning) in 2 files." in text
    assert "- r1 in spec.yaml at /x" in text


def test_json_adds_errors_and_stale_entries_only_when_present() -> None:
    plain = json.loads(_render("json", [_finding()]))
    assert set(plain) == {"findings", "summary"}
    full = json.loads(_render("json", [], errors=[("x.yaml", "x.yaml: no such file")],
                              stale=[BaselineEntry("spec.yaml", "r1", "/x", "f", "m")]))
    assert full["errors"] == [{"file": "x.yaml", "message": "x.yaml: no such file"}]
    assert full["stale_baseline"][0]["rule"] == "r1"
