"""The library API behind the CLI: ``specforge.lint_file`` and friends."""

from __future__ import annotations

import specforge
from tests.conftest import FIXTURES


def test_lint_file_from_the_top_level_package() -> None:
    result = specforge.lint_file(FIXTURES / "specs" / "lint-demo.yaml", specforge.load_config(discover_config=False))
    assert result.error is None
    found = {(f.rule, f.line, f.column) for f in result.findings}
    assert ("path-params", 42, 5) in found
    assert ("oas3-valid-media-example", 52, 55) in found
    assert all(isinstance(f.severity, specforge.Severity) for f in result.findings)


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        specforge.nope  # noqa: B018
    except AttributeError as exc:
        assert "nope" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_lint_loaded_lints_a_document_already_in_memory() -> None:
    document = specforge.load_spec(FIXTURES / "specs" / "lint-demo.yaml")
    from specforge.lint.api import lint_loaded

    findings = lint_loaded(document, specforge.load_config(discover_config=False))
    assert ("path-params", 42, 5) in {(f.rule, f.line, f.column) for f in findings}
    assert all(f.fingerprint for f in findings)
