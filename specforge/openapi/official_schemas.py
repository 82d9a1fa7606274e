"""The official OpenAPI JSON Schemas (as shipped by openapi-spec-validator), compiled once.

The schema files are read straight from the installed package's folder, without importing it:
its import pulls in jsonschema, referencing and more, which the lint path does not need.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import orjson

_FOLDERS = {"oas2": "v2.0", "oas3.0": "v3.0", "oas3.1": "v3.1", "oas3.2": "v3.2"}

#: Spec object kinds -> the definition validating them, per format (for fragments in other files).
FRAGMENT_DEFINITIONS: dict[str, dict[str, str]] = {
    "oas2": {"Schema": "#/definitions/schema", "Parameter": "#/definitions/parameter",
             "Response": "#/definitions/response", "PathItem": "#/definitions/pathItem",
             "Header": "#/definitions/header"},
    "oas3.0": {"Schema": "#/definitions/Schema", "Parameter": "#/definitions/Parameter",
               "Response": "#/definitions/Response", "RequestBody": "#/definitions/RequestBody",
               "Header": "#/definitions/Header", "Example": "#/definitions/Example",
               "Link": "#/definitions/Link", "Callback": "#/definitions/Callback",
               "SecurityScheme": "#/definitions/SecurityScheme", "PathItem": "#/definitions/PathItem"},
    "oas3.1": {"Parameter": "#/$defs/parameter", "Response": "#/$defs/response",
               "RequestBody": "#/$defs/request-body", "Header": "#/$defs/header", "Example": "#/$defs/example",
               "Link": "#/$defs/link", "Callback": "#/$defs/callbacks", "SecurityScheme": "#/$defs/security-scheme",
               "PathItem": "#/$defs/path-item"},
}
FRAGMENT_DEFINITIONS["oas3.2"] = FRAGMENT_DEFINITIONS["oas3.1"]


def _schema_folder() -> Path:
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "schemas"


@cache
def official_schema(fmt: str) -> dict[str, Any]:
    """The official JSON Schema for a document format."""
    return orjson.loads((_schema_folder() / _FOLDERS[fmt] / "schema.json").read_bytes())


@cache
def validator(fmt: str, fragment: str | None = None) -> Any:
    """A compiled validator for the whole document, or for one definition (``#/definitions/X``).

    Formats are not asserted: specs legitimately carry JavaScript-flavoured regexes and the like.
    """
    import jsonschema_rs

    schema = official_schema(fmt)
    if fragment is None:
        return jsonschema_rs.validator_for(schema, validate_formats=False)
    # Keep the definitions, drop the root constraints: a ``$ref`` beside the definitions is the root.
    container = "$defs" if fragment.startswith("#/$defs/") else "definitions"
    wrapper: dict[str, Any] = {container: schema[container], "$ref": fragment}
    if "$schema" in schema:
        wrapper["$schema"] = schema["$schema"]
    return jsonschema_rs.validator_for(wrapper, validate_formats=False)
