"""The WSDL rule pack as a whole: strict validation, the ``wsdl`` ruleset, and what ``recommended`` takes.

Each rule's cases run in ``tests/rules/test_rule_cases.py`` and its documented examples in
``tests/rules/test_catalogue.py``; this module checks the pack against a catalogue of its own files.
"""

from __future__ import annotations

from pathlib import Path

from specforge.findings import Severity
from specforge.lint.catalogue import RawFile, read_yaml_mapping
from specforge.lint.ruleset import build_catalogue

REPO = Path(__file__).resolve().parents[2]
RULE_FILES = sorted((REPO / "rules" / "wsdl").glob("*.yaml"))
#: The rule ids of linter-landscape.md §2.2.
CATALOGUE_IDS = {
    "wsdl-schema-valid", "wsdl-import-wsdl-only", "wsdl-import-location", "wsdl-element-order",
    "wsdl-schema-target-namespace", "wsdl-qnames-resolvable", "wsdl-no-required-extensions",
    "wsdl-soap-binding-transport", "wsdl-soap-http-transport", "wsdl-literal-only", "wsdl-consistent-style",
    "wsdl-prefer-document-literal", "wsdl-doclit-single-part", "wsdl-doclit-element-parts",
    "wsdl-part-element-xor-type", "wsdl-part-global-element", "wsdl-qualified-body", "wsdl-body-namespace-attr",
    "wsdl-header-part-attr", "wsdl-fault-binding-name", "wsdl-bind-all-parts", "wsdl-binding-matches-porttype",
    "wsdl-unique-operation-names", "wsdl-unique-wire-signatures", "wsdl-request-response-only",
    "wsdl-no-soapenc-arrays", "wsdl-no-arrayof-naming", "wsdl-soap-action", "wsdl-one-endpoint-per-service",
    "wsdl-naming", "wsdl-faults-declared", "wsdl-documentation", "wsdl-unused-definitions", "wsdl-tns-consistent",
    "wsdl-types-imported", "wsdl-xsd-hygiene", "wsdl-endpoint-https", "wsdl-endpoint-not-internal",
    "wsdl-security-policy-present", "wsdl-policy-https-token", "wsdl-policy-strong-algorithms",
    "wsdl-soap12-awareness",
}
#: Default severities of the §2.2 table that differ from "warning".
TABLE_SEVERITY = {
    "wsdl-schema-valid": "error", "wsdl-import-wsdl-only": "error", "wsdl-import-location": "error",
    "wsdl-schema-target-namespace": "error", "wsdl-qnames-resolvable": "error",
    "wsdl-soap-binding-transport": "error", "wsdl-literal-only": "error", "wsdl-consistent-style": "error",
    "wsdl-doclit-single-part": "error", "wsdl-doclit-element-parts": "error", "wsdl-part-element-xor-type": "error",
    "wsdl-part-global-element": "error", "wsdl-qualified-body": "error", "wsdl-body-namespace-attr": "error",
    "wsdl-header-part-attr": "error", "wsdl-fault-binding-name": "error", "wsdl-binding-matches-porttype": "error",
    "wsdl-unique-operation-names": "error", "wsdl-unique-wire-signatures": "error",
    "wsdl-request-response-only": "error", "wsdl-no-soapenc-arrays": "error", "wsdl-endpoint-https": "error",
    "wsdl-policy-https-token": "error", "wsdl-no-arrayof-naming": "info", "wsdl-one-endpoint-per-service": "info",
    "wsdl-faults-declared": "info", "wsdl-soap12-awareness": "info", "wsdl-types-imported": "off",
}


def _catalogue():
    raw = [RawFile(str(p), read_yaml_mapping(p)) for p in RULE_FILES]
    rulesets = [RawFile(str(p), read_yaml_mapping(p)) for p in (REPO / "rules" / "rulesets").glob("*.yaml")]
    return build_catalogue(raw, rulesets, check=True)


def test_the_pack_implements_the_catalogue_ids_with_their_default_severities() -> None:
    catalogue = _catalogue()
    assert {p.stem for p in RULE_FILES} == CATALOGUE_IDS
    for rule_id in CATALOGUE_IDS:
        rule = catalogue.rules[rule_id]
        expected = TABLE_SEVERITY.get(rule_id, "warning")
        assert (rule.severity.label if rule.severity is not None else "off") == expected, rule_id
        assert rule.formats == frozenset({"wsdl"}) and rule.given == ("Document",) and "wsdl" in rule.tags
        assert all(then.function.startswith("wsdl_") for then in rule.then)


def test_wsdl_ruleset_selects_every_wsdl_rule_at_its_default() -> None:
    chosen = _catalogue().selection("wsdl")
    assert {rule_id for rule_id in chosen if rule_id.startswith("wsdl-")} == CATALOGUE_IDS
    assert chosen["wsdl-types-imported"] is None
    assert chosen["wsdl-literal-only"] is Severity.ERROR
    assert chosen["wsdl-naming"] is Severity.WARNING


def test_recommended_takes_the_low_noise_wsdl_rules() -> None:
    chosen = _catalogue().selection("recommended")
    assert {"wsdl-literal-only", "wsdl-qnames-resolvable", "wsdl-endpoint-https"} <= set(chosen)
    assert not {"wsdl-naming", "wsdl-documentation", "wsdl-types-imported"} & set(chosen)
