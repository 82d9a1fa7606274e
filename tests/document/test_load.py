"""Loading: format detection from content, versions, multi-file $refs, cycles, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.document import RefError, load_spec
from specforge.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n', "oas2"),
        ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", "oas3.0"),
        ("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "oas3.0"),
        ('{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}', "oas3.1"),
        ("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "oas3.2"),
    ],
)
def test_format_is_detected_from_content_not_extension(text: str, expected: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.txt"
    spec.write_text(text, encoding="utf-8")
    assert load_spec(spec).format == expected


def test_json_and_yaml_give_the_same_data(write_files) -> None:
    root = write_files({
        "a.json": '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {}}}',
        "a.yaml": "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a: {}\n",
    })
    assert load_spec(root / "a.json").data == load_spec(root / "a.yaml").data


def test_yaml_follows_the_1_2_core_schema(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: 1.0}\npaths: {}\n"
        "x-values: {on: on, yes: yes, date: 2020-01-01, int: 12, float: 1.5, nothing: ~, flag: true}\n"
        "x-codes:\n  200: ok\n",
        encoding="utf-8",
    )
    data = load_spec(spec).data
    assert data["x-values"] == {"on": "on", "yes": "yes", "date": "2020-01-01", "int": 12, "float": 1.5,
                                "nothing": None, "flag": True}
    assert data["x-codes"] == {"200": "ok"}
    assert data["info"]["version"] == 1.0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: [1, 2\n", "not valid YAML or JSON"),
        ("just a string\n", "not an OpenAPI or WSDL document"),
        ("openapi: 4.0.0\n", "unsupported OpenAPI version"),
        ("swagger: '1.2'\n", "unsupported Swagger version"),
        ("", "empty document"),
        ("<definitions/>", "XML document"),
    ],
)
def test_unusable_input_is_a_one_line_input_error(text: str, reason: str, tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_spec(spec)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_and_binary_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_spec(tmp_path / "nope.yaml")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="NUL"):
        load_spec(binary)


def test_relative_refs_resolve_across_files(write_files) -> None:
    root = write_files({
        "main.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets: {$ref: 'paths/pets.yaml'}\n",
        "paths/pets.yaml": "get:\n  responses:\n    '200': {$ref: '../common.yaml#/responses/Ok'}\n",
        "common.yaml": "responses:\n  Ok: {description: fine}\n",
    })
    document = load_spec(root / "main.yaml")
    pets = document.workspace.resolve("paths/pets.yaml", document.root)
    assert pets.pointer == ()
    ok = document.workspace.resolve(pets.value["get"]["responses"]["200"]["$ref"], pets.source)
    assert ok.value == {"description": "fine"}
    assert ok.pointer == ("responses", "Ok")
    assert ok.source.path.endswith("common.yaml")


def test_percent_encoded_file_names_resolve(write_files) -> None:
    root = write_files({
        "main.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: {$ref: 'my%20file.yaml'}\n",
        "my file.yaml": "value: 1\n",
    })
    document = load_spec(root / "main.yaml")
    assert document.workspace.resolve("my%20file.yaml", document.root).value == {"value": 1}


def test_ref_escaping_the_root_folder_is_refused(write_files) -> None:
    root = write_files({
        "api/main.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "secret.yaml": "token: x\n",
    })
    document = load_spec(root / "api" / "main.yaml")
    with pytest.raises(RefError, match="outside the root folder"):
        document.workspace.resolve("../secret.yaml", document.root)
    widened = load_spec(root / "api" / "main.yaml", root_dir=root)
    assert widened.workspace.resolve("../secret.yaml", widened.root).value == {"token": "x"}


def test_remote_refs_are_not_fetched_by_default(write_files) -> None:
    root = write_files({"main.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"})
    document = load_spec(root / "main.yaml")
    with pytest.raises(RefError, match="remote reference not fetched"):
        document.workspace.resolve("https://example.com/schemas.yaml#/Pet", document.root)


def test_missing_pointer_and_missing_file_give_reasons(write_files) -> None:
    root = write_files({"main.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"})
    document = load_spec(root / "main.yaml")
    with pytest.raises(RefError, match="does not exist"):
        document.workspace.resolve("#/components/schemas/Nope", document.root)
    with pytest.raises(RefError, match="no such file"):
        document.workspace.resolve("other.yaml", document.root)


def test_recursive_refs_resolve_without_inlining(write_files) -> None:
    root = write_files({
        "main.yaml": (
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
            "    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n"
            "        other: {$ref: 'tree.yaml#/Tree'}\n"
        ),
        "tree.yaml": "Tree:\n  type: object\n  properties:\n    back: {$ref: 'main.yaml#/components/schemas/Node'}\n",
    })
    document = load_spec(root / "main.yaml")
    node = document.workspace.resolve("#/components/schemas/Node", document.root)
    assert node.value["properties"]["next"] == {"$ref": "#/components/schemas/Node"}  # not inlined
    tree = document.workspace.resolve("tree.yaml#/Tree", document.root)
    back = document.workspace.resolve(tree.value["properties"]["back"]["$ref"], tree.source)
    assert back.value is node.value  # the root file is parsed once, shared


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: &a {title: t, version: '1', self: *a}\npaths: {}\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_spec(spec)


def test_yaml_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths: {}", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="alias"):
        load_spec(spec)
