"""The lint path stays light: the pre-commit hook runs on every commit."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES

HEAVY = ("flask", "faker", "werkzeug", "lxml", "jsonschema", "hypothesis", "xmlschema", "gunicorn")


def _modules_after(code: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                            capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_importing_the_cli_loads_nothing_heavy() -> None:
    loaded = _modules_after("import specforge.cli")
    assert not [m for m in HEAVY if m in loaded]


def test_linting_a_spec_loads_nothing_heavy() -> None:
    spec = FIXTURES / "rules" / "operation-description" / "cases.yaml"  # any YAML; a lint run on a real spec:
    code = (
        "from specforge.lint.api import lint_file\n"
        f"import glob\nfor p in sorted(glob.glob({str(FIXTURES / 'specs' / '*.yaml')!r})): lint_file(p)\n"
        f"lint_file({str(spec)!r})\n"
    )
    loaded = _modules_after(code)
    assert not [m for m in HEAVY if m in loaded]


def test_linting_a_json_spec_through_the_cli_loads_only_the_json_path(tmp_path) -> None:
    """The pre-commit case: no YAML library, no Spectral JSONPath evaluator, no process pool for one file."""
    spec = tmp_path / "api.json"
    spec.write_text('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}')
    code = (
        "import sys\nfrom specforge.cli import main\nsys.argv = ['specforge', 'lint', '-q', " + repr(str(spec)) + "]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    loaded = _modules_after(code)
    assert "yaml" not in loaded
    assert "specforge.lint.spectral.jsonpath" not in loaded
    assert "concurrent.futures.process" not in loaded
