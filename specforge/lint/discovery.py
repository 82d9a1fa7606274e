"""Command-line paths -> the files to lint: files as given, directories searched, globs expanded.

A directory is searched recursively for ``*.wsdl`` and for ``*.yaml``/``*.yml``/``*.json`` files that
look like OpenAPI (an ``openapi:`` or ``swagger:`` key); other YAML/JSON there is skipped. Hidden
folders and ``node_modules`` are not entered. A file named explicitly is always linted (a non-spec
file then fails with exit code 2).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from pathlib import Path

from specforge.errors import InputError

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
WSDL_SUFFIXES = (".wsdl",)
SNIFF_BYTES = 1 << 20
_GLOB_CHARS = re.compile(r"[*?\[]")
_YAML_SPEC = re.compile(rb"""^['"]?(?:openapi|swagger)['"]?\s*:""", re.M)
_JSON_SPEC = re.compile(rb""""(?:openapi|swagger)"\s*:""")
_SKIP_DIRS = frozenset({"node_modules", "__pycache__"})


def expand(arguments: Iterable[str]) -> list[str]:
    """The files to lint, in argument order, each once; a glob matching nothing is an ``InputError``."""
    found: dict[str, None] = {}
    for argument in arguments:
        if _GLOB_CHARS.search(argument) and not Path(argument).exists():
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                raise InputError(argument, "no files match this pattern")
            for match in matches:
                if Path(match).is_dir():
                    found.update(dict.fromkeys(search(Path(match))))
                elif is_candidate(Path(match)):
                    found[match] = None
        elif Path(argument).is_dir():
            found.update(dict.fromkeys(search(Path(argument))))
        else:
            found[argument] = None
    return list(found)


def search(folder: Path) -> list[str]:
    """Spec files below ``folder`` (sorted, hidden folders and ``node_modules`` skipped)."""
    files = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(names):
            path = Path(current) / name
            if is_candidate(path):
                files.append(str(path))
    return files


def is_candidate(path: Path) -> bool:
    """A ``.wsdl`` file, or a YAML/JSON file whose text has a top-level-looking ``openapi``/``swagger`` key."""
    suffix = path.suffix.lower()
    if suffix in WSDL_SUFFIXES:
        return True
    if suffix not in SPEC_SUFFIXES:
        return False
    try:
        if not path.is_file():  # a FIFO or a device: reading it could block or never end
            return False
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    pattern = _JSON_SPEC if head.lstrip()[:1] == b"{" else _YAML_SPEC
    return pattern.search(head) is not None
