"""The default ruleset stays quiet on well-kept real specs: every finding left is listed here,
with the reason it is a real problem in that spec (not a false positive).

When a rule is added to ``recommended`` and this test fails, either the new finding is a real
problem (add it with its reason) or the rule is too noisy for the default set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.lint.api import lint_file
from specforge.lint.config import load_config

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

EXPECTED: dict[str, list[tuple[str, int]]] = {
    "openapi3/redocly-museum.yaml": [
        # components.securitySchemes.MuseumPlaceholderAuth is `type: http, scheme: basic`.
        ("owasp:api2:2023-no-http-basic", 421),
    ],
    "openapi3/swagger-petstore-v3.yaml": [
        # The /user operations (POST /user, /user/createWithList, PUT/DELETE /user/{username})
        # and POST/DELETE /store/order* declare no security at all.
        ("owasp:api2:2023-write-restricted", 377),
        ("owasp:api2:2023-write-restricted", 440),
        ("owasp:api2:2023-write-restricted", 465),
        ("owasp:api2:2023-write-restricted", 497),
        # GET /user/login takes `password` as a query parameter: it ends up in logs and history.
        ("owasp:api2:2023-no-credentials-in-url", 537),
        ("owasp:api2:2023-write-restricted", 611),
        ("owasp:api2:2023-write-restricted", 646),
        # components.requestBodies Pet and UserArray are never referenced.
        ("oas3-unused-component", 810),
        ("oas3-unused-component", 819),
        # petstore_auth uses the OAuth 2 implicit flow, removed by OAuth 2.1 / RFC 9700.
        ("no-oauth2-deprecated-flows", 831),
    ],
    "openapi3/oai-petstore-expanded.yaml": [
        # No operation has tags (Spectral's operation-tags warns the same).
        ("operation-tags", 18),
        ("operation-tags", 57),
        # The spec declares no security: POST /pets and DELETE /pets/{id} are open writes.
        ("owasp:api2:2023-write-restricted", 57),
        ("operation-tags", 81),
        # operationId "find pet by id" contains spaces.
        ("operation-operationId-valid-in-url", 83),
        ("operation-tags", 105),
        ("owasp:api2:2023-write-restricted", 105),
    ],
}


@pytest.mark.parametrize("spec", sorted(EXPECTED))
def test_default_ruleset_reports_only_the_justified_findings(spec: str, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    path = CORPUS / spec
    assert path.is_file(), f"corpus spec missing: {path}"
    monkeypatch.chdir(tmp_path)
    result = lint_file(path, load_config(discover_config=False))
    assert result.error is None
    got = sorted((f.rule, f.line) for f in result.findings)
    assert got == sorted(EXPECTED[spec]), "\n".join(f"{f.rule} {f.line}:{f.column} {f.message}"
                                                  for f in result.findings)
