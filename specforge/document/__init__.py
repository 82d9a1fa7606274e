"""Bytes -> documents: parsing with positions, version detection, ``$ref`` resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specforge.document import versions
from specforge.document.source import Source, parse_source, read_text
from specforge.document.workspace import RefError, Target, Workspace, display_path
from specforge.errors import InputError

__all__ = ["Document", "RefError", "Source", "Target", "Workspace", "load_spec", "read_text", "parse_source"]


@dataclass(eq=False)
class Document:
    """An OpenAPI document: its root file, the files it refers to, and its format (``oas2``, ``oas3.1``...)."""

    workspace: Workspace
    format: str
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # per-document memo for checks

    @property
    def root(self) -> Source:
        return self.workspace.root

    @property
    def data(self) -> Any:
        return self.workspace.root.data


def looks_like_xml(text: str) -> bool:
    """True when the text starts like an XML document (after a BOM and whitespace)."""
    return text.lstrip()[:1] == "<"


def load_spec(path: str | Path, *, root_dir: Path | None = None, allow_remote: bool = False,
              display: str | None = None) -> Document:
    """Load an OpenAPI document from ``path``; every failure is a one-line ``InputError``."""
    file = Path(path)
    shown = display or display_path(file)
    text = read_text(file, shown)
    if looks_like_xml(text):
        raise InputError(shown, "is an XML document, not OpenAPI (WSDL files are linted by the WSDL loader)")
    return document_from_text(text, shown, str(file.resolve()), root_dir=root_dir, allow_remote=allow_remote)


def document_from_text(text: str, display: str, location: str, *, root_dir: Path | None = None,
                       allow_remote: bool = False) -> Document:
    """Build a document from text already read (``location`` is its absolute path or URL)."""
    source = parse_source(text, display)
    fmt = versions.detect(source.data)
    if fmt is None:
        raise InputError(display, _not_openapi_reason(source.data))
    workspace = Workspace(source, location, root_dir=root_dir, allow_remote=allow_remote)
    return Document(workspace, fmt)


def _not_openapi_reason(data: Any) -> str:
    if isinstance(data, dict) and "openapi" in data:
        return f"unsupported OpenAPI version {data['openapi']!r} (expected 3.0, 3.1 or 3.2)"
    if isinstance(data, dict) and "swagger" in data:
        return f"unsupported Swagger version {data['swagger']!r} (expected 2.0)"
    if isinstance(data, dict) and "asyncapi" in data:
        return "is an AsyncAPI document, not OpenAPI"
    return "not an OpenAPI or WSDL document (no 'openapi' or 'swagger' key at the top)"
