"""One parsed file: its text, its data and a locator for positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from specforge.document import yaml_tree
from specforge.document.positions import START, JsonLocator, Span, YamlLocator
from specforge.errors import InputError

#: Files larger than this are refused rather than parsed (a guard against accidents, not a limit on specs).
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(eq=False)
class Source:
    """A YAML or JSON file parsed once; positions are computed only when asked for."""

    path: str
    text: str
    data: Any
    syntax: str  # "json" | "yaml"
    locator: JsonLocator | YamlLocator | None = field(default=None, repr=False)
    duplicate_keys: list[tuple[Span, str]] = field(default_factory=list, repr=False)

    def span(self, pointer: tuple, at_key: bool = False) -> Span:
        """The span of the node at ``pointer`` (the nearest existing ancestor when it is missing)."""
        if self.locator is None:
            return START
        return self.locator.span(pointer, at_key)


def read_text(path: Path, display: str) -> str:
    """Read a file as UTF-8 (a BOM is dropped); every failure is a one-line ``InputError``."""
    try:
        if path.is_dir():
            raise InputError(display, "is a directory")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(display, f"file is too large ({size} bytes)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(display, "no such file") from None
    except PermissionError:
        raise InputError(display, "permission denied") from None
    except OSError as exc:
        raise InputError(display, exc.strerror or str(exc)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(display, f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def parse_source(text: str, display: str) -> Source:
    """Parse JSON or YAML, detected from the content (not the extension)."""
    stripped = text.lstrip()
    if "\x00" in text:
        raise InputError(display, "binary file (contains NUL bytes)")
    if stripped[:1] in ("{", "["):
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # JSON-looking YAML (flow style, comments): let the YAML parser say what is wrong
        else:
            return Source(display, text, data, "json", JsonLocator(text, data))
    return _parse_yaml(text, display)


def _parse_yaml(text: str, display: str) -> Source:
    try:
        root = yaml_tree.compose(text)
        if root is None:
            raise InputError(display, "empty document")
        data, duplicates = yaml_tree.to_data(root, has_aliases="&" in text)
    except yaml_tree.YamlError as exc:
        where = f":{exc.line}:{exc.column}" if exc.line else ""
        raise InputError(display + where, f"not valid YAML or JSON: {exc.reason}") from None
    dups = [
        (Span(k.start_mark.line + 1, k.start_mark.column + 1, k.end_mark.line + 1, k.end_mark.column + 1), key)
        for k, key in duplicates
    ]
    return Source(display, text, data, "yaml", YamlLocator(root), dups)
