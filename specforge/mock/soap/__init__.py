"""SOAP mock: serve every SOAP port of a WSDL 1.1 / 2.0 contract with schema-valid generated responses."""

from __future__ import annotations

from typing import Any


def create_soap_app(wsdl_path: Any, **options: Any) -> Any:
    """``create_soap_app(path, seed=None, base_url=None, paths=None, validate=True)`` -> ``flask.Flask``."""
    from specforge.mock.soap.app import create_soap_app as create

    return create(wsdl_path, **options)


__all__ = ["create_soap_app"]
