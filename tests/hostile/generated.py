"""Hostile documents too large to commit: ``cases.yaml`` names one with ``generate: <name>``.

Each generator writes the file ``name`` into ``folder`` (and what it needs beside it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

HEADER_YAML = "openapi: 3.0.3\ninfo: {title: Hostile, version: '1.0.0'}\npaths: {}\n"
HEADER_JSON = '{"openapi": "3.0.3", "info": {"title": "Hostile", "version": "1.0.0"}, "paths": {}, '
DEEP = 10_000
MB = 1024 * 1024
WSDL_START = '<?xml version="1.0"?>\n<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:h">\n'


def deep_json_arrays(folder: Path, name: str) -> None:
    (folder / name).write_text(HEADER_JSON + '"x-deep": ' + "[" * DEEP + "]" * DEEP + "}\n", encoding="utf-8")


def deep_json_objects(folder: Path, name: str) -> None:
    (folder / name).write_text(HEADER_JSON + '"x-deep": ' + '{"a": ' * DEEP + "{}" + "}" * DEEP + "}\n",
                               encoding="utf-8")


def deep_yaml_flow(folder: Path, name: str) -> None:
    (folder / name).write_text(HEADER_YAML + "x-deep: " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")


def deep_yaml_block(folder: Path, name: str) -> None:
    """Block sequences nested on one line (``- - - x``): 10,000 levels without 10,000 indented lines."""
    (folder / name).write_text(HEADER_YAML + "x-deep:\n  " + "- " * DEEP + "x\n", encoding="utf-8")


def deep_schemas(folder: Path, name: str, example: str) -> None:
    """Schemas nested to level 126 (two levels per ``properties``), the innermost with an invalid type and
    ``example`` (``[[1]]`` reaches level 128, the limit; ``[[[1]]]`` goes one past it), in block YAML.
    """
    lines = ["openapi: 3.0.3", "info: {title: Hostile, version: '1.0.0'}", "paths: {}", "components:",
             "  schemas:", "    Deep:"]
    indent = "      "
    for _ in range(61):
        lines += [indent + "type: object", indent + "properties:", indent + "  next:"]
        indent += "    "
    lines += [indent + "type: strin", indent + "example: " + example]
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def huge_string_yaml(folder: Path, name: str) -> None:
    (folder / name).write_text(HEADER_YAML.replace("version: '1.0.0'", "version: '1.0.0', description: "
                                                   + "ab" * (10 * MB)), encoding="utf-8")


def huge_string_json(folder: Path, name: str) -> None:
    (folder / name).write_text(HEADER_JSON + '"x-huge": "' + "<script>" * (20 * MB // 8) + '"}\n', encoding="utf-8")


def file_50_mb(folder: Path, name: str) -> None:
    """A lintable spec of 50 MB (most of it one extension string)."""
    (folder / name).write_text(HEADER_YAML + "x-padding: " + "x" * (50 * MB) + "\n", encoding="utf-8")


def ref_to_fifo(folder: Path, name: str) -> None:
    """A ``$ref`` to a named pipe nobody writes to: reading it would block forever."""
    os.mkfifo(folder / "pipe.yaml")
    (folder / name).write_text(HEADER_YAML + "components:\n  schemas:\n    Pipe: {$ref: 'pipe.yaml'}\n",
                               encoding="utf-8")


def wsdl_deep(folder: Path, name: str) -> None:
    (folder / name).write_text(WSDL_START + "<documentation>" + "<a>" * DEEP + "</a>" * DEEP
                               + "</documentation></definitions>\n", encoding="utf-8")


def wsdl_huge_attribute(folder: Path, name: str) -> None:
    (folder / name).write_text(WSDL_START + '<message name="' + "m" * (20 * MB) + '"/></definitions>\n',
                               encoding="utf-8")


def wsdl_namespace_blowup(folder: Path, name: str) -> None:
    """20,000 prefixes in scope, then 50,000 elements each declaring one more (each would copy all 20,000)."""
    prefixes = "".join(f' xmlns:p{i}="urn:p{i}"' for i in range(20_000))
    (folder / name).write_text(WSDL_START.replace('targetNamespace="urn:h"', 'targetNamespace="urn:h"' + prefixes)
                               + "<documentation>" + '<x xmlns="urn:x"/>' * 50_000 + "</documentation></definitions>\n",
                               encoding="utf-8")


def wsdl_many_prefixes(folder: Path, name: str) -> None:
    """20,000 prefixes declared on the root, 5,000 of them used: rules once searched the text once per prefix."""
    prefixes = "".join(f' xmlns:p{i}="urn:p{i}"' for i in range(20_000))
    messages = "".join(f'<message name="m{i}"><part name="p" type="p{i}:T"/></message>\n' for i in range(5_000))
    (folder / name).write_text(f'<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:h"'
                               f"{prefixes}>\n{messages}</definitions>\n", encoding="utf-8")


def wsdl_million_elements(folder: Path, name: str) -> None:
    (folder / name).write_text(WSDL_START + "<documentation>" + "<a/>" * 1_200_000 + "</documentation></definitions>\n",
                               encoding="utf-8")


GENERATORS: dict[str, Callable[[Path, str], None]] = {
    "deep-json-arrays": deep_json_arrays,
    "deep-json-objects": deep_json_objects,
    "deep-yaml-flow": deep_yaml_flow,
    "deep-yaml-block": deep_yaml_block,
    "deep-schemas-at-limit": lambda folder, name: deep_schemas(folder, name, "[[1]]"),
    "deep-schemas-past-limit": lambda folder, name: deep_schemas(folder, name, "[[[1]]]"),
    "huge-string-yaml": huge_string_yaml,
    "huge-string-json": huge_string_json,
    "file-50-mb": file_50_mb,
    "ref-to-fifo": ref_to_fifo,
    "wsdl-deep": wsdl_deep,
    "wsdl-huge-attribute": wsdl_huge_attribute,
    "wsdl-namespace-blowup": wsdl_namespace_blowup,
    "wsdl-million-elements": wsdl_million_elements,
    "wsdl-many-prefixes": wsdl_many_prefixes,
}
