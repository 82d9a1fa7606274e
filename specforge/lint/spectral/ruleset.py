"""Spectral ruleset files (``.spectral.yaml``) -> specforge rule severities and rules.

``extends``: ``spectral:oas`` and ``spectral:owasp`` (modes ``recommended``, ``all``, ``off``) map to
the built-in rules, which carry Spectral's ids; local ruleset files and built-in ruleset names are
followed; remote URLs and npm packages are refused (nothing is fetched). ``rules``: a severity (or
``true``/``false``) for an inherited rule, or a definition with ``given`` JSONPaths, ``then`` core
functions, ``formats``, ``resolved``, ``message``, ``documentationUrl``. ``aliases`` (plain and
format-scoped ``targets``), ruleset-level ``formats`` and ``overrides`` are applied. A rule that
needs a JavaScript function is skipped with a notice (``Catalogue.notices``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specforge.errors import ConfigError
from specforge.findings import Severity
from specforge.lint.model import Rule, Then
from specforge.lint.spectral.given import JsonPathGiven
from specforge.lint.spectral.jsonpath import PathError, compile_path

MODES = ("recommended", "all", "off")
RULE_KEYS = frozenset({"description", "message", "severity", "recommended", "given", "then", "formats",
                       "resolved", "documentationUrl", "type", "tags"})
#: Spectral format names -> specforge's (unknown ones, e.g. ``asyncapi2``, simply never match).
FORMAT_NAMES = {"oas2": "oas2", "oas3": "oas3", "oas3_0": "oas3.0", "oas3_1": "oas3.1", "oas3.0": "oas3.0",
                "oas3.1": "oas3.1", "oas3_2": "oas3.2", "oas3.2": "oas3.2"}
#: Built-in ruleset standing for each Spectral ruleset.
PRESETS = {"spectral:oas": "spectral", "spectral:owasp": "owasp"}
#: Spectral's ``parser`` and ``invalid-ref`` diagnostics cannot be turned off by a ruleset mode.
ALWAYS_ON = ("parser", "no-unresolved-refs")
OTHER_DOMAINS = ("spectral:asyncapi", "spectral:arazzo")


def is_spectral_ruleset(path: Path, data: dict[str, Any]) -> bool:
    """A Spectral ruleset (rather than a specforge ruleset file): by name or by Spectral-only content."""
    if path.name.startswith((".spectral", "spectral.")) and path.suffix in (".yaml", ".yml", ".json"):
        return True
    if any(key in data for key in ("aliases", "functions", "functionsDir", "documentationUrl", "formats")):
        return True
    extends = data.get("extends")
    entries = extends if isinstance(extends, list) else [extends]
    if any(str(e[0] if isinstance(e, list) and e else e).startswith("spectral:") for e in entries):
        return True
    rules = data.get("rules")
    return isinstance(rules, dict) and any(isinstance(r, dict) and _starts_like_path(r.get("given"))
                                           for r in rules.values())


def _starts_like_path(given: Any) -> bool:
    items = given if isinstance(given, list) else [given]
    return any(isinstance(g, str) and g.startswith(("$", "#")) for g in items)


def spectral_selection(path: Path, data: dict[str, Any], catalogue: Any, mode: str = "recommended",
                       _seen: tuple[Path, ...] = ()) -> dict[str, Severity | None]:
    """The rule severities ``path`` selects; its own rules are added to ``catalogue.rules``."""
    return _Loader(catalogue).load(path, data, mode, _seen)


class _Loader:
    def __init__(self, catalogue: Any) -> None:
        self.catalogue = catalogue

    def load(self, path: Path, data: dict[str, Any], mode: str, seen: tuple[Path, ...]) -> dict[str, Severity | None]:
        where = str(path)
        if path.resolve() in seen:
            raise ConfigError(where, "ruleset extends itself (through 'extends')")
        seen = seen + (path.resolve(),)
        unknown = set(data) - {"extends", "rules", "aliases", "formats", "overrides", "functions", "functionsDir",
                               "documentationUrl", "parserOptions", "description"}
        if unknown:
            raise ConfigError(where, f"unknown ruleset key(s): {', '.join(sorted(unknown))}")
        chosen: dict[str, Severity | None] = {}
        for name, entry_mode in _extends_entries(data.get("extends"), where):
            chosen.update(self.extend(name, entry_mode, path.parent, where, seen))
        aliases = data.get("aliases") or {}
        if not isinstance(aliases, dict):
            raise ConfigError(where, "'aliases' must be a mapping of alias name to JSONPaths")
        js_functions = {str(f) for f in data.get("functions") or ()}
        default_formats = _formats(data.get("formats"), where)
        own: dict[str, Severity | None] = {}
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            raise ConfigError(where, "'rules' must be a mapping of rule id to a severity or a rule definition")
        for rule_id, value in rules.items():
            rule_id = str(rule_id)
            if isinstance(value, dict) and ("given" in value or "then" in value):
                rule = self.rule(rule_id, value, where, aliases, js_functions, default_formats)
                if rule is None:
                    own[rule_id] = None
                    continue
                self.catalogue.rules[rule_id] = rule
                enabled = mode == "all" or (mode == "recommended" and value.get("recommended", True) is not False)
                own[rule_id] = rule.severity if enabled else None
            else:
                own[rule_id] = self.severity_override(rule_id, value, where)
        chosen.update(own)
        for override in data.get("overrides") or ():
            self.catalogue.ruleset_overrides.append(self.override(override, path, where))
        return chosen

    def extend(self, name: str, mode: str, folder: Path, where: str,
               seen: tuple[Path, ...]) -> dict[str, Severity | None]:
        rulesets = self.catalogue.rulesets
        if name in OTHER_DOMAINS:
            self.catalogue.notices.append(f"{where}: extends {name} ignored (specforge lints OpenAPI and WSDL)")
            return {}
        if name in PRESETS:
            return self.preset(name, mode)
        if name in rulesets:
            selection = self.catalogue.selection(name)
            return self.with_mode(selection, mode)
        if name.startswith(("http://", "https://")):
            raise ConfigError(where, f"extends {name!r}: remote rulesets are not fetched; download the file "
                              "and extend it by path")
        target = folder / name
        if not target.is_file():
            raise ConfigError(where, f"extends {name!r}: no such ruleset file (npm packages cannot be loaded; "
                              f"built-in: spectral:oas, spectral:owasp, {', '.join(sorted(rulesets))})")
        if target.suffix in (".js", ".mjs", ".cjs", ".ts"):
            raise ConfigError(where, f"extends {name!r}: JavaScript rulesets cannot be loaded")
        from specforge.lint.catalogue import read_yaml_mapping

        return self.load(target, read_yaml_mapping(target), mode, seen)  # extended from Spectral: Spectral too

    def preset(self, name: str, mode: str) -> dict[str, Severity | None]:
        """``spectral:oas`` / ``spectral:owasp`` in a mode, through the built-in ruleset with those ids."""
        rules = self.catalogue.rules
        builtin = PRESETS[name]
        if builtin in self.catalogue.rulesets:
            selection = self.catalogue.selection(builtin)
        else:  # the OWASP pack selected by its ids while its ruleset file is absent
            selection = {i: r.severity for i, r in rules.items() if i.startswith("owasp:")}
        if mode == "all":
            return {i: s if s is not None else (rules[i].severity if i in rules and rules[i].severity is not None
                                                else Severity.WARNING)
                    for i, s in selection.items()}
        chosen = self.with_mode(selection, mode)
        if name == "spectral:oas" and mode == "off":
            chosen.update({i: selection[i] for i in ALWAYS_ON if selection.get(i) is not None})
        return chosen

    @staticmethod
    def with_mode(selection: dict[str, Severity | None], mode: str) -> dict[str, Severity | None]:
        return {i: None for i in selection} if mode == "off" else dict(selection)

    def severity_override(self, rule_id: str, value: Any, where: str) -> Severity | None:
        rules = self.catalogue.rules
        if rule_id not in rules:
            import difflib

            close = difflib.get_close_matches(rule_id, list(rules), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(where, f"rules.{rule_id}: no such rule in the extended rulesets{hint}")
        if isinstance(value, list) and value:  # Spectral's [severity] shorthand
            value = value[0]
        if value is True:
            return rules[rule_id].severity or Severity.WARNING
        from specforge.lint.ruleset import parse_severity

        return parse_severity(value, f"{where}: rules.{rule_id}")

    def rule(self, rule_id: str, value: dict[str, Any], where: str, aliases: dict[str, Any],
             js_functions: set[str], default_formats: frozenset[str] | None) -> Rule | None:
        from specforge.lint.functions import CORE
        from specforge.lint.ruleset import _check_function, check_rule_keys, parse_severity

        context = f"rules.{rule_id}"
        check_rule_keys(value, where, context, RULE_KEYS)
        thens_raw = value["then"] if isinstance(value["then"], list) else [value["then"]]
        thens = []
        for raw in thens_raw:
            if not isinstance(raw, dict) or not isinstance(raw.get("function"), str):
                raise ConfigError(where, f"{context}: each 'then' needs a 'function'")
            name = raw["function"]
            if name not in CORE and ":" not in name:
                if name in js_functions:
                    self.catalogue.notices.append(f"rule {rule_id!r} skipped: it needs the JavaScript function "
                                                  f"{name!r}, which specforge cannot run")
                    return None
                raise ConfigError(where, f"{context}: unknown function {name!r} (core functions: "
                                  f"{', '.join(sorted(CORE))}; custom JavaScript functions must be listed in "
                                  "'functions')")
            then = Then(function=name, field=raw.get("field"), options=raw.get("functionOptions"))
            _check_function(then, f"{where}: {context}")
            thens.append(then)
        resolved = value.get("resolved", True) is not False
        given = tuple(self.given(value["given"], aliases, resolved, where, context))
        formats = _formats(value.get("formats"), f"{where}: {context}")
        severity = parse_severity(value.get("severity", "warn"), f"{where}: {context}")
        docs = {"url": str(value["documentationUrl"])} if value.get("documentationUrl") else {}
        if value.get("description"):
            docs["why"] = str(value["description"])
        return Rule(id=rule_id, summary=str(value.get("description") or value.get("message") or rule_id),
                    severity=severity, given=given, then=tuple(thens),
                    formats=formats if formats is not None else (default_formats or frozenset()),
                    message=value.get("message") or value.get("description"),
                    recommended=value.get("recommended", True) is not False,
                    tags=tuple(value.get("tags") or ()), docs=docs, source=where)

    def given(self, raw: Any, aliases: dict[str, Any], resolved: bool, where: str, context: str) -> list[JsonPathGiven]:
        items = raw if isinstance(raw, list) else [raw]
        out: list[JsonPathGiven] = []
        for item in items:
            if not isinstance(item, str) or not item.startswith(("$", "#")):
                raise ConfigError(where, f"{context}: 'given' must be a JSONPath starting with '$' or an alias "
                                  f"'#Name', not {item!r}")
            for text, formats in _expand_alias(item, aliases, where, ()):
                try:
                    compile_path(text)
                except PathError as exc:
                    raise ConfigError(where, f"{context}: {exc}") from None
                out.append(JsonPathGiven(text, resolved, formats))
        return out

    def override(self, raw: Any, path: Path, where: str) -> Any:
        from specforge.lint.config import Override

        if not isinstance(raw, dict) or "files" not in raw:
            raise ConfigError(where, "each override needs 'files'")
        if "extends" in raw or any(isinstance(v, dict) for v in (raw.get("rules") or {}).values()):
            self.catalogue.notices.append(f"{where}: only rule severities are applied from 'overrides' "
                                          "(not 'extends' or rule definitions)")
        patterns: list[tuple[str, str | None]] = []
        for entry in raw["files"] if isinstance(raw["files"], list) else [raw["files"]]:
            glob, sep, fragment = str(entry).partition("#")
            absolute = glob if Path(glob).is_absolute() else str(path.parent.resolve() / glob)
            variants = [absolute] + ([absolute.replace("**/", "")] if "**/" in absolute else [])  # ** = 0+ folders
            for variant in variants:
                patterns.append((variant, fragment if sep else None))
                if not sep:  # also re-grade findings *in* matching files reached through $refs (Spectral #2195)
                    patterns.append((variant, ""))
        rules = {str(k): self.severity_override(str(k), v, where)
                 for k, v in (raw.get("rules") or {}).items() if not isinstance(v, dict)}
        return Override(patterns, rules)


def _extends_entries(raw: Any, where: str) -> list[tuple[str, str]]:
    """``extends`` in any of Spectral's spellings -> [(name, mode)]."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [(raw, "recommended")]
    if isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str) and raw[1] in MODES:
        return [(raw[0], raw[1])]
    if not isinstance(raw, list):
        raise ConfigError(where, "'extends' must be a ruleset name, [name, mode] or a list of them")
    entries = []
    for entry in raw:
        if isinstance(entry, str):
            entries.append((entry, "recommended"))
        elif isinstance(entry, list) and len(entry) == 2 and entry[1] in MODES:
            entries.append((str(entry[0]), str(entry[1])))
        else:
            raise ConfigError(where, f"extends entry {entry!r}: expected a name or [name, recommended|all|off]")
    return entries


def _formats(raw: Any, where: str) -> frozenset[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ConfigError(where, "'formats' must be a list")
    return frozenset(FORMAT_NAMES.get(str(f), str(f)) for f in raw)


def _expand_alias(text: str, aliases: dict[str, Any], where: str,
                  seen: tuple[str, ...]) -> list[tuple[str, frozenset[str] | None]]:
    """``#Name.rest`` -> each path of alias ``Name`` + ``.rest`` (format-scoped targets keep their formats)."""
    if not text.startswith("#"):
        return [(text, None)]
    name = text[1:]
    rest = ""
    for i, char in enumerate(name):
        if char in ".[~^":
            name, rest = name[:i], name[i:]
            break
    if name not in aliases:
        raise ConfigError(where, f"unknown alias {name!r} (aliases: {', '.join(sorted(aliases)) or 'none'})")
    if name in seen:
        raise ConfigError(where, f"alias {name!r} refers to itself")
    definition = aliases[name]
    targets: list[tuple[Any, frozenset[str] | None]]
    if isinstance(definition, dict):
        targets = [(t.get("given"), _formats(t.get("formats"), where)) for t in definition.get("targets") or ()]
    else:
        targets = [(definition, None)]
    out: list[tuple[str, frozenset[str] | None]] = []
    for given, formats in targets:
        for path in given if isinstance(given, list) else [given]:
            for expanded, inner in _expand_alias(str(path), aliases, where, seen + (name,)):
                out.append((expanded + rest, formats if formats is not None else inner))
    return out


__all__ = ["is_spectral_ruleset", "spectral_selection"]
