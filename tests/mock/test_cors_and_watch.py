"""CORS headers through the test client, and --watch reloading (and keeping the old spec on failure)."""

from __future__ import annotations

import time

from mock_support import PETSTORE3

from specforge.mock import create_app

ORIGIN = "http://localhost:5173"


def test_preflight_mirrors_method_and_headers_and_echoes_the_origin(client):
    r = client.options("/v1/pets", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type, x-api-key"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert r.headers["Access-Control-Allow-Methods"] == "POST"
    assert r.headers["Access-Control-Allow-Headers"] == "content-type, x-api-key"
    assert "Origin" in r.headers["Vary"]


def test_actual_response_echoes_origin_and_exposes_declared_headers(client):
    r = client.get("/v1/pets", headers={"Origin": ORIGIN, "Cookie": "session=abc"})
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert r.headers["Access-Control-Expose-Headers"] == "X-Total-Count, X-RateLimit-Remaining"
    assert client.get("/v1/pets").headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/v1/nope", headers={"Origin": ORIGIN}).headers["Access-Control-Allow-Origin"] == ORIGIN


def test_no_cors_sends_no_cors_headers_and_preflight_is_plain_options():
    client = create_app(PETSTORE3, cors=False).test_client()
    r = client.options("/v1/pets", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in r.headers
    assert r.headers["Allow"] == "GET, POST, HEAD, OPTIONS"


SPEC = """openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /items:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "parts.yaml#/Item"}}
              example: {example}
"""


def _wait_for(predicate, seconds: float = 8.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_watch_reloads_on_change_of_the_spec_or_a_referenced_file_and_survives_broken_edits(tmp_path, caplog):
    spec, parts = tmp_path / "api.yaml", tmp_path / "parts.yaml"
    parts.write_text("Item: {type: integer}\n")
    spec.write_text(SPEC.format(example=1))
    app = create_app(spec, watch=True)
    client = app.test_client()
    try:
        assert client.get("/items").json == 1
        time.sleep(0.05)
        spec.write_text(SPEC.format(example=2))
        assert _wait_for(lambda: client.get("/items").json == 2)
        parts.write_text("Item: {type: string}\n")  # the example 2 is now invalid: generated strings are served
        assert _wait_for(lambda: isinstance(client.get("/items").json, str))
        spec.write_text("openapi: 3.0.3\npaths: [broken\n")
        time.sleep(1.5)
        assert isinstance(client.get("/items").json, str)  # still the previous spec
        assert client.get("/items").status_code == 200
    finally:
        app.extensions["specforge.mock.watcher"].stop()


def test_delay_holds_each_response():
    client = create_app(PETSTORE3, delay_ms=150).test_client()
    started = time.perf_counter()
    assert client.get("/v1/pets").status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_a_wsdl_file_is_delegated_to_the_soap_mock():
    from mock_support import CORPUS

    app = create_app(CORPUS / "wsdl" / "dneonline-calculator.wsdl")
    assert "specforge.mock" not in app.extensions  # not the OpenAPI handler
    r = app.test_client().get("/calculator.asmx?wsdl")
    assert r.status_code == 200 and r.data.lstrip().startswith(b"<wsdl:definitions")
