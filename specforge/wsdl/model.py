"""A loaded WSDL contract: its files, imports and indexes of the named definitions rules ask about.

WSDL 1.1 (``definitions``: message, portType, binding, service) and WSDL 2.0 (``description``:
interface, binding, service/endpoint) share one object; ``version`` says which. Names are
``(namespace, local)`` pairs, so references resolve the same way however they are prefixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from specforge.lint.model import Problem
from specforge.wsdl import namespaces as ns
from specforge.wsdl.xml_tree import Element, XmlFile

QName = tuple[str, str]


@dataclass(eq=False)
class Import:
    """A ``wsdl:import``/``xsd:import``/``xsd:include``: where it points and what was loaded."""

    element: Element
    kind: str  # "wsdl" | "import" | "include" | "redefine"
    location: str | None
    target: XmlFile | None = None
    skipped: str | None = None  # why nothing was loaded: "remote", "missing", "no location"...


@dataclass(eq=False)
class WsdlDocument:
    """The root file, every file reached through imports, and lookups over their definitions."""

    root: XmlFile
    version: int  # 1 (WSDL 1.1) or 2 (WSDL 2.0)
    files: list[XmlFile] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    root_dir: Path | None = None  # imports are read only below it (None: anywhere, for in-memory tests)
    _memo: dict[tuple[str, str], object] = field(default_factory=dict, repr=False)

    @property
    def wsdl_ns(self) -> str:
        return ns.WSDL11 if self.version == 1 else ns.WSDL20

    @cached_property
    def definitions(self) -> list[Element]:
        """The ``definitions``/``description`` elements: the root's first, then imported WSDLs'."""
        return [f.root for f in self.files if f.root.is_(self.wsdl_ns, self._top_name)]

    @property
    def _top_name(self) -> str:
        return "definitions" if self.version == 1 else "description"

    def top(self, local: str) -> list[Element]:
        """Top-level WSDL elements named ``local`` across all WSDL files."""
        found = self._memo.get(("top", local))
        if found is None:
            found = self._memo[("top", local)] = [c for d in self.definitions for c in d.findall(self.wsdl_ns, local)]
        return found  # type: ignore[return-value]

    def named(self, local: str) -> dict[QName, Element]:
        """Top-level WSDL definitions of a kind by ``(targetNamespace, name)``; the first one wins."""
        cached = self._memo.get(("named", local))
        if cached is None:
            found: dict[QName, Element] = {}
            for element in self.top(local):
                found.setdefault((target_namespace(element), element.get("name") or ""), element)
            cached = self._memo[("named", local)] = found
        return cached  # type: ignore[return-value]

    @cached_property
    def inline_schemas(self) -> list[Element]:
        """``xsd:schema`` elements inside ``types`` of every WSDL file."""
        return [s for t in self.top("types") for s in t.findall(ns.XSD, "schema")]

    @cached_property
    def schemas(self) -> list[Element]:
        """Every schema: inline ones and the roots of imported XSD files."""
        external = [f.root for f in self.files if f.root.is_(ns.XSD, "schema")]
        return self.inline_schemas + external

    def xsd_globals(self, local: str) -> dict[QName, Element]:
        """Global schema components (``element``, ``complexType``, ``simpleType``, ...) by QName."""
        return self._xsd_index.get(local, {})

    @cached_property
    def _xsd_index(self) -> dict[str, dict[QName, Element]]:
        index: dict[str, dict[QName, Element]] = {}
        for schema in self.schemas:
            tns = schema.get("targetNamespace") or ""
            for child in _schema_children(schema):
                if child.ns == ns.XSD and child.get("name"):
                    index.setdefault(child.local, {}).setdefault((tns, child.get("name") or ""), child)
        return index

    def has_type(self, name: QName) -> bool:
        return name in self.xsd_globals("complexType") or name in self.xsd_globals("simpleType")

    @cached_property
    def opaque_namespaces(self) -> frozenset[str]:
        """Namespaces of imports that were not loaded (remote or missing): their names cannot be checked."""
        names = set()
        for imp in self.imports:
            if imp.target is None:
                names.add(imp.element.get("namespace") or "")
        for schema in self.schemas:  # xsd:import without schemaLocation: a namespace known elsewhere
            for child in schema.findall(ns.XSD, "import"):
                if not child.get("schemaLocation"):
                    names.add(child.get("namespace") or "")
        names.discard("")
        return frozenset(names)

    def resolvable(self, name: QName, kind: str) -> bool:
        """Whether a QName of ``kind`` (message, portType, binding, interface, element, type) is defined."""
        if name[0] in ns.BUILTIN or name[0] in self.opaque_namespaces:
            return True
        if kind == "element":
            return name in self.xsd_globals("element")
        if kind == "type":
            return self.has_type(name)
        return name in self.named(kind)


def _schema_children(schema: Element) -> Iterator[Element]:
    for child in schema.children:
        if child.is_(ns.XSD, "redefine"):
            yield from child.children
        else:
            yield child


def target_namespace(element: Element) -> str:
    """The ``targetNamespace`` of the nearest definitions/description/schema ancestor."""
    node: Element | None = element
    while node is not None:
        if node.local in ("definitions", "description", "schema") and "targetNamespace" in node.attrs:
            return node.attrs["targetNamespace"]
        node = node.parent
    return ""


def element_path(element: Element) -> tuple[str, ...]:
    """A readable path of ``local[name]`` steps from the root (the finding's pointer)."""
    steps: list[str] = []
    node: Element | None = element
    while node is not None:
        name = node.get("name")
        steps.append(f"{node.local}[{name}]" if name else node.local)
        node = node.parent
    return tuple(reversed(steps))


def problem(element: Element, message: str, attr: str | None = None) -> Problem:
    """A problem at ``element`` (or at its attribute ``attr`` when present)."""
    span = element.attr_span(attr) if attr else element.span
    return Problem(message, element_path(element), source=element.file, span=span)
