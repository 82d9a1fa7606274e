"""Independent judge: ``schemathesis run --checks all`` against the running mock finds nothing.

Each spec gets its own real server (``--token secret``, so schemathesis' explicit credentials are the valid ones
and anything else is refused). The runs go in parallel to keep the module near half a minute.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from mock_support import CORPUS, PETSTORE2, PETSTORE3, Server

BASIC = "Basic " + base64.b64encode(b"user:secret").decode()
#: (spec, base path, Authorization header, extra mock options)
TARGETS: dict[str, tuple[Path, str, str, tuple[str, ...]]] = {
    "fixture petstore-3.0": (PETSTORE3, "/v1", "Bearer secret", ()),
    "fixture petstore-2.0": (PETSTORE2, "/v2", BASIC, ()),
    "oai-petstore (2.0)": (CORPUS / "openapi2/oai-petstore.yaml", "/v1", "Bearer secret", ()),
    "oai-petstore-separate (2.0, multi-file)": (
        CORPUS / "openapi2/oai-petstore-separate/spec/swagger.yaml", "/api", "Bearer secret",
        ("--ref-root", str(CORPUS / "openapi2/oai-petstore-separate"))),
    "oai-uber (2.0)": (CORPUS / "openapi2/oai-uber.json", "/v1", "Bearer secret", ()),
    "oai-petstore-expanded (3.0)": (CORPUS / "openapi3/oai-petstore-expanded.yaml", "/v2", "Bearer secret", ()),
    "oai-api-with-examples (3.0)": (CORPUS / "openapi3/oai-api-with-examples.yaml", "", "Bearer secret", ()),
    "oai-tictactoe (3.0)": (CORPUS / "openapi3/oai-tictactoe.yaml", "", "Bearer secret", ()),
}


def _judge(spec: Path, base: str, authorization: str, options: tuple[str, ...]) -> tuple[int, str]:
    server = Server(spec, "--token", "secret", "--token", "user:secret", *options, base=base)
    try:
        with tempfile.TemporaryDirectory() as scratch:  # schemathesis writes a .schemathesis/ cache in its cwd
            result = subprocess.run(
                [sys.executable, "-m", "schemathesis.cli", "run", str(spec), "--url", server.url, "--checks", "all",
                 "-n", "10", "--seed", "20261125", "--no-color", "-H", "X-API-Key: secret", "-H", "api_key: secret",
                 "-H", f"Authorization: {authorization}"],
                cwd=scratch, capture_output=True, text=True, timeout=180)
        return result.returncode, result.stdout[-6000:] + result.stderr[-2000:]
    finally:
        server.stop()


@pytest.fixture(scope="module")
def verdicts() -> dict[str, tuple[int, str]]:
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(_judge, *target) for name, target in TARGETS.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(TARGETS))
def test_schemathesis_checks_all_find_no_failure_and_no_error(verdicts, name):
    code, output = verdicts[name]
    summary = output.strip().splitlines()[-1]
    assert code == 0, output
    assert "passed" in output and "failure" not in summary and "error" not in summary, output
