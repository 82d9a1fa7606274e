"""``--cache``: skip files whose content, referenced files and configuration are unchanged.

An entry is keyed by the file's absolute path, the working directory (findings carry paths as
shown) and the configuration key; it stores the SHA-256 of the file and of every file it
referenced, and the findings. A hit needs every hash to match. Files with remote references and
files that could not be linted are never cached. Entries are written atomically (a temporary file, then
a rename), so an interrupted run leaves each entry as it was or complete, and no temporary files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

import specforge
from specforge.findings import Finding, Severity

CACHE_FORMAT = 1


def default_folder() -> Path:
    """``$SPECFORGE_CACHE_DIR`` or the user cache folder, ``results`` below it."""
    base = os.environ.get("SPECFORGE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specforge" / "results"


def config_key(*parts: Any) -> str:
    """A digest of everything that changes results besides the files: configuration, options, version.

    The same in every process: sets are sorted first (their order, and so their ``repr``, changes with
    Python's per-process string hashing), dataclasses and mappings are spelled field by field.
    """
    text = repr((CACHE_FORMAT, specforge.__version__, _canonical(parts)))
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                tuple((f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(_canonical(k)), _canonical(v)) for k, v in value.items())))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(_canonical(v)) for v in value)))
    if isinstance(value, list | tuple):
        return tuple(_canonical(v) for v in value)
    return value


def file_digest(location: str) -> str | None:
    try:
        return hashlib.sha256(Path(location).read_bytes()).hexdigest()
    except OSError:
        return None


class ResultCache:
    """Findings per file, valid while the file, its references and the configuration are unchanged."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.hits = 0

    def _entry(self, path: str) -> Path:
        name = hashlib.sha256(f"{Path(path).resolve()}\0{os.getcwd()}\0{self.key}".encode()).hexdigest()[:40]
        return self.folder / f"{name}.json"

    def get(self, path: str) -> list[Finding] | None:
        """The cached findings of ``path``, or None when anything it depends on changed."""
        try:
            entry = orjson.loads(self._entry(path).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != self.key:
            return None
        for location, digest in entry.get("files", {}).items():
            if file_digest(location) != digest:
                return None
        try:
            findings = [Finding(**{**f, "severity": Severity(f["severity"])}) for f in entry["findings"]]
        except (KeyError, TypeError, ValueError):
            return None
        self.hits += 1
        return findings

    def put(self, path: str, findings: list[Finding], files: list[str]) -> None:
        """Remember ``findings`` for ``path``, which read ``files`` (absolute paths)."""
        if not files or any("://" in location for location in files):
            return
        digests = {location: file_digest(location) for location in files}
        if None in digests.values():
            return
        payload = {"key": self.key, "files": digests,
                   "findings": [{**dataclasses.asdict(f), "severity": int(f.severity)} for f in findings]}
        target = self._entry(path)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(orjson.dumps(payload))
            os.replace(tmp, target)
        except BaseException as exc:  # also when interrupted: no temporary left; the entry is old or new, not torn
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            if not isinstance(exc, OSError):  # an unwritable cache only costs speed
                raise
