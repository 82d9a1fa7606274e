"""The bounds the loaders enforce, in one place (the README's "Limits" lists them).

Each turns a hostile or broken file into one clear error (exit 2) or finding instead of a hang, a
crash or an exhausted machine, and each sits far above what real contracts need.
"""

from __future__ import annotations

import os

from specforge.errors import ConfigError

#: Megabytes one file (spec, ``$ref``'d file, fetched URL, WSDL, XSD) may have; the environment
#: variable ``SPECFORGE_MAX_FILE_MB`` changes it. Memory is about 25x the file for real specs
#: (Microsoft Graph, 20 MB of JSON: 0.5 GB, 7 s) and up to ~80x for YAML made of tiny nodes.
DEFAULT_MAX_FILE_MB = 32
MAX_FILE_MB_VARIABLE = "SPECFORGE_MAX_FILE_MB"

#: Nested mappings/sequences in a YAML or JSON file (the deepest of 3,000 real specs has 25). Well
#: below orjson's and jsonschema-rs's 255 and Python's recursion limit, so nothing downstream overflows.
MAX_NESTING_DEPTH = 128

#: Nodes a YAML document may have once its aliases are expanded (billion laughs).
MAX_EXPANDED_NODES = 5_000_000

#: Digits of a YAML integer (Python cannot print integers of more than 4,300 digits).
MAX_INTEGER_DIGITS = 1000

#: ``$ref``s followed in a row before a value is reached; a cycle is reported at any length.
MAX_REF_CHAIN = 32

#: XML element nesting, elements per file, and namespace-prefix entries per file (each element
#: declaring namespaces gets its own map of every prefix in scope).
MAX_XML_DEPTH = 256
MAX_XML_ELEMENTS = 1_000_000
MAX_XML_NAMESPACE_ENTRIES = 1_000_000

#: WSDL and XSD files one contract may import (further imports are not loaded).
MAX_WSDL_FILES = 400

#: Seconds to wait for a remote ``$ref`` (fetched only with ``--allow-remote-refs``).
REMOTE_TIMEOUT_SECONDS = 10


class LimitExceeded(Exception):
    """A file goes past one of the bounds above; ``line``/``column`` (1-based, 0 when unknown) say where."""

    def __init__(self, reason: str, line: int = 0, column: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def max_file_bytes() -> int:
    """The size limit for one file, in bytes (``SPECFORGE_MAX_FILE_MB`` or the default)."""
    text = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_FILE_MB * 1024 * 1024
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 1024 * 1024:
        raise ConfigError(MAX_FILE_MB_VARIABLE, f"expected a positive number of megabytes, got {text!r}")
    return int(megabytes * 1024 * 1024)
