"""Fixtures for the mock server tests: apps over the bundled specs, and the real server as a subprocess."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mock_support import PETSTORE2, PETSTORE3, Server


@pytest.fixture(scope="session")
def petstore_server() -> Iterator[Server]:
    """The real server over petstore-3.0.yaml, with a seed and an accepted token."""
    server = Server(PETSTORE3, "--seed", "7", "--token", "secret", base="/v1")
    yield server
    server.stop()


@pytest.fixture
def client():
    from specforge.mock import create_app

    return create_app(PETSTORE3, seed=1).test_client()


@pytest.fixture
def client2():
    from specforge.mock import create_app

    return create_app(PETSTORE2, seed=1).test_client()
