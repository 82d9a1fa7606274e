"""Every corpus spec lints with exit 0 or 1 — never an input error, never an exception."""

from __future__ import annotations

import pytest

from specforge.lint.api import lint_file
from specforge.lint.config import load_config
from tests.conftest import CORPUS

FAST_SUBSET = [
    "openapi2/oai-petstore.yaml",
    "openapi2/oai-petstore-separate/spec/swagger.yaml",
    "openapi2/giantswarm-v4/giantswarm-v4.yaml",
    "openapi2/mermade-twolevel/index.yaml",
    "openapi2/instagram.yaml",
    "openapi2/gitea.json",
    "openapi2/redoc-petstore-extended.yaml",
    "openapi2/goswagger-todolist-schemavalidation.yaml",
    "openapi3/oai-31-mega.yaml",
    "openapi3/oai-callback-example.yaml",
    "openapi3/oai-webhook-example.yaml",
    "openapi3/redoc-petstore-31.yaml",
    "openapi3/redoc-petstore-extended.yaml",
    "openapi3/redocly-museum.yaml",
    "openapi3/redocly-openapi-starter/openapi.yaml",
    "openapi3/swaggerparser-31-multifile/root.json",
    "openapi3/swagger-petstore-v3.yaml",
    "openapi3/mermade-extensions-everywhere.yaml",
    "openapi3/xero-webhooks.yaml",
    "openapi3/asana-app-components.yaml",
    "openapi3/spotify-web-api.yaml",
]


@pytest.fixture(scope="module")
def config():
    return load_config(rulesets=["all"], discover_config=False)


@pytest.mark.parametrize("relative", FAST_SUBSET)
def test_corpus_spec_lints_without_input_error(relative: str, config) -> None:
    path = CORPUS / relative
    assert path.is_file(), f"corpus file missing: {path}"
    result = lint_file(path, config)
    assert result.error is None, str(result.error)
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1
        assert finding.rule in config.catalogue.rules
