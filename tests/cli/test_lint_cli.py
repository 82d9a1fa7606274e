"""``specforge lint`` through click's CliRunner: formats and outputs, exit codes, many files, jobs,
cache, baselines from the configuration, and one-line errors for bad input.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from junitparser import JUnitXml

from specforge.cli import main


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["lint", "-r", "only.yaml", *args], catch_exceptions=False)


def _one_error_line(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


def test_text_findings_and_exit_codes(project: Path) -> None:
    result = run("bad.yaml")
    assert result.exit_code == 1
    assert "  2:1  error    oas3-schema" in result.stdout
    assert "  5:5  warning  operation-description" in result.stdout
    assert result.stdout.rstrip().endswith("2 problems (1 error, 1 warning) in 1 file.")
    assert run("warn.yaml").exit_code == 0
    assert run("warn.yaml", "--fail-severity", "warning").exit_code == 1
    assert run("good.yaml").stdout == "No problems found in 1 file.\n"
    assert run("good.yaml", "--quiet").stdout == ""


def test_several_formats_in_one_run(project: Path) -> None:
    result = run("bad.yaml", "good.yaml", "-f", "text", "-o", "sarif=out/report.sarif", "-o", "junit=junit.xml",
                 "-o", "json=report.json")
    assert result.exit_code == 1
    assert "oas3-schema" in result.stdout  # text went to stdout
    sarif = json.loads((project / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"oas3-schema", "operation-description"}
    assert all(r["partialFingerprints"] for r in sarif["runs"][0]["results"])  # text beside it needs none
    suites = {s.name: s for s in JUnitXml.fromfile(str(project / "junit.xml"))}
    assert set(suites) == {"bad.yaml", "good.yaml"} and suites["good.yaml"].failures == 0
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == \
        [("oas3-schema", 2, 1), ("operation-description", 5, 5)]
    assert not list(project.glob("**/.*.tmp"))


def test_bare_output_takes_the_single_format(project: Path) -> None:
    result = run("bad.yaml", "-f", "github", "-o", "annotations.txt")
    assert result.stdout == ""
    text = (project / "annotations.txt").read_text(encoding="utf-8")
    assert text.startswith("::error file=bad.yaml,line=2,col=1,")


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "json", "-f", "sarif"], "json, sarif would all go to stdout"),
    (["-o", "pdf=x.pdf"], "expected FORMAT=FILE"),
    (["-o", "json="], "missing file name"),
    (["--baseline", "missing.json"], "baseline file not found"),
    (["-r", "nope"], "unknown ruleset 'nope'"),
])
def test_bad_options_are_one_line_exit_2(project: Path, args: list[str], message: str) -> None:
    result = run("bad.yaml", *args)
    assert result.exit_code == 2
    assert message in _one_error_line(result)


def test_unwritable_output_is_exit_2_and_leaves_no_partial_file(project: Path) -> None:
    (project / "taken").mkdir()
    result = run("bad.yaml", "-o", "json=taken")  # a directory: cannot be replaced by a file
    assert result.exit_code == 2
    assert "taken: cannot write" in _one_error_line(result)
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


def test_directories_globs_and_non_spec_files(project: Path) -> None:
    api = project / "api" / "v1"
    api.mkdir(parents=True)
    (api / "openapi.yaml").write_text((project / "bad.yaml").read_text(), encoding="utf-8")
    (api / "settings.yaml").write_text("debug: true\n", encoding="utf-8")  # not a spec: skipped
    (api / "broken.json").write_text("{not json", encoding="utf-8")       # not a spec: skipped
    (project / "api" / ".hidden").mkdir()
    (project / "api" / ".hidden" / "openapi.yaml").write_text("x: [", encoding="utf-8")
    result = run("api", "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 1
    assert {f["file"] for f in report["findings"]} == {"api/v1/openapi.yaml"}
    by_glob = json.loads(run("*.yaml", "-f", "json").stdout)  # a glob, like a folder, skips non-specs (only.yaml)
    assert by_glob["summary"]["files"] == 3
    assert {f["file"] for f in by_glob["findings"]} == {"bad.yaml", "warn.yaml"}
    named = run("api/v1/settings.yaml")
    assert named.exit_code == 2
    assert "not an OpenAPI or WSDL document" in _one_error_line(named)
    nothing = run("specs/**/*.yaml")
    assert nothing.exit_code == 2 and "no files match" in _one_error_line(nothing)


def test_parallel_jobs_give_the_same_results_in_input_order(project: Path) -> None:
    for i in range(6):
        (project / f"spec{i}.yaml").write_text((project / ("bad.yaml" if i % 2 else "warn.yaml")).read_text(),
                                               encoding="utf-8")
    files = [f"spec{i}.yaml" for i in range(6)]
    serial = run(*files, "-j", "1", "-f", "json")
    parallel = run(*files, "-j", "2", "-f", "json")
    assert parallel.exit_code == serial.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert json.loads(parallel.stdout)["summary"]["total"] == 9


def test_baseline_from_the_configuration_file(project: Path) -> None:
    (project / ".specforge.yaml").write_text("extends: [only.yaml]\nbaseline: accepted.json\n", encoding="utf-8")
    written = CliRunner().invoke(main, ["lint", "bad.yaml", "--write-baseline", "accepted.json"])
    assert written.exit_code == 0
    assert "wrote 2 finding(s)" in written.stderr
    again = CliRunner().invoke(main, ["lint", "bad.yaml"])
    assert again.exit_code == 0
    assert again.stdout == "No problems found in 1 file.\n"


def test_fail_severity_from_the_configuration(project: Path) -> None:
    (project / ".specforge.yaml").write_text("extends: [only.yaml]\nfail-severity: warning\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["lint", "warn.yaml"]).exit_code == 1
    assert CliRunner().invoke(main, ["lint", "warn.yaml", "-F", "error"]).exit_code == 0


def test_missing_file_is_exit_2_with_the_others_still_reported(project: Path) -> None:
    result = run("missing.yaml", "bad.yaml")
    assert result.exit_code == 2
    assert _one_error_line(result) == "specforge: error: missing.yaml: no such file"
    assert "oas3-schema" in result.stdout


def test_cache_reuses_results_until_the_file_changes(project: Path) -> None:
    first = run("bad.yaml", "warn.yaml", "--cache", "-f", "json")
    entries = sorted((project / ".cache" / "specforge" / "results").glob("*.json"))
    assert len(entries) == 2
    assert run("bad.yaml", "warn.yaml", "--cache", "-f", "json").stdout == first.stdout
    (project / "bad.yaml").write_text((project / "good.yaml").read_text(), encoding="utf-8")
    fixed = json.loads(run("bad.yaml", "warn.yaml", "--cache", "-f", "json").stdout)
    assert [(f["file"], f["rule"]) for f in fixed["findings"]] == [("warn.yaml", "operation-description")]


def test_format_from_the_configuration(project: Path) -> None:
    (project / ".specforge.yaml").write_text("extends: [only.yaml]\nformat: github\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "warn.yaml"])
    assert result.stdout.startswith("::warning file=warn.yaml,line=5,col=5,")


def test_folder_search_recognises_json_yaml_and_wsdl_specs(project: Path) -> None:
    from specforge.lint.discovery import search

    folder = project / "specs"
    folder.mkdir()
    (folder / "a.json").write_bytes(b'\xef\xbb\xbf{\n  "info": {},\n  "swagger": "2.0"\n}')
    (folder / "b.yml").write_text("# comment\n'openapi': 3.1.0\n", encoding="utf-8")
    (folder / "c.yaml").write_text("components:\n  openapi: nested, not a spec\n", encoding="utf-8")
    (folder / "d.wsdl").write_text("<definitions/>", encoding="utf-8")
    (folder / "e.txt").write_text("openapi: 3.0.0\n", encoding="utf-8")
    assert [Path(p).name for p in search(folder)] == ["a.json", "b.yml", "d.wsdl"]
