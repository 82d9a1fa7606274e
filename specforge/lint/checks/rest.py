"""REST principles: path keys (ambiguity, duplicates, casing, verbs, plurals), method semantics
(request bodies, error responses, method order) and the media types an API speaks.

Path-key checks are given the ``Paths`` object and report at the key, so a path item living in
another file is still reported where its path is written.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import shares_entries, with_options
from specforge.lint.functions.casing import case_regex
from specforge.lint.model import Problem

HTTP_VERBS = ("get", "head", "post", "put", "patch", "delete", "options", "trace")
#: Verbs flagged in paths by default: "patch", "head", "options" and "trace" are also common nouns.
PATH_VERBS = ("get", "post", "put", "delete")
_TEMPLATE = re.compile(r"\{[^{}]*\}")
_WORD_BOUNDARY = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_VERSION = re.compile(r"^v\d+(?:[._-]\d+)*$", re.IGNORECASE)


def path_keys(paths: Any) -> Iterator[str]:
    """The path templates of a Paths object (extensions skipped)."""
    if isinstance(paths, dict):
        for key in paths:
            if isinstance(key, str) and not key.startswith("x-"):
                yield key


def literal_segments(path: str) -> Iterator[str]:
    """The non-empty segments of a path that are not (and do not contain) a template."""
    for segment in path.split("?", 1)[0].split("/"):
        if segment and not _TEMPLATE.search(segment):
            yield segment


def segment_words(segment: str) -> list[str]:
    """``listUserAccounts``, ``user-accounts``, ``user_accounts`` -> their lower-case words."""
    return [word.lower() for word in _WORD_BOUNDARY.split(segment) if word]


def _normalised(path: str) -> str:
    return _TEMPLATE.sub("{}", path.rstrip("/") or "/")


@shares_entries
def identical_paths(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Paths equal once template names are ignored (``/pets/{id}`` and ``/pets/{petId}``)."""
    first: dict[str, str] = {}
    for key in path_keys(value):
        shape = _normalised(key)
        if shape in first:
            if not ctx.reports_on(key):
                continue
            yield Problem(f'Path "{key}" is identical to "{first[shape]}" once parameter names are ignored;'
                          " keep one", (key,), at_key=True)
        else:
            first[shape] = key


def _reported_keys(paths: Any, ctx: Context) -> Iterator[str]:
    """The path templates of ``paths`` this run reports on (all of them unless the document is shared out)."""
    return (key for key in path_keys(paths) if ctx.reports_on(key))


def _is_template(segment: str) -> bool:
    return bool(_TEMPLATE.fullmatch(segment))


@shares_entries
def ambiguous_paths(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Two different path templates that can match the same URL (``/{a}/b`` and ``/a/{b}``).

    Redocly's test: equal segment and template counts, and the literal segments agree wherever both
    paths are literal. Earlier paths sit in a trie (a template is the ``None`` edge), so a path only
    meets the earlier paths it could collide with.
    """
    tries: dict[tuple[int, int], dict] = {}
    for key in path_keys(value):
        segments = tuple(None if _is_template(part) else part for part in key.rstrip("/").split("/"))
        trie = tries.setdefault((len(segments), segments.count(None)), {})
        shape = _normalised(key)
        clash = None
        if ctx.reports_on(key):
            clash = next((earlier for earlier, earlier_shape in _matches(trie, segments) if earlier_shape != shape),
                         None)
        if clash is not None:
            yield Problem(f'Paths "{clash}" and "{key}" can match the same URL; make one of them'
                          " a literal segment or change the order of segments", (key,), at_key=True)
        node = trie
        for segment in segments:
            node = node.setdefault(segment, {})
        node.setdefault(_LEAF, []).append((key, shape))


_LEAF = object()  # the trie key under which the paths ending at a node are kept


def _matches(node: dict, segments: tuple[str | None, ...]) -> Iterator[tuple[str, str]]:
    """Earlier paths whose every segment is a template on one side or equal on both."""
    if not segments:
        yield from node.get(_LEAF, ())
        return
    head, rest = segments[0], segments[1:]
    if head is None:
        for edge, child in node.items():
            if edge is not _LEAF:
                yield from _matches(child, rest)
        return
    for edge in (head, None):
        child = node.get(edge)
        if child is not None:
            yield from _matches(child, rest)


_CASES = ["flat", "camel", "pascal", "kebab", "cobol", "snake", "macro"]


@with_options({
    "type": ["object", "null"],
    "properties": {
        "case": {"enum": _CASES},
        "ignore": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
})
@shares_entries
def path_segment_casing(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Literal path segments in the configured case (kebab by default); versions and ``ignore`` pass."""
    options = options or {}
    case = options.get("case", "kebab")
    ignore = set(options.get("ignore") or ())
    regex = case_regex(case)
    for key in _reported_keys(value, ctx):
        for segment in literal_segments(key):
            stem = segment.split(".", 1)[0]  # "/openapi.json", "/pets.xml"
            if segment in ignore or _VERSION.match(segment) or ":" in segment or regex.match(stem):
                continue
            yield Problem(f'Path segment "{segment}" of "{key}" is not {case} case', (key,), at_key=True)


@with_options({
    "type": ["object", "null"],
    "properties": {"verbs": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    "additionalProperties": False,
})
@shares_entries
def verbs_in_path(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A word of a literal segment that is an HTTP method (or a configured verb)."""
    verbs = {v.lower() for v in (options or {}).get("verbs") or PATH_VERBS}
    for key in _reported_keys(value, ctx):
        for segment in literal_segments(key):
            found = next((w for w in segment_words(segment) if w in verbs), None)
            if found:
                yield Problem(f'Path "{key}" contains the verb "{found}" in segment "{segment}"; let the'
                              " HTTP method say what happens", (key,), at_key=True)
                break


_IRREGULAR_PLURALS = frozenset({
    "people", "children", "men", "women", "feet", "teeth", "mice", "geese", "data", "media", "criteria",
    "indices", "matrices", "vertices", "analyses", "series", "species", "news", "metadata", "settings",
    "info", "information", "equipment", "feedback", "software", "hardware", "status", "health",
})


def is_plural(word: str) -> bool:
    """A plain English plural test: ``pets``, ``categories``, ``people``; not ``status`` or ``address``."""
    word = word.lower()
    if word in _IRREGULAR_PLURALS:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


@with_options({
    "type": ["object", "null"],
    "properties": {
        "ignoreLastPathSegment": {"type": "boolean"},
        "exceptions": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
})
@shares_entries
def path_segment_plural(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Collection segments are plural (``/pets/{id}``); versions and ``exceptions`` pass."""
    options = options or {}
    exceptions = set(options.get("exceptions") or ())
    for key in _reported_keys(value, ctx):
        segments = [s for s in key.split("/") if s]
        if options.get("ignoreLastPathSegment") and segments:
            segments = segments[:-1]
        for segment in segments:
            if _TEMPLATE.search(segment) or segment in exceptions or _VERSION.match(segment):
                continue
            words = segment_words(segment.split(".", 1)[0])
            if words and not is_plural(words[-1]):
                yield Problem(f'Path segment "{segment}" of "{key}" should be plural', (key,), at_key=True)
                break


@with_options({
    "type": ["object", "null"],
    "properties": {"methods": {"type": "array", "items": {"enum": list(HTTP_VERBS)}, "minItems": 1}},
    "additionalProperties": False,
})
def request_body_on_method(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A request body (3.x ``requestBody``, 2.0 ``in: body``/``formData``) on a method without body semantics."""
    methods = (options or {}).get("methods") or ["get", "head", "delete", "options"]
    method = ctx.node.key
    if method not in methods or not isinstance(value, dict):
        return
    upper = str(method).upper()
    if "requestBody" in value:
        yield Problem(f"{upper} operations should not have a request body; many clients and proxies drop it",
                      ("requestBody",), at_key=True)
        return
    for index, parameter in enumerate(value.get("parameters") or ()):
        resolved = ctx.resolve(parameter)
        if isinstance(resolved, dict) and resolved.get("in") in ("body", "formData"):
            yield Problem(f'{upper} operations should not have a request body ("in: {resolved["in"]}")',
                          ("parameters", index))
            return


def _outgoing(node: Any) -> bool:
    """An operation the API *sends* (callback or webhook), answered by the client."""
    path_item = node.parent
    return node.ancestor("Callback") is not None or (path_item is not None and path_item.relation == "webhooks")


def error_response(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """At least one ``4XX`` response (``400``-``499`` or ``4XX``); ``default`` alone does not say which.

    Callbacks and webhooks are skipped: their responses are the client's.
    """
    responses = value.get("responses") if isinstance(value, dict) else None
    if not isinstance(responses, dict) or _outgoing(ctx.node):
        return
    if not any(re.fullmatch(r"4[0-9X]{2}", str(code), re.IGNORECASE) for code in responses):
        yield Problem("Operation must have at least one 4XX response", ("responses",), at_key=True)


@with_options({
    "type": ["object", "null"],
    "properties": {"order": {"type": "array", "items": {"enum": list(HTTP_VERBS)}, "minItems": 2}},
    "additionalProperties": False,
})
def methods_order(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """The operations of a path item appear in the configured order (get, head, post, put, patch...)."""
    order = (options or {}).get("order") or list(HTTP_VERBS)
    if not isinstance(value, dict):
        return
    rank = {method: i for i, method in enumerate(order)}
    last = -1
    previous = ""
    for key in value:
        if key not in rank:
            continue
        if rank[key] < last:
            yield Problem(f'Operation "{key}" should come before "{previous}" (order: {", ".join(order)})',
                          (key,), at_key=True)
        else:
            last, previous = rank[key], key


@with_options({
    "type": ["object", "null"],
    "properties": {
        "allowedValues": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "oas2Field": {"enum": ["consumes", "produces"]},
    },
    "required": ["oas2Field"],
    "additionalProperties": False,
})
def media_types(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Media types come from an allow-list (glob patterns, ``application/*+json``); 3.x ``content``
    keys of request bodies / responses, 2.0 ``consumes``/``produces``.
    """
    allowed = options.get("allowedValues") or ["application/json", "application/*+json"]
    if not isinstance(value, dict):
        return
    if ctx.node.kind in ("RequestBody", "Response"):
        content = value.get("content")
        entries = [(("content", k), k) for k in content] if isinstance(content, dict) else []
        at_key = True
    else:
        listed = value.get(options["oas2Field"])
        entries = [((options["oas2Field"], i), v) for i, v in enumerate(listed)] if isinstance(listed, list) else []
        at_key = False
    for path, media in entries:
        if not isinstance(media, str):
            continue
        bare = media.split(";", 1)[0].strip().lower()
        if not any(fnmatch.fnmatchcase(bare, pattern.lower()) for pattern in allowed):
            yield Problem(f'Media type "{media}" is not allowed (allowed: {", ".join(allowed)})', path,
                          at_key=at_key)
