"""Load a WSDL file and the local WSDL/XSD files it imports, safely.

Only relative or absolute *file* locations ending in ``.wsdl``, ``.xsd`` or ``.xml`` are read, and
only below the root folder when one is given (``lint`` gives the WSDL's folder or ``--ref-root``);
``http(s)`` locations are recorded as not loaded (nothing is fetched). Every file goes through the
hardened parser, so an imported file with an entity declaration stops the run like the root would.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from specforge.document.limits import MAX_WSDL_FILES
from specforge.document.source import read_text
from specforge.document.workspace import display_path
from specforge.errors import InputError
from specforge.wsdl import namespaces as ns
from specforge.wsdl.model import Import, WsdlDocument
from specforge.wsdl.xml_tree import Element, UnsafeXml, XmlFile

READABLE_SUFFIXES = (".wsdl", ".xsd", ".xml", ".wsdl20")
MAX_FILES = MAX_WSDL_FILES
OUTSIDE_ROOT = "outside the root folder"


def parse_xml(text: str, display: str, location: str) -> XmlFile:
    """Parse one file; unsafe or malformed XML is a one-line ``InputError`` naming file:line:col."""
    try:
        return XmlFile(display, location, text)
    except UnsafeXml as exc:
        raise InputError(f"{display}:{exc.line}:{exc.column}", exc.reason) from None


def load_wsdl(text: str, display: str, path: Path, *, root_dir: Path | None = None) -> WsdlDocument:
    """The WSDL document rooted at ``path`` (its text already read) with its local imports loaded.

    An import leading outside ``root_dir`` (default: the folder of ``path``) is not read (``Import.skipped``
    says so); ``document.root_dir`` keeps the folder for whatever reads more files later (the mock's XSDs).
    """
    root = parse_xml(text, display, str(path.resolve()))
    if root.root.is_(ns.WSDL11, "definitions"):
        version = 1
    elif root.root.is_(ns.WSDL20, "description"):
        version = 2
    else:
        raise InputError(display, f"not a WSDL document (the root element is <{root.root.tag}>, expected "
                                  "wsdl:definitions or wsdl:description)")
    document = WsdlDocument(root, version, files=[root], root_dir=(root_dir or path.resolve().parent).resolve())
    _follow_imports(document, document.root_dir)
    return document


def _follow_imports(document: WsdlDocument, root_dir: Path | None) -> None:
    loaded: dict[str, XmlFile] = {document.root.location: document.root}
    queue = [document.root]
    while queue:
        file = queue.pop(0)
        for imp in _imports_of(file.root, document.wsdl_ns):
            document.imports.append(imp)
            if not imp.location:
                imp.skipped = "no location"
                continue
            try:
                target = _resolve(file.location, imp.location)
            except (ValueError, OSError):  # a malformed URL, a NUL byte, a name too long
                imp.skipped = "invalid location"
                continue
            if target is None:
                imp.skipped = "remote"
                continue
            if root_dir is not None and not target.is_relative_to(root_dir):
                imp.skipped = OUTSIDE_ROOT
                continue
            if target.suffix.lower() not in READABLE_SUFFIXES:
                imp.skipped = "not a .wsdl/.xsd/.xml file"
                continue
            key = str(target)
            if key in loaded:
                imp.target = loaded[key]
                continue
            if not _is_file(target):
                imp.skipped = "missing"
                continue
            if len(loaded) >= MAX_FILES:
                imp.skipped = "too many files"
                continue
            shown = display_path(target)
            imp.target = parse_xml(read_text(target, shown, regular_file=True), shown, key)
            loaded[key] = imp.target
            document.files.append(imp.target)
            queue.append(imp.target)


def _imports_of(root: Element, wsdl_ns: str) -> list[Import]:
    found: list[Import] = []
    if root.ns in (ns.WSDL11, ns.WSDL20):
        for child in root.children:
            if child.ns == wsdl_ns and child.local in ("import", "include"):
                found.append(Import(child, "wsdl", child.get("location")))
        schemas = [s for t in root.findall(wsdl_ns, "types") for s in t.findall(ns.XSD, "schema")]
    elif root.is_(ns.XSD, "schema"):
        schemas = [root]
    else:
        schemas = []
    for schema in schemas:
        for child in schema.children:
            if child.ns == ns.XSD and child.local in ("import", "include", "redefine"):
                location = child.get("schemaLocation")
                if child.local == "import" and not location:
                    continue  # a namespace made known without a file
                found.append(Import(child, child.local, location))
    return found


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (not a folder, device or FIFO); False for unusable names."""
    try:
        return path.is_file()
    except OSError:
        return False


def _resolve(base: str, location: str) -> Path | None:
    parsed = urlparse(location)
    if parsed.scheme in ("http", "https", "ftp"):
        return None
    if parsed.scheme == "file":
        return Path(unquote(parsed.path)).resolve()
    if parsed.scheme and len(parsed.scheme) > 1:
        return None
    return (Path(base).parent / unquote(location.split("#", 1)[0])).resolve()
