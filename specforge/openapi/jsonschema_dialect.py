"""OpenAPI Schema Objects as JSON Schema: compiled validators for examples, cached per document.

OAS 2.0 and 3.0 schemas are a JSON Schema draft-4 dialect, OAS 3.1+ schemas JSON Schema 2020-12
(or the document's ``jsonSchemaDialect``). The files are registered with jsonschema-rs as they
are, under their own URIs, so ``$ref``s (local, into other files, recursive) resolve inside the
validator: nothing is inlined or copied. What the dialects add to plain JSON Schema is applied to
the errors instead (``excused``): ``nullable: true`` (3.x) / ``x-nullable: true`` (2.0) let
``null`` pass a ``type``, and ``readOnly``/``writeOnly`` properties are not required in
request/response examples. A validator is compiled once per distinct schema of a file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import orjson

from specforge.document import Document, RefError, Source
from specforge.document import pointer as jsonpointer


class SchemaError(Exception):
    """The schema cannot be compiled (invalid keyword values, or an unresolvable ``$ref``)."""

    def __init__(self, message: str, unresolved: bool = False, state: dict[str, bool] | None = None) -> None:
        super().__init__(message)
        self.unresolved = unresolved  # another rule's finding (no-unresolved-refs): stay silent
        self._state = state if state is not None else {"reported": False}  # shared by its copies

    @property
    def reported(self) -> bool:
        """Set by the first check that reports this schema (on any copy)."""
        return self._state["reported"]

    @reported.setter
    def reported(self, value: bool) -> None:
        self._state["reported"] = value

    def copy(self) -> SchemaError:
        """A copy to raise: the memoised error never carries a traceback, whose frames would hold the
        dialect (and the document) in a cycle.
        """
        return SchemaError(str(self), self.unresolved, self._state)


#: Characters a URI fragment may hold unescaped (RFC 3986 pchar, "/" and "?").
_FRAGMENT_SAFE = "/?:@!$&'()*+,;=-._~"
#: How jsonschema-rs words a reference it cannot follow.
_REF_FAILURES = ("is not present in a registry", "nresolvable", "PointerToNowhere", "Invalid reference",
                 "does not exist")


def _draft(document: Document) -> Any:
    import jsonschema_rs

    if document.format in ("oas2", "oas3.0"):
        return jsonschema_rs.Draft4
    dialect = document.data.get("jsonSchemaDialect") if isinstance(document.data, dict) else None
    if isinstance(dialect, str):
        for marker, draft in (
            ("draft-04", "Draft4"),
            ("draft-06", "Draft6"),
            ("draft-07", "Draft7"),
            ("2019-09", "Draft201909"),
        ):
            if marker in dialect:
                return getattr(jsonschema_rs, draft)
    return jsonschema_rs.Draft202012


class Dialect:
    """The JSON Schema view of one document's schemas (one per document, see ``dialect_for``)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.nullable_key = "x-nullable" if document.format == "oas2" else "nullable"
        self.draft = _draft(document)
        self._registry_built: Any = None
        self._validators: dict[tuple, Any] = {}
        self._by_content: dict[tuple, Any] = {}
        self._uris: dict[int, str] = {}
        self._sources: dict[str, Source] = {}  # registered files by URI
        self._crawled = False  # whether the files the root refers to have been registered
        self._whole_root = False  # whether the root is registered whole, operations included
        self._covered: set[tuple] = set()  # pointers into the root's operations that validators use

    def uri(self, source: Source) -> str:
        """The URI a file is registered under (its location, as a ``file:`` URI when local)."""
        found = self._uris.get(id(source))
        if found is None:
            location = self.document.workspace.location(source)
            found = location if urlsplit(location).scheme in ("http", "https") else Path(location).as_uri()
            self._uris[id(source)] = found
        return found

    def validator(self, source: Source, pointer: tuple, schema: Any = None) -> Any:
        """The compiled validator of the schema at ``pointer`` in ``source``; raises ``SchemaError``.

        Given the ``schema`` itself, identical schemas of one file share a validator (specs repeat
        ``{type: string, example: ...}`` thousands of times; only the examples differ).
        """
        key = (id(source), pointer)
        found = self._validators.get(key)
        if found is None:
            content = _content_key(source, schema)
            found = self._by_content.get(content) if content is not None else None
            if found is None:
                found = self._compile(source, pointer)
                if content is not None:
                    self._by_content[content] = found
            self._validators[key] = found
        if isinstance(found, SchemaError):
            raise found.copy()
        return found

    def prepare(self, schemas: list[tuple[Source, tuple, Any]]) -> None:
        """Compile the validators of many ``(source, pointer, schema)`` at once, for ``validator`` to hand out.

        One validator holds them all, so the schemas their ``$ref``s reach are compiled once instead
        of once per validator (GitHub's 631 example schemas: 0.04 s and 1 MB instead of 0.12 s and
        41 MB).
        """
        members: dict[Any, tuple[Source, tuple]] = {}  # content (or, without one, location) -> location
        wanted: list[tuple[tuple, Any, Any]] = []  # (location key, member, content)
        for source, pointer, schema in schemas:
            key = (id(source), pointer)
            if key in self._validators:
                continue
            content = _content_key(source, schema)
            if content is not None and content in self._by_content:
                self._validators[key] = self._by_content[content]
                continue
            member = content if content is not None else key
            members.setdefault(member, (source, pointer))
            wanted.append((key, member, content))
        if not members:
            return
        validators = self._compile_members(list(members.items()))
        for key, member, content in wanted:
            if member in validators:
                found = self._validators[key] = validators[member]
                if content is not None:
                    self._by_content[content] = found

    def _compile_members(self, members: list[tuple[Any, tuple[Source, tuple]]]) -> dict[Any, _Member]:
        """Validators for as many members as one combined validator can hold; a combination that fails to
        compile is halved until the failing schemas stand alone (they are left out: ``validator`` compiles
        them singly, to report why).
        """
        import jsonschema_rs

        properties = {f"s{i}": {"$ref": self._ref(source, pointer)} for i, (_, (source, pointer)) in enumerate(members)}
        try:
            combined = self._validator_class()({"properties": properties}, registry=self._registry(),
                                               validate_formats=True, formats=_FORMATS)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            unresolved = isinstance(exc, jsonschema_rs.ReferencingError) or any(m in str(exc) for m in _REF_FAILURES)
            if unresolved and self._widen():
                return self._compile_members(members)
            if len(members) == 1:
                return {}
            half = len(members) // 2
            return {**self._compile_members(members[:half]), **self._compile_members(members[half:])}
        return {member: _Member(combined, f"s{i}") for i, (member, _) in enumerate(members)}

    def parameter_validator(self, source: Source, pointer: tuple, parameter: dict) -> Any:
        """A 2.0 parameter or header used as its own schema (its boolean ``required`` is not a keyword)."""
        if not isinstance(parameter.get("required"), bool):
            return self.validator(source, pointer)
        key = (id(source), pointer, "parameter")
        found = self._validators.get(key)
        if found is None:
            import jsonschema_rs

            schema = {k: v for k, v in parameter.items() if k != "required"}
            try:
                found = jsonschema_rs.Draft4Validator(schema, validate_formats=True, formats=_FORMATS)
            except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
                found = SchemaError(_first_line(str(exc)), unresolved="$ref" in str(schema))
            self._validators[key] = found
        if isinstance(found, SchemaError):
            raise found.copy()
        return found

    def lookup(self, location: str) -> tuple[Source, tuple, Any] | None:
        """The file, pointer and value at a ``uri#pointer`` a validator reported (``None`` if unknown)."""
        uri, _, fragment = location.partition("#")
        source = self._sources.get(uri)
        if source is None:
            return None
        try:
            pointer = jsonpointer.decode(unquote(fragment))
            return source, pointer, jsonpointer.lookup(source.data, pointer)
        except (KeyError, ValueError):
            return None

    def _compile(self, source: Source, pointer: tuple) -> Any:
        self.cover([(source, pointer)])
        compiled = self._try_compile(source, pointer)
        while isinstance(compiled, SchemaError) and compiled.unresolved and self._widen():
            compiled = self._try_compile(source, pointer)
        return compiled

    def cover(self, locations: list[tuple[Source, tuple]]) -> None:
        """Make sure the schemas at ``locations`` are registered (before validators refer to them).

        The root is registered without its operations (``paths``, webhooks: a third of a big spec,
        and no schema ``$ref`` points there but in rare specs) except for the schemas validators use;
        a reference the registry lacks makes it register the root whole (``_widen``).
        """
        root = self.document.workspace.root
        new = {pointer for source, pointer in locations
               if source is root and pointer and pointer[0] in _OPERATION_SECTIONS}
        if not new <= self._covered:
            self._covered |= new
            if not self._whole_root:
                self._registry_built = None

    def _widen(self) -> bool:
        """After an unresolvable reference: register more (the whole root, then every file it reaches, once);
        False when there is nothing left to add.
        """
        if not self._whole_root:
            self._whole_root = True
        elif not self._crawled:
            self._crawl()  # a multi-file document: register every file its schemas can reach
        else:
            return False
        self._registry_built = None
        self._validators = {
            key: v for key, v in self._validators.items() if not (isinstance(v, SchemaError) and v.unresolved)
        }
        self._by_content = {
            key: v for key, v in self._by_content.items() if not (isinstance(v, SchemaError) and v.unresolved)
        }
        return True

    def _ref(self, source: Source, pointer: tuple) -> str:
        return f"{self.uri(source)}#{quote(jsonpointer.encode(pointer), safe=_FRAGMENT_SAFE)}"

    def _validator_class(self) -> Any:
        import jsonschema_rs

        return {
            jsonschema_rs.Draft4: jsonschema_rs.Draft4Validator,
            jsonschema_rs.Draft6: jsonschema_rs.Draft6Validator,
            jsonschema_rs.Draft7: jsonschema_rs.Draft7Validator,
            jsonschema_rs.Draft201909: jsonschema_rs.Draft201909Validator,
        }.get(self.draft, jsonschema_rs.Draft202012Validator)

    def _try_compile(self, source: Source, pointer: tuple) -> Any:
        import jsonschema_rs

        try:
            return self._validator_class()({"$ref": self._ref(source, pointer)}, registry=self._registry(),
                                           validate_formats=True, formats=_FORMATS)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            text = str(exc)
            if isinstance(exc, jsonschema_rs.ReferencingError) or any(m in text for m in _REF_FAILURES):
                return SchemaError(_first_line(text), unresolved=True)
            return SchemaError(_first_line(text))

    def excused(self, error: Any, relaxed: str | None = None) -> bool:
        """Whether an error is not one in the OpenAPI dialect: ``null`` for a nullable schema, a
        missing ``relaxed`` (``readOnly``/``writeOnly``) property, or a combinator those satisfy.
        """
        name = type(error.kind).__name__
        if name == "Type" and error.instance is None:
            schema = self._schema_of(error)
            return schema is not None and (
                schema[1].get(self.nullable_key) is True or schema[1].get("nullable") is True
            )
        if name == "Required" and relaxed:
            schema = self._schema_of(error)
            if schema is None or not isinstance(schema[1].get("properties"), dict):
                return False
            prop = self._follow(schema[0], schema[1]["properties"].get(error.kind.property))
            return isinstance(prop, dict) and prop.get(relaxed) is True
        if name in ("AnyOf", "OneOfNotValid"):
            passing = [all(self.excused(e, relaxed) for e in branch) for branch in error.kind.context]
            return any(passing) if name == "AnyOf" else sum(passing) == 1
        return False

    def _schema_of(self, error: Any) -> tuple[Source, dict] | None:
        """The (original) schema object holding the keyword that failed."""
        location = error.absolute_keyword_location
        if not location:
            return None
        found = self.lookup(location.rsplit("/", 1)[0])
        return (found[0], found[2]) if found is not None and isinstance(found[2], dict) else None

    def _follow(self, source: Source, schema: Any) -> Any:
        hops = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 16:
            try:
                target = self.document.workspace.resolve(schema["$ref"], source)
            except RefError:
                return None
            source, schema, hops = target.source, target.value, hops + 1
        return schema

    def _registry(self) -> Any:
        """The registered files (the root and, after ``_crawl``, what it refers to)."""
        if self._registry_built is None:
            import jsonschema_rs

            root = self.document.workspace.root
            self._sources.setdefault(self.uri(root), root)
            resources = []
            for uri, source in self._sources.items():
                data = _without_example_objects(source.data)
                if source is root and not self._whole_root:
                    data = _without_operations(data, self._covered)
                resources.append((uri, data))
            self._registry_built = jsonschema_rs.Registry(resources, draft=self.draft)
        return self._registry_built

    def _crawl(self) -> None:
        """Load every file reachable by ``$ref`` from the root and register them all."""
        self._crawled = True
        workspace = self.document.workspace
        pending = [workspace.root]
        while pending:
            source = pending.pop()
            uri = self.uri(source)
            if uri in self._sources and source is not workspace.root:
                continue
            self._sources[uri] = source
            for ref in _external_refs(source.data):
                try:
                    target = workspace.resolve(ref.partition("#")[0], source)
                except RefError:
                    continue  # reported by no-unresolved-refs; validators using it are skipped
                if self.uri(target.source) not in self._sources:
                    pending.append(target.source)


class _Member:
    """One schema's validator inside a combined one (``Dialect.prepare``): the instance is validated as
    the value of the schema's property, and errors are told without that extra step.
    """

    __slots__ = ("combined", "name")

    def __init__(self, combined: Any, name: str) -> None:
        self.combined = combined
        self.name = name

    def is_valid(self, instance: Any) -> bool:
        return self.combined.is_valid({self.name: instance})

    def iter_errors(self, instance: Any) -> list[Any]:
        return [_Unwrapped(error) for error in self.combined.iter_errors({self.name: instance})]


class _Unwrapped:
    """An error of a combined validator as the schema's own validator would report it."""

    __slots__ = ("error", "instance_path", "evaluation_path")

    def __init__(self, error: Any) -> None:
        self.error = error
        self.instance_path = list(error.instance_path)[1:]  # without the member's property
        self.evaluation_path = ["$ref", *list(error.evaluation_path)[3:]]  # "properties", name, "$ref" -> "$ref"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.error, name)


#: Keys that do not change what a schema accepts (left out when comparing schemas).
_ANNOTATIONS = frozenset({"example", "examples", "x-example", "default", "description", "title"})


def _content_key(source: Source, schema: Any) -> tuple[int, bytes] | None:
    """What identifies a schema's content within its file: a digest of its canonical JSON (digests keep
    memory flat where the JSON of big inline schemas would not).
    """
    if not isinstance(schema, dict):
        return None
    try:
        text = orjson.dumps(
            {k: v for k, v in schema.items() if k not in _ANNOTATIONS},
            option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        )
    except (TypeError, orjson.JSONEncodeError):
        return None
    return id(source), hashlib.blake2b(text, digest_size=16).digest()


def _without_example_objects(data: Any) -> Any:
    """``data`` without ``components.examples`` (payloads, often half of a big spec; never a schema)."""
    components = data.get("components") if isinstance(data, dict) else None
    if not isinstance(components, dict) or "examples" not in components:
        return data
    return {**data, "components": {k: v for k, v in components.items() if k != "examples"}}


#: Where the operations of a document are (no schema lives there that a ``$ref`` would usually name).
_OPERATION_SECTIONS = frozenset({"paths", "webhooks", "x-webhooks"})


def _without_operations(data: Any, keep: set[tuple]) -> Any:
    """``data`` without its operations, but for the values at the pointers in ``keep`` (grafted on a
    skeleton of mappings along the same pointers: list indices become keys, which JSON pointers resolve).
    """
    if not isinstance(data, dict):
        return data
    view = {key: value for key, value in data.items() if key not in _OPERATION_SECTIONS}
    skeleton = {id(view)}  # the mappings made here (the document's own are never written to)
    for pointer in sorted(keep, key=len):  # shorter first: a value grafted whole holds the longer ones
        try:
            value = jsonpointer.lookup(data, pointer)
        except (KeyError, ValueError):
            continue
        node = view
        for part in pointer[:-1]:
            child = node.get(str(part))
            if child is None:
                child = node[str(part)] = {}
                skeleton.add(id(child))
            node = child
            if id(node) not in skeleton:
                break  # inside a value grafted already
        else:
            node[str(pointer[-1])] = value
    return view


def _external_refs(data: Any) -> list[str]:
    """The ``$ref``s into other files anywhere in ``data``."""
    found = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append(ref)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return found


def dialect_for(document: Document) -> Dialect:
    """The document's ``Dialect``, created on first use and kept in ``document.cache``."""
    found = document.cache.get("jsonschema_dialect")
    if found is None:
        found = document.cache["jsonschema_dialect"] = Dialect(document)
    return found


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "invalid schema"
    return line if len(line) <= 200 else line[:197] + "..."


# Formats as Spectral checks them (ajv-formats, "full" mode), whatever the JSON Schema draft: draft 4
# knows no ``uuid`` or ``duration``, OpenAPI adds ``byte``, and ajv accepts a date-time without offset.
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_DATE = re.compile(r"(\d\d\d\d)-(\d\d)-(\d\d)")
_TIME = re.compile(r"(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?", re.IGNORECASE)
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PATTERNS = {
    "uuid": re.compile(r"(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.IGNORECASE),
    "duration": re.compile(r"P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)"),
    "json-pointer": re.compile(r"(?:/(?:[^~/]|~0|~1)*)*"),
    "relative-json-pointer": re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)"),
    "email": re.compile(
        r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
        r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?",
        re.IGNORECASE,
    ),
    "byte": _BASE64,
}


def _is_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


def _is_time(value: str) -> bool:
    match = _TIME.fullmatch(value)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    return (hour <= 23 and minute <= 59 and second <= 59) or (hour, minute, second) == (23, 59, 60)


_DATE_TIME_SEPARATOR = re.compile(r"[tT\s]")


def _is_date_time(value: str) -> bool:
    parts = _DATE_TIME_SEPARATOR.split(value)
    return len(parts) == 2 and _is_date(parts[0]) and _is_time(parts[1])


def _matcher(pattern: re.Pattern) -> Any:
    return lambda value: pattern.fullmatch(value) is not None


_FORMATS = {
    "date": _is_date,
    "time": _is_time,
    "date-time": _is_date_time,
    **{name: _matcher(pattern) for name, pattern in _PATTERNS.items()},
}
