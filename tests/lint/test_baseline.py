"""Baselines: findings are accepted by fingerprint (rule + file + pointer + node content), so line
shifts do not resurrect them, fixed ones are reported stale, and new ones still fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from specforge.cli import main
from specforge.errors import ConfigError
from specforge.findings import Finding, Severity
from specforge.lint.baseline import Baseline, node_digest, read_baseline

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: OK}
    post:
      responses:
        "201": {description: Created}
"""


def lint(*args: str):
    return CliRunner().invoke(main, ["lint", "-r", "only.yaml", *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "only.yaml").write_text("rules:\n  operation-description: error\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_edit_elsewhere_resurrects_nothing_and_the_fixed_finding_is_stale(project: Path) -> None:
    assert lint("api/openapi.yaml").exit_code == 1
    written = lint("api/openapi.yaml", "--write-baseline", "baseline.json")
    assert written.exit_code == 0
    entries = json.loads((project / "baseline.json").read_text())["entries"]
    assert [(e["file"], e["rule"], e["pointer"]) for e in entries] == [
        ("api/openapi.yaml", "operation-description", "/paths/~1pets/get"),
        ("api/openapi.yaml", "operation-description", "/paths/~1pets/post"),
    ]
    edited = SPEC.replace("paths:\n", "tags:\n  - name: pets\n    description: Pets.\npaths:\n")  # 3 lines above
    edited = edited.replace("    post:\n", "    post:\n      description: Adds a pet.\n")         # fixes one
    (project / "api" / "openapi.yaml").write_text(edited, encoding="utf-8")
    again = lint("api/openapi.yaml", "--baseline", "baseline.json", "-f", "json")
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    assert report["findings"] == []
    assert [(e["rule"], e["pointer"]) for e in report["stale_baseline"]] == \
        [("operation-description", "/paths/~1pets/post")]
    assert "baseline entry no longer found (fixed?): operation-description in api/openapi.yaml at " \
           "/paths/~1pets/post" in again.stderr


def test_a_new_finding_is_reported_with_its_position(project: Path) -> None:
    lint("api/openapi.yaml", "--write-baseline", "baseline.json")
    grown = SPEC + "  /owners:\n    get:\n      responses:\n        \"200\": {description: OK}\n"
    (project / "api" / "openapi.yaml").write_text(grown, encoding="utf-8")
    result = lint("api/openapi.yaml", "--baseline", "baseline.json", "-f", "json")
    assert result.exit_code == 1
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in json.loads(result.stdout)["findings"]] == \
        [("operation-description", 12, 5, "/paths/~1owners/get")]


def test_baseline_works_from_another_working_directory(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lint("api/openapi.yaml", "--write-baseline", "baseline.json")
    monkeypatch.chdir(project / "api")
    (project / "api" / "only.yaml").write_text((project / "only.yaml").read_text(), encoding="utf-8")
    result = lint("openapi.yaml", "--baseline", "../baseline.json")
    assert result.exit_code == 0, result.stdout


def test_only_files_linted_now_can_have_stale_entries(project: Path) -> None:
    (project / "api" / "other.yaml").write_text(SPEC, encoding="utf-8")
    lint("api", "--write-baseline", "baseline.json")
    result = lint("api/openapi.yaml", "--baseline", "baseline.json", "-f", "json")
    assert result.exit_code == 0
    assert "stale_baseline" not in json.loads(result.stdout)


def test_node_digest_ignores_nested_content_but_not_own_scalars() -> None:
    data = {"paths": {"/a": {"get": {"summary": "x", "responses": {"200": {"description": "OK"}}}}}}
    before = node_digest(data, "/paths/~1a/get")
    data["paths"]["/a"]["get"]["responses"]["200"]["description"] = "Fine"
    assert node_digest(data, "/paths/~1a/get") == before
    data["paths"]["/a"]["get"]["summary"] = "y"
    assert node_digest(data, "/paths/~1a/get") != before
    assert node_digest(data, "/paths/~1a/get/description") != node_digest(data, "/paths/~1a/get/summary")


def test_counts_allow_repeated_identical_findings() -> None:
    finding = Finding("a.yaml", 1, 1, "r", Severity.ERROR, "m", pointer="/x", fingerprint="f1")
    baseline = Baseline.of([finding, finding], Path("baseline.json").resolve())
    assert [e.count for e in baseline.entries] == [2]
    new, stale = baseline.filter([finding] * 3, ["a.yaml"])
    assert len(new) == 1 and stale == []
    new, stale = baseline.filter([finding], ["a.yaml"])
    assert new == [] and [e.count for e in stale] == [1]


@pytest.mark.parametrize("text", ["not json", '{"version": 99, "entries": []}', '{"version": 1, "entries": [{}]}'])
def test_broken_baseline_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="baseline"):
        read_baseline(path)
