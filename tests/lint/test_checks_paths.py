"""Path templates as ``path-params`` reads them."""

from __future__ import annotations

import pytest

from specforge.lint.checks.paths import template_names


@pytest.mark.parametrize(("path", "names"), [
    ("/pets", []),
    ("/pets/{petId}", ["petId"]),
    ("/owners/{ownerId}/pets/{petId}", ["ownerId", "petId"]),
    ("/files/{path*}", ["path"]),            # RFC 6570 explode
    ("/map{;lat}{;long}", ["lat", "long"]),  # matrix style
    ("/users/{user.id}", ["user.id"]),       # names with dots (Spectral's regex misses them)
    ("/a/{}", []),                           # empty declarations are path-declarations-must-exist's job
    ("/a/{x}/b/{x}", ["x", "x"]),
])
def test_template_names(path: str, names: list[str]) -> None:
    assert template_names(path) == names
