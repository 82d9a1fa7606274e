"""JSONPath-Plus filter expressions (``[?(@.in === 'query' && !@.required)]``): a small JavaScript subset.

Operands: ``@`` (the candidate), ``@.a.b`` / ``@['a']``, ``@property``, ``@parentProperty``, ``@parent``,
``@root`` / ``$``, ``@path``, string/number/regex literals, ``true false null undefined``.
Operators: ``! == === != !== < <= > >= && || typeof``, parentheses, member access ``.x`` / ``[x]``,
``.length`` and the calls ``match test includes startsWith endsWith indexOf toLowerCase toUpperCase``.
JavaScript truthiness and loose/strict equality are followed closely enough for rulesets.
Anything else is a ``FilterError`` when the ruleset loads, not at lint time.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from specforge.lint.functions.pattern import compile_pattern
from specforge.lint.functions.truthy import is_truthy


class FilterError(ValueError):
    """A filter expression specforge cannot evaluate."""


class Undefined:
    """JavaScript's ``undefined`` (distinct from ``null``/None)."""

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = Undefined()


@dataclass(frozen=True)
class Scope:
    """What ``@``-names mean for one candidate."""

    value: Any
    key: Any
    parent: Any
    parent_key: Any
    root: Any
    path: str


Expr = Callable[[Scope], Any]

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[!<>()\[\].,])
  | (?P<name>@[A-Za-z_]*|[A-Za-z_$][\w$]*)
""", re.X)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "/" and _regex_allowed(tokens):
            end = _regex_end(text, pos)
            tokens.append(("regex", text[pos:end]))
            pos = end
            continue
        match = _TOKEN.match(text, pos)
        if not match:
            raise FilterError(f"unexpected {text[pos:pos + 10]!r} in filter expression {text!r}")
        pos = match.end()
        if match.lastgroup != "space":
            tokens.append((match.lastgroup or "", match.group()))
    return tokens


def _regex_allowed(tokens: list[tuple[str, str]]) -> bool:
    return not tokens or tokens[-1][1] in ("(", ",", "!", "&&", "||", "==", "===", "!=", "!==")


def _regex_end(text: str, start: int) -> int:
    pos, in_class = start + 1, False
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            pos += 1
            while pos < len(text) and text[pos].isalpha():
                pos += 1
            return pos
        pos += 1
    raise FilterError(f"unterminated regular expression in {text!r}")


def compile_filter(text: str) -> Expr:
    """Compile a filter expression (without the surrounding ``?(`` ``)``)."""
    parser = _Parser(_tokens(text), text)
    expr = parser.expression()
    if parser.pos != len(parser.tokens):
        raise FilterError(f"unexpected {parser.tokens[parser.pos][1]!r} in filter expression {text!r}")
    return expr


def truthy(value: Any) -> bool:
    """JavaScript truthiness (``undefined`` is falsy)."""
    return value is not UNDEFINED and is_truthy(value)


class _Parser:
    _BINARY = {"||": 1, "&&": 2, "==": 3, "===": 3, "!=": 3, "!==": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}

    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise FilterError(f"filter expression {self.text!r} ends too early")
        token = self.tokens[self.pos]
        if expected is not None and token[1] != expected:
            raise FilterError(f"expected {expected!r}, got {token[1]!r} in filter expression {self.text!r}")
        self.pos += 1
        return token

    def expression(self, min_precedence: int = 0) -> Expr:
        left = self.unary()
        while True:
            op = self.peek()
            precedence = self._BINARY.get(op or "")
            if precedence is None or precedence < min_precedence:
                return left
            self.take()
            right = self.expression(precedence + 1)
            left = _binary(op or "", left, right)

    def unary(self) -> Expr:
        if self.peek() == "!":
            self.take()
            inner = self.unary()
            return lambda s: not truthy(inner(s))
        if self.peek() == "typeof":
            self.take()
            inner = self.unary()
            return lambda s: _typeof(inner(s))
        return self.postfix(self.primary())

    def primary(self) -> Expr:
        kind, text = self.take()
        if text == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if kind == "number":
            number = float(text) if "." in text else int(text)
            return lambda s: number
        if kind == "string":
            value = _unquote(text)
            return lambda s: value
        if kind == "regex":
            body, _, flags = text[1:].rpartition("/")
            pattern = compile_pattern(f"/{body}/{flags}" if flags else body)
            return lambda s: pattern
        if kind == "name":
            return self.name(text)
        raise FilterError(f"unexpected {text!r} in filter expression {self.text!r}")

    def name(self, text: str) -> Expr:
        constants = {"true": True, "false": False, "null": None, "undefined": UNDEFINED}
        if text in constants:
            value = constants[text]
            return lambda s: value
        scoped: dict[str, Expr] = {
            "@": lambda s: s.value,
            "@property": lambda s: s.key,
            "@parentProperty": lambda s: s.parent_key,
            "@parent": lambda s: s.parent,
            "@root": lambda s: s.root,
            "$": lambda s: s.root,
            "@path": lambda s: s.path,
        }
        if text in scoped:
            return scoped[text]
        raise FilterError(f"unknown name {text!r} in filter expression {self.text!r}")

    def postfix(self, target: Expr) -> Expr:
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "name":
                    raise FilterError(f"expected a property name after '.' in filter expression {self.text!r}")
                if self.peek() == "(":
                    target = self.call(target, name)
                else:
                    target = _member(target, _constant(name))
            else:
                index = self.expression()
                self.take("]")
                target = _member(target, index)
        return target

    def call(self, target: Expr, method: str) -> Expr:
        self.take("(")
        args: list[Expr] = []
        while self.peek() != ")":
            args.append(self.expression())
            if self.peek() == ",":
                self.take()
        self.take(")")
        if method not in _METHODS:
            raise FilterError(f"unsupported method {method!r} in filter expression {self.text!r}")
        function = _METHODS[method]
        return lambda s: function(target(s), *[a(s) for a in args])


def _constant(value: Any) -> Expr:
    return lambda s: value


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _member(target: Expr, key: Expr) -> Expr:
    def get(s: Scope) -> Any:
        value, name = target(s), key(s)
        if isinstance(value, dict):
            return value.get(name, UNDEFINED) if isinstance(name, str) else UNDEFINED
        if isinstance(value, (list, str)):
            if name == "length":
                return len(value)
            if isinstance(name, int) and not isinstance(name, bool) and 0 <= name < len(value):
                return value[name]
        return UNDEFINED

    return get


def _typeof(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _loose_equal(a: Any, b: Any) -> bool:
    if (a is None or a is UNDEFINED) and (b is None or b is UNDEFINED):
        return True
    if isinstance(a, (int, float)) and isinstance(b, str) or isinstance(a, str) and isinstance(b, (int, float)):
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return _strict_equal(a, b)


def _strict_equal(a: Any, b: Any) -> bool:
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return a is b
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return type(a) is type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
                                                  ">=": operator.ge}


def _compare(op: str, a: Any, b: Any) -> bool:
    """``<`` and friends as JavaScript does them: two strings compare as text, otherwise as numbers
    (``@property >= 200`` on the response code ``"201"`` is true); what is no number compares false.
    """
    if isinstance(a, str) and isinstance(b, str):
        return _ORDER[op](a, b)
    left, right = _number(a), _number(b)
    return left is not None and right is not None and _ORDER[op](left, right)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip() or 0)
        except ValueError:
            return None
    return None


def _binary(op: str, left: Expr, right: Expr) -> Expr:
    if op == "&&":
        return lambda s: (lambda v: right(s) if truthy(v) else v)(left(s))
    if op == "||":
        return lambda s: (lambda v: v if truthy(v) else right(s))(left(s))
    if op in ("==", "!="):
        negate = op == "!="
        return lambda s: _loose_equal(left(s), right(s)) != negate
    if op in ("===", "!=="):
        negate = op == "!=="
        return lambda s: _strict_equal(left(s), right(s)) != negate
    return lambda s: _compare(op, left(s), right(s))


def _match(value: Any, pattern: Any) -> Any:
    if not isinstance(value, str):
        return UNDEFINED
    regex = pattern if isinstance(pattern, re.Pattern) else re.compile(str(pattern))
    found = regex.search(value)
    return [found.group()] if found else None


def _test(pattern: Any, value: Any) -> bool:
    return isinstance(pattern, re.Pattern) and pattern.search(str(value)) is not None


def _string_method(name: str) -> Callable[..., Any]:
    def call(value: Any, *args: Any) -> Any:
        if name == "includes" and isinstance(value, list):
            return any(_strict_equal(item, args[0]) for item in value)
        if name == "indexOf" and isinstance(value, list):
            return next((i for i, item in enumerate(value) if _strict_equal(item, args[0])), -1)
        if not isinstance(value, str):
            return UNDEFINED
        return {
            "includes": lambda: str(args[0]) in value,
            "startsWith": lambda: value.startswith(str(args[0])),
            "endsWith": lambda: value.endswith(str(args[0])),
            "indexOf": lambda: value.find(str(args[0])),
            "toLowerCase": lambda: value.lower(),
            "toUpperCase": lambda: value.upper(),
        }[name]()

    return call


_METHODS: dict[str, Callable[..., Any]] = {
    "match": _match,
    "test": _test,
    **{name: _string_method(name) for name in
       ("includes", "startsWith", "endsWith", "indexOf", "toLowerCase", "toUpperCase")},
}
