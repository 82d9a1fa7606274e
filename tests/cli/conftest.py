"""Shared files for the CLI tests: small specs with known findings and a ruleset limited to two
stable rules, so the expectations do not move when rules are added to the catalogue.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOOD = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      description: Lists pets.
      responses:
        "200": {description: OK}
"""

# operation-description (warning) at 5:5; oas3-schema (error: info.version missing) at 2:1
BAD = """\
openapi: 3.0.3
info: {title: Pets}
paths:
  /pets:
    get:
      responses:
        "200": {description: OK}
"""

WARN_ONLY = GOOD.replace("      description: Lists pets.\n", "")  # operation-description at 5:5

RULESET = "rules:\n  operation-description: warning\n  oas3-schema: error\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with ``good.yaml``, ``bad.yaml``, ``warn.yaml`` and ``only.yaml`` (the ruleset)."""
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "warn.yaml").write_text(WARN_ONLY, encoding="utf-8")
    (tmp_path / "only.yaml").write_text(RULESET, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", str(tmp_path / ".cache"))
    return tmp_path
