"""One parsed file: its text, its data and a locator for positions."""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specforge.document import json_tree
from specforge.document.limits import MAX_FILE_MB_VARIABLE, LimitExceeded, max_file_bytes
from specforge.document.positions import START, JsonLocator, LineIndex, Span
from specforge.errors import InputError

if TYPE_CHECKING:
    from specforge.document.yaml_positions import YamlLocator

#: Byte-order marks of the encodings read besides UTF-8 (YAML allows UTF-16 and UTF-32); UTF-32 first,
#: since its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


@dataclass(eq=False)
class Source:
    """A YAML or JSON file parsed once; positions are computed only when asked for."""

    path: str
    text: str
    data: Any
    syntax: str  # "json" | "yaml"
    locator: JsonLocator | YamlLocator | None = field(default=None, repr=False)
    duplicate_keys: list[tuple[Span, str]] = field(default_factory=list, repr=False)
    parse_error: str = ""  # for a "text" source: why it is not YAML/JSON (``file:line:col: reason``)

    def span(self, pointer: tuple, at_key: bool = False) -> Span:
        """The span of the node at ``pointer`` (the nearest existing ancestor when it is missing)."""
        if self.locator is None:
            return START
        return self.locator.span(pointer, at_key)


def read_text(path: Path, display: str, *, regular_file: bool = False) -> str:
    """Read a file as text (UTF-8; UTF-16/32 with a byte-order mark); every failure is a one-line ``InputError``.

    At most ``max_file_bytes()`` are read, also from a device or a file still growing.
    ``regular_file=True`` refuses FIFOs, devices and sockets (for files a document refers to).
    """
    limit = max_file_bytes()
    try:
        if path.is_dir():
            raise InputError(display, "is a directory")
        # Opened without blocking, so that a FIFO nobody writes to is refused instead of waited for.
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | (_NONBLOCK if regular_file else 0)
        with open(os.open(path, flags), "rb") as handle:
            info = os.fstat(handle.fileno())
            if regular_file and not stat.S_ISREG(info.st_mode):
                raise InputError(display, "not a regular file")
            if info.st_size > limit:
                raise InputError(display, _too_large(info.st_size, limit))
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(display, "no such file") from None
    except PermissionError:
        raise InputError(display, "permission denied") from None
    except OSError as exc:
        raise InputError(display, exc.strerror or str(exc)) from None
    except ValueError:  # a NUL byte in the name
        raise InputError(display, "invalid file name") from None
    if len(raw) > limit:
        raise InputError(display, _too_large(None, limit))
    return decode_text(raw, display)


def decode_text(raw: bytes, display: str) -> str:
    """Bytes -> text: UTF-8 (a BOM is dropped), or UTF-16/UTF-32 when a byte-order mark says so."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(display, f"not valid {encoding.upper()} text") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = raw.count(b"\n", 0, exc.start) + 1, exc.start - raw.rfind(b"\n", 0, exc.start)  # bytes
        reason = f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x})"
        raise InputError(f"{display}:{line}:{column}", reason) from None


def _too_large(size: int | None, limit: int) -> str:
    what = f"{size:,} bytes" if size is not None else "more"
    return f"file is too large ({what}; the limit is {limit / 2**20:.3g} MiB, raise it with {MAX_FILE_MB_VARIABLE})"


def parse_source(text: str, display: str) -> Source:
    """Parse JSON or YAML, detected from the content (not the extension)."""
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(_located(display, *LineIndex(text).position(nul)), "binary file (contains NUL bytes)")
    if text.lstrip()[:1] in ("{", "["):
        try:
            parsed = json_tree.parse(text)
        except LimitExceeded as exc:
            raise InputError(_located(display, exc.line, exc.column), exc.reason) from None
        if parsed is not None:
            data, duplicates, canonical = parsed
            return Source(display, text, data, "json", JsonLocator(text, data, canonical), duplicates)
        # JSON-looking YAML (flow style, comments): let the YAML parser say what is wrong
    return _parse_yaml(text, display)


def _parse_yaml(text: str, display: str) -> Source:
    from specforge.document import yaml_tree  # only for YAML: JSON specs never import the YAML library
    from specforge.document.yaml_positions import YamlLocator

    try:
        root = yaml_tree.compose(text)
        if root is None:
            raise InputError(display, "empty document")
        data, duplicates = yaml_tree.to_data(root, has_aliases="&" in text)
    except yaml_tree.YamlError as exc:
        raise InputError(_located(display, exc.line, exc.column), f"not valid YAML or JSON: {exc.reason}") from None
    except LimitExceeded as exc:
        raise InputError(_located(display, exc.line, exc.column), exc.reason) from None
    dups = [
        (Span(k.start_mark.line + 1, k.start_mark.column + 1, k.end_mark.line + 1, k.end_mark.column + 1), key)
        for k, key in duplicates
    ]
    return Source(display, text, data, "yaml", YamlLocator(root), dups)


def _located(display: str, line: int, column: int) -> str:
    return f"{display}:{line}:{column}" if line else display
