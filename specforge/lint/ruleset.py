"""Rule files and ruleset files -> ``Rule`` values and ``{rule id: severity}`` selections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specforge.errors import ConfigError
from specforge.findings import Severity
from specforge.lint.catalogue import RawFile, load_raw_catalogue
from specforge.lint.model import Rule, Then
from specforge.openapi.types import ALL_KINDS

KNOWN_FORMATS = frozenset({"oas2", "oas3", "oas3.0", "oas3.1", "oas3.2", "wsdl", "wsdl1", "wsdl2"})
GIVEN_EXTRA = frozenset({"Document"})
RULE_KEYS = frozenset({
    "id", "summary", "description", "severity", "recommended", "formats", "given", "then", "message",
    "tags", "fix", "docs", "status", "since", "documentationUrl",
})


def parse_severity(value: Any, where: str) -> Severity | None:
    """``error|warning|warn|info|hint|off`` (or Spectral's 0-3, -1/false for off) -> Severity or None."""
    if value is False or value == "off" or value == -1:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
        return Severity(value)
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(where, f"{exc} or off") from None


def check_rule_keys(data: dict[str, Any], where: str, context: str, known: frozenset[str] = RULE_KEYS) -> None:
    """A rule mapping has only ``known`` keys, and both ``given`` and ``then``."""
    unknown = set(data) - known
    if unknown:
        raise ConfigError(where, f"{context}: unknown key(s) {', '.join(sorted(unknown))}")
    for required in ("given", "then"):
        if required not in data:
            raise ConfigError(where, f"{context}: missing {required!r}")


def parse_rule(rule_id: str, data: dict[str, Any], file: str, *, check: bool = True) -> Rule:
    """Build a rule from its mapping; with ``check``, validate functions, options and kinds."""
    where = f"{file}: rule {rule_id!r}"
    if not isinstance(data, dict):
        raise ConfigError(file, f"rule {rule_id!r} must be a mapping")
    if check:
        check_rule_keys(data, file, f"rule {rule_id!r}")
    given = data.get("given")
    given_kinds = tuple(given) if isinstance(given, list) else (given,)
    thens_raw = data.get("then")
    thens_raw = thens_raw if isinstance(thens_raw, list) else [thens_raw]
    thens = tuple(_parse_then(t, where) for t in thens_raw)
    formats = frozenset(data.get("formats") or ())
    if check:
        bad_kinds = [k for k in given_kinds if k not in ALL_KINDS and k not in GIVEN_EXTRA
                     and not str(k).startswith("$")]  # a JSONPath given (specforge.lint.spectral)
        if bad_kinds:
            raise ConfigError(file, f"rule {rule_id!r}: unknown node kind(s) in 'given': "
                              f"{', '.join(map(str, bad_kinds))} (expected one of "
                              f"{', '.join(sorted(ALL_KINDS | GIVEN_EXTRA))})")
        bad_formats = formats - KNOWN_FORMATS
        if bad_formats:
            raise ConfigError(file, f"rule {rule_id!r}: unknown format(s) {', '.join(sorted(bad_formats))}")
        for then in thens:
            _check_function(then, where)
    docs = data.get("docs") or {}
    return Rule(
        id=rule_id,
        summary=str(data.get("summary") or data.get("description") or rule_id),
        severity=parse_severity(data.get("severity", "warning"), where),
        given=given_kinds,
        then=thens,
        formats=formats,
        message=data.get("message"),
        recommended=bool(data.get("recommended", True)),
        tags=tuple(data.get("tags") or ()),
        fix=data.get("fix"),
        docs=docs if isinstance(docs, dict) else {"why": str(docs)},
        source=file,
    )


def _parse_then(raw: Any, where: str) -> Then:
    if not isinstance(raw, dict) or "function" not in raw:
        raise ConfigError(where, "'then' needs a 'function'")
    return Then(function=str(raw["function"]), field=raw.get("field"), options=raw.get("functionOptions"))


def _check_function(then: Then, where: str) -> None:
    from specforge.lint.functions import UnknownFunction, options_schema

    try:
        schema = options_schema(then.function)
    except UnknownFunction as exc:
        raise ConfigError(where, str(exc)) from None
    if schema is None:
        return
    import jsonschema_rs

    errors = list(jsonschema_rs.validator_for(schema).iter_errors(then.options))
    if errors:
        path = "/".join(map(str, errors[0].instance_path))
        raise ConfigError(where, f"bad functionOptions for {then.function!r}"
                          f"{' at ' + path if path else ''}: {errors[0].message}")


@dataclass
class Catalogue:
    """All known rules and the named rulesets that select among them."""

    rules: dict[str, Rule]
    rulesets: dict[str, dict[str, Any]]
    ruleset_files: dict[str, str] = field(default_factory=dict)
    ruleset_overrides: list[Any] = field(default_factory=list)  # ``overrides`` of Spectral rulesets (config.Override)
    notices: list[str] = field(default_factory=list)  # rules skipped while loading (JavaScript functions...)

    def selection(self, name: str, _seen: tuple[str, ...] = ()) -> dict[str, Severity | None]:
        """The rule severities a named ruleset turns on (``off`` rules map to None)."""
        if name not in self.rulesets:
            raise KeyError(name)
        if name in _seen:
            raise ConfigError(self.ruleset_files.get(name, name), f"ruleset {name!r} extends itself")
        spec = self.rulesets[name]
        chosen: dict[str, Severity | None] = {}
        for parent in spec.get("extends") or ():
            chosen.update(self.selection(parent, _seen + (name,)))
        include = spec.get("include") or {}
        tags = set(include.get("tags") or ())
        for rule in self.rules.values():
            if (include.get("all")
                    or (include.get("recommended") and rule.recommended)
                    or (tags and tags & set(rule.tags))
                    or rule.id in (include.get("ids") or ())):
                chosen[rule.id] = rule.severity
        for rule_id, severity in (spec.get("rules") or {}).items():
            chosen[rule_id] = parse_severity(severity, self.ruleset_files.get(name, name))
        return chosen


_catalogue: Catalogue | None = None


def builtin_catalogue() -> Catalogue:
    """The shipped rules and rulesets (memoised for the process)."""
    global _catalogue
    if _catalogue is None:
        raw_rules, raw_rulesets = load_raw_catalogue()
        _catalogue = build_catalogue(raw_rules, raw_rulesets, check=False)
    return _catalogue


def build_catalogue(raw_rules: list[RawFile], raw_rulesets: list[RawFile], *, check: bool) -> Catalogue:
    """Turn parsed files into a catalogue; ``check`` validates every rule (used by the test suite)."""
    rules: dict[str, Rule] = {}
    for raw in raw_rules:
        rule_id = str(raw.data.get("id", ""))
        if rule_id in rules:
            raise ConfigError(raw.path, f"duplicate rule id {rule_id!r} (also in {rules[rule_id].source})")
        rules[rule_id] = parse_rule(rule_id, raw.data, raw.path, check=check)
    rulesets: dict[str, dict[str, Any]] = {}
    files: dict[str, str] = {}
    for raw in raw_rulesets:
        name = raw.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        rulesets[name] = raw.data
        files[name] = raw.path
    return Catalogue(rules, rulesets, files)
