"""The typed shape of OpenAPI 2.0 and 3.x documents: which field of which object holds what.

This is the one place that knows the structural differences between versions. The walker follows
it so that rules subscribe to node kinds (``Operation``, ``Schema``, ``Parameter``...) instead of
searching the raw tree, which also keeps example payloads from being mistaken for spec objects.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListOf:
    kind: str


@dataclass(frozen=True)
class MapOf:
    kind: str
    skip_extensions: bool = True  # ``x-`` keys of paths/responses/callbacks are not entries


Field = str | ListOf | MapOf

HTTP_METHODS_2 = ("get", "put", "post", "delete", "options", "head", "patch")
HTTP_METHODS_3 = HTTP_METHODS_2 + ("trace",)

_SCHEMA_COMMON: dict[str, Field] = {
    "properties": MapOf("Schema", skip_extensions=False),
    "additionalProperties": "Schema",
    "items": "Schema",
    "allOf": ListOf("Schema"),
    "externalDocs": "ExternalDocs",
    "xml": "XML",
}
_SCHEMA_3: dict[str, Field] = {
    **_SCHEMA_COMMON,
    "anyOf": ListOf("Schema"),
    "oneOf": ListOf("Schema"),
    "not": "Schema",
    "discriminator": "Discriminator",
}
_SCHEMA_31: dict[str, Field] = {
    **_SCHEMA_3,
    "prefixItems": ListOf("Schema"),
    "patternProperties": MapOf("Schema", skip_extensions=False),
    "dependentSchemas": MapOf("Schema", skip_extensions=False),
    "$defs": MapOf("Schema", skip_extensions=False),
    "definitions": MapOf("Schema", skip_extensions=False),
    "propertyNames": "Schema",
    "contains": "Schema",
    "if": "Schema",
    "then": "Schema",
    "else": "Schema",
    "unevaluatedItems": "Schema",
    "unevaluatedProperties": "Schema",
    "additionalItems": "Schema",
    "contentSchema": "Schema",
}

_OPERATION_3: dict[str, Field] = {
    "parameters": ListOf("Parameter"),
    "requestBody": "RequestBody",
    "responses": "Responses",
    "callbacks": MapOf("Callback", skip_extensions=False),
    "security": ListOf("SecurityRequirement"),
    "servers": ListOf("Server"),
    "externalDocs": "ExternalDocs",
}

OAS3: dict[str, dict[str, Field]] = {
    "Root": {
        "x-webhooks": MapOf("PathItem", skip_extensions=False),  # Redoc's 3.0 spelling of 3.1 webhooks
        "info": "Info",
        "servers": ListOf("Server"),
        "paths": "Paths",
        "components": "Components",
        "security": ListOf("SecurityRequirement"),
        "tags": ListOf("Tag"),
        "externalDocs": "ExternalDocs",
    },
    "Info": {"contact": "Contact", "license": "License"},
    "Contact": {},
    "License": {},
    "Server": {"variables": MapOf("ServerVariable", skip_extensions=False)},
    "ServerVariable": {},
    "Paths": {"*": MapOf("PathItem")},
    "PathItem": {
        **{method: "Operation" for method in HTTP_METHODS_3},
        "parameters": ListOf("Parameter"),
        "servers": ListOf("Server"),
    },
    "Operation": _OPERATION_3,
    "Parameter": {"schema": "Schema", "content": MapOf("MediaType", False), "examples": MapOf("Example", False)},
    "RequestBody": {"content": MapOf("MediaType", skip_extensions=False)},
    "MediaType": {"schema": "Schema", "examples": MapOf("Example", False), "encoding": MapOf("Encoding", False)},
    "Encoding": {"headers": MapOf("Header", skip_extensions=False)},
    "Responses": {"*": MapOf("Response")},
    "Response": {
        "headers": MapOf("Header", skip_extensions=False),
        "content": MapOf("MediaType", skip_extensions=False),
        "links": MapOf("Link", skip_extensions=False),
    },
    "Header": {"schema": "Schema", "content": MapOf("MediaType", False), "examples": MapOf("Example", False)},
    "Callback": {"*": MapOf("PathItem")},
    "Example": {},
    "Link": {"server": "Server"},
    "Tag": {"externalDocs": "ExternalDocs"},
    "ExternalDocs": {},
    "Components": {
        "schemas": MapOf("Schema", skip_extensions=False),
        "responses": MapOf("Response", skip_extensions=False),
        "parameters": MapOf("Parameter", skip_extensions=False),
        "examples": MapOf("Example", skip_extensions=False),
        "requestBodies": MapOf("RequestBody", skip_extensions=False),
        "headers": MapOf("Header", skip_extensions=False),
        "securitySchemes": MapOf("SecurityScheme", skip_extensions=False),
        "links": MapOf("Link", skip_extensions=False),
        "callbacks": MapOf("Callback", skip_extensions=False),
    },
    "SecurityScheme": {"flows": "OAuthFlows"},
    "OAuthFlows": {
        "implicit": "OAuthFlow",
        "password": "OAuthFlow",
        "clientCredentials": "OAuthFlow",
        "authorizationCode": "OAuthFlow",
    },
    "OAuthFlow": {},
    "SecurityRequirement": {},
    "Schema": _SCHEMA_3,
    "Discriminator": {},
    "XML": {},
}

OAS31: dict[str, dict[str, Field]] = {
    **OAS3,
    "Root": {**OAS3["Root"], "webhooks": MapOf("PathItem", skip_extensions=False)},
    "Components": {**OAS3["Components"], "pathItems": MapOf("PathItem", skip_extensions=False)},
    "Schema": _SCHEMA_31,
}

OAS2: dict[str, dict[str, Field]] = {
    "Root": {
        "info": "Info",
        "paths": "Paths",
        "definitions": MapOf("Schema", skip_extensions=False),
        "parameters": MapOf("Parameter", skip_extensions=False),
        "responses": MapOf("Response", skip_extensions=False),
        "securityDefinitions": MapOf("SecurityScheme", skip_extensions=False),
        "security": ListOf("SecurityRequirement"),
        "tags": ListOf("Tag"),
        "externalDocs": "ExternalDocs",
    },
    "Info": {"contact": "Contact", "license": "License"},
    "Contact": {},
    "License": {},
    "Paths": {"*": MapOf("PathItem")},
    "PathItem": {**{method: "Operation" for method in HTTP_METHODS_2}, "parameters": ListOf("Parameter")},
    "Operation": {
        "parameters": ListOf("Parameter"),
        "responses": "Responses",
        "security": ListOf("SecurityRequirement"),
        "externalDocs": "ExternalDocs",
    },
    "Parameter": {"schema": "Schema", "items": "Schema"},
    "Responses": {"*": MapOf("Response")},
    "Response": {"schema": "Schema", "headers": MapOf("Header", skip_extensions=False)},
    "Header": {"items": "Schema"},
    "Tag": {"externalDocs": "ExternalDocs"},
    "ExternalDocs": {},
    "SecurityScheme": {},
    "SecurityRequirement": {},
    "Schema": _SCHEMA_COMMON,
    "XML": {},
}

#: Kinds whose objects may be replaced by a ``{"$ref": ...}`` (Reference Objects / JSON references).
#: ``Operation`` is not referenceable per the specification, but real specs split operations into
#: files this way (DigitalOcean) and Spectral resolves them; the structure rule still reports it.
REFERENCEABLE = frozenset({
    "Schema", "Parameter", "Response", "RequestBody", "Header", "Example", "Link", "Callback",
    "SecurityScheme", "PathItem", "Operation",
})


def types_for(fmt: str) -> dict[str, dict[str, Field]]:
    """The type map of a document format (``oas2``, ``oas3.0``, ``oas3.1``, ``oas3.2``)."""
    if fmt == "oas2":
        return OAS2
    if fmt == "oas3.0":
        return OAS3
    return OAS31


ALL_KINDS = frozenset(OAS2) | frozenset(OAS31) | {"Reference"}
