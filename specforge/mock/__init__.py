"""``specforge mock``: serve an OpenAPI document as a validating mock server (``create_app``)."""

from specforge.mock.app import create_app

__all__ = ["create_app"]
