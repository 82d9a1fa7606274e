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
