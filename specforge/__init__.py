"""specforge: lint OpenAPI and WSDL contracts, and mock them.

The library API, imported on first use so that ``import specforge`` stays cheap::

    from specforge import lint_file, load_config, load_spec
    result = lint_file("api.yaml", load_config())      # FileResult(findings, error)

    from specforge.mock import create_app                # a Flask app serving a spec
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "lint_file": "specforge.lint.api",
    "LintOptions": "specforge.lint.api",
    "load_config": "specforge.lint.config",
    "load_spec": "specforge.document",
    "Finding": "specforge.findings",
    "Severity": "specforge.findings",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'specforge' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
