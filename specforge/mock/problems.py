"""RFC 9457 problem details (``application/problem+json``) for every refusal the mock makes."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Violation:
    """One thing wrong with a request: where (``("query", "limit")``, ``("body", "/pets/0/name")``) and what."""

    location: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"location": list(self.location), "message": self.message}

    def __str__(self) -> str:
        return f"{'.'.join(self.location)}: {self.message}"


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def problem(status: int, detail: str, *, title: str | None = None, code: str | None = None,
            violations: list[Violation] | None = None, **extra: Any) -> dict[str, Any]:
    """A problem document; ``violations`` lists every failed check with its location."""
    doc: dict[str, Any] = {"type": "about:blank", "title": title or phrase(status), "status": status, "detail": detail}
    if code:
        doc["code"] = code
    if violations:
        doc["errors"] = [v.as_dict() for v in violations]
    doc.update(extra)
    return doc


def no_route(path: str) -> dict[str, Any]:
    return problem(404, f"no path of the spec matches {path}", code="NO_PATH_MATCHED")


def no_method(method: str, path: str, allow: str) -> dict[str, Any]:
    return problem(405, f"{path} does not declare {method}; allowed: {allow}", code="NO_METHOD_MATCHED")


def unauthorized(missing: list[str]) -> dict[str, Any]:
    return problem(401, f"missing or unaccepted credentials for {' or '.join(missing)}", code="UNAUTHORIZED")


def unsupported_media(given: str, declared: list[str]) -> dict[str, Any]:
    shown = given or "no Content-Type"
    return problem(415, f"{shown} is not accepted; send one of: {', '.join(declared)}", code="UNSUPPORTED_MEDIA_TYPE")


def invalid_request(status: int, violations: list[Violation]) -> dict[str, Any]:
    count = len(violations)
    detail = f"the request has {count} violation{'s' if count != 1 else ''}: " + "; ".join(map(str, violations[:5]))
    if count > 5:
        detail += f"; and {count - 5} more"
    return problem(status, detail, title="Invalid request", code="INVALID_REQUEST", violations=violations)
