"""The security rules beyond their YAML cases: the ``owasp`` ruleset, what ``recommended`` takes,
the helpers that decide boundedness and secrecy, the 2.0/3.x scheme view, and a real 2.0 spec.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.checks.owasp_string_bounds import is_bounded_format, is_bounded_pattern
from specforge.lint.checks.security_secrets import secret_reason
from specforge.lint.checks.security_transport import is_loopback
from specforge.lint.checks.security_view import scheme_view
from specforge.lint.config import load_config
from tests.conftest import CORPUS

#: The 32 rules of @stoplight/spectral-owasp-ruleset 2.x (src/ruleset.ts) with their severities.
SPECTRAL_OWASP = {
    "owasp:api1:2023-no-numeric-ids": Severity.ERROR,
    "owasp:api2:2023-no-http-basic": Severity.ERROR,
    "owasp:api2:2023-no-api-keys-in-url": Severity.ERROR,
    "owasp:api2:2023-no-credentials-in-url": Severity.ERROR,
    "owasp:api2:2023-auth-insecure-schemes": Severity.ERROR,
    "owasp:api2:2023-jwt-best-practices": Severity.ERROR,
    "owasp:api2:2023-short-lived-access-tokens": Severity.ERROR,
    "owasp:api2:2023-write-restricted": Severity.ERROR,
    "owasp:api2:2023-read-restricted": Severity.WARNING,
    "owasp:api3:2023-no-additionalProperties": Severity.WARNING,
    "owasp:api3:2023-constrained-additionalProperties": Severity.WARNING,
    "owasp:api3:2023-no-unevaluatedProperties": Severity.WARNING,
    "owasp:api3:2023-constrained-unevaluatedProperties": Severity.WARNING,
    "owasp:api4:2023-rate-limit": Severity.ERROR,
    "owasp:api4:2023-rate-limit-retry-after": Severity.ERROR,
    "owasp:api4:2023-rate-limit-responses-429": Severity.WARNING,
    "owasp:api4:2023-array-limit": Severity.ERROR,
    "owasp:api4:2023-string-limit": Severity.ERROR,
    "owasp:api4:2023-string-restricted": Severity.WARNING,
    "owasp:api4:2023-integer-limit": Severity.ERROR,
    "owasp:api4:2023-integer-limit-legacy": Severity.ERROR,
    "owasp:api4:2023-integer-format": Severity.ERROR,
    "owasp:api5:2023-admin-security-unique": Severity.ERROR,
    "owasp:api7:2023-concerning-url-parameter": Severity.INFO,
    "owasp:api8:2023-define-cors-origin": Severity.ERROR,
    "owasp:api8:2023-no-scheme-http": Severity.ERROR,
    "owasp:api8:2023-no-server-http": Severity.ERROR,
    "owasp:api8:2023-define-error-validation": Severity.WARNING,
    "owasp:api8:2023-define-error-responses-401": Severity.WARNING,
    "owasp:api8:2023-define-error-responses-500": Severity.WARNING,
    "owasp:api9:2023-inventory-access": Severity.ERROR,
    "owasp:api9:2023-inventory-environment": Severity.ERROR,
}
HIGH_SIGNAL = {
    "owasp:api2:2023-no-http-basic", "owasp:api2:2023-no-api-keys-in-url", "owasp:api2:2023-no-credentials-in-url",
    "owasp:api2:2023-auth-insecure-schemes", "owasp:api2:2023-write-restricted", "owasp:api8:2023-no-scheme-http",
    "owasp:api8:2023-no-server-http", "no-api-keys-in-cookie", "no-oauth2-deprecated-flows", "no-secrets-in-examples",
}
NOISY = {
    "owasp:api4:2023-string-limit", "owasp:api4:2023-string-restricted", "owasp:api4:2023-rate-limit",
    "owasp:api4:2023-rate-limit-responses-429", "owasp:api9:2023-inventory-access",
    "owasp:api9:2023-inventory-environment", "owasp:api4:2023-integer-limit", "owasp:api4:2023-integer-limit-legacy",
    "owasp:api4:2023-integer-format", "owasp:api4:2023-array-limit", "owasp:api3:2023-no-additionalProperties",
    "owasp:api3:2023-constrained-additionalProperties",
}


def test_owasp_ruleset_is_spectrals_32_rules_at_spectrals_severities() -> None:
    selection = load_config(discover_config=False).catalogue.selection("owasp")
    assert selection == SPECTRAL_OWASP


def test_recommended_takes_the_high_signal_security_rules_and_leaves_the_noisy_ones() -> None:
    selection = load_config(discover_config=False).catalogue.selection("recommended")
    assert HIGH_SIGNAL <= {rule for rule, severity in selection.items() if severity is not None}
    assert not NOISY & set(selection)


@pytest.mark.parametrize(("pattern", "bounded"), [
    ("^[A-Z]{2}$", True),
    (r"^(\d{5}|\d{5}-\d{4})$", True),
    ("^a$|^bc{1,3}$", True),
    (r"\A[a-z]{1,8}\Z", True),
    ("^[a-z]+$", False),  # unbounded quantifier
    ("[A-Z]{2}", False),  # unanchored: matches inside a longer string
    ("^[A-Z]{2}", False),  # anchored at one end only
    ("^a$|b", False),  # one alternative unanchored
    ("^(a{1,3})*$", False),  # bounded group repeated without bound
    ("^[a-z", False),  # not a valid pattern
])
def test_pattern_boundedness(pattern: str, bounded: bool) -> None:
    assert is_bounded_pattern(pattern) is bounded


def test_bounded_formats() -> None:
    assert all(is_bounded_format(f) for f in ("uuid", "date", "date-time", "email", "ipv4", "ipv6", "Int64"))
    assert not any(is_bounded_format(f) for f in ("uri", "byte", "binary", "password", None, 3))


@pytest.mark.parametrize(("text", "name", "why"), [
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", None, "Stripe live key"),
    ("xoxb-2048-0123456789-AbCdEfGhIjKl", None, "Slack token"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", None, "private key"),
    ("Bearer 9fK2mQ7xLp4RtV8bNc3Wz6Yh", "Authorization", "real credential"),
    ("CTJ60UH519MXQIXEJSDPDALS3EOZ5Y", "APIKey", "real credential"),
    ("Zx9!qLw2#pR", "userPassword", "real password"),
])
def test_secret_reason_reports_real_looking_secrets(text: str, name: str | None, why: str) -> None:
    assert why in (secret_reason(text, name) or "")


@pytest.mark.parametrize(("text", "name"), [
    ("AKIAIOSFODNN7EXAMPLE", None),  # AWS's documented example key
    ("sk_live_xxxxxxxxxxxxxxxxxxxx", None),  # placeholder
    ("<your-api-key>", "api_key"),
    ("password123", "password"),  # two character classes: a demo value, not a real password
    ("6dcb09b5b57875f334f61aebed695e2e4193db5e", "token"),  # hex: a hash or id
    ("JV9IRGZmieiBasejOG9yDCRNgd2ymoZIbjsxbJMjIs3kioVii", "next_marker"),  # high entropy, but a cursor
    ("img-authz-plugin", "Authorization"),  # no digits: a name, not a token
    ("2f6a0d4e-8c1b-4e7a-9d3f-5b2c8e1a7f60", "token_id"),  # identifier of a token
])
def test_secret_reason_leaves_placeholders_ids_and_cursors_alone(text: str, name: str | None) -> None:
    assert secret_reason(text, name) is None


def test_scheme_view_normalises_swagger_2_and_openapi_3() -> None:
    basic2, basic3 = scheme_view({"type": "basic"}), scheme_view({"type": "http", "scheme": "Basic"})
    assert (basic2.http_scheme, basic2.http_scheme_path) == ("basic", ("type",))
    assert (basic3.http_scheme, basic3.http_scheme_path) == ("basic", ("scheme",))
    flows2 = scheme_view({"type": "oauth2", "flow": "accessCode", "tokenUrl": "https://a/t"}).flows
    flows3 = scheme_view({"type": "oauth2", "flows": {"authorizationCode": {"tokenUrl": "https://a/t"}}}).flows
    assert [(f.name, f.path) for f in flows2] == [("authorizationCode", ("flow",))]
    assert [(f.name, f.path) for f in flows3] == [("authorizationCode", ("flows", "authorizationCode"))]
    assert scheme_view({"type": "apiKey", "in": "query", "name": "k"}).api_key_in == "query"


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("localhost:8080", True), ("127.0.0.1:3000", True), ("[::1]:80", True),
    ("api.localhost", True), ("api.example.com", False), ("localhost.example.com", False), ("10.0.0.1", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_swagger_2_security_definitions_of_a_real_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    """gitea.json (Swagger 2.0): Spectral's OWASP rules skip 2.0 here; ours report each scheme at its line."""
    spec = CORPUS / "openapi2" / "gitea.json"
    if not spec.is_file():
        pytest.fail(f"corpus missing: {spec}")
    monkeypatch.chdir(spec.parent)
    config = load_config(discover_config=False)
    rules = ("owasp:api2:2023-no-http-basic", "owasp:api2:2023-no-api-keys-in-url")
    config.severities = {rule: Severity.ERROR for rule in rules}
    result = lint_file(Path(spec.name).name, config)
    assert result.error is None
    found = sorted((f.rule, f.line, f.column, f.pointer) for f in result.findings)
    assert found == [
        ("owasp:api2:2023-no-api-keys-in-url", 7981, 13, "/securityDefinitions/AccessToken/in"),
        ("owasp:api2:2023-no-api-keys-in-url", 7994, 13, "/securityDefinitions/Token/in"),
        ("owasp:api2:2023-no-http-basic", 7989, 15, "/securityDefinitions/BasicAuth/type"),
    ]


SWAGGER_2 = """\
swagger: "2.0"
info: {title: t, version: "1"}
host: api.example.com
schemes: [http]
paths:
  /users/{id}:
    delete:
      parameters:
        - {name: id, in: path, required: true, type: integer, format: int64, minimum: 1, maximum: 100}
      responses:
        "204": {description: Deleted}
securityDefinitions:
  key: {type: apiKey, in: query, name: api_key}
"""


def test_owasp_ruleset_from_the_command_line_on_swagger_2(write_files, monkeypatch: pytest.MonkeyPatch) -> None:
    """``specforge lint -r owasp``: the 2.0 problems Spectral's ruleset does not see, with their positions."""
    import json

    from click.testing import CliRunner

    from specforge.cli import main

    monkeypatch.chdir(write_files({"api.yaml": SWAGGER_2}))
    result = CliRunner().invoke(main, ["lint", "-r", "owasp", "-f", "json", "api.yaml"], catch_exceptions=False)
    assert result.exit_code == 1
    found = {(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]}
    assert {
        ("owasp:api8:2023-no-scheme-http", 4, 11),
        ("owasp:api1:2023-no-numeric-ids", 9, 54),
        ("owasp:api2:2023-write-restricted", 7, 5),
        ("owasp:api2:2023-no-api-keys-in-url", 13, 27),
    } <= found
    assert not [f for f in found if not f[0].startswith("owasp:")]
