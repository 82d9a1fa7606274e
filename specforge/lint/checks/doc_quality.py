"""Documentation quality beyond presence: reusable components explain themselves, and
descriptions are written for their place rather than copied from another.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import Context
from specforge.lint.functions import with_options
from specforge.lint.model import Problem

_OAS3_SECTIONS = ("schemas", "parameters", "requestBodies", "responses", "headers", "securitySchemes")
_OAS2_SECTIONS = ("definitions", "parameters", "responses", "securityDefinitions")
_DESCRIBED_KINDS = ("Info", "Tag", "Operation", "Parameter", "RequestBody", "Response", "Header", "Schema",
                    "SecurityScheme")


@with_options({
    "type": ["object", "null"],
    "properties": {"sections": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    "additionalProperties": False,
})
def component_description(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Each reusable component (3.x ``components``, 2.0 ``definitions``/``parameters``/``responses``)
    has a non-empty ``description`` (references to elsewhere are skipped).
    """
    if not isinstance(value, dict):
        return
    if ctx.node.kind == "Root" and ctx.format != "oas2":
        return
    sections: tuple[str, ...] = _OAS2_SECTIONS if ctx.node.kind == "Root" else _OAS3_SECTIONS
    wanted = (options or {}).get("sections")
    for section in sections:
        entries = value.get(section)
        if not isinstance(entries, dict) or (wanted and section not in wanted):
            continue
        for name, component in entries.items():
            if not isinstance(component, dict) or "$ref" in component or str(name).startswith("x-"):
                continue
            description = component.get("description")
            if not (isinstance(description, str) and description.strip()):
                yield Problem(f'Component "{name}" in "{section}" has no description', (section, name),
                              at_key=True)


@with_options({
    "type": ["object", "null"],
    "properties": {"minLength": {"type": "integer", "minimum": 1}},
    "additionalProperties": False,
})
def description_duplication(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """A ``description`` (or operation ``summary``) identical to an earlier one of at least
    ``minLength`` characters (default 30; short texts like "Not found" repeat legitimately).
    """
    assert ctx.index is not None
    min_length = (options or {}).get("minLength", 30)
    occurrences: dict[tuple[str, str], list[tuple[Any, tuple]]] = {}
    for kind in _DESCRIBED_KINDS:
        for node in ctx.index.nodes(kind):
            if not isinstance(node.value, dict):
                continue
            for field in ("description", "summary") if kind == "Operation" else ("description",):
                text = node.value.get(field)
                if isinstance(text, str) and len(text.strip()) >= min_length:
                    occurrences.setdefault((field, text.strip()), []).append((node.source, node.pointer + (field,)))
    for (field, _), places in occurrences.items():
        if len(places) < 2:
            continue
        places.sort(key=lambda place: (place[0] is not ctx.document.root, place[0].path,
                                       place[0].span(place[1]).line))
        first_source, first_pointer = places[0]
        first_line = first_source.span(first_pointer).line
        for source, pointer in places[1:]:
            where = f"line {first_line}" if source is first_source else f"{first_source.path}:{first_line}"
            yield Problem(f'This {field} repeats the one at {where}; describe what is specific here',
                          pointer, source=source)
