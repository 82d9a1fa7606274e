"""Meta-tests over the whole built-in catalogue: every rule file is valid, documented, has cases,
and its documentation examples are tests (``docs.bad`` triggers the rule, ``docs.good`` does not).

The rule files are read directly (not through the user cache), so a broken file fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specforge.findings import Severity
from specforge.lint.api import lint_file
from specforge.lint.catalogue import RawFile, read_yaml_mapping
from specforge.lint.config import load_config
from specforge.lint.ruleset import build_catalogue, parse_rule

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
CASES = ROOT / "fixtures" / "rules"
TAGS = frozenset({"validity", "rest", "naming", "documentation", "schemas", "examples", "security", "owasp", "wsdl"})
RULE_FILES = sorted(p for p in RULES.rglob("*.yaml") if p.parent.name != "rulesets")
RULESET_FILES = sorted((RULES / "rulesets").glob("*.yaml"))


def _raw(path: Path) -> RawFile:
    return RawFile(str(path), read_yaml_mapping(path))


def _rule_id(path: Path) -> str:
    return str(read_yaml_mapping(path).get("id", ""))


RULE_PARAMS = [pytest.param(p, id=str(p.relative_to(RULES))) for p in RULE_FILES]


def test_the_whole_catalogue_builds_with_checks() -> None:
    catalogue = build_catalogue([_raw(p) for p in RULE_FILES], [_raw(p) for p in RULESET_FILES], check=True)
    assert len(catalogue.rules) == len(RULE_FILES)
    assert {"recommended", "all", "rest", "documentation", "schemas", "spectral"} <= set(catalogue.rulesets)


@pytest.mark.parametrize("path", RULE_PARAMS)
def test_rule_file_is_valid_and_named_after_its_id(path: Path) -> None:
    data = read_yaml_mapping(path)
    rule = parse_rule(str(data.get("id")), data, str(path), check=True)
    assert rule.id.replace(":", "_") == path.stem, f"{path.name}: id {rule.id!r} must equal the file stem"
    assert set(rule.tags) <= TAGS, f"{rule.id}: unknown tag(s) {set(rule.tags) - TAGS} (use {sorted(TAGS)})"
    assert rule.tags, f"{rule.id}: needs at least one tag so topical rulesets can select it"
    assert rule.formats, f"{rule.id}: must declare its formats"
    assert "recommended" in data, f"{rule.id}: must say whether it is part of the default ruleset"


@pytest.mark.parametrize("path", RULE_PARAMS)
def test_rule_is_documented(path: Path) -> None:
    data = read_yaml_mapping(path)
    docs = data.get("docs") or {}
    missing = [name for name, value in (("summary", data.get("summary")), ("docs.why", docs.get("why")),
                                         ("docs.bad", docs.get("bad")), ("docs.good", docs.get("good")))
               if not (isinstance(value, str) and value.strip())]
    assert not missing, f"{data.get('id')}: missing {', '.join(missing)}"


@pytest.mark.parametrize("path", RULE_PARAMS)
def test_rule_has_flagged_and_clean_cases(path: Path) -> None:
    rule_id = _rule_id(path)
    folders = [CASES / rule_id, CASES / path.stem]  # "owasp:api4:2023-x" may live as "owasp_api4_2023-x"
    cases_file = next((f / "cases.yaml" for f in folders if (f / "cases.yaml").is_file()), folders[0] / "cases.yaml")
    assert cases_file.is_file(), f"{rule_id}: missing {cases_file.relative_to(ROOT)}"
    data = read_yaml_mapping(cases_file)
    assert data.get("rule") == rule_id, f"{cases_file.relative_to(ROOT)}: 'rule' must be {rule_id!r}"
    expectations = [case.get("expect") for case in (data.get("cases") or {}).values()]
    assert any(expectations), f"{rule_id}: needs a case that triggers the rule"
    assert any(e == [] for e in expectations), f"{rule_id}: needs a case where the rule stays silent"


def _lint_example(rule_id: str, text: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    name = "example.wsdl" if text.lstrip().startswith("<") else "example.yaml"
    (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(folder)
    config = load_config(discover_config=False)
    config.severities = {rule_id: config.catalogue.rules[rule_id].severity or Severity.ERROR}
    result = lint_file(name, config)
    assert result.error is None, f"{rule_id}: the example must be lintable: {result.error}"
    return [f for f in result.findings if f.rule == rule_id]


@pytest.mark.parametrize("path", RULE_PARAMS)
def test_docs_examples_are_true(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = read_yaml_mapping(path)
    rule_id, docs = str(data["id"]), data.get("docs") or {}
    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    flagged = _lint_example(rule_id, str(docs.get("bad", "")), bad, monkeypatch)
    assert flagged, f"{rule_id}: docs.bad must produce at least one {rule_id} finding"
    clean = _lint_example(rule_id, str(docs.get("good", "")), good, monkeypatch)
    assert clean == [], f"{rule_id}: docs.good must be clean, got " + "; ".join(
        f"{f.line}:{f.column} {f.message}" for f in clean)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in RULESET_FILES])
def test_ruleset_names_only_existing_rules(path: Path) -> None:
    catalogue = build_catalogue([_raw(p) for p in RULE_FILES], [_raw(p) for p in RULESET_FILES], check=False)
    spec = catalogue.rulesets[path.stem]
    named = set(spec.get("rules") or {}) | set((spec.get("include") or {}).get("ids") or ())
    unknown = sorted(named - set(catalogue.rules))
    assert not unknown, f"{path.name} names unknown rule(s): {', '.join(unknown)}"
    assert set(spec.get("extends") or ()) <= set(catalogue.rulesets)
    tags = set((spec.get("include") or {}).get("tags") or ())
    assert tags <= TAGS, f"{path.name}: unknown tag(s) {tags - TAGS}"
    selection = catalogue.selection(path.stem)
    assert any(severity is not None for severity in selection.values()), f"{path.name} turns on no rule"


@pytest.mark.parametrize(("ruleset", "tag"), [("rest", "rest"), ("documentation", "documentation"),
                                              ("schemas", "schemas")])
def test_topical_ruleset_turns_on_every_rule_of_its_tag(ruleset: str, tag: str) -> None:
    catalogue = build_catalogue([_raw(p) for p in RULE_FILES], [_raw(p) for p in RULESET_FILES], check=False)
    selection = catalogue.selection(ruleset)
    tagged = {r.id for r in catalogue.rules.values() if tag in r.tags and r.severity is not None}
    assert tagged, f"no rule is tagged {tag!r}"
    assert tagged <= {rule_id for rule_id, severity in selection.items() if severity is not None}
