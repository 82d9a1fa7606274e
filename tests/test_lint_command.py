"""``specforge lint`` basics: output shapes, exit codes, errors on stderr — click runner and subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from specforge import __version__
from specforge.cli import main

GOOD = ("openapi: 3.0.3\ninfo: {title: t, version: '1', description: d, contact: {name: n}}\n"
        "servers: [{url: 'https://api.example.org'}]\ntags: []\npaths: {}\n")
BAD = "openapi: 3.0.3\ninfo:\n  title: t\npaths: {}\n"


def _run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_clean_file_exits_zero_with_a_summary(write_files, monkeypatch) -> None:
    root = write_files({"good.yaml": GOOD})
    monkeypatch.chdir(root)
    code, out, _ = _run(["lint", "-r", "recommended", "good.yaml"], root)
    assert code == 0
    assert "No problems found in 1 file." in out


def test_error_finding_exits_one_and_names_rule_and_position(write_files, monkeypatch) -> None:
    root = write_files({"bad.yaml": BAD})
    monkeypatch.chdir(root)
    code, out, _ = _run(["lint", "bad.yaml"], root)
    assert code == 1
    assert out.splitlines()[0] == "bad.yaml"
    assert "2:1" in out and "oas3-schema" in out and '"version" property must be defined' in out
    assert "error" in out.splitlines()[-1]


def test_json_format_has_findings_and_summary(write_files, monkeypatch) -> None:
    root = write_files({"bad.yaml": BAD})
    monkeypatch.chdir(root)
    code, out, _ = _run(["lint", "--format", "json", "bad.yaml"], root)
    payload = json.loads(out)
    finding = next(f for f in payload["findings"] if f["rule"] == "oas3-schema")
    assert finding == {
        "rule": "oas3-schema", "severity": "error", "message": '"version" property must be defined',
        "file": "bad.yaml", "line": 2, "column": 1, "end_line": 2, "end_column": 5, "pointer": "/info",
    }
    assert payload["summary"]["errors"] >= 1 and payload["summary"]["files"] == 1
    assert code == 1


def test_fail_severity_controls_the_exit_code(write_files, monkeypatch) -> None:
    root = write_files({"warn.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
                                     "  /a:\n    get:\n      responses:\n        '200': {description: OK}\n"})
    monkeypatch.chdir(root)
    assert _run(["lint", "warn.yaml"], root)[0] == 0
    assert _run(["lint", "--fail-severity", "warning", "warn.yaml"], root)[0] == 1


def test_unreadable_file_is_exit_two_and_other_files_are_still_linted(write_files, monkeypatch) -> None:
    root = write_files({"bad.yaml": BAD, "broken.yaml": "a: [1\n"})
    monkeypatch.chdir(root)
    code, out, err = _run(["lint", "missing.yaml", "broken.yaml", "bad.yaml"], root)
    assert code == 2
    assert "specforge: error: missing.yaml: no such file" in err
    assert "specforge: error: broken.yaml:2:1: not valid YAML or JSON" in err
    assert "oas3-schema" in out  # bad.yaml was still linted
    assert "Traceback" not in err


def test_quiet_prints_nothing_when_clean(write_files, monkeypatch) -> None:
    root = write_files({"good.yaml": GOOD})
    monkeypatch.chdir(root)
    code, out, _ = _run(["lint", "--quiet", "good.yaml"], root)
    assert (code, out) == (0, "")


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_console_script_runs_in_a_real_process(write_files) -> None:
    root = write_files({"bad.yaml": BAD})
    result = subprocess.run([sys.executable, "-m", "specforge", "lint", "--format", "json", "bad.yaml"],
                            cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert json.loads(result.stdout)["findings"][0]["file"] == "bad.yaml"
    broken = subprocess.run([sys.executable, "-m", "specforge", "lint", "nope.yaml"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode == 2
    assert broken.stderr.strip() == "specforge: error: nope.yaml: no such file"
