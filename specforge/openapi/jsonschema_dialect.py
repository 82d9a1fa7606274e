"""OpenAPI Schema Objects as JSON Schema: compiled validators for examples, cached per document.

OAS 2.0 and 3.0 schemas are a JSON Schema draft-4 dialect: ``nullable: true`` (3.0) and
``x-nullable: true`` (2.0) add ``null`` to ``type``; a boolean ``required`` (a 2.0 parameter's) is
not a schema keyword; ``id`` is not a base-URI change. OAS 3.1+ schemas are JSON Schema 2020-12 (or
the document's ``jsonSchemaDialect``). ``readOnly``/``writeOnly`` properties are not required in
request/response examples (``Variant``).

Nothing is inlined: each file of the workspace is converted once per variant and registered with
jsonschema-rs under its own URI, so ``$ref``s (local, into other files, recursive) resolve inside
the validator. A validator is compiled once per schema location and variant.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from specforge.document import Document, RefError, Source
from specforge.document import pointer as jsonpointer

#: Values that are data, never schemas: not copied, not converted.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "description", "x-example"})
#: Maps whose keys are names (a property called ``default`` is a schema, not data).
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "schemas",
                        "parameters", "responses", "headers", "requestBodies", "content", "paths", "webhooks",
                        "callbacks", "pathItems"})


class Variant(Enum):
    """Which properties count as not required: none, ``readOnly`` ones (requests), ``writeOnly`` ones (responses)."""

    PLAIN = None
    REQUEST = "readOnly"
    RESPONSE = "writeOnly"


class SchemaError(Exception):
    """The schema cannot be compiled (invalid keyword values, or an unresolvable ``$ref``)."""

    def __init__(self, message: str, unresolved: bool = False) -> None:
        super().__init__(message)
        self.unresolved = unresolved  # another rule's finding (no-unresolved-refs): stay silent


#: Characters a URI fragment may hold unescaped (RFC 3986 pchar, "/" and "?").
_FRAGMENT_SAFE = "/?:@!$&'()*+,;=-._~"
#: How jsonschema-rs words a reference it cannot follow.
_REF_FAILURES = ("is not present in a registry", "nresolvable", "PointerToNowhere", "Invalid reference")


def _draft(document: Document) -> Any:
    import jsonschema_rs

    if document.format in ("oas2", "oas3.0"):
        return jsonschema_rs.Draft4
    dialect = document.data.get("jsonSchemaDialect") if isinstance(document.data, dict) else None
    if isinstance(dialect, str):
        for marker, draft in (("draft-04", "Draft4"), ("draft-06", "Draft6"), ("draft-07", "Draft7"),
                              ("2019-09", "Draft201909")):
            if marker in dialect:
                return getattr(jsonschema_rs, draft)
    return jsonschema_rs.Draft202012


class Dialect:
    """The JSON Schema view of one document's schemas (one per document, see ``dialect_for``)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.legacy = document.format in ("oas2", "oas3.0")
        self.nullable_key = "x-nullable" if document.format == "oas2" else "nullable"
        self.draft = _draft(document)
        self._registries: dict[Variant, Any] = {}
        self._validators: dict[tuple, Any] = {}
        self._uris: dict[int, str] = {}
        self._flags: set[str] = set()  # "readOnly"/"writeOnly" when some schema sets them (seen while converting)

    def uri(self, source: Source) -> str:
        """The URI a file is registered under (its location, as a ``file:`` URI when local)."""
        found = self._uris.get(id(source))
        if found is None:
            location = self.document.workspace.location(source)
            found = location if urlsplit(location).scheme in ("http", "https") else Path(location).as_uri()
            self._uris[id(source)] = found
        return found

    def validator(self, source: Source, pointer: tuple, variant: Variant = Variant.PLAIN) -> Any:
        """The compiled validator of the schema at ``pointer`` in ``source``; raises ``SchemaError``."""
        if variant is not Variant.PLAIN:
            self._registry(Variant.PLAIN)  # converting once tells whether any schema is readOnly/writeOnly
            if variant.value not in self._flags:
                variant = Variant.PLAIN
        key = (id(source), pointer, variant)
        found = self._validators.get(key)
        if found is None:
            found = self._compile(source, pointer, variant)
            self._validators[key] = found
        if isinstance(found, SchemaError):
            raise found
        return found

    def _compile(self, source: Source, pointer: tuple, variant: Variant) -> Any:
        import jsonschema_rs

        ref = f"{self.uri(source)}#{quote(jsonpointer.encode(pointer), safe=_FRAGMENT_SAFE)}"
        cls = {jsonschema_rs.Draft4: jsonschema_rs.Draft4Validator, jsonschema_rs.Draft6: jsonschema_rs.Draft6Validator,
               jsonschema_rs.Draft7: jsonschema_rs.Draft7Validator,
               jsonschema_rs.Draft201909: jsonschema_rs.Draft201909Validator}.get(self.draft,
                                                                                  jsonschema_rs.Draft202012Validator)
        try:
            return cls({"$ref": ref}, registry=self._registry(variant), validate_formats=True, formats=_FORMATS)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            text = str(exc)
            if isinstance(exc, jsonschema_rs.ReferencingError) or any(m in text for m in _REF_FAILURES):
                return SchemaError(_first_line(text), unresolved=True)
            return SchemaError(_first_line(text))

    def _registry(self, variant: Variant) -> Any:
        """Every file the schemas can reach, converted and registered (jsonschema-rs cannot fetch later)."""
        found = self._registries.get(variant)
        if found is None:
            import jsonschema_rs

            workspace = self.document.workspace
            resources: dict[str, Any] = {}
            pending = [workspace.root]
            while pending:
                source = pending.pop()
                uri = self.uri(source)
                if uri in resources:
                    continue
                refs: list[str] = []
                resources[uri] = self.convert(source.data, variant, refs=refs)
                for ref in refs:
                    try:
                        pending.append(workspace.resolve(ref.partition("#")[0], source).source)
                    except RefError:
                        continue  # reported by no-unresolved-refs; validators using it are skipped
            found = jsonschema_rs.Registry(list(resources.items()), draft=self.draft)
            self._registries[variant] = found
        return found

    def convert(self, value: Any, variant: Variant = Variant.PLAIN, in_not: bool = False,
                names: bool = False, refs: list[str] | None = None) -> Any:
        """A copy of ``value`` with OAS schema keywords rewritten as JSON Schema (data values shared).

        ``names``: ``value`` is a map of named entries (``properties``...), none of them data.
        ``refs`` collects the ``$ref``s into other files.
        """
        if isinstance(value, list):
            return [self.convert(item, variant, in_not, False, refs) for item in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(item, (dict, list)) or not names and (key in _DATA_KEYS or key.startswith("x-")):
                out[key] = item
            else:
                out[key] = self.convert(item, variant, in_not or (not names and key == "not"),
                                        not names and key in _NAME_MAPS, refs)
        ref = out.get("$ref")
        if refs is not None and isinstance(ref, str) and not ref.startswith("#"):
            refs.append(ref)
        if names:
            return out
        if self.legacy:
            if isinstance(out.get("required"), bool):
                del out["required"]
            for key in ("id", "$id"):
                if isinstance(out.get(key), str):
                    del out[key]
        for flag in ("readOnly", "writeOnly"):
            if value.get(flag) is True:
                self._flags.add(flag)
        if value.get(self.nullable_key) is True or value.get("nullable") is True:
            kind = out.get("type")
            if isinstance(kind, str) and kind != "null":
                out["type"] = [kind, "null"]
            elif isinstance(kind, list) and "null" not in kind:
                out["type"] = [*kind, "null"]
        if variant.value and not in_not and isinstance(out.get("required"), list) \
                and isinstance(value.get("properties"), dict):
            out["required"] = [name for name in out["required"]
                               if not self._flagged(value["properties"].get(name), variant.value)]
            if not out["required"]:
                del out["required"]
        return out

    def _flagged(self, schema: Any, flag: str) -> bool:
        """Whether a property schema (``$ref``s followed within the root file) sets ``flag: true``."""
        hops = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 16:
            ref = schema["$ref"]
            if not ref.startswith("#"):
                return False
            try:
                schema = self.document.workspace.resolve(ref, self.document.root).value
            except RefError:
                return False
            hops += 1
        return isinstance(schema, dict) and schema.get(flag) is True


def dialect_for(document: Document) -> Dialect:
    """The document's ``Dialect``, created on first use and kept in ``document.cache``."""
    found = document.cache.get("jsonschema_dialect")
    if found is None:
        found = document.cache["jsonschema_dialect"] = Dialect(document)
    return found


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "invalid schema"
    return line if len(line) <= 200 else line[:197] + "..."


def _is_base64(value: str) -> bool:
    import re

    return re.fullmatch(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", value) is not None


#: OpenAPI formats jsonschema-rs does not know, checked as Spectral (ajv-formats) does.
_FORMATS = {"byte": _is_base64}
