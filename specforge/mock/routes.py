"""Path templates -> a matcher: literal segments win over templated ones, longer literals first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import unquote

from specforge.mock.operations import Operation

_VARIABLE = re.compile(r"\{([^{}/]+)\}")


@dataclass
class Route:
    """One path template and its operations by method (upper case)."""

    template: str
    pattern: re.Pattern[str]
    names: list[str]
    operations: dict[str, Operation] = field(default_factory=dict)

    @property
    def allow(self) -> str:
        """The ``Allow`` header value: declared methods, plus HEAD with GET, plus OPTIONS."""
        methods = list(self.operations)
        if "GET" in methods and "HEAD" not in methods:
            methods.append("HEAD")
        if "OPTIONS" not in methods:
            methods.append("OPTIONS")
        return ", ".join(methods)

    def specificity(self) -> tuple:
        segments = self.template.strip("/").split("/")
        literal = [s for s in segments if not _VARIABLE.search(s)]
        return (-len(literal), sum(1 for s in segments if _VARIABLE.fullmatch(s)), -len("".join(literal)))


def compile_template(template: str) -> tuple[re.Pattern[str], list[str]]:
    """``/pets/{id}.json`` -> a regex over the raw (still percent-encoded) path, and the variable names."""
    names: list[str] = []
    parts: list[str] = []
    last = 0
    for match in _VARIABLE.finditer(template):
        parts.append(re.escape(template[last:match.start()]))
        parts.append(f"(?P<v{len(names)}>[^/]+)")
        names.append(match.group(1))
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts) + "/?" if template != "/" else "/"), names


class Router:
    """``match(raw_path) -> (route, path parameters)``; routes are tried most specific first."""

    def __init__(self, operations: list[Operation], base_path: str = "") -> None:
        self.base_path = base_path
        routes: dict[str, Route] = {}
        for op in operations:
            route = routes.get(op.path)
            if route is None:
                pattern, names = compile_template(op.path)
                route = routes[op.path] = Route(op.path, pattern, names)
            route.operations[op.method.upper()] = op
        self._by_depth: dict[int, list[Route]] = {}
        for route in sorted(routes.values(), key=Route.specificity):
            self._by_depth.setdefault(route.template.rstrip("/").count("/"), []).append(route)
        self.routes = list(routes.values())

    def match(self, raw_path: str) -> Match | None:
        """The route for a raw request path (base path optional), with decoded path parameter values."""
        base = self.base_path
        if base and raw_path.startswith(base) and raw_path[len(base):len(base) + 1] in ("", "/"):
            found = self._match(raw_path[len(base):] or "/")
            if found is not None:
                return found
        return self._match(raw_path)

    def _match(self, path: str) -> Match | None:
        depth = path.rstrip("/").count("/") if path != "/" else 0
        for route in self._by_depth.get(depth, ()):
            hit = route.pattern.fullmatch(path)
            if hit is not None:
                raw = {name: hit.group(f"v{i}") for i, name in enumerate(route.names)}
                return Match(route, {name: unquote(value) for name, value in raw.items()}, path, raw)
        return None


class Match(NamedTuple):
    """A matched route, its decoded path parameters, the path below the base path, and the parameters as sent."""

    route: Route
    values: dict[str, str]
    path: str
    raw_values: dict[str, str]
