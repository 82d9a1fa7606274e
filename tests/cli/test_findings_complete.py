"""No finding is lost when many files are linted at once: ``--format json`` over corpus specs of every
version (multi-file ones too), WSDLs and a broken file holds exactly the findings of each file linted
alone -- serially and with ``--jobs 2``, with and without ``--cache`` (a cold and a warm cache, which must
also be reused across processes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import CORPUS

FILES = [
    "openapi2/oai-petstore.yaml",
    "openapi2/oai-petstore-separate/spec/swagger.yaml",  # $refs into sibling files
    "openapi2/giantswarm-v4/giantswarm-v4.yaml",
    "openapi2/instagram.yaml",
    "openapi2/gitea.json",
    "openapi3/oai-callback-example.yaml",
    "openapi3/oai-link-example.yaml",
    "openapi3/redoc-petstore-extended.yaml",
    "openapi3/swagger-petstore-v3.yaml",
    "openapi3/oai-31-mega.yaml",
    "openapi3/redoc-petstore-31.yaml",
    "openapi3/redocly-museum.yaml",
    "openapi3/redocly-openapi-starter/openapi.yaml",  # 3.1, many files
    "wsdl/calculator-tempuri.wsdl",
    "wsdl/gs1-epcis-query/EPCglobal-epcis-query-1_2.wsdl",  # XSD imports
]
Key = tuple[str, str, int, int, str]


def _lint(args: list[str]) -> tuple[int, dict]:
    """``specforge lint -r all --format json ARGS`` from the corpus folder (findings name files relative to it)."""
    run = subprocess.run([sys.executable, "-m", "specforge", "lint", "-r", "all", "--format", "json", *args],
                         cwd=CORPUS, capture_output=True, text=True, timeout=300)
    assert run.returncode in (1, 2), run.stderr
    return run.returncode, json.loads(run.stdout)


def _keys(report: dict) -> Counter[Key]:
    return Counter((f["file"], f["rule"], f["line"], f["column"], f["message"]) for f in report["findings"])


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("complete") / "broken.yaml"
    path.write_text("openapi: 3.0.3\ninfo: [\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def alone() -> dict[str, Counter[Key]]:
    """Each file's findings when linted by itself."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda file: _lint([file, "--no-cache"])[1], FILES))
    expected = {file: _keys(report) for file, report in zip(FILES, reports, strict=True)}
    assert all(expected.values()), [file for file, keys in expected.items() if not keys]
    return expected


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("cache", [False, True])
def test_json_of_many_files_holds_every_finding_of_each(alone: dict[str, Counter[Key]], broken: str, jobs: str,
                                                         cache: bool, tmp_path: Path) -> None:
    expected = sum(alone.values(), Counter())
    options = ["--cache", "--cache-dir", str(tmp_path / "cache")] if cache else ["--no-cache"]
    runs = 2 if cache else 1  # the cold run fills the cache, the warm one answers from it
    for _ in range(runs):
        code, report = _lint([*FILES[:7], broken, *FILES[7:], "--jobs", jobs, *options])
        assert code == 2
        assert len(report["errors"]) == 1 and "broken.yaml" in report["errors"][0]["file"]
        assert _keys(report) == expected
        assert report["summary"]["files"] == len(FILES) + 1
    if cache:
        assert len(list((tmp_path / "cache").iterdir())) == len(FILES)  # one entry each, reused by the warm run


def test_cache_key_is_the_same_in_every_process() -> None:
    """Rules hold frozensets, whose ``repr`` order follows the per-process string hash: a key built from ``repr``
    changed with every run, so ``--cache`` never hit across runs.
    """
    code = ("from specforge.cli.lint import _result_cache, _load_config\n"
            "from specforge.lint.api import LintOptions\n"
            "print(_result_cache(_load_config(None, ('all',)), LintOptions(), None).key)\n")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=CORPUS,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64
