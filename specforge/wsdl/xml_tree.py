"""Hardened XML -> a small element tree with line, column and in-scope prefixes per element.

``expat`` with every dangerous feature refused: entity declarations (billion laughs), DTD
internal subsets, external entities (XXE) and external DTDs are rejected with the position of
the offending markup; nesting deeper than ``MAX_DEPTH``, more than ``MAX_XML_ELEMENTS`` elements
or namespace maps past ``MAX_XML_NAMESPACE_ENTRIES`` stop the parse at once. Nothing but the
given text is ever read. Attribute values that hold QNames are resolved with ``Element.qname``.
"""

from __future__ import annotations

import bisect
import re
import xml.parsers.expat as expat
from collections.abc import Iterator
from dataclasses import dataclass, field

from specforge.document.limits import MAX_XML_DEPTH, MAX_XML_ELEMENTS, MAX_XML_NAMESPACE_ENTRIES
from specforge.document.positions import Span

MAX_DEPTH = MAX_XML_DEPTH
XML_NS = "http://www.w3.org/XML/1998/namespace"
_TAG_NAME = re.compile(r"<[^\s/>]+")
_ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")


class UnsafeXml(ValueError):
    """The text is not well-formed or uses a forbidden XML feature; ``line``/``column`` say where."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(f"{line}:{column}: {reason}")
        self.reason = reason
        self.line = line
        self.column = column


@dataclass(eq=False, slots=True)
class Element:
    """One XML element: expanded name, attributes, children, text and where it starts."""

    ns: str
    local: str
    attrs: dict[str, str]  # "{ns}name" for qualified attributes, "name" otherwise
    nsmap: dict[str, str]  # prefixes in scope ("" = default namespace)
    line: int
    column: int
    file: XmlFile
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""
    tag: str = ""  # the name as written (``wsdl:part``), for messages and attribute search

    def is_(self, ns: str | tuple[str, ...], local: str | tuple[str, ...]) -> bool:
        """Whether the element's namespace and local name are (among) the given ones."""
        if not (self.local == local if isinstance(local, str) else self.local in local):
            return False
        return self.ns == ns if isinstance(ns, str) else self.ns in ns

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def find(self, ns: str | tuple[str, ...], local: str | tuple[str, ...]) -> Element | None:
        return next(self.findall(ns, local), None)

    def findall(self, ns: str | tuple[str, ...], local: str | tuple[str, ...]) -> Iterator[Element]:
        return (c for c in self.children if c.is_(ns, local))

    def iter(self) -> Iterator[Element]:
        """The element and all its descendants, in document order."""
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(element.children))

    def qname(self, value: str | None) -> tuple[str, str] | None:
        """Resolve a QName attribute value with this element's prefixes; None if the prefix is unknown."""
        if not value:
            return None
        prefix, _, local = value.strip().rpartition(":")
        if prefix == "xml":
            return (XML_NS, local)
        if prefix not in self.nsmap and prefix:
            return None
        return (self.nsmap.get(prefix, ""), local)

    def attr_qname(self, name: str) -> tuple[str, str] | None:
        return self.qname(self.attrs.get(name))

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.line, self.column + len(self.tag) + 1)

    def attr_span(self, name: str) -> Span:
        """Where attribute ``name`` (as written, e.g. ``location`` or ``wsdl:required``) is; else the element."""
        return self.file.attr_span(self, name)


@dataclass(frozen=True, slots=True)
class Comment:
    """An XML comment: its text, position, the element it sits in and the index of the next sibling."""

    text: str
    line: int
    column: int
    parent: Element | None
    before: int  # index in ``parent.children`` of the element that follows the comment


class XmlFile:
    """A parsed XML file: its display name, absolute location, text, root element and comments."""

    def __init__(self, display: str, location: str, text: str) -> None:
        self.path = display
        self.location = location
        self.text = text
        self._starts: list[int] | None = None
        self.comments: list[Comment] = []
        self._attributes: dict[int, dict[str, int]] = {}  # id(element) -> attribute name -> offset
        self.root: Element = _Builder(self).parse(text)

    def offset(self, line: int, column: int) -> int:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self.offset(1, 1)
        assert self._starts is not None
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def attr_span(self, element: Element, name: str) -> Span:
        candidates = [name] if ":" in name or not name.startswith("{") else []
        if name.startswith("{"):
            ns, _, local = name[1:].partition("}")
            candidates = [f"{p}:{local}" for p, u in element.nsmap.items() if u == ns and p]
        offsets = self._attribute_offsets(element)
        for candidate in candidates:
            offset = offsets.get(candidate)
            if offset is not None:
                line, column = self.position(offset)
                return Span(line, column, line, column + len(candidate))
        return element.span

    def _attribute_offsets(self, element: Element) -> dict[str, int]:
        """Where each attribute name of ``element``'s start tag is written; read once per element (a root
        tag may declare thousands of prefixes, each reported on its own).
        """
        known = self._attributes.get(id(element))
        if known is None:
            known = self._attributes[id(element)] = {}
            name = _TAG_NAME.match(self.text, self.offset(element.line, element.column))
            position = name.end() if name else len(self.text)
            while attribute := _ATTRIBUTE.match(self.text, position):
                known.setdefault(attribute.group(1), attribute.start(1))
                position = attribute.end()
        return known


class _Builder:
    def __init__(self, file: XmlFile) -> None:
        self.file = file
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.pending: dict[str, str] = {}
        self.text_parts: list[list[str]] = []
        self.nodes = 0  # elements and comments so far
        self.namespace_entries = 0  # prefixes in all the namespace maps built so far
        self.prefixes: dict[int, dict[str, str]] = {}  # id(nsmap) -> namespace -> its first non-empty prefix
        p = self.parser
        p.buffer_text = True
        p.ordered_attributes = False
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.data
        p.CommentHandler = self.comment
        p.StartNamespaceDeclHandler = self.namespace
        p.StartDoctypeDeclHandler = self.doctype
        p.EndDoctypeDeclHandler = self.doctype_end
        self.internal_subset = False
        p.EntityDeclHandler = self.entity_declaration
        p.UnparsedEntityDeclHandler = self.entity_declaration
        p.ExternalEntityRefHandler = self.forbid("external XML entities are not allowed")
        p.SkippedEntityHandler = self.forbid("undefined XML entity reference")
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def where(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def fail(self, reason: str) -> None:
        raise UnsafeXml(reason, *self.where())

    def forbid(self, reason: str):  # noqa: ANN202 - an expat callback of any arity
        def handler(*_args: object) -> None:
            self.fail(reason)

        return handler

    def doctype(self, name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        if system_id:
            self.fail_at_doctype("XML external DTDs are not allowed")
        self.internal_subset = bool(has_internal_subset)

    def doctype_end(self) -> None:
        if self.internal_subset:  # no entity declaration in it, but DTDs have no place in WSDL either
            self.fail_at_doctype("XML DTDs with an internal subset are not allowed")

    def entity_declaration(self, *_args: object) -> None:
        here = self.file.offset(*self.where())
        start = self.file.text.rfind("<!ENTITY", 0, here + 1)
        line, column = self.file.position(start) if start >= 0 else self.where()
        raise UnsafeXml("XML entity declarations are not allowed", line, column)

    def fail_at_doctype(self, reason: str) -> None:
        offset = self.file.text.find("<!DOCTYPE")
        line, column = self.file.position(offset) if offset >= 0 else self.where()
        raise UnsafeXml(reason, line, column)

    def namespace(self, prefix: str | None, uri: str | None) -> None:
        self.pending[prefix or ""] = uri or ""

    def parse(self, text: str) -> Element:
        try:
            self.parser.Parse(text, True)
        except expat.ExpatError as exc:
            reason = expat.errors.messages.get(exc.code, str(exc)) if hasattr(exc, "code") else str(exc)
            raise UnsafeXml(f"not well-formed XML ({reason})", exc.lineno, exc.offset + 1) from None
        if self.root is None:
            raise UnsafeXml("no root element", 1, 1)
        return self.root

    def count_node(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_XML_ELEMENTS:
            self.fail(f"more than {MAX_XML_ELEMENTS:,} XML elements and comments are not allowed")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.fail(f"XML nesting deeper than {MAX_DEPTH} levels is not allowed")
        self.count_node()
        line, column = self.where()
        parent = self.stack[-1] if self.stack else None
        nsmap = parent.nsmap if parent else {}
        if self.pending:
            nsmap = {**nsmap, **self.pending}
            self.pending = {}
            self.namespace_entries += len(nsmap)
            if self.namespace_entries > MAX_XML_NAMESPACE_ENTRIES:
                self.fail(f"namespace declarations in scope add up to more than {MAX_XML_NAMESPACE_ENTRIES:,} "
                          "prefix entries")
        ns, _, local = name.rpartition(" ")
        tag = self._written_tag(ns, local, nsmap)
        element = Element(ns, local, {_attr_key(k): v for k, v in attrs.items()}, nsmap, line, column,
                          self.file, parent, tag=tag)
        if parent is None:
            self.root = element
        else:
            parent.children.append(element)
        self.stack.append(element)
        self.text_parts.append([])

    def end(self, name: str) -> None:
        element = self.stack.pop()
        parts = self.text_parts.pop()
        if parts:
            element.text = "".join(parts)

    def comment(self, text: str) -> None:
        self.count_node()
        parent = self.stack[-1] if self.stack else None
        before = len(parent.children) if parent is not None else 0
        self.file.comments.append(Comment(text, *self.where(), parent, before))

    def data(self, text: str) -> None:
        if self.text_parts:
            self.text_parts[-1].append(text)

    def _written_tag(self, ns: str, local: str, nsmap: dict[str, str]) -> str:
        if nsmap.get("") == ns:
            return local
        prefixes = self.prefixes.get(id(nsmap))
        if prefixes is None:  # once per namespace map, not once per element: a map may hold thousands
            prefixes = self.prefixes[id(nsmap)] = {}
            for prefix, uri in nsmap.items():
                if prefix:
                    prefixes.setdefault(uri, prefix)
        written = prefixes.get(ns)
        return f"{written}:{local}" if written else local


def _attr_key(name: str) -> str:
    ns, _, local = name.rpartition(" ")
    return f"{{{ns}}}{local}" if ns else local
