"""Baselines: accept today's findings, report only new ones, and say which accepted ones are gone.

A finding is keyed by a fingerprint that survives edits elsewhere in the file: the rule, the JSON
pointer and a digest of the node's own content (its keys and scalar values, not its line number
and not its nested objects). The baseline stores ``(file, fingerprint)`` with the file relative to
the baseline's folder, so it works from any working directory.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from specforge.document import pointer as jsonpointer
from specforge.errors import ConfigError
from specforge.findings import Finding

FORMAT_VERSION = 1
_MISSING = object()


def node_digest(data: Any, pointer: str) -> str:
    """A short digest of the node at ``pointer``: its scalars and keys (nested objects only as ``{}``/``[]``).

    A pointer that does not exist (a missing field) hashes its nearest ancestor plus the missing part.
    """
    try:
        parts = jsonpointer.decode(pointer)
    except ValueError:
        parts = ()
    node: Any = data
    missing: list[str] = []
    for i, part in enumerate(parts):
        try:
            node = jsonpointer.lookup(node, (part,))
        except KeyError:
            missing = [str(p) for p in parts[i:]]
            break
    shallow = _shallow(node)
    try:
        text = orjson.dumps([shallow, missing], option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
                            default=str)
    except TypeError:  # integers beyond 64 bits (``maximum: 18446744073709551616``), which orjson refuses
        import json

        text = json.dumps([shallow, missing], sort_keys=True, default=str).encode()
    return hashlib.sha256(text).hexdigest()[:16]


def _shallow(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _marker(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_marker(v) for v in node]
    return node


def _marker(value: Any) -> Any:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return value


def fingerprint(rule: str, pointer: str, digest: str) -> str:
    """The stable identity of a finding within its file."""
    return hashlib.sha256(f"{rule}\0{pointer}\0{digest}".encode()).hexdigest()[:32]


def with_fingerprints(findings: Iterable[Finding], data_by_file: Mapping[str, Any]) -> list[Finding]:
    """Fill ``Finding.fingerprint`` where it is empty; files without data (WSDL) hash the message
    instead of the node.
    """
    result = []
    digests: dict[tuple[str, str], str] = {}  # many findings share a node
    for f in findings:
        if f.fingerprint:  # worked out already (by the forked worker that found it)
            result.append(f)
            continue
        data = data_by_file.get(f.file, _MISSING)
        if data is _MISSING:
            digest = hashlib.sha256(f.message.encode()).hexdigest()[:16]
        else:
            digest = digests.get((f.file, f.pointer)) or digests.setdefault((f.file, f.pointer),
                                                                            node_digest(data, f.pointer))
        result.append(replace(f, fingerprint=fingerprint(f.rule, f.pointer, digest)))
    return result


def fingerprinted(findings: Iterable[Finding], sources: Iterable[Any]) -> list[Finding]:
    """``with_fingerprints`` for findings in the loaded files ``sources`` (a document's ``Source``s)."""
    return with_fingerprints(findings, {source.path: source.data for source in sources})


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding (``count`` identical ones)."""

    file: str  # relative to the baseline's folder, ``/`` separated
    rule: str
    pointer: str
    fingerprint: str
    message: str = ""
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rule": self.rule, "pointer": self.pointer, "fingerprint": self.fingerprint,
                "message": self.message, "count": self.count}


@dataclass
class Baseline:
    """Accepted findings, read from or written to a JSON file."""

    folder: Path
    entries: list[BaselineEntry]

    def file_key(self, file: str) -> str:
        """A finding's file as the baseline stores it."""
        return Path(os.path.relpath(Path(file).resolve(), self.folder.resolve())).as_posix()

    @classmethod
    def of(cls, findings: Iterable[Finding], path: Path) -> Baseline:
        baseline = cls(path.parent, [])
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for f in findings:
            grouped.setdefault((baseline.file_key(f.file), f.fingerprint), []).append(f)
        baseline.entries = sorted(
            (BaselineEntry(file, fs[0].rule, fs[0].pointer, fp, fs[0].message, len(fs))
             for (file, fp), fs in grouped.items()),
            key=lambda e: (e.file, e.pointer, e.rule, e.fingerprint))
        return baseline

    def filter(self, findings: Iterable[Finding],
               linted_files: Iterable[str]) -> tuple[list[Finding], list[BaselineEntry]]:
        """(new findings, stale entries): stale are entries for files linted now that matched nothing."""
        remaining = Counter({(e.file, e.fingerprint): e.count for e in self.entries})
        new = []
        for f in findings:
            key = (self.file_key(f.file), f.fingerprint)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                new.append(f)
        linted = {self.file_key(file) for file in linted_files}
        stale = [replace(e, count=remaining[(e.file, e.fingerprint)]) for e in self.entries
                 if e.file in linted and remaining[(e.file, e.fingerprint)] > 0]
        return new, stale


def read_baseline(path: Path) -> Baseline:
    """Load a baseline written by ``--write-baseline``; a broken file is a ``ConfigError``."""
    try:
        raw = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise ConfigError(str(path), "baseline file not found (create it with --write-baseline)") from None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read baseline: {exc}") from None
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION or not isinstance(raw.get("entries"), list):
        raise ConfigError(str(path), f"not a specforge baseline (expected version {FORMAT_VERSION} with 'entries')")
    try:
        entries = [BaselineEntry(str(e["file"]), str(e["rule"]), str(e.get("pointer", "")), str(e["fingerprint"]),
                                 str(e.get("message", "")), int(e.get("count", 1))) for e in raw["entries"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(str(path), f"broken baseline entry: {exc}") from None
    return Baseline(path.parent, entries)


def baseline_text(baseline: Baseline) -> str:
    """The JSON text of a baseline (stable order, one entry per block, for readable diffs)."""
    payload = {"version": FORMAT_VERSION, "tool": "specforge", "entries": [e.to_dict() for e in baseline.entries]}
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n"
