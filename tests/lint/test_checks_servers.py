"""``oas3-server-variables``'s URL test: which substituted server URLs a client could call."""

from __future__ import annotations

import pytest

from specforge.lint.checks.servers import is_valid_url


@pytest.mark.parametrize("url", [
    "https://api.pets.org/v1",
    "https://api.pets.org:8443",
    "http://[::1]:8080/v1",
    "/v1",            # relative server URLs are allowed by OpenAPI (Spectral rejects them)
    "v1/pets",
    "urn:pets:api",   # a non-special scheme needs no host
])
def test_valid_urls(url: str) -> None:
    assert is_valid_url(url)


@pytest.mark.parametrize("url", [
    "https://pets.org:http",       # port is not a number
    "https://pets.org:70000",      # port out of range
    "https://",                    # no host
    "https://a%20b.pets.org",      # encoded space in the host
    "https://a<b>.pets.org",
    "http://[zz::1]/",             # not an IPv6 address
])
def test_invalid_urls(url: str) -> None:
    assert not is_valid_url(url)
