"""Loader bounds and the edge cases behind them, checked through ``load_spec`` (the CLI side is tests/hostile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.document import RefError, load_spec
from specforge.document.limits import MAX_NESTING_DEPTH
from specforge.errors import ConfigError, InputError

HEADER = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_nested_merge_keys_keep_their_order_and_winners(tmp_path: Path) -> None:
    spec = _write(tmp_path, HEADER + "x-a: &a {k1: a1, k2: a2}\nx-b: &b {<<: *a, k2: b2, k3: b3}\n"
                  "x-c: &c {k3: c3, k4: c4}\nx-d: {<<: [*b, *c], k4: d4, k5: d5}\n")
    merged = load_spec(spec).data["x-d"]
    assert list(merged.items()) == [("k4", "d4"), ("k5", "d5"), ("k2", "b2"), ("k3", "b3"), ("k1", "a1")]


def test_merges_nested_990_deep_load_without_recursion(tmp_path: Path) -> None:
    """Inline ``<<: {<<: {...}}`` merges flatten to one mapping; they once recursed once per level."""
    spec = _write(tmp_path, HEADER + "x-m: " + "{<<: " * 990 + "{deep: 1}" + "}" * 990 + "\n")
    document = load_spec(spec)
    assert document.data["x-m"] == {"deep": 1}
    column = len("x-m: ") + len("{<<: ") * 990 + len("{deep: 1")  # a scalar is located at its value
    assert document.root.span(("x-m", "deep"))[:2] == (4, column)


@pytest.mark.parametrize("syntax", ["json", "yaml"])
def test_nesting_at_the_limit_loads_and_one_more_level_is_refused(tmp_path: Path, syntax: str) -> None:
    inner = MAX_NESTING_DEPTH - 1  # the document itself is the first level
    for depth, loads in ((inner, True), (inner + 1, False)):
        nested = "[" * depth + "]" * depth
        text = ('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x": ' + nested + "}"
                if syntax == "json" else HEADER + "x: " + nested + "\n")
        spec = _write(tmp_path, text, f"d.{syntax}")
        if loads:
            assert load_spec(spec).data["x"] is not None
        else:
            with pytest.raises(InputError, match=f"nesting deeper than {MAX_NESTING_DEPTH} levels"):
                load_spec(spec)


def test_json_duplicate_keys_are_found_even_when_strings_hold_colons(tmp_path: Path) -> None:
    spec = _write(tmp_path, '{"openapi": "3.0.3", "info": {"title": "a\\": b", "version": "1"}, "paths": {},\n'
                  ' "x": {"k": 1, "k": 2, "n": {"k": 3}}}', "d.json")
    source = load_spec(spec).root
    assert [(span[:2], key) for span, key in source.duplicate_keys] == [((2, 16), "k")]
    assert source.data["x"] == {"k": 2, "n": {"k": 3}}


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "u.yaml"
    spec.write_bytes(("\ufeff" + HEADER + "x-name: café\n").encode("utf-16"))
    assert load_spec(spec).data["x-name"] == "café"


def test_file_size_limit_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _write(tmp_path, HEADER + "x-pad: " + "x" * 200_000 + "\n")
    monkeypatch.setenv("SPECFORGE_MAX_FILE_MB", "0.1")
    with pytest.raises(InputError, match=r"file is too large \(200,\d+ bytes; the limit is 0.1 MiB"):
        load_spec(spec)
    monkeypatch.setenv("SPECFORGE_MAX_FILE_MB", "lots")
    with pytest.raises(ConfigError, match="SPECFORGE_MAX_FILE_MB: expected a positive number of megabytes"):
        load_spec(spec)


def test_non_string_refs_and_chains_are_ref_errors(tmp_path: Path) -> None:
    spec = _write(tmp_path, HEADER + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
                  "    B: {$ref: '#/components/schemas/C'}\n    C: {type: string}\n")
    document = load_spec(spec)
    with pytest.raises(RefError, match="must be a string, not list"):
        document.workspace.resolve([], document.root)  # type: ignore[arg-type]
    target = document.workspace.resolve("#/components/schemas/A", document.root)
    assert target.value == {"$ref": "#/components/schemas/B"}  # one hop at a time, as before


def test_orjson_refuses_exactly_the_depth_the_json_bound_relies_on() -> None:
    import orjson

    from specforge.document.json_tree import ORJSON_MAX_DEPTH

    def nested(depth: int) -> object:
        value: object = 0
        for _ in range(depth):
            value = [value]
        return value

    orjson.dumps(nested(ORJSON_MAX_DEPTH))
    with pytest.raises(orjson.JSONEncodeError, match="ecursion"):
        orjson.dumps(nested(ORJSON_MAX_DEPTH + 1))
