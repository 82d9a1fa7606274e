"""XSD components (``xmlschema``) -> schema-valid, realistic XML instances.

Walks the component model: sequences, choices and ``all`` groups with min/maxOccurs, complex and
simple content, attributes, nillable elements, substitution groups and abstract types (``xsi:type``).
Simple values honour enumerations, patterns, lengths, ranges and digits, are checked with the type's
own validator and retried; strings are realistic via the Faker name hints the JSON generator uses.
"""

from __future__ import annotations

import base64
import math
import random
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from specforge.wsdl.namespaces import XSD, XSI

MAX_DEPTH = 8  # beyond it optional content is left out
HARD_DEPTH = 24  # beyond it even required content stops (recursive types)
_WORDS = ("alpha", "bravo", "delta", "harbor", "maple", "orbit", "quartz", "river", "solar", "tango", "violet")


@dataclass
class Node:
    """An element to write: expanded name, attributes (expanded names), text or children."""

    name: str  # "{ns}local" or "local"
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str | None = None


def split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def to_xml(nodes: list[Node], prefixes: dict[str, str] | None = None) -> str:
    """Serialise sibling nodes; every namespace is declared on each top node with a stable prefix."""
    out: list[str] = []
    for node in nodes:
        used: dict[str, str] = dict(prefixes or {})
        _collect(node, used)
        body: list[str] = []
        _write(node, used, body, declare=True)
        out.append("".join(body))
    return "".join(out)


def _collect(node: Node, used: dict[str, str]) -> None:
    for name in [node.name, *node.attrs]:
        ns, _ = split(name)
        if ns and ns not in used:
            used[ns] = f"ns{len(used)}"
    for value_ns in re.findall(r"^\{([^}]*)\}", node.attrs.get(f"{{{XSI}}}type", "")):
        used.setdefault(value_ns, f"ns{len(used)}")
    for child in node.children:
        _collect(child, used)


def _qualified(name: str, used: dict[str, str]) -> str:
    ns, local = split(name)
    return f"{used[ns]}:{local}" if ns else local


def _write(node: Node, used: dict[str, str], out: list[str], declare: bool) -> None:
    tag = _qualified(node.name, used)
    out.append("<" + tag)
    if declare:
        for ns, prefix in used.items():
            out.append(f" xmlns:{prefix}={quoteattr(ns)}")
    for key, value in node.attrs.items():
        if key == f"{{{XSI}}}type" and value.startswith("{"):
            value = _qualified(value, used)
        out.append(f" {_qualified(key, used)}={quoteattr(value)}")
    if node.text is None and not node.children:
        out.append("/>")
        return
    out.append(">")
    if node.text is not None:
        out.append(escape(node.text))
    for child in node.children:
        _write(child, used, out, declare=False)
    out.append(f"</{tag}>")


class InstanceGenerator:
    """Generate ``Node`` trees for global elements or types of one compiled schema."""

    def __init__(self, schema: Any, rng: random.Random) -> None:
        self.schema = schema
        self.rng = rng

    def element(self, qname: tuple[str, str]) -> Node | None:
        """An instance of the global element ``qname``; None when the schema does not declare it."""
        component = self.schema.maps.elements.get(_expanded(qname)) if self.schema is not None else None
        if component is None:
            return None
        return self._element(component, 0)

    def typed(self, name: str, type_qname: tuple[str, str] | None) -> Node:
        """An element called ``name`` whose content is the named type (rpc parts)."""
        xsd_type = self._type(type_qname)
        node = Node(name)
        if xsd_type is None:
            node.text = self._word(name)
            return node
        self._fill(node, xsd_type, name, 0)
        return node

    def _type(self, qname: tuple[str, str] | None) -> Any:
        if qname is None or self.schema is None:
            return None
        return self.schema.maps.types.get(_expanded(qname))

    # -- elements and content ------------------------------------------------------------------------------
    def _element(self, element: Any, depth: int) -> Node:
        if element.ref is not None:
            element = element.ref
        if element.abstract:
            members = [m for m in self._substitutes(element) if not m.abstract]
            if members:
                element = self.rng.choice(members)
        node = Node(element.name)
        if element.fixed is not None:
            node.text = element.fixed
            return node
        if element.nillable and depth > 1 and self.rng.random() < 0.1:
            node.attrs[f"{{{XSI}}}nil"] = "true"
            return node
        self._fill(node, element.type, _local(element.name), depth)
        return node

    def _wildcard(self, wildcard: Any) -> Node:
        """Content for a required ``xs:any``: a declared simple element it admits, else a lax stand-in."""
        for candidate in self.schema.maps.elements.values():
            ns = split(candidate.name)[0]
            if candidate.type.is_simple() and not candidate.abstract and wildcard.is_namespace_allowed(ns):
                return Node(candidate.name, text=self.simple_value(candidate.type, _local(candidate.name)))
        namespace = next((n for n in ("urn:specforge:any", "") if wildcard.is_namespace_allowed(n)), "")
        return Node(f"{{{namespace}}}value" if namespace else "value", text="value")

    def _substitutes(self, element: Any) -> list[Any]:
        groups = getattr(self.schema.maps, "substitution_groups", {})
        return list(groups.get(element.name, ()))

    def _fill(self, node: Node, xsd_type: Any, name: str, depth: int) -> None:
        if getattr(xsd_type, "abstract", False) and xsd_type.is_complex():
            concrete = self._concrete_subtype(xsd_type)
            if concrete is not None:
                node.attrs[f"{{{XSI}}}type"] = concrete.name
                xsd_type = concrete
        if xsd_type.is_simple():
            node.text = self.simple_value(xsd_type, name)
            return
        for attr_name, attribute in (xsd_type.attributes or {}).items():
            if attr_name is None or not isinstance(attr_name, str):
                continue  # anyAttribute wildcard
            if attribute.use == "prohibited":
                continue
            if attribute.use == "required" or self.rng.random() < 0.5:
                if attribute.fixed is not None:
                    node.attrs[attr_name] = attribute.fixed
                elif attribute.type is not None:
                    node.attrs[attr_name] = self.simple_value(attribute.type, _local(attr_name))
        if xsd_type.has_simple_content():
            node.text = self.simple_value(xsd_type.content, name)
            return
        content = xsd_type.content
        if content is None or xsd_type.is_empty():
            return
        if hasattr(content, "model"):
            node.children.extend(self._group(content, depth + 1))
        else:  # anyType and similar
            node.text = self._word(name)

    def _concrete_subtype(self, xsd_type: Any) -> Any:
        for candidate in self.schema.maps.types.values():
            if candidate is not xsd_type and not getattr(candidate, "abstract", False) and \
                    hasattr(candidate, "is_derived") and candidate.is_complex() and candidate.is_derived(xsd_type):
                return candidate
        return None

    def _group(self, group: Any, depth: int) -> list[Node]:
        out: list[Node] = []
        for _ in range(self._count(group, depth)):
            if group.model == "choice":
                branches = [p for p in group if not _is_wildcard(p)]
                if not branches:
                    continue
                simple = [p for p in branches if _is_simple_particle(p)] if depth >= MAX_DEPTH else []
                out.extend(self._particle(self.rng.choice(simple or branches), depth))
            else:
                for particle in group:
                    out.extend(self._particle(particle, depth))
        return out

    def _particle(self, particle: Any, depth: int) -> list[Node]:
        if _is_wildcard(particle):
            return [self._wildcard(particle) for _ in range(particle.min_occurs)]
        if hasattr(particle, "model"):
            return self._group(particle, depth)
        return [self._element(particle, depth) for _ in range(self._count(particle, depth))]

    def _count(self, particle: Any, depth: int) -> int:
        low = particle.min_occurs
        high = particle.max_occurs
        if depth >= HARD_DEPTH:
            return low if depth < HARD_DEPTH + 4 else 0
        if depth >= MAX_DEPTH:
            return low
        cap = low + 2 if high is None else min(high, low + 2)
        if low == 0 and self.rng.random() < 0.3:
            return 0
        return self.rng.randint(max(low, 1 if cap >= 1 else 0), max(cap, low))

    # -- simple values -----------------------------------------------------------------------------------------
    def simple_value(self, xsd_type: Any, name: str) -> str:
        """A lexical value of a simple type that its validator accepts (best effort after retries)."""
        enumeration = getattr(xsd_type, "enumeration", None)
        if enumeration:
            return _lexical(self.rng.choice(list(enumeration)))
        candidate = ""
        for attempt in range(24):
            candidate = self._candidate(xsd_type, name, attempt)
            if _valid(xsd_type, candidate):
                return candidate
        return candidate

    def _candidate(self, xsd_type: Any, name: str, attempt: int) -> str:
        if xsd_type.is_list():
            item = _item_type(xsd_type)
            if item is None:
                return self._word(name)
            return " ".join(self.simple_value(item, name) for _ in range(self.rng.randint(1, 3)))
        if xsd_type.is_union():
            members = list(getattr(xsd_type, "member_types", ()))
            return self.simple_value(self.rng.choice(members), name) if members else self._word(name)
        patterns = getattr(xsd_type, "patterns", None)
        builtin_type = bool(xsd_type.name) and xsd_type.name.startswith(f"{{{XSD}}}")
        if patterns is not None and patterns.regexps and not builtin_type:
            text = self._from_pattern(patterns.regexps[attempt % len(patterns.regexps)], xsd_type)
            if text is not None:
                return text
        primitive = getattr(xsd_type, "primitive_type", None)
        local = _local(primitive.name) if primitive is not None and primitive.name else "string"
        builtin = _builtin_name(xsd_type) or local
        return self._primitive(local, builtin, xsd_type, name, attempt)

    def _from_pattern(self, pattern: str, xsd_type: Any) -> str | None:
        from specforge.fake.regex import RegexStrings

        translated = "^(?:" + pattern.replace(r"\i", "[A-Za-z_:]").replace(r"\c", r"[-.\w:]") + ")$"
        try:
            strings = RegexStrings(translated)
        except (re.error, ValueError, OverflowError, RecursionError):  # not readable by Python: other strategies
            return None
        low = getattr(xsd_type, "min_length", None) or 0
        high = getattr(xsd_type, "max_length", None)
        return strings.sample(self.rng, low, high)

    def _primitive(self, local: str, builtin: str, xsd_type: Any, name: str, attempt: int) -> str:
        rng = self.rng
        if local == "boolean":
            return rng.choice(("true", "false"))
        if local in ("decimal", "float", "double"):
            return self._number(local, builtin, xsd_type, name, attempt)
        if local == "dateTime":
            return f"{rng.randint(2015, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T" \
                   f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
        if local == "date":
            return f"{rng.randint(2015, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if local == "time":
            return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        if local == "duration":
            return f"P{rng.randint(0, 3)}DT{rng.randint(0, 23)}H"
        if local in ("gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay"):
            year, month, day = rng.randint(2000, 2030), rng.randint(1, 9), rng.randint(10, 19)
            return {"gYear": f"{year}", "gYearMonth": f"{year}-0{month}", "gMonth": f"--0{month}",
                    "gDay": f"---{day}", "gMonthDay": f"--0{month}-{day}"}[local]
        if local == "base64Binary":
            return base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.randint(3, 12)))).decode()
        if local == "hexBinary":
            return "".join(f"{rng.randrange(256):02X}" for _ in range(rng.randint(2, 8)))
        if local == "anyURI":
            return f"https://example.com/{self._word(name).replace(' ', '-').lower()}"
        if local in ("QName", "NOTATION"):
            return "item"
        return self._string(builtin, xsd_type, name, attempt)

    def _number(self, local: str, builtin: str, xsd_type: Any, name: str, attempt: int) -> str:
        from specforge.fake.hints import number_hint

        lo, hi = _bounds(xsd_type, number_hint(name))
        if attempt > 12:
            hi = min(hi, lo + 9)
        integral = builtin not in ("decimal", "float", "double") or _fraction_digits(xsd_type) == 0
        if integral:
            return str(self.rng.randint(math.ceil(lo), max(math.ceil(lo), math.floor(hi))))
        value = self.rng.uniform(lo, hi)
        digits = _fraction_digits(xsd_type)
        return f"{value:.{2 if digits is None else min(digits, 2)}f}"

    def _string(self, builtin: str, xsd_type: Any, name: str, attempt: int) -> str:
        low = getattr(xsd_type, "min_length", None) or 0
        high = getattr(xsd_type, "max_length", None)
        exact = getattr(xsd_type, "length", None)
        if exact is not None:
            low = high = exact
        text = self._word(name) if attempt < 8 else "".join(self.rng.choice(_WORDS))
        if builtin in ("NCName", "Name", "ID", "IDREF", "NMTOKEN", "ENTITY", "language", "token") or attempt >= 4:
            text = re.sub(r"[^A-Za-z0-9]", "", text) or "value"
            if builtin == "language":
                text = self.rng.choice(("en", "fr", "de", "en-GB"))
        while len(text) < low:
            text += self.rng.choice(_WORDS)
        if high is not None:
            text = text[:high].rstrip() or "x" * max(1, min(high, max(low, 1)))
        return text

    def _word(self, name: str) -> str:
        from specforge.fake.hints import pool, string_hint

        hint = string_hint(name)
        if hint and hint[0] == "faker":
            values = [v for v in pool("en_US", hint[1]) if isinstance(v, str)]
            if values:
                return self.rng.choice(values)
        if hint and hint[0] == "format" and hint[1] == "email":
            return f"{self.rng.choice(_WORDS)}@example.com"
        return f"{self.rng.choice(_WORDS)} {self.rng.choice(_WORDS)}"


def _expanded(qname: tuple[str, str]) -> str:
    return f"{{{qname[0]}}}{qname[1]}" if qname[0] else qname[1]


def _local(name: str | None) -> str:
    return split(name or "")[1]


def _item_type(xsd_type: Any) -> Any:
    current = xsd_type
    for _ in range(64):
        if current is None or getattr(current, "item_type", None) is not None:
            return getattr(current, "item_type", None)
        current = getattr(current, "base_type", None)
    return None


def _builtin_name(xsd_type: Any) -> str | None:
    """The local name of the nearest built-in XSD type this type derives from (``int``, ``token``...)."""
    current = xsd_type
    for _ in range(64):
        if current is None:
            return None
        name = getattr(current, "name", None)
        if name and name.startswith(f"{{{XSD}}}"):
            return _local(name)
        current = getattr(current, "base_type", None)
    return None


def _is_wildcard(particle: Any) -> bool:
    return type(particle).__name__ in ("XsdAnyElement", "Xsd11AnyElement")


def _is_simple_particle(particle: Any) -> bool:
    return not hasattr(particle, "model") and getattr(particle, "type", None) is not None and particle.type.is_simple()


def _valid(xsd_type: Any, text: str) -> bool:
    try:
        return bool(xsd_type.is_valid(text))
    except (ValueError, TypeError, ArithmeticError, LookupError):  # undecidable counts as "not valid": retry
        return False


def _lexical(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fraction_digits(xsd_type: Any) -> int | None:
    facet = getattr(xsd_type, "facets", {}).get(f"{{{XSD}}}fractionDigits")
    return int(facet.value) if facet is not None else None


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _bounds(xsd_type: Any, hint: tuple[float, float, int] | None) -> tuple[float, float]:
    """A small, realistic range inside the type's own bounds (name hints first, else 0..1000)."""
    low, high = _finite(getattr(xsd_type, "min_value", None)), _finite(getattr(xsd_type, "max_value", None))
    base_low, base_high = (hint[0], hint[1]) if hint else (0.0, 1000.0)
    lo = max(base_low, low) if low is not None else base_low
    hi = min(base_high, high) if high is not None else base_high
    if lo > hi:
        if low is not None and (high is None or low <= high):
            lo, hi = low, low + 1000 if high is None else min(high, low + 1000)
        else:
            assert high is not None
            lo, hi = (high - 1000 if low is None else max(low, high - 1000)), high
    return lo, hi
