"""The set of files behind one document, and ``$ref`` resolution between them.

Resolution is lazy and cycle-safe: a ``$ref`` is resolved when a walker reaches it, files are
parsed once, nothing is inlined. A ``$ref`` whose target is itself a ``$ref`` is followed to check
that the chain reaches a value: a cycle, or more than ``MAX_REF_CHAIN`` references in a row, makes
every reference of the chain unresolvable (so no walker can loop). Remote (http/https) references
are fetched only when allowed; a file reference that leaves the root folder, or names a device or
FIFO rather than a file, is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from specforge.document import pointer as jsonpointer
from specforge.document.limits import MAX_REF_CHAIN, REMOTE_TIMEOUT_SECONDS, max_file_bytes
from specforge.document.source import Source, decode_text, parse_source, read_text
from specforge.errors import InputError

REMOTE_SCHEMES = ("http", "https")


class RefError(Exception):
    """A ``$ref`` that cannot be resolved; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where a ``$ref`` leads: the file, the pointer inside it and the value found there."""

    source: Source
    pointer: tuple
    value: Any


def _kept(error: RefError) -> RefError:
    """A copy of ``error`` without traceback or context, to memoise or to raise: a memoised error that
    was raised holds the frames it went through, and they hold this workspace, in a cycle.
    """
    return RefError(*error.args)


def display_path(path: Path) -> str:
    """A path as users want to read it: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


class Workspace:
    """Every file one lint run touches for a root document, keyed by absolute path or URL."""

    def __init__(self, root: Source, location: str, *, root_dir: Path | None = None,
                 allow_remote: bool = False) -> None:
        self.root = root
        self.allow_remote = allow_remote
        self.root_dir = (root_dir or Path(location).parent).resolve() if not _is_remote(location) else None
        self._location_of: dict[int, str] = {id(root): location}
        self._sources: dict[str, Source | RefError] = {location: root}
        self._resolved: dict[tuple[int, str], Target | RefError] = {}
        self._local_paths: dict[tuple[str, str], str] = {}  # (folder, relative ref) -> absolute path

    @property
    def sources(self) -> list[Source]:
        """The files loaded so far (the root first)."""
        return [s for s in self._sources.values() if isinstance(s, Source)]

    def location(self, source: Source) -> str:
        """The absolute path or URL a source was read from."""
        return self._location_of[id(source)]

    def resolve(self, ref: str, base: Source) -> Target:
        """Resolve ``ref`` written in ``base``; raises ``RefError`` with a reason. Memoised."""
        if not isinstance(ref, str):
            raise RefError(f"$ref must be a string, not {type(ref).__name__}")
        key = (id(base), ref)
        known = self._resolved.get(key)
        if known is None:
            try:
                known = self._resolve(ref, base)
                self._check_chain(ref, known)
            except RefError as exc:
                known = _kept(exc)
            self._resolved[key] = known
        if isinstance(known, RefError):
            raise _kept(known)
        return known

    def _check_chain(self, ref: str, target: Target) -> None:
        """Follow a target that is itself a ``$ref``; a cycle or an overlong chain is a ``RefError``."""
        seen = {(id(target.source), target.pointer)}
        hops = [ref]
        current = target
        while isinstance(current.value, dict) and isinstance(current.value.get("$ref"), str):
            hops.append(current.value["$ref"])
            if len(hops) > MAX_REF_CHAIN:
                raise RefError(f"{ref!r}: more than {MAX_REF_CHAIN} $refs in a row without reaching a value")
            try:
                current = self._resolve(hops[-1], current.source)
            except RefError:
                return  # a broken link further on is reported where it is written
            where = (id(current.source), current.pointer)
            if where in seen:
                raise RefError(f"{ref!r}: circular $ref ({' -> '.join(hops)}) never reaches a value")
            seen.add(where)

    def _resolve(self, ref: str, base: Source) -> Target:
        file_part, _, fragment = ref.partition("#")
        source = base if not file_part else self._load(file_part, base)
        if fragment.strip("/") and source.parse_error:
            raise RefError(f"{ref!r}: {source.parse_error}")
        try:
            pointer = jsonpointer.decode(fragment)
        except ValueError as exc:
            raise RefError(str(exc)) from None
        try:
            value = jsonpointer.lookup(source.data, pointer)
        except KeyError:
            raise RefError(f"{ref!r}: '{fragment}' does not exist in {source.path}") from None
        return Target(source, pointer, value)

    def _load(self, file_part: str, base: Source) -> Source:
        try:
            location = self._location(file_part, self._location_of[id(base)])
        except (ValueError, OSError, RuntimeError) as exc:  # a malformed URL, a NUL byte, a name too long
            raise RefError(f"{file_part!r}: not a usable file name or URL ({exc})") from None
        known = self._sources.get(location)
        if known is None:
            known = self._read(location)
            self._sources[location] = known
            if isinstance(known, Source):
                self._location_of[id(known)] = location
        if isinstance(known, RefError):
            raise _kept(known)
        return known

    def _location(self, file_part: str, base_location: str) -> str:
        """The absolute path or URL ``file_part`` names, if it may be read; else ``RefError``."""
        if _is_remote(file_part) or _is_remote(base_location):
            location = urljoin(base_location if _is_remote(base_location) else "", file_part)
            if not _is_remote(location):
                raise RefError(f"{file_part!r}: a remote document cannot refer to local files")
            if not self.allow_remote:
                raise RefError(f"{file_part!r}: remote reference not fetched (pass --allow-remote-refs to allow)")
        else:
            folder = os.path.dirname(base_location)
            known = self._local_paths.get((folder, file_part))
            if known is not None:  # files of one folder refer to the same files: resolve each path once
                return known
            relative = unquote(urlsplit(file_part).path) if file_part.startswith("file:") else unquote(file_part)
            path = (Path(folder) / relative).resolve()
            if self.root_dir is not None and not path.is_relative_to(self.root_dir):
                raise RefError(f"{file_part!r}: refers outside the root folder {display_path(self.root_dir)}"
                               " (widen it with --ref-root)")
            location = self._local_paths[(folder, file_part)] = str(path)
        return location

    def _read(self, location: str) -> Source | RefError:
        display = location if _is_remote(location) else display_path(Path(location))
        try:
            text = _fetch(location) if _is_remote(location) else read_text(Path(location), display, regular_file=True)
        except InputError as exc:
            return RefError(f"cannot read {display if display.isprintable() else repr(display)}: {exc.reason}")
        try:
            return parse_source(text, display)
        except InputError as exc:
            # A non-YAML file (a code sample, a Markdown description) is usable as a whole-file string.
            return Source(display, text, text, "text", parse_error=str(exc))


def _is_remote(location: str) -> bool:
    return urlsplit(location).scheme in REMOTE_SCHEMES


def _fetch(url: str) -> str:
    """Fetch a remote document (only reached when the user allowed remote references)."""
    from http.client import HTTPException
    from urllib.error import URLError
    from urllib.request import urlopen

    limit = max_file_bytes()
    try:
        with urlopen(url, timeout=REMOTE_TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
            raw = response.read(limit + 1)
    except (URLError, OSError, ValueError, HTTPException) as exc:
        raise InputError(url, f"cannot fetch: {exc}") from None
    if len(raw) > limit:
        raise InputError(url, f"remote document is larger than {limit / 2**20:.3g} MiB")
    return decode_text(raw, url)
