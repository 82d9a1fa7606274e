"""Request validation through Flask's test client: every violation listed, right status, garbage refused fast."""

from __future__ import annotations

import base64
import time

import pytest
from mock_support import PETSTORE2, PETSTORE3

from specforge.mock import create_app

KEY = {"X-API-Key": "k"}


def locations(response) -> list[list[str]]:
    return [e["location"] for e in response.json["errors"]]


def test_every_parameter_violation_is_listed_with_its_location(client):
    r = client.get("/v1/pets?limit=0&status=lost&tags=" + "x" * 21)
    assert r.status_code == 400
    assert r.content_type == "application/problem+json"
    assert locations(r) == [["query", "limit"], ["query", "status", "/0"], ["query", "tags", "/0"]]
    assert "3 violations" in r.json["detail"]


def test_path_and_header_parameters_are_coerced_and_checked(client):
    assert client.get("/v1/pets/12").status_code == 200
    r = client.get("/v1/pets/0", headers={"X-Request-ID": "not-a-uuid"})
    assert r.status_code == 400
    assert locations(r) == [["path", "petId"], ["header", "X-Request-ID"]]
    ok = client.get("/v1/pets/3", headers={"X-Request-ID": "5b7c1d0e-3f7a-4d8e-9a55-0c1f6f2b9e11"})
    assert ok.status_code == 200


def test_schema_invalid_json_body_is_422_with_body_pointers(client):
    r = client.post("/v1/store/orders", json={"petId": "x", "quantity": 11, "note": None})
    assert r.status_code == 422
    assert locations(r) == [["body", "/petId"], ["body", "/quantity"]]
    assert client.post("/v1/store/orders", json={"petId": 1, "quantity": 2, "note": None}).status_code == 201


def test_read_only_properties_are_not_required_in_requests(client):
    assert client.post("/v1/pets", json={"name": "Rex"}, headers=KEY).status_code == 201  # Pet.id is readOnly


def test_form_bodies_are_coerced_per_property(client):
    ok = client.post("/v1/store/orders", data={"petId": "3", "quantity": "2", "complete": "true"})
    assert ok.status_code == 201
    bad = client.post("/v1/store/orders", data={"petId": "3", "quantity": "many"})
    assert bad.status_code == 422 and locations(bad) == [["body", "/quantity"]]


def test_multipart_bodies_are_parsed_and_checked(client):
    files = {"caption": "A dog", "photo": (__import__("io").BytesIO(b"\x89PNG"), "p.png")}
    auth = {"Authorization": "Bearer t"}
    assert client.post("/v1/photos", data=files, headers=auth, content_type="multipart/form-data").status_code == 201
    bad = client.post("/v1/photos", data={"caption": "1"}, headers=auth, content_type="multipart/form-data")
    assert bad.status_code == 400
    assert sorted(e["message"] for e in bad.json["errors"])[0].startswith('"1" does not match')


def test_missing_required_body_and_unsupported_media_type(client):
    r = client.post("/v1/store/orders")
    assert r.status_code == 400 and locations(r) == [["body"]]
    r = client.post("/v1/store/orders", data="<order/>", content_type="application/xml")
    assert r.status_code == 415 and "application/json" in r.json["detail"]
    assert r.headers["Accept-Post"] == "application/json, application/x-www-form-urlencoded"


def test_missing_credentials_are_401_with_www_authenticate(client):
    r = client.post("/v1/pets", json={"name": "Rex"})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'ApiKey realm="specforge", in="header", name="X-API-Key"'
    either = client.put("/v1/pets/1", json={"name": "Rex"})
    assert either.status_code == 401
    assert "Bearer" in either.headers["WWW-Authenticate"] and "ApiKey" in either.headers["WWW-Authenticate"]
    assert client.put("/v1/pets/1", json={"name": "Rex"}, headers={"Authorization": "Bearer x"}).status_code == 200
    assert client.put("/v1/pets/1", json={"name": "Rex"}, headers={"Authorization": "Basic x"}).status_code == 401


def test_tokens_restrict_accepted_credentials_including_basic():
    client = create_app(PETSTORE2, tokens=["user:secret", "key1"]).test_client()
    basic = "Basic " + base64.b64encode(b"user:secret").decode()
    wrong = "Basic " + base64.b64encode(b"user:nope").decode()
    assert client.delete("/v2/pets/1", headers={"Authorization": basic}).status_code == 204
    assert client.delete("/v2/pets/2", headers={"Authorization": wrong}).status_code == 401
    assert client.post("/v2/pets", json={"name": "a"}, headers={"X-API-Key": "key1"}).status_code == 201
    assert client.post("/v2/pets", json={"name": "a"}, headers={"X-API-Key": "key2"}).status_code == 401


def test_rejections_fit_the_declared_error_response_when_it_is_not_problem_json(client2):
    r = client2.get("/v2/pets?limit=x")
    assert r.status_code == 400
    assert r.content_type == "application/json"  # the spec declares an Error object, not problem+json
    assert isinstance(r.json["code"], int) and "query.limit" in r.json["message"]


@pytest.mark.parametrize("body", [b'{"petId": 1,', b'{"petId": \x00}', b"\x00\x00\x00", b"\xff\xfe{}", b"[" * 5000])
def test_garbage_json_is_a_fast_400_never_a_500(client, body):
    started = time.perf_counter()
    r = client.post("/v1/store/orders", data=body, content_type="application/json")
    assert r.status_code == 400
    assert r.json["errors"][0]["location"] == ["body"]
    assert time.perf_counter() - started < 1


def test_deep_nesting_within_the_json_limit_is_refused():
    client = create_app(PETSTORE3).test_client()
    deep = b'{"petId": 1, "quantity": 1, "note": ' + b"[" * 100 + b"]" * 100 + b"}"
    r = client.post("/v1/store/orders", data=deep, content_type="application/json")
    assert r.status_code == 400 and "nested deeper" in r.json["errors"][0]["message"]


def test_huge_bodies_are_413_without_reading_them():
    client = create_app(PETSTORE3, max_body_bytes=1000).test_client()
    r = client.post("/v1/store/orders", data=b"{" + b" " * 5000 + b"}", content_type="application/json")
    assert r.status_code == 413


def test_no_validate_accepts_anything():
    client = create_app(PETSTORE3, validate=False).test_client()
    assert client.get("/v1/pets?limit=abc").status_code == 200
    assert client.post("/v1/pets", data=b"junk", content_type="text/plain").status_code == 201


def test_missing_credentials_use_403_when_the_spec_declares_only_403(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("""openapi: 3.0.3
info: {title: t, version: "1"}
components: {securitySchemes: {key: {type: apiKey, in: query, name: key}}}
security: [{key: []}]
paths:
  /a:
    get:
      responses: {"200": {description: ok}, "403": {description: forbidden}}
  /b:
    get:
      responses: {"200": {description: ok}}
""")
    client = create_app(spec).test_client()
    assert client.get("/a").status_code == 403
    refused = client.get("/b")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("ApiKey")
    assert client.get("/a?key=x").status_code == 200


def test_xml_bodies_are_read_with_the_schemas_xml_names_and_checked():
    from mock_support import CORPUS

    client = create_app(CORPUS / "openapi3" / "swagger-petstore-v3.yaml").test_client()
    auth = {"api_key": "k", "Authorization": "Bearer t"}
    pet = (b"<pet><id>10</id><name>doggie</name><photoUrls><photoUrl>a</photoUrl></photoUrls>"
           b"<tags><tag><id>1</id><name>x</name></tag></tags><status>available</status></pet>")
    assert client.post("/api/v3/pet", data=pet, content_type="application/xml", headers=auth).status_code == 200
    order = b"<order><id>10</id><quantity>x</quantity><complete></complete></order>"
    r = client.post("/api/v3/store/order", data=order, content_type="application/xml", headers=auth)
    assert r.status_code == 422
    assert locations(r) == [["body", "/quantity"], ["body", "/complete"]]
    for garbage in (b"<order><id>1", b'<!DOCTYPE x [<!ENTITY a "b">]><order>&a;</order>'):
        refused = client.post("/api/v3/store/order", data=garbage, content_type="application/xml", headers=auth)
        assert refused.status_code == 400 and "not well-formed XML" in refused.json["errors"][0]["message"]


def test_a_required_array_absent_from_a_form_is_an_empty_array():
    from mock_support import CORPUS

    client = create_app(CORPUS / "openapi3" / "swagger-petstore-v3.yaml").test_client()
    auth = {"api_key": "k", "Authorization": "Bearer t"}
    r = client.post("/api/v3/pet", data="name=doggie", content_type="application/x-www-form-urlencoded", headers=auth)
    assert r.status_code == 200
    r = client.post("/api/v3/pet", data="id=1", content_type="application/x-www-form-urlencoded", headers=auth)
    assert r.status_code == 422 and locations(r) == [["body", "/"]] and "name" in r.json["errors"][0]["message"]


def test_xml_responses_use_the_schemas_xml_names_and_round_trip_as_requests():
    from defusedxml.ElementTree import fromstring
    from mock_support import CORPUS

    client = create_app(CORPUS / "openapi3" / "swagger-petstore-v3.yaml", seed=4).test_client()
    auth = {"api_key": "k", "Authorization": "Bearer t"}
    pet = client.get("/api/v3/pet/1", headers={**auth, "Accept": "application/xml"})
    assert pet.content_type == "application/xml"
    root = fromstring(pet.data)
    assert root.tag == "pet" and root.find("photoUrls/photoUrl") is not None  # wrapped array, item xml.name
    sent_back = client.post("/api/v3/pet", data=pet.data, content_type="application/xml", headers=auth)
    assert sent_back.status_code == 200
    listing = client.get("/api/v3/pet/findByStatus?status=sold", headers={**auth, "Accept": "application/xml"})
    assert fromstring(listing.data).tag == "items"  # a bare array still gets one document element


class _BrokenStream:
    """A WSGI input whose server gives up mid-body (gunicorn raises its own types: InvalidChunkSize...)."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def read(self, size: int = -1) -> bytes:
        raise self.error


@pytest.mark.parametrize("error, status, detail", [
    (ValueError("Invalid chunk size"), 400, "the body could not be read: Invalid chunk size"),
    (ConnectionResetError(), 400, "the body could not be read: ConnectionResetError"),
    (TimeoutError("timed out"), 408, "the body did not arrive in time"),
])
def test_a_body_the_server_cannot_deliver_is_refused_not_a_500(client, error, status, detail):
    r = client.post("/v1/store/orders", content_type="application/json",
                    environ_overrides={"wsgi.input": _BrokenStream(error), "CONTENT_LENGTH": "20"})
    assert r.status_code == status and r.content_type == "application/problem+json"
    assert r.json["detail"] == detail


def test_a_body_shorter_than_its_content_length_is_400(client):
    import io

    r = client.post("/v1/store/orders", input_stream=io.BytesIO(b'{"petId": 1}'), content_type="application/json",
                    environ_overrides={"CONTENT_LENGTH": "40"})
    assert r.status_code == 400
    assert r.json["detail"] == "the body ended after 12 of the 40 bytes of its Content-Length"
