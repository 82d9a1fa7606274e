"""``--format junit``: JUnit XML as Jenkins, GitLab and Azure DevOps read it.

One ``<testsuite>`` per linted file; in it one failing ``<testcase>`` per rule that fired (its
``<failure>`` lists every finding as ``line:col message``), or one passing testcase when the file
is clean. A file that could not be linted is a testcase with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from itertools import groupby

from specforge.findings import Finding
from specforge.report import Summary

CLEAN_TESTCASE = "specforge lint"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(findings: list[Finding], summary: Summary, *, files: Iterable[str] = (),
           errors: Iterable[tuple[str, str]] = (), **_: object) -> str:
    """A ``<testsuites>`` document; ``files`` names the clean files too (in run order)."""
    by_file = {file: list(group) for file, group in groupby(sorted(findings), key=lambda f: f.file)}
    failed = dict(errors)
    order = list(dict.fromkeys([*files, *by_file, *failed]))
    root = ET.Element("testsuites", name="specforge")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for file in order:
        suite = ET.SubElement(root, "testsuite", name=file)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if file in failed:
            case = ET.SubElement(suite, "testcase", classname=file, name=CLEAN_TESTCASE)
            ET.SubElement(case, "error", message=_clean(failed[file]), type="input-error").text = _clean(failed[file])
            counts["tests"] += 1
            counts["errors"] += 1
        items = by_file.get(file, [])
        for rule, group in groupby(sorted(items, key=lambda f: (f.rule, f.line, f.column)), key=lambda f: f.rule):
            hits = list(group)
            case = ET.SubElement(suite, "testcase", classname=file, name=rule)
            worst = min(f.severity for f in hits)
            failure = ET.SubElement(case, "failure", type=worst.label,
                                    message=_clean(f"{len(hits)} problem{'s' if len(hits) != 1 else ''}: "
                                                   f"{hits[0].message}"))
            failure.text = "\n".join(_clean(f"{f.file}:{f.line}:{f.column} {f.severity.label} {f.message}"
                                            + (f" ({f.pointer})" if f.pointer else "")) for f in hits)
            counts["tests"] += 1
            counts["failures"] += 1
        if not counts["tests"]:
            ET.SubElement(suite, "testcase", classname=file, name=CLEAN_TESTCASE)
            counts["tests"] = 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
