"""create_app through Flask's test client: routing, response choice, examples, headers, determinism."""

from __future__ import annotations

import jsonschema
import pytest
from mock_support import CORPUS, PETSTORE2, PETSTORE3

from specforge.document import load_spec
from specforge.mock import create_app
from specforge.mock.schemas import SchemaBundler

AUTH = {"X-API-Key": "k", "Authorization": "Bearer t"}


def response_schema(spec, path: str, method: str, status: str, media: str = "application/json") -> dict:
    """The declared response schema as standalone JSON Schema 2020-12 (for an independent validator)."""
    document = load_spec(spec)
    op = document.data["paths"][path][method]
    response = op["responses"][status]
    if "$ref" in response:
        response = document.workspace.resolve(response["$ref"], document.root).value
    schema = response["schema"] if document.format == "oas2" else response["content"][media]["schema"]
    return SchemaBundler(document).bundle(schema, document.root, "response")


def assert_valid(instance, schema) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(instance)


def test_unknown_path_is_404_problem_json(client):
    r = client.get("/v1/nothing/here")
    assert r.status_code == 404
    assert r.content_type == "application/problem+json"
    assert r.json["status"] == 404 and "/v1/nothing/here" in r.json["detail"]


def test_undeclared_method_is_405_with_allow(client):
    r = client.patch("/v1/pets")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert r.json["title"] == "Method Not Allowed"


def test_head_is_get_without_a_body_and_options_lists_methods(client):
    get, head = client.get("/v1/pets"), client.head("/v1/pets")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str(len(get.data))
    assert head.headers["Content-Type"] == "application/json"
    options = client.options("/v1/pets/3")
    assert options.status_code == 204 and options.headers["Allow"] == "GET, PUT, DELETE, HEAD, OPTIONS"


def test_base_path_from_servers_and_from_basepath(client, client2):
    assert client.get("/v1/pets").status_code == 200
    assert client2.get("/v2/pets").status_code == 200


def test_default_is_the_lowest_2xx_with_its_first_example(client):
    r = client.get("/v1/pets")
    assert r.status_code == 200
    assert [p["name"] for p in r.json] == ["Rex", "Tom"]  # the 'two-pets' example
    created = client.post("/v1/pets", json={"name": "Rex"}, headers=AUTH)
    assert created.status_code == 201
    assert created.headers["Location"] == "/v1/pets/42"  # the header's example


def test_prefer_selectors_code_example_dynamic(client):
    assert client.get("/v1/pets", headers={"Prefer": "example=empty"}).json == []
    assert client.get("/v1/pets?__example=empty").json == []
    r = client.get("/v1/pets/2", headers={"Prefer": "code=404"})
    assert r.status_code == 404
    assert_valid(r.json, response_schema(PETSTORE3, "/pets/{petId}", "get", "404"))
    dynamic = client.get("/v1/pets", headers={"Prefer": "dynamic=true"})
    assert dynamic.json not in ([], [{"id": 1, "name": "Rex", "status": "available", "tags": ["dog"]},
                                     {"id": 2, "name": "Tom", "status": "sold", "tags": []}])
    assert_valid(dynamic.json, response_schema(PETSTORE3, "/pets", "get", "200"))
    missing = client.get("/v1/pets?__example=nope")
    assert missing.status_code == 404 and "two-pets" in missing.json["detail"]


def test_dynamic_mode_generates_schema_valid_data_for_every_request():
    client = create_app(PETSTORE3, dynamic=True).test_client()
    schema = response_schema(PETSTORE3, "/pets", "get", "200")
    bodies = [client.get("/v1/pets").json for _ in range(20)]
    for body in bodies:
        assert_valid(body, schema)
    assert len({repr(b) for b in bodies}) > 1


def test_generated_list_of_ten_is_schema_valid(client):
    r = client.get("/v1/pets/mine", headers={"Authorization": "Bearer t"})
    assert r.status_code == 200 and len(r.json) == 10
    assert_valid(r.json, response_schema(PETSTORE3, "/pets/mine", "get", "200"))


def test_accept_negotiation_and_406(client):
    xml = client.get("/v1/pets/1", headers={"Accept": "application/xml"})
    assert xml.status_code == 200 and xml.content_type == "application/xml" and xml.data.startswith(b"<")
    text = client.get("/v1/store/inventory", headers={"Accept": "text/plain"})
    assert text.data == b"available=12 pending=3 sold=40" and text.content_type == "text/plain"
    refused = client.get("/v1/pets/1", headers={"Accept": "text/csv"})
    assert refused.status_code == 406 and "application/xml" in refused.json["detail"]


def test_declared_headers_have_schema_valid_values(client):
    r = client.get("/v1/pets")
    assert 0 <= int(r.headers["X-RateLimit-Remaining"]) <= 1000
    assert int(r.headers["X-Total-Count"]) >= 0


def test_204_has_no_body_and_no_content_length(client):
    r = client.delete("/v1/pets/3", headers=AUTH)
    assert r.status_code == 204 and r.data == b""
    assert "Content-Length" not in r.headers or r.headers["Content-Length"] == "0"


def test_invalid_example_is_replaced_by_generated_data(tmp_path):
    spec = tmp_path / "bad-example.yaml"
    spec.write_text("""openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /n:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: integer, minimum: 10}
              example: 3
""")
    client = create_app(spec).test_client()
    values = {client.get("/n").json for _ in range(5)}
    assert all(isinstance(v, int) and v >= 10 for v in values)
    assert client.get("/n?__example=example").json == 3  # asked for by name: sent as written


def test_oas2_examples_per_mime_and_generated_bodies(client2):
    r = client2.get("/v2/pets")
    assert [p["name"] for p in r.json] == ["Rex", "Tom"]
    one = client2.get("/v2/pets/5")
    assert one.status_code == 200
    assert_valid(one.json, response_schema(PETSTORE2, "/pets/{petId}", "get", "200"))


def test_same_seed_gives_the_same_body_across_apps_and_different_requests_differ():
    first = create_app(PETSTORE3, seed=11, dynamic=True).test_client()
    second = create_app(PETSTORE3, seed=11, dynamic=True).test_client()
    assert first.get("/v1/pets?limit=3").json == second.get("/v1/pets?limit=3").json
    assert first.get("/v1/pets?limit=3").json == first.get("/v1/pets?limit=3").json
    assert first.get("/v1/pets?limit=3").json != first.get("/v1/pets?limit=4").json
    other = create_app(PETSTORE3, seed=12, dynamic=True).test_client()
    assert other.get("/v1/pets?limit=3").json != first.get("/v1/pets?limit=3").json


def test_deleted_resource_answers_404_until_recreated(client):
    assert client.get("/v1/pets/9").status_code == 200
    assert client.delete("/v1/pets/9", headers=AUTH).status_code == 204
    gone = client.get("/v1/pets/9")
    assert gone.status_code == 404 and "deleted" in gone.json["message"]
    assert client.get("/v1/pets/10").status_code == 200
    assert client.put("/v1/pets/9", json={"name": "Rex"}, headers=AUTH).status_code == 200
    assert client.get("/v1/pets/9").status_code == 200


@pytest.mark.parametrize("spec", ["openapi2/oai-petstore-separate/spec/swagger.yaml"])
def test_multi_file_refs_resolve_for_validation_and_generation(spec):
    path = CORPUS / spec
    client = create_app(path, ref_root=path.parent.parent, seed=3).test_client()
    r = client.get("/api/pets?limit=abc")
    assert r.status_code == 400
    assert set(r.json) == {"code", "message"} and "limit" in r.json["message"]  # fits the Error.yaml schema
    ok = client.get("/api/pets")
    assert ok.status_code == 200 and isinstance(ok.json, list)
    for pet in ok.json:
        assert {"id", "name"} <= set(pet)


def test_create_app_accepts_a_loaded_document_for_pytest_fixtures():
    client = create_app(load_spec(PETSTORE3), seed=5).test_client()
    assert client.get("/v1/pets/1").json["name"] == "Rex"
