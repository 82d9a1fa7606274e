"""Pure units: path templates, Prefer/Accept negotiation and parameter styles."""

from __future__ import annotations

import pytest

from specforge.mock.negotiate import Choice, Preferences, Refusal, choose_media, negotiate, read_preferences
from specforge.mock.operations import Media, Operation, Response
from specforge.mock.params import (
    ParameterError,
    malformed_encoding,
    malformed_query,
    read_path,
    read_query,
    read_simple,
)
from specforge.mock.routes import Router


def _op(method: str, path: str) -> Operation:
    return Operation(method, path, f"{method} {path}", [], None, {}, [])


def test_literal_segments_win_over_templates_whatever_the_order():
    router = Router([_op("get", "/pets/{id}"), _op("get", "/pets/mine"), _op("get", "/{kind}/{id}")])
    assert router.match("/pets/mine").route.template == "/pets/mine"
    assert router.match("/pets/7").route.template == "/pets/{id}"
    assert router.match("/pets/7").values == {"id": "7"}
    assert router.match("/cats/7").route.template == "/{kind}/{id}"


def test_base_path_is_stripped_and_encoded_slashes_stay_in_one_parameter():
    router = Router([_op("get", "/files/{name}")], "/v3")
    match = router.match("/v3/files/a%2Fb")
    assert match.route.template == "/files/{name}"
    assert match.values == {"name": "a/b"}
    assert match.raw_values == {"name": "a%2Fb"}
    assert match.path == "/files/a%2Fb"
    assert router.match("/v3/files/a/b") is None
    assert router.match("/v3x/files/a") is None


def test_allow_lists_declared_methods_plus_head_and_options():
    router = Router([_op("get", "/pets"), _op("post", "/pets")])
    assert router.match("/pets").route.allow == "GET, POST, HEAD, OPTIONS"


def test_prefer_header_and_query_selectors_are_merged_query_first():
    prefs = read_preferences("code=404, example=cat; dynamic=true", {"__example": ["dog"]})
    assert prefs == Preferences("404", "dog", True)
    assert read_preferences(None, {"__dynamic": ["false"]}).dynamic is False


def _responses(**content: list[str]) -> dict[str, Response]:
    return {code: Response(code, {m: Media(m, {}, None) for m in media}, {}) for code, media in content.items()}


def test_lowest_declared_2xx_is_the_default_and_prefer_code_selects_another():
    responses = {**_responses(**{"404": ["application/json"], "201": ["application/json"], "200": []})}
    choice = negotiate(responses, Preferences(), None)
    assert isinstance(choice, Choice) and choice.status == 200 and choice.media_type is None
    assert negotiate(responses, Preferences(code="404"), None).status == 404
    refused = negotiate(responses, Preferences(code="418"), None)
    assert isinstance(refused, Refusal) and refused.status == 404 and "418" in refused.detail


@pytest.mark.parametrize("code", ["100", "101", "199"])
def test_prefer_code_never_selects_an_interim_status_even_through_default(code):
    # a 1xx sent as the answer leaves the client waiting for the real response for ever
    refused = negotiate(_responses(default=["application/json"]), Preferences(code=code), None)
    assert isinstance(refused, Refusal) and refused.status == 400 and "interim" in refused.detail


def test_accept_with_q_values_picks_the_best_declared_type_or_406():
    declared = ["application/json", "application/xml"]
    assert choose_media(declared, "application/xml;q=0.9, application/json;q=0.1") == ("application/xml",) * 2
    assert choose_media(declared, "text/*, */*;q=0.1") == ("application/json",) * 2
    assert choose_media(declared, "text/csv") is None
    assert choose_media(["*/*"], "text/csv") == ("*/*", "text/csv")
    responses = _responses(**{"200": declared})
    refused = negotiate(responses, Preferences(), "text/csv")
    assert isinstance(refused, Refusal) and refused.status == 406


@pytest.mark.parametrize(("style", "explode", "raw", "expected"), [
    ("simple", False, "3,4,5", [3, 4, 5]),
    ("label", False, ".3,4", [3, 4]),
    ("label", True, ".3.4", [3, 4]),
    ("matrix", False, ";ids=3,4", [3, 4]),
    ("matrix", True, ";ids=3;ids=4", [3, 4]),
])
def test_path_array_styles(style, explode, raw, expected):
    schema = {"type": ["array"], "items": {"type": ["integer"]}}
    assert read_path(raw, "ids", style, explode, schema, {}) == expected


def test_query_styles_and_coercion():
    ints = {"type": ["array"], "items": {"type": ["integer"]}}
    pairs = [("id", "1"), ("id", "2"), ("csv", "1,2"), ("pipes", "1|2"), ("f[a]", "x"), ("f[b]", "2")]
    assert read_query(pairs, "id", "form", True, ints, {}, set()) == (True, [1, 2])
    assert read_query(pairs, "csv", "form", False, ints, {}, set()) == (True, [1, 2])
    assert read_query(pairs, "pipes", "pipeDelimited", False, ints, {}, set()) == (True, [1, 2])
    obj = {"type": ["object"], "properties": {"a": {"type": ["string"]}, "b": {"type": ["integer"]}}}
    assert read_query(pairs, "f", "deepObject", True, obj, {}, set()) == (True, {"a": "x", "b": 2})
    assert read_query(pairs, "missing", "form", True, ints, {}, set()) == (False, None)
    with pytest.raises(ParameterError):
        read_query([("n", "1"), ("n", "2")], "n", "form", True, {"type": ["integer"]}, {}, set())


def test_header_object_and_boolean_coercion_through_refs():
    defs = {"d0": {"type": ["boolean"]}}
    assert read_simple("true", {"$ref": "#/$defs/d0"}, defs, False) is True
    obj = {"type": ["object"], "properties": {"r": {"type": ["integer"]}}}
    assert read_simple("r=1,g=x", obj, {}, True) == {"r": 1, "g": "x"}
    assert read_simple("r,1,g,x", obj, {}, False) == {"r": 1, "g": "x"}
    assert read_simple("abc", {"type": ["integer"]}, {}, False) == "abc"  # left for the schema check to report


@pytest.mark.parametrize(("servers", "expected"), [
    ([{"url": "https://api.example.com/v3/"}], "/v3"),
    ([{"url": "//petstore.example.com/v2"}], "/v2"),
    ([{"url": "/api"}], "/api"),
    ([{"url": "{scheme}://x.io/{base}", "variables": {"scheme": {"default": "https"}, "base": {"default": "b1"}}}],
     "/b1"),
    ([], ""),
])
def test_base_path_from_servers(tmp_path, servers, expected):
    import json

    from specforge.document import load_spec
    from specforge.mock.operations import SpecReader
    from specforge.mock.schemas import SchemaBundler

    spec = tmp_path / "s.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": servers,
                                "paths": {}}))
    document = load_spec(spec)
    assert SpecReader(document, SchemaBundler(document)).base_path() == expected


def test_an_empty_delimited_query_value_is_the_empty_array_and_repeated_empty_values_are_items():
    strings = {"type": ["array"], "items": {"type": ["string"]}}
    assert read_query([("s", "")], "s", "form", False, strings, {}, set()) == (True, [])
    assert read_query([("s", "")], "s", "form", True, strings, {}, set()) == (True, [""])


@pytest.mark.parametrize(("raw", "problem"), [
    ("plain", None), ("caf%C3%A9", None), ("%F0%9F%90%95", None), ("a+b", None), ("%25", None),
    ("%", "invalid percent-escape"), ("%zz", "invalid percent-escape"), ("%4", "invalid percent-escape"),
    ("%ff", "not UTF-8"), ("%E2%82", "not UTF-8"), ("%c0%af", "not UTF-8"), ("%ED%A0%80", "not UTF-8"),
])
def test_percent_encoding_must_be_valid_utf8(raw, problem):
    found = malformed_encoding(raw)
    assert found is None if problem is None else problem in found


def test_malformed_query_names_each_bad_pair_once():
    assert malformed_query("a=1&b=%zz&b=%ff&c%ff=2&d=ok") == {
        "b": "'%zz' has an invalid percent-escape (% must be followed by two hex digits)",
        "c\ufffd": "'c%ff' is not UTF-8 once percent-decoded"}
    assert malformed_query("a=1&b=two+words") == {}
