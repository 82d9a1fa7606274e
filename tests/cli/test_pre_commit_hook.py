"""The hooks in ``.pre-commit-hooks.yaml`` run by pre-commit itself: ``try-repo`` and a real commit.

pre-commit installs specforge from a git snapshot of this checkout into its own virtualenv (pip
fetches the build backend and dependencies from the package index), then runs the hook on the
staged spec files: a spec with an error fails, a clean one passes, the strict hook fails on warnings,
and files outside the hook's ``files`` pattern are not passed to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
GOOD = 'openapi: 3.0.3\ninfo: {title: Pets, version: "1"}\npaths:\n  /pets:\n    get:\n' \
       '      description: Lists pets.\n      responses:\n        "200": {description: OK}\n'
WARN = GOOD.replace("      description: Lists pets.\n", "")
BAD = GOOD.replace('info: {title: Pets, version: "1"}', "info: {title: Pets}")

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git snapshot of this checkout (what pre-commit clones), and its commit."""
    snapshot = tmp_path_factory.mktemp("specforge-snapshot")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("specforge", "rules"):
        shutil.copytree(REPO / name, snapshot / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, snapshot / name)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-qm", "snapshot")
    return snapshot, _git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
            "SPECFORGE_CACHE_DIR": str(tmp_path_factory.mktemp("specforge-cache"))}


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    """A project using the hook; its ``.specforge.yaml`` limits the rules so expectations stay fixed."""
    (tmp_path / "ruleset.yaml").write_text("rules:\n  operation-description: warning\n  oas3-schema: error\n",
                                           encoding="utf-8")
    (tmp_path / ".specforge.yaml").write_text("extends: [ruleset.yaml]\n", encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "openapi-warn.yaml").write_text(WARN, encoding="utf-8")
    (tmp_path / "swagger-bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("not: [a spec", encoding="utf-8")  # outside the hook's files pattern
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    return tmp_path


def _try(hook_repo: tuple[Path, str], env: dict[str, str], cwd: Path, hook: str, *files: str) -> tuple[int, str]:
    run = subprocess.run([*PRE_COMMIT, "try-repo", str(hook_repo[0]), hook, "--verbose", "--files", *files],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    return run.returncode, run.stdout + run.stderr


def test_try_repo_fails_the_bad_spec_and_passes_the_good(hook_repo, env, user_repo: Path) -> None:
    code, out = _try(hook_repo, env, user_repo, "specforge-lint", "swagger-bad.yaml")
    assert code == 1, out
    assert "2:1  error    oas3-schema" in out and "specforge lint" in out and "Failed" in out
    code, out = _try(hook_repo, env, user_repo, "specforge-lint", "openapi.yaml", "openapi-warn.yaml")
    assert code == 0, out
    assert "Passed" in out
    code, out = _try(hook_repo, env, user_repo, "specforge-lint-strict", "openapi-warn.yaml")
    assert code == 1, out
    assert "5:5  warning  operation-description" in out
    code, out = _try(hook_repo, env, user_repo, "specforge-lint", "notes.yaml")
    assert code == 0 and "(no files to check)Skipped" in out, out


def test_a_commit_with_a_broken_spec_is_refused(hook_repo, env, user_repo: Path) -> None:
    path, rev = hook_repo
    (user_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: specforge-lint\n", encoding="utf-8")
    subprocess.run([*PRE_COMMIT, "install"], cwd=user_repo, env=env, check=True, capture_output=True)
    _git(user_repo, "reset", "-q")
    _git(user_repo, "add", ".pre-commit-config.yaml", ".specforge.yaml", "ruleset.yaml", "swagger-bad.yaml")
    refused = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", "bad"],
                             cwd=user_repo, env=env, capture_output=True, text=True, timeout=900)
    assert refused.returncode != 0, refused.stdout
    assert "oas3-schema" in refused.stdout + refused.stderr
    _git(user_repo, "reset", "-q", "swagger-bad.yaml")
    _git(user_repo, "add", "openapi.yaml")
    accepted = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", "good"],
                              cwd=user_repo, env=env, capture_output=True, text=True, timeout=900)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "specforge lint" in accepted.stderr and "Passed" in accepted.stderr  # git shows hook output on stderr
