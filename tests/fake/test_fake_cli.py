"""``specforge fake``: JSON lines out, exit code 2 with one line on bad input."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from specforge.fake.cli import fake

SPEC = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer", "readOnly": True}, "name": {"type": "string", "maxLength": 10}}},
            "Never": {"allOf": [{"type": "string"}, {"type": "integer"}]}}}}


def write(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    return str(path)


def test_prints_json_lines(tmp_path):
    result = CliRunner().invoke(fake, [write(tmp_path), "--schema", "#/components/schemas/Pet", "-n", "4",
                                       "--seed", "2"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 4 and all("id" in r and len(r["name"]) <= 10 for r in rows)
    again = CliRunner().invoke(fake, [write(tmp_path), "--schema", "#/components/schemas/Pet", "-n", "4",
                                      "--seed", "2"])
    assert again.output == result.output


def test_request_direction_drops_read_only(tmp_path):
    result = CliRunner().invoke(fake, [write(tmp_path), "--schema", "#/components/schemas/Pet",
                                       "--direction", "request"])
    assert "id" not in json.loads(result.output)


def test_bad_input_exit_2_one_line(tmp_path):
    for args in ([str(tmp_path / "missing.yaml"), "--schema", "#/x"],
                 [write(tmp_path), "--schema", "#/components/schemas/Nope"],
                 [write(tmp_path), "--schema", "#/components/schemas/Never"]):
        result = CliRunner().invoke(fake, args)
        assert result.exit_code == 2
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
