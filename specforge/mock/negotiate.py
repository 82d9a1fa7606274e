"""Which response to send: ``Prefer`` (and ``__code``/``__example``/``__dynamic``) plus ``Accept`` -> a choice.

Pure functions over the declared responses; no I/O, no Flask. Prism-compatible selectors:
``Prefer: code=404, example=cat, dynamic=true``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from specforge.mock.operations import Response


@dataclass(frozen=True)
class Preferences:
    """What the client asked for; ``None`` means "no preference"."""

    code: str | None = None
    example: str | None = None
    dynamic: bool | None = None


@dataclass(frozen=True)
class Choice:
    """The response to send and why."""

    status: int
    response: Response | None
    media_type: str | None  # the declared media type key (None: no body)
    content_type: str | None  # what to put in Content-Type
    reason: str


@dataclass(frozen=True)
class Refusal:
    """Nothing declared fits: the status to answer with and a detail for the problem document."""

    status: int
    title: str
    detail: str


def read_preferences(prefer: str | None, query: Mapping[str, Sequence[str]]) -> Preferences:
    """Merge the ``Prefer`` header and the ``__code``/``__example``/``__dynamic`` query parameters (query wins)."""
    values: dict[str, str] = {}
    for part in (prefer or "").replace(";", ",").split(","):
        key, sep, value = part.strip().partition("=")
        if sep and key.strip().lower() in ("code", "example", "dynamic"):
            values[key.strip().lower()] = value.strip().strip('"')
    for key in ("code", "example", "dynamic"):
        given = query.get("__" + key)
        if given:
            values[key] = given[-1]
    dynamic = values.get("dynamic")
    return Preferences(values.get("code"), values.get("example"),
                       None if dynamic is None else dynamic.lower() in ("true", "1", "yes"))


def choose_status(responses: Mapping[str, Response], code: str | None) -> tuple[int, Response | None, str] | Refusal:
    """The status to answer with: the preferred code, else the lowest declared 2xx."""
    if code is not None:
        if not (code.isdigit() and len(code) == 3 and 100 <= int(code) <= 599):
            return Refusal(400, "Bad Prefer code", f"code={code!r} is not an HTTP status code")
        if code.startswith("1"):  # an interim response cannot end an exchange: the client would wait for ever
            return Refusal(400, "Bad Prefer code", f"code={code} is an interim (1xx) status; ask for 200-599")
        for key in (code, code[0] + "XX", "default"):
            if key in responses:
                return int(code), responses[key], f"Prefer code={code}" + ("" if key == code else f" (via {key})")
        declared = ", ".join(responses) or "none"
        return Refusal(404, "No such response", f"the operation declares no response for {code} (declared: {declared})")
    numeric = sorted(k for k in responses if k.isdigit())
    success = [k for k in numeric if k.startswith("2")]
    if success:
        return int(success[0]), responses[success[0]], "lowest declared 2xx"
    if "2XX" in responses:
        return 200, responses["2XX"], "2XX range response"
    if "default" in responses:
        return 200, responses["default"], "default response (no 2xx declared)"
    if numeric:
        return int(numeric[0]), responses[numeric[0]], "lowest declared status (no 2xx declared)"
    return 200, None, "no responses declared"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` -> ``[(media range, q), ...]`` in order of preference (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float]] = []
    for item in header.split(","):
        media, *params = item.split(";")
        media = media.strip().lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        q = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return sorted(ranges, key=lambda r: -r[1])


def _essence(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _matches(pattern: str, media: str) -> bool:
    if pattern == "*/*" or media == "*/*":
        return True
    ptype, _, psub = pattern.partition("/")
    mtype, _, msub = media.partition("/")
    return (ptype == mtype or "*" in (ptype, mtype)) and (psub == msub or "*" in (psub, msub))


def choose_media(declared: Sequence[str], accept: str | None) -> tuple[str, str] | None:
    """``(declared key, Content-Type to send)`` for the best acceptable declared type; None -> 406."""
    for media_range, q in parse_accept(accept):
        if q <= 0:
            continue
        for key in declared:
            media = _essence(key)
            if _matches(media_range, media):
                return key, _concrete(key, media, media_range)
    return None


def _concrete(key: str, media: str, media_range: str) -> str:
    if "*" not in media:
        return key
    if "*" not in media_range:
        return media_range
    if _matches(media, "application/json"):
        return "application/json"
    return media.replace("*", "octet-stream" if media.startswith("application/") else "plain")


def negotiate(responses: Mapping[str, Response], preferences: Preferences, accept: str | None) -> Choice | Refusal:
    """Pick the status and the media type of the response to send."""
    picked = choose_status(responses, preferences.code)
    if isinstance(picked, Refusal):
        return picked
    status, response, reason = picked
    if response is None or not response.content:
        return Choice(status, response, None, None, reason)
    media = choose_media(list(response.content), accept)
    if media is None:
        offered = ", ".join(response.content)
        return Refusal(406, "Not Acceptable", f"Accept {accept!r} matches none of the declared types: {offered}")
    return Choice(status, response, media[0], media[1], reason)


def choose_example(names: Sequence[str], valid: Sequence[str], preferences: Preferences,
                   dynamic: bool) -> tuple[str | None, str] | Refusal:
    """Which named example to send (None: generate) and why."""
    if preferences.example is not None:
        if preferences.example in names:
            return preferences.example, f"example {preferences.example!r} (Prefer)"
        available = ", ".join(names) or "none"
        return Refusal(404, "No such example", f"no example named {preferences.example!r} (available: {available})")
    wants_dynamic = dynamic if preferences.dynamic is None else preferences.dynamic
    if wants_dynamic:
        return None, "generated (dynamic)"
    if valid:
        return valid[0], f"example {valid[0]!r}"
    return None, "generated (no valid example)"
