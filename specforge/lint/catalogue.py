"""The built-in rules and rulesets: ``rules/**/*.yaml``, parsed once and cached by file stamps.

A rule file holds one rule; a ruleset file (``rules/rulesets/*.yaml``) selects rules. Parsing
~200 YAML files costs more than a pre-commit run should pay, so the parsed form is cached in the
user cache folder and rebuilt only when a file's size or mtime changes.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import specforge
from specforge.errors import ConfigError

CACHE_FORMAT = 1


def rules_dir() -> Path:
    """Where the built-in rules live: inside the wheel (``specforge/_rules``) or the source tree."""
    package = Path(specforge.__file__).parent
    shipped = package / "_rules"
    return shipped if shipped.is_dir() else package.parent / "rules"


@dataclass(frozen=True)
class RawFile:
    """A parsed rule or ruleset file: its data plus the line of each top-level key (for errors)."""

    path: str
    data: dict[str, Any]


def load_raw_catalogue() -> tuple[list[RawFile], list[RawFile]]:
    """(rule files, ruleset files) of the built-in catalogue, from the cache when it is fresh."""
    base = rules_dir()
    files = sorted(p for p in base.rglob("*.yaml") if p.name != "README.yaml")
    stamp = hashlib.sha1(specforge.__version__.encode())
    for path in files:
        info = path.stat()
        stamp.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    cache = _cache_dir() / f"catalogue-{CACHE_FORMAT}-{stamp.hexdigest()[:16]}.marshal"
    try:
        rules, rulesets = marshal.loads(cache.read_bytes())
        return [RawFile(*r) for r in rules], [RawFile(*r) for r in rulesets]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    rules, rulesets = [], []
    for path in files:
        raw = RawFile(str(path), read_yaml_mapping(path))
        (rulesets if path.parent.name == "rulesets" else rules).append(raw)
    _write_cache(cache, ([(r.path, r.data) for r in rules], [(r.path, r.data) for r in rulesets]))
    return rules, rulesets


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; errors name the file and line."""
    from specforge.document.source import parse_source, read_text
    from specforge.errors import InputError

    try:
        source = parse_source(read_text(path, str(path)), str(path))
    except InputError as exc:
        raise ConfigError(str(path), exc.reason) from None
    if not isinstance(source.data, dict):
        raise ConfigError(str(path), "must be a mapping")
    return source.data


def _cache_dir() -> Path:
    base = os.environ.get("SPECFORGE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specforge"


def _write_cache(path: Path, payload: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("catalogue-*.marshal"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(payload))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # a read-only home only costs speed
