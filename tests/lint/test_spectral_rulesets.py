"""Spectral rulesets: the JSONPath-Plus forms rulesets use, ``extends`` modes over the built-in rules
(which carry Spectral's ids), custom ``given``/``then`` rules with exact positions, ``$ref``s,
``resolved``, ``formats``, ``aliases``, ``overrides``, JavaScript functions skipped, clear errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from specforge.cli import main
from specforge.errors import ConfigError
from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.config import load_config
from specforge.lint.spectral.filters import FilterError, Scope, compile_filter
from specforge.lint.spectral.jsonpath import PathError, compile_path

DATA = {
    "paths": {
        "/pets": {
            "get": {"parameters": [{"in": "query", "name": "limit"}, {"in": "header", "name": "X-Id"}],
                    "responses": {"200": {"$ref": "#/components/responses/Ok"}}},
            "x-internal": True,
        },
    },
    "components": {"responses": {"Ok": {"description": "OK"}}},
}


def _resolve(value: dict, source: object) -> tuple:
    parts = tuple(value["$ref"][2:].split("/"))
    node = DATA
    for part in parts:
        node = node[part]
    return node, source, parts


@pytest.mark.parametrize(("path", "expected"), [
    ("$.paths[*][*].parameters[?(@.in === 'query')].name", [("paths", "/pets", "get", "parameters", 0, "name")]),
    ("$..parameters[*].name", [("paths", "/pets", "get", "parameters", 0, "name"),
                               ("paths", "/pets", "get", "parameters", 1, "name")]),
    ("$.paths[*]~", [("paths", "/pets")]),
    ("$.paths.*[?(@property.match(/^x-/))]", [("paths", "/pets", "x-internal")]),
    ("$.paths['/pets'][get,put].responses[*]", [("components", "responses", "Ok")]),  # $ref followed
    ("$..description", [("components", "responses", "Ok", "description")]),
    ("$..[?(@.in == 'header')]^", [("paths", "/pets", "get", "parameters")]),
    ("$.paths[*].get.parameters[-1:]", [("paths", "/pets", "get", "parameters", 1)]),
    ("$.paths[*].get.parameters[0,1].in", [("paths", "/pets", "get", "parameters", 0, "in"),
                                           ("paths", "/pets", "get", "parameters", 1, "in")]),
    ("$.nothing[*]", []),
])
def test_jsonpath_plus_forms(path: str, expected: list[tuple]) -> None:
    assert [m.pointer for m in compile_path(path).evaluate(DATA, None, _resolve)] == expected


def test_key_matches_and_unresolved_evaluation() -> None:
    (key,) = compile_path("$.paths[*]~").evaluate(DATA, None, _resolve)
    assert (key.value, key.is_key) == ("/pets", True)
    raw = compile_path("$.paths[*].get.responses[*]").evaluate(DATA, None, None)
    assert [m.value for m in raw] == [{"$ref": "#/components/responses/Ok"}]


def test_recursive_descent_survives_reference_cycles() -> None:
    data: dict = {"components": {"schemas": {"A": {"properties": {"a": {"$ref": "#/components/schemas/A"}}}}}}

    def resolve(value: dict, source: object) -> tuple:
        return data["components"]["schemas"]["A"], source, ("components", "schemas", "A")

    found = compile_path("$..properties").evaluate(data, None, resolve)
    assert [m.pointer for m in found] == [("components", "schemas", "A", "properties")]


@pytest.mark.parametrize(("expression", "expected"), [
    ("@.in === 'query' && !@.required", True),
    ("@.in == 'header' || @.name.startsWith('li')", True),
    ("typeof @.name === 'string' && @.name.length > 4", True),
    ("@property === 0", False),  # the key is the string "0": strict equality
    ("@property == 0", True),
    ("@.deprecated === undefined", True),
    ("@.tags.includes('a')", True),
    ("@.name.match(/^LIM/i)", True),
    ("@parentProperty === 'parameters'", True),
    ("@property >= 0 && @property < 1", True),  # JavaScript compares "0" with numbers as a number
    ("@.name > 'a' && @.name < 1", False),
    ("@.name.length >= 5", True),
])
def test_filter_expressions(expression: str, expected: bool) -> None:
    from specforge.lint.spectral.filters import truthy

    scope = Scope({"in": "query", "name": "limit", "tags": ["a"]}, "0", [], "parameters", {}, "")
    assert truthy(compile_filter(expression)(scope)) is expected


@pytest.mark.parametrize("path", ["paths[*]", "$.paths[(@.length-1)]", "$.paths[?(@.x ===)]", "$.a[",
                                  "$.a[?(eval(1))]"])
def test_bad_paths_fail_when_compiled(path: str) -> None:
    with pytest.raises((PathError, FilterError)):
        compile_path(path)


# --- rulesets through the linter -------------------------------------------------------------

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
tags:
  - name: pets
paths:
  /x-pets:
    get:
      description: Lists pets.
      parameters:
        - {in: query, name: pageSize, schema: {type: integer}}
        - $ref: 'params.yaml#/Sort'
      responses:
        "200": {description: OK}
"""
PARAMS = "Sort: {in: query, name: sort_by, schema: {type: string}}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "params.yaml").write_text(PARAMS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(project: Path, ruleset: str, name: str = ".spectral.yaml", spec: str = "openapi.yaml") -> list[tuple]:
    (project / name).write_text(ruleset, encoding="utf-8")
    config = load_config(rulesets=[name], discover_config=False)
    result = lint_file(spec, config)
    assert result.error is None, result.error
    return [(f.rule, f.file, f.line, f.column) for f in result.findings]


CUSTOM = """\
extends: [[spectral:oas, off]]
aliases:
  Parameters: ["$.paths[*][*].parameters"]
rules:
  query-kebab:
    description: Query parameters must be kebab-case.
    severity: error
    given: "#Parameters[?(@.in === 'query')]"
    then: {field: name, function: casing, functionOptions: {type: kebab}}
  no-x-paths:
    message: "{{property}} must not start with x-"
    given: "$.paths[*]~"
    then: {function: pattern, functionOptions: {notMatch: "^/x-"}}
  tag-description:
    given: "$.tags[*]"
    then: {field: description, function: truthy}
"""


def test_custom_rules_report_exact_positions_including_referenced_files(project: Path) -> None:
    assert _findings(project, CUSTOM) == [
        ("tag-description", "openapi.yaml", 4, 5),
        ("no-x-paths", "openapi.yaml", 6, 3),
        ("query-kebab", "openapi.yaml", 10, 29),
        ("query-kebab", "params.yaml", 1, 25),  # reached through a $ref, reported where it is written
    ]


def test_messages_follow_spectral_templates_and_descriptions(project: Path) -> None:
    (project / ".spectral.yaml").write_text(CUSTOM, encoding="utf-8")
    result = lint_file("openapi.yaml", load_config(rulesets=[".spectral.yaml"], discover_config=False))
    messages = {f.rule: f.message for f in result.findings}
    assert messages["no-x-paths"] == "/x-pets must not start with x-"
    assert messages["query-kebab"] == "Query parameters must be kebab-case."
    assert {f.rule: f.severity for f in result.findings}["tag-description"] is Severity.WARNING  # Spectral default


def test_resolved_false_sees_the_ref_object(project: Path) -> None:
    ruleset = CUSTOM.replace("    severity: error\n", "    severity: error\n    resolved: false\n")
    assert [f for f in _findings(project, ruleset) if f[0] == "query-kebab"] == \
        [("query-kebab", "openapi.yaml", 10, 29)]


def test_formats_and_scoped_aliases(project: Path) -> None:
    ruleset = """\
formats: [oas2]
aliases:
  Info:
    targets:
      - formats: [oas3]
        given: ["$.info"]
rules:
  only-swagger:
    given: "$.info"
    then: {field: description, function: truthy}
  scoped:
    formats: [oas3_0]
    given: "#Info"
    then: {field: contact, function: defined}
"""
    assert _findings(project, ruleset) == [("scoped", "openapi.yaml", 2, 1)]


def test_overrides_turn_rules_off_for_matching_files(project: Path) -> None:
    ruleset = CUSTOM + "overrides:\n  - files: ['openapi.yaml#/tags']\n    rules: {tag-description: off}\n" \
                       "  - files: ['**/params.yaml']\n    rules: {query-kebab: 'off'}\n"
    assert _findings(project, ruleset) == [("no-x-paths", "openapi.yaml", 6, 3),
                                           ("query-kebab", "openapi.yaml", 10, 29)]


def test_extends_modes_map_spectral_oas_to_the_builtin_rules(project: Path) -> None:
    builtin = load_config(discover_config=False).catalogue.rulesets["spectral"]["rules"]
    off_in_spectral = {i for i, s in builtin.items() if s == "off"}
    for mode, expected in (("recommended", Severity.WARNING), ("all", Severity.WARNING), ("off", None)):
        (project / ".spectral.yaml").write_text(f"extends: [[spectral:oas, {mode}]]\n", encoding="utf-8")
        config = load_config(rulesets=[".spectral.yaml"], discover_config=False)
        assert config.severities["operation-description"] == expected
        switched_on = {i for i in off_in_spectral if config.severities.get(i) is not None}
        assert switched_on == (off_in_spectral if mode == "all" else set())
        assert config.severities["no-unresolved-refs"] == Severity.ERROR  # Spectral's invalid-ref is always on
    (project / ".spectral.yaml").write_text("extends: spectral:oas\nrules:\n  operation-description: error\n"
                                            "  operation-tags: false\n", encoding="utf-8")
    config = load_config(rulesets=[".spectral.yaml"], discover_config=False)
    assert (config.severities["operation-description"], config.severities["operation-tags"]) == (Severity.ERROR, None)


def test_spectral_owasp_selects_the_owasp_rules(project: Path) -> None:
    (project / ".spectral.yaml").write_text("extends: [spectral:owasp]\n", encoding="utf-8")
    config = load_config(rulesets=[".spectral.yaml"], discover_config=False)
    owasp = {i for i, s in config.severities.items() if s is not None}
    assert owasp and all(i.startswith("owasp:") for i in owasp)


def test_javascript_functions_are_skipped_once_with_a_notice(project: Path) -> None:
    ruleset = "functions: [checkThings]\nrules:\n  needs-js:\n    given: $.info\n    then: {function: checkThings}\n" \
              "  title:\n    given: $.info\n    then: {field: termsOfService, function: truthy}\n"
    (project / ".spectral.yaml").write_text(ruleset, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "openapi.yaml", "-f", "json"])  # auto-discovered .spectral.yaml
    assert result.exit_code == 0
    assert [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]] == [("title", 2, 1)]
    assert result.stderr.count("needs-js") == 1
    assert "JavaScript function 'checkThings'" in result.stderr
    assert [n for n in json.loads(result.stdout)["notices"] if "needs-js" in n]


@pytest.mark.parametrize(("ruleset", "message"), [
    ("rules:\n  r:\n    given: $.info\n    then: {function: nope}\n", "unknown function 'nope'"),
    ("extends: https://example.com/ruleset.yaml\n", "remote rulesets are not fetched"),
    ("extends: '@acme/spectral-ruleset'\n", "npm packages cannot be loaded"),
    ("rules:\n  r:\n    given: $.paths[(@.length)]\n    then: {function: truthy}\n", "script expressions"),
    ("rules:\n  r:\n    given: '#Nope'\n    then: {function: truthy}\n", "unknown alias 'Nope'"),
    ("extends: spectral:oas\nrules:\n  operation-descriptio: off\n", "did you mean 'operation-description'"),
    ("rules:\n  r:\n    given: $.info\n    then: {function: length, functionOptions: {max: x}}\n", "functionOptions"),
])
def test_broken_rulesets_are_one_line_exit_2(project: Path, ruleset: str, message: str) -> None:
    (project / ".spectral.yaml").write_text(ruleset, encoding="utf-8")
    with pytest.raises(ConfigError, match="spectral.yaml"):
        load_config(rulesets=[".spectral.yaml"], discover_config=False)
    result = CliRunner().invoke(main, ["lint", "openapi.yaml", "--ruleset", ".spectral.yaml"])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_field_may_be_a_jsonpath_relative_to_the_match(project: Path) -> None:
    ruleset = "rules:\n  param-names:\n    given: $.paths[*][*]\n" \
              "    then: {field: '$.parameters[*].name', function: pattern, functionOptions: {match: '^[a-z]+$'}}\n"
    assert _findings(project, ruleset) == [("param-names", "openapi.yaml", 10, 29),
                                           ("param-names", "params.yaml", 1, 25)]


def test_a_specforge_configuration_wins_over_a_spectral_file(project: Path) -> None:
    (project / ".spectral.yaml").write_text(CUSTOM, encoding="utf-8")
    assert {f.rule for f in lint_file("openapi.yaml", load_config()).findings} >= {"query-kebab"}
    (project / "only.yaml").write_text("rules:\n  operation-description: warning\n", encoding="utf-8")
    (project / ".specforge.yaml").write_text("extends: [only.yaml]\n", encoding="utf-8")
    assert lint_file("openapi.yaml", load_config()).findings == []


def test_specforge_configuration_rules_may_use_jsonpath_given(project: Path) -> None:
    (project / "only.yaml").write_text("rules:\n  operation-description: warning\n", encoding="utf-8")
    (project / ".specforge.yaml").write_text(
        "extends: [only.yaml]\nrules:\n  tag-description:\n    summary: Tags need descriptions.\n"
        "    given: $.tags[*]\n    then: {field: description, function: truthy}\n", encoding="utf-8")
    found = lint_file("openapi.yaml", load_config()).findings
    assert [(f.rule, f.line, f.column, f.severity) for f in found] == [("tag-description", 4, 5, Severity.WARNING)]
