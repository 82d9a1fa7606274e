"""The real program: ``python -m specforge lint`` in a subprocess, and what a full CI-style run imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("flask", "faker", "werkzeug", "lxml", "jsonschema")


def test_subprocess_run_writes_reports_and_exits_1(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "specforge", "lint", "-r", "only.yaml", ".", "--jobs", "2",
         "-f", "github", "-o", "sarif=out.sarif", "-o", "gitlab=gl.json"],
        capture_output=True, text=True, cwd=project, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "::error file=bad.yaml,line=2,col=1,endLine=2,endColumn=5,title=oas3-schema::"
        "\"version\" property must be defined",
        "::warning file=bad.yaml,line=5,col=5,endLine=5,endColumn=8,title=operation-description::"
        "Operation \"description\" must be present and non-empty.",
        "::warning file=warn.yaml,line=5,col=5,endLine=5,endColumn=8,title=operation-description::"
        "Operation \"description\" must be present and non-empty.",
    ]
    assert len(json.loads((project / "out.sarif").read_text())["runs"][0]["results"]) == 3
    assert [i["location"]["lines"]["begin"] for i in json.loads((project / "gl.json").read_text())] == [2, 5, 5]


def test_bad_input_is_one_line_without_traceback(project: Path) -> None:
    (project / "notes.yaml").write_text("just: notes\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "specforge", "lint", "notes.yaml"],
                            capture_output=True, text=True, cwd=project, timeout=120)
    assert result.returncode == 2
    assert result.stderr == ("specforge: error: notes.yaml: not an OpenAPI or WSDL document "
                             "(no 'openapi' or 'swagger' key at the top)\n")


def test_a_ci_run_with_every_feature_imports_nothing_heavy(project: Path) -> None:
    (project / ".spectral.yaml").write_text(
        "extends: [[spectral:oas, off]]\nrules:\n  t:\n    given: $.info\n    then: {field: title, function: truthy}\n",
        encoding="utf-8")
    (project / "ignored.yaml").write_text((project / "bad.yaml").read_text() + "x-lint-ignore: [oas3-schema]\n",
                                          encoding="utf-8")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from specforge.cli import main\n"
        "args = ['lint', '.', '--ruleset', '.spectral.yaml', '--ruleset', 'only.yaml', '-j', '1', '--cache',\n"
        "        '--write-baseline', 'b.json']\n"
        "CliRunner().invoke(main, args, catch_exceptions=False)\n"
        "outputs = [f'{name}=out.{name}' for name in ('json', 'sarif', 'junit', 'github', 'gitlab', 'markdown')]\n"
        "args = ['lint', '.', '-r', 'only.yaml', '--baseline', 'b.json', '-f', 'text', '--cache']\n"
        "result = CliRunner().invoke(main, args + [x for o in outputs for x in ('-o', o)], catch_exceptions=False)\n"
        "print(result.exit_code)\n"
        "print(' '.join(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, timeout=120)
    exit_code, modules = result.stdout.splitlines()[-2:]
    assert exit_code == "0", result.stdout + result.stderr
    assert all((project / f"out.{name}").is_file() for name in ("json", "sarif", "junit", "markdown"))
    loaded = set(modules.split())
    assert [m for m in HEAVY if m in loaded] == []
