"""Project configuration: ``.specforge.yaml`` or ``[tool.specforge]``, discovered from the working
directory upwards; ``extends`` + ``rules`` + ``overrides`` resolved against the catalogue.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specforge.document import pointer as jsonpointer
from specforge.errors import ConfigError
from specforge.findings import Finding, Severity
from specforge.lint.catalogue import read_yaml_mapping
from specforge.lint.engine import ActiveRule
from specforge.lint.model import Rule
from specforge.lint.ruleset import Catalogue, builtin_catalogue, parse_rule, parse_severity

CONFIG_NAMES = (".specforge.yaml", ".specforge.yml")
DEFAULT_RULESET = "recommended"


@dataclass
class Override:
    """Severities for files matching ``files`` globs (``glob`` or ``glob#/json/pointer``)."""

    patterns: list[tuple[str, str | None]]
    rules: dict[str, Severity | None]


@dataclass
class Config:
    """The active configuration: where it came from, the rules and their severities."""

    file: str | None
    base_dir: Path
    catalogue: Catalogue
    severities: dict[str, Severity | None]
    overrides: list[Override] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def active_rules(self, path: str) -> list[ActiveRule]:
        """Rules on for ``path`` (overrides without a pointer applied)."""
        severities = dict(self.severities)
        for override in self.overrides:
            if any(ptr is None and self._matches(glob, path) for glob, ptr in override.patterns):
                severities.update(override.rules)
        return [ActiveRule(self.catalogue.rules[rule_id], severity)
                for rule_id, severity in severities.items()
                if severity is not None and rule_id in self.catalogue.rules]

    def has_pointer_overrides(self) -> bool:
        return any(ptr is not None for o in self.overrides for _, ptr in o.patterns)

    def apply_pointer_overrides(self, findings: list[Finding]) -> list[Finding]:
        """Re-grade (or drop) findings below ``file#/pointer`` override targets."""
        result = []
        for finding in findings:
            severity: Severity | None = finding.severity
            for override in self.overrides:
                for glob, ptr in override.patterns:
                    if ptr is not None and self._matches(glob, finding.file) and _below(finding.pointer, ptr) \
                            and finding.rule in override.rules:
                        severity = override.rules[finding.rule]
            if severity is None:
                continue
            if severity != finding.severity:
                from dataclasses import replace

                finding = replace(finding, severity=severity)
            result.append(finding)
        return result

    def _matches(self, glob: str, path: str) -> bool:
        candidate = Path(path)
        absolute = str(candidate.resolve())
        pattern = str(self.base_dir / glob) if not Path(glob).is_absolute() else glob
        return fnmatch.fnmatch(absolute, pattern) or fnmatch.fnmatch(str(candidate), glob)


def _below(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix.rstrip("/") + "/")


def discover(start: Path) -> Path | None:
    """The nearest ``.specforge.yaml`` or ``pyproject.toml`` with ``[tool.specforge]``, upwards from ``start``."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.specforge" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def load_config(config_file: Path | None = None, *, rulesets: list[str] | None = None,
                cwd: Path | None = None, discover_config: bool = True) -> Config:
    """Resolve the configuration: an explicit file, else discovery; ``rulesets`` replace ``extends``."""
    cwd = cwd or Path.cwd()
    if config_file is None and discover_config:
        config_file = discover(cwd)
    if config_file is None and discover_config and not rulesets:
        from specforge.lint.spectral import discover_spectral  # .spectral.yaml|yml|json in cwd

        spectral = discover_spectral(cwd)
        rulesets = [str(spectral)] if spectral else None
    data: dict[str, Any] = {}
    if config_file is not None:
        data = _read_config(config_file)
    base_dir = config_file.parent if config_file else cwd
    shown = str(config_file) if config_file else "<defaults>"
    builtin = builtin_catalogue()
    catalogue = Catalogue(dict(builtin.rules), builtin.rulesets, builtin.ruleset_files)
    custom = _custom_rules(data.get("rules") or {}, shown, catalogue)
    catalogue.rules.update(custom)
    extends = rulesets if rulesets else _as_list(data.get("extends")) or [DEFAULT_RULESET]
    severities: dict[str, Severity | None] = {}
    for name in extends:
        severities.update(_ruleset_selection(name, catalogue, base_dir, shown))
    for rule_id, rule in custom.items():
        severities[rule_id] = rule.severity
    for rule_id, value in (data.get("rules") or {}).items():
        if rule_id in custom:
            continue
        _require_known(rule_id, catalogue, shown)
        severities[rule_id] = parse_severity(value, f"{shown}: rules.{rule_id}")
    overrides = catalogue.ruleset_overrides + [
        _parse_override(o, catalogue, shown) for o in data.get("overrides") or ()
    ]
    options = {k: v for k, v in data.items() if k not in ("extends", "rules", "overrides")}
    return Config(str(config_file) if config_file else None, base_dir, catalogue, severities, overrides, options)


def _read_config(path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        import tomllib

        try:
            tool = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(str(path), f"cannot read: {exc}") from None
        data = tool.get("specforge", {})
    else:
        if not path.is_file():
            raise ConfigError(str(path), "no such file")
        data = read_yaml_mapping(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), "configuration must be a mapping")
    unknown = set(data) - {"extends", "rules", "overrides", "baseline", "fail-severity", "format", "ignore"}
    if unknown:
        raise ConfigError(str(path), f"unknown key(s): {', '.join(sorted(unknown))}")
    return data


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _ruleset_selection(name: str, catalogue: Catalogue, base_dir: Path, shown: str) -> dict[str, Severity | None]:
    if name in catalogue.rulesets:
        return catalogue.selection(name)
    path = (base_dir / name) if not Path(name).is_absolute() else Path(name)
    if path.is_file():
        return _ruleset_from_file(path, read_yaml_mapping(path), catalogue)
    known = ", ".join(sorted(catalogue.rulesets))
    raise ConfigError(shown, f"unknown ruleset {name!r} (built-in: {known}; or a path to a ruleset file)")


def _ruleset_from_file(path: Path, data: dict[str, Any], catalogue: Catalogue) -> dict[str, Severity | None]:
    from specforge.lint.spectral.ruleset import is_spectral_ruleset, spectral_selection

    if is_spectral_ruleset(path, data):
        return spectral_selection(path, data, catalogue)
    chosen: dict[str, Severity | None] = {}
    for parent in _as_list(data.get("extends")):
        chosen.update(_ruleset_selection(parent, catalogue, path.parent, str(path)))
    custom = _custom_rules(data.get("rules") or {}, str(path), catalogue)
    catalogue.rules.update(custom)
    for rule_id, value in (data.get("rules") or {}).items():
        if rule_id in custom:
            chosen[rule_id] = custom[rule_id].severity
        else:
            _require_known(rule_id, catalogue, str(path))
            chosen[rule_id] = parse_severity(value, f"{path}: rules.{rule_id}")
    return chosen


def _custom_rules(rules: dict[str, Any], shown: str, catalogue: Catalogue) -> dict[str, Rule]:
    if not isinstance(rules, dict):
        raise ConfigError(shown, "'rules' must be a mapping of rule id to severity or rule definition")
    return {rule_id: _rule_from_config(rule_id, value, shown, catalogue)
            for rule_id, value in rules.items() if isinstance(value, dict)}


_RECONFIGURE_KEYS = frozenset({"severity", "functionOptions", "message"})


def _rule_from_config(rule_id: str, value: dict[str, Any], shown: str, catalogue: Catalogue) -> Rule:
    """A full rule definition, or a built-in rule re-configured with ``severity``/``functionOptions``/``message``."""
    base = catalogue.rules.get(rule_id)
    if base is None or "given" in value or "then" in value:
        return parse_rule(rule_id, value, shown)
    from dataclasses import replace

    from specforge.lint.functions import options_schema
    from specforge.lint.ruleset import _check_function as check_function_options

    where = f"{shown}: rules.{rule_id}"
    unknown = set(value) - _RECONFIGURE_KEYS
    if unknown:
        raise ConfigError(shown, f"rule {rule_id!r}: unknown key(s) {', '.join(sorted(unknown))} (a built-in"
                                 " rule takes severity, functionOptions and message; give 'given' and 'then' to"
                                 " redefine it)")
    thens = base.then
    if "functionOptions" in value:
        extra = value["functionOptions"]
        configurable = [t for t in base.then if options_schema(t.function) is not None]
        if not isinstance(extra, dict) or not configurable:
            raise ConfigError(shown, f"rule {rule_id!r}: functionOptions must be a mapping, for a rule that takes"
                                     " options")
        thens = tuple(replace(t, options={**(t.options or {}), **extra}) if t in configurable else t
                      for t in base.then)
        for then in thens:
            check_function_options(then, where)
    severity = parse_severity(value["severity"], where) if "severity" in value else base.severity
    return replace(base, severity=severity, then=thens, message=value.get("message", base.message))


def _require_known(rule_id: str, catalogue: Catalogue, shown: str) -> None:
    if rule_id in catalogue.rules:
        return
    import difflib

    close = difflib.get_close_matches(rule_id, list(catalogue.rules), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ConfigError(shown, f"unknown rule id {rule_id!r}{hint}")


def _parse_override(raw: Any, catalogue: Catalogue, shown: str) -> Override:
    if not isinstance(raw, dict) or "files" not in raw or "rules" not in raw:
        raise ConfigError(shown, "each override needs 'files' and 'rules'")
    patterns: list[tuple[str, str | None]] = []
    for entry in _as_list(raw["files"]):
        glob, sep, fragment = entry.partition("#")
        if sep:
            try:
                jsonpointer.decode(fragment)
            except ValueError as exc:
                raise ConfigError(shown, f"override target {entry!r}: {exc}") from None
        patterns.append((glob, fragment if sep else None))
    rules = {}
    for rule_id, value in (raw["rules"] or {}).items():
        _require_known(rule_id, catalogue, shown)
        rules[rule_id] = parse_severity(value, f"{shown}: overrides")
    return Override(patterns, rules)
