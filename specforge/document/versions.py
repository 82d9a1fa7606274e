"""Which kind of document a file is: OpenAPI 2.0, 3.0, 3.1, 3.2 or WSDL."""

from __future__ import annotations

import re
from typing import Any

#: Format names used by rules (``formats:``) and by the engine.
OAS2 = "oas2"
OAS3_0 = "oas3.0"
OAS3_1 = "oas3.1"
OAS3_2 = "oas3.2"
WSDL = "wsdl"
#: Every name a rule may use to target some OpenAPI version.
OPENAPI_FORMATS = frozenset({OAS2, OAS3_0, OAS3_1, OAS3_2, "oas3"})

_OAS3 = re.compile(r"^3\.(\d+)(?:\.\d+)?(?:-.+)?$")


def detect(data: Any) -> str | None:
    """The format of parsed data, or None when it is not an OpenAPI document."""
    if not isinstance(data, dict):
        return None
    if "openapi" in data:
        match = _OAS3.match(str(data["openapi"]).strip())
        if not match:
            return None
        minor = int(match.group(1))
        return {0: OAS3_0, 1: OAS3_1}.get(minor, OAS3_2 if minor >= 2 else None)
    if "swagger" in data and str(data["swagger"]).strip() in ("2.0", "2"):
        return OAS2
    return None


def families(fmt: str) -> frozenset[str]:
    """Every name a rule may use to target ``fmt`` (``oas3`` matches 3.0, 3.1 and 3.2)."""
    if fmt.startswith("oas3"):
        return frozenset({fmt, "oas3"})
    return frozenset({fmt})
