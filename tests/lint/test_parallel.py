"""Many files: worker processes give the serial results in input order, and the content-hash cache
returns the same findings until the file, a file it references, or the configuration changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.findings import Severity
from specforge.lint.api import LintOptions
from specforge.lint.cache import ResultCache
from specforge.lint.config import Config, load_config
from specforge.lint.parallel import lint_files

ROOT = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    $ref: shared.yaml
"""
SHARED = "get:\n  responses: {\"200\": {description: OK}}\n"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shared.yaml").write_text(SHARED, encoding="utf-8")
    for i in range(5):
        (tmp_path / f"spec{i}.yaml").write_text(ROOT.replace("title: T", f"title: T{i}"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("openapi: 3.0.3\ninfo: [", encoding="utf-8")
    config = load_config(discover_config=False)
    config.severities = {"operation-description": Severity.WARNING}
    return config


FILES = ["spec3.yaml", "broken.yaml", "spec0.yaml", "spec1.yaml", "spec4.yaml", "spec2.yaml"]


def _summary(results: list) -> list[tuple]:
    return [(r.path, str(r.error) if r.error else None, [(f.file, f.line, f.column, f.rule) for f in r.findings])
            for r in results]


def test_processes_return_serial_results_in_input_order(config: Config) -> None:
    serial = _summary(list(lint_files(FILES, config, LintOptions(), jobs=1)))
    parallel = _summary(list(lint_files(FILES, config, LintOptions(), jobs=2)))
    assert parallel == serial
    assert [path for path, _, _ in parallel] == FILES
    assert parallel[1][1].startswith("broken.yaml:3:1: not valid YAML")
    assert parallel[0][2] == [("shared.yaml", 1, 1, "operation-description")]


def test_cache_hits_until_a_referenced_file_changes(config: Config, tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache", "key-1")
    first = _summary(list(lint_files(FILES, config, LintOptions(), jobs=1, cache=cache)))
    assert cache.hits == 0
    second = _summary(list(lint_files(FILES, config, LintOptions(), jobs=1, cache=cache)))
    assert second == first
    assert cache.hits == 5  # the broken file is never cached
    (tmp_path / "shared.yaml").write_text(SHARED.replace("get:", "put:"), encoding="utf-8")
    cache.hits = 0
    third = _summary(list(lint_files(FILES, config, LintOptions(), jobs=2, cache=cache)))
    assert cache.hits == 0
    assert third[0][2][0][3] == "operation-description"
    (tmp_path / "spec0.yaml").write_text(ROOT + "x-note: edited\n", encoding="utf-8")
    list(lint_files(FILES, config, LintOptions(), jobs=1, cache=cache))
    assert cache.hits == 4  # all but the edited file


def test_a_different_configuration_key_misses(config: Config, tmp_path: Path) -> None:
    list(lint_files(FILES, config, LintOptions(), cache=ResultCache(tmp_path / "cache", "key-1")))
    other = ResultCache(tmp_path / "cache", "key-2")
    list(lint_files(FILES, config, LintOptions(), cache=other))
    assert other.hits == 0


def test_wsdl_cache_misses_when_an_imported_schema_changes(config: Config, tmp_path: Path) -> None:
    xsd = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" '
        'elementFormDefault="qualified"><xs:element name="Ping" type="xs:string"/></xs:schema>'
    )
    wsdl = (
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t" xmlns:tns="urn:t">'
        '<types><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">'
        '<xs:import namespace="urn:t" schemaLocation="types.xsd"/></xs:schema></types>'
        '<message name="PingRequest"><part name="body" element="tns:Ping"/></message></definitions>'
    )
    (tmp_path / "types.xsd").write_text(xsd, encoding="utf-8")
    (tmp_path / "service.wsdl").write_text(wsdl, encoding="utf-8")
    files = [str(tmp_path / "service.wsdl")]
    cache = ResultCache(tmp_path / "cache", "key-1")
    first = list(lint_files(files, config, LintOptions(), jobs=1, cache=cache))
    assert first[0].error is None
    assert any(location.endswith("types.xsd") for location in first[0].files)
    list(lint_files(files, config, LintOptions(), jobs=1, cache=cache))
    assert cache.hits == 1
    (tmp_path / "types.xsd").write_text(xsd.replace("Ping", "Pong"), encoding="utf-8")
    cache.hits = 0
    list(lint_files(files, config, LintOptions(), jobs=1, cache=cache))
    assert cache.hits == 0
