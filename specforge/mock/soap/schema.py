"""The XML Schema of a WSDL's messages: its inline ``xsd:schema`` elements (and the local files they
import) compiled with ``xmlschema``, with remote locations refused.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from xml.sax.saxutils import escape, quoteattr

from specforge.wsdl.loader import READABLE_SUFFIXES
from specforge.wsdl.model import WsdlDocument
from specforge.wsdl.xml_tree import Element

_REFUSED = "urn:specforge:not-a-schema-file"


class SchemaUnavailable(Exception):
    """The contract's schemas cannot be compiled (the mock then answers with bare elements)."""


def build_schema(document: WsdlDocument, notes: list[str] | None = None) -> Any:
    """One ``xmlschema.XMLSchema`` holding every inline schema of the contract (lax: gaps are tolerated).

    Imports that cannot be loaded (remote ones are never fetched, none outside ``document.root_dir``) are
    appended to ``notes``. Raises ``SchemaUnavailable`` with a one-line reason when ``xmlschema`` cannot
    build the schemas at all.
    """
    import xmlschema

    sources = [(serialize(schema), Path(schema.file.location).parent) for schema in document.inline_schemas]
    if not sources:
        return None
    texts: list[Any] = [text for text, _ in sources]
    base = sources[0][1]
    opener = rooted_opener(document.root_dir)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", xmlschema.XMLSchemaImportWarning)
            schema = xmlschema.XMLSchema(texts, base_url=str(base) + "/", validation="lax", allow="local",
                                         defuse="always", use_fallback=True, uri_mapper=only_schema_files,
                                         opener=opener)
        if notes is not None:
            notes.extend(str(w.message).splitlines()[0] for w in caught)
        return schema
    except (xmlschema.XMLSchemaException, OSError, ValueError, AssertionError, AttributeError, KeyError,
            TypeError, RecursionError) as exc:  # xmlschema asserts on some SOAP-encoded schemas
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SchemaUnavailable(f"{document.root.path}: its XML Schema types cannot be compiled ({reason})") from None


def only_schema_files(uri: str) -> str:
    """Locations xmlschema may open: the same ``.xsd``/``.wsdl``/``.xml`` files the WSDL loader reads."""
    path = urlparse(uri).path if "://" in uri else uri
    return uri if path.lower().endswith(READABLE_SUFFIXES) else _REFUSED


class _RootedFiles(urllib.request.FileHandler):
    """``file:`` URLs only, and with a root only the files below it (xmlschema maps locations before it
    resolves them, so the mapper sees relative ones; the opener sees every URL absolute).
    """

    def __init__(self, root_dir: Path | None) -> None:
        super().__init__()
        self.root_dir = root_dir

    def file_open(self, req: urllib.request.Request) -> Any:
        path = Path(urllib.request.url2pathname(req.selector)).resolve()
        if self.root_dir is not None and not path.is_relative_to(self.root_dir):
            raise urllib.error.URLError(f"{path} is outside the root folder {self.root_dir} (see --ref-root)")
        return super().file_open(req)


def rooted_opener(root_dir: Path | None) -> urllib.request.OpenerDirector:
    """An opener for xmlschema that reads local files (below ``root_dir`` when given) and nothing else."""
    opener = urllib.request.OpenerDirector()
    opener.add_handler(_RootedFiles(root_dir))
    opener.add_handler(urllib.request.UnknownHandler())  # http(s) and the rest: "unknown url type"
    return opener


def serialize(element: Element, parent_map: dict[str, str] | None = None) -> str:
    """XML text of ``element`` with every namespace prefix in scope declared (QName values stay resolvable)."""
    parts: list[str] = []
    _write(element, parent_map or {}, parts)
    return "".join(parts)


def _write(element: Element, inherited: dict[str, str], out: list[str]) -> None:
    declared = {p: u for p, u in element.nsmap.items() if inherited.get(p) != u or p not in inherited}
    out.append("<" + element.tag)
    for prefix, uri in declared.items():
        out.append(f" xmlns:{prefix}={quoteattr(uri)}" if prefix else f" xmlns={quoteattr(uri)}")
    for key, value in element.attrs.items():
        out.append(f" {_attr_name(element, key)}={quoteattr(value)}")
    if not element.children and not element.text:
        out.append("/>")
        return
    out.append(">")
    if element.text and not element.children:
        out.append(escape(element.text))
    for child in element.children:
        _write(child, element.nsmap, out)
    out.append(f"</{element.tag}>")


def _attr_name(element: Element, key: str) -> str:
    if not key.startswith("{"):
        return key
    uri, _, local = key[1:].partition("}")
    if uri == "http://www.w3.org/XML/1998/namespace":
        return f"xml:{local}"
    for prefix, bound in element.nsmap.items():
        if bound == uri and prefix:
            return f"{prefix}:{local}"
    return local
