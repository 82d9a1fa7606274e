"""``specforge rules`` and ``specforge rules explain``: what users see, through click's runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from specforge.cli import main


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _rows(out: str) -> dict[str, list[str]]:
    """Table rows by rule id: [severity, formats, summary]."""
    rows = {}
    for line in out.split("\n\n")[0].splitlines()[1:]:
        parts = line.split(None, 3)
        if len(parts) == 4:
            rows[parts[0]] = parts[1:]
    return rows


@pytest.fixture(autouse=True)
def _no_project_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .specforge.yaml is discovered from the repository


def test_lists_every_rule_with_its_default_severity_formats_and_summary() -> None:
    code, out, err = _run(["rules"])
    assert code == 0 and err == ""
    assert out.splitlines()[0].split() == ["RULE", "SEVERITY", "FORMATS", "SUMMARY"]
    rows = _rows(out)
    assert rows["no-identical-paths"] == ["error", "oas2,oas3",
                                          "Paths must not be identical once parameter names are ignored."]
    assert rows["no-request-body"][0] == "warning"
    assert rows["paths-kebab-case"][0] == "off"  # not in recommended
    assert rows["spec-components-invalid-map-name"][1] == "oas3.0"
    on = sum(1 for severity, _, _ in rows.values() if severity != "off")
    assert out.splitlines()[-1] == f"{len(rows)} rules, {on} on (recommended (default))"


def test_ruleset_option_selects_the_topical_rules() -> None:
    code, out, _ = _run(["rules", "--ruleset", "rest"])
    rows = _rows(out)
    assert code == 0
    assert rows["paths-kebab-case"][0] == "warning"
    assert rows["path-segment-plural"][0] == "warning"
    assert rows["operation-description"][0] == "off"  # documentation, not rest
    assert out.splitlines()[-1].endswith("on (rest)")


def test_enabled_lists_only_rules_that_are_on() -> None:
    code, out, _ = _run(["rules", "--enabled", "-r", "documentation"])
    rows = _rows(out)
    assert code == 0 and rows
    assert {severity for severity, _, _ in rows.values()} <= {"error", "warning", "info", "hint"}
    assert "operation-summary" in rows and "no-identical-paths" not in rows


def test_json_format_lists_machine_readable_rows() -> None:
    code, out, _ = _run(["rules", "--format", "json"])
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["camel-case-properties"] == {
        "id": "camel-case-properties", "severity": "off", "default": "warning", "recommended": False,
        "formats": ["oas2", "oas3"], "tags": ["naming", "schemas"],
        "summary": "Schema property names should be camelCase (or the configured case).",
    }


def test_config_severity_and_options_show_in_list_and_explain(tmp_path: Path) -> None:
    config = tmp_path / "team.yaml"
    config.write_text(
        "extends: recommended\n"
        "rules:\n"
        "  no-request-body: off\n"
        "  camel-case-properties: {severity: error, functionOptions: {case: snake}}\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["rules", "--config", str(config)])
    rows = _rows(out)
    assert code == 0
    assert rows["no-request-body"][0] == "off"
    assert rows["camel-case-properties"][0] == "error"
    assert out.splitlines()[-1].endswith(f"on ({config})")
    code, out, _ = _run(["rules", "explain", "camel-case-properties", "--config", str(config)])
    assert code == 0
    assert "Severity: error here (default warning, not in recommended)" in out
    assert 'Current: {"case": "snake"}' in out


def test_explain_prints_every_documentation_section_in_order() -> None:
    code, out, err = _run(["rules", "explain", "no-request-body"])
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "no-request-body"
    assert lines[1] == "  GET, HEAD, DELETE and OPTIONS operations should not have a request body."
    headings = [line for line in lines if line in ("Why:", "Bad:", "Good:", "Fix:", "Options:")]
    assert headings == ["Why:", "Bad:", "Good:", "Fix:", "Options:"]
    bad = lines[lines.index("Bad:") + 1:lines.index("Good:")]
    assert "          requestBody:" in bad  # the example, indented by four spaces
    assert "Severity: warning here (default warning, in recommended)" in out
    assert "methods: the methods to check" in out
    assert lines[-1] == "Defined in rules/oas/no-request-body.yaml"


def test_explain_unknown_rule_suggests_close_ids_and_exits_2() -> None:
    code, out, err = _run(["rules", "explain", "paths-kebab-cas"])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("specforge: error: unknown rule 'paths-kebab-cas'. Did you mean 'paths-kebab-case'")


def test_explain_unknown_rule_without_a_close_match() -> None:
    code, _, err = _run(["rules", "explain", "zzzz"])
    assert code == 2
    assert "Did you mean" not in err and "unknown rule 'zzzz'" in err


@pytest.mark.parametrize(("args", "needle"), [
    (["rules", "--ruleset", "no-such-set"], "unknown ruleset 'no-such-set'"),
    (["rules", "--config", "missing.yaml"], "missing.yaml: no such file"),
    (["rules", "explain", "no-request-body", "-c", "missing.yaml"], "missing.yaml: no such file"),
])
def test_bad_configuration_is_one_line_and_exit_2(args: list[str], needle: str) -> None:
    code, out, err = _run(args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err


@pytest.mark.parametrize(("entry", "needle"), [
    ("paths-kebab-case: {functionOptions: {case: shouting}}", "rules.paths-kebab-case: bad functionOptions"),
    ("operation-summary: {functionOptions: {x: 1}}", "'operation-summary': functionOptions must be a mapping,"
                                                     " for a rule that takes options"),
    ("no-request-body: {severity: warning, method: [get]}", "'no-request-body': unknown key(s) method"),
    ("no-request-body: {severity: loud}", "unknown severity 'loud'"),
])
def test_broken_rule_configuration_names_the_rule(entry: str, needle: str, tmp_path: Path) -> None:
    (tmp_path / ".specforge.yaml").write_text(f"rules:\n  {entry}\n", encoding="utf-8")
    code, _, err = _run(["rules"])  # discovered from the working directory
    assert code == 2
    assert needle in err and err.count("\n") == 1 and ".specforge.yaml" in err


def test_rules_command_imports_nothing_heavy() -> None:
    code = ("from click.testing import CliRunner\nfrom specforge.cli import main\n"
            "r = CliRunner().invoke(main, ['rules', 'explain', 'no-request-body'])\nassert r.exit_code == 0\n"
            "import sys; print(' '.join(sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    assert not loaded & {"flask", "faker", "werkzeug", "lxml", "jsonschema"}
