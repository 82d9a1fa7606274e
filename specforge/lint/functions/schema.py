"""``schema``: the value must validate against a JSON Schema given in the options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.context import MISSING, Context
from specforge.lint.functions import skips_missing, with_options
from specforge.lint.model import Problem

_SCHEMA = {
    "type": "object",
    "required": ["schema"],
    "properties": {
        "schema": {"type": ["object", "boolean"]},
        "dialect": {"enum": ["auto", "draft4", "draft6", "draft7", "draft2019-09", "draft2020-12"]},
        "allErrors": {"type": "boolean"},
    },
    "additionalProperties": False,
}
_validators: dict[int, Any] = {}


def _validator(schema: Any, dialect: str | None) -> Any:
    import jsonschema_rs

    key = id(schema)
    found = _validators.get(key)
    if found is None:
        cls = {
            "draft4": jsonschema_rs.Draft4Validator,
            "draft6": jsonschema_rs.Draft6Validator,
            "draft7": jsonschema_rs.Draft7Validator,
            "draft2019-09": jsonschema_rs.Draft201909Validator,
            "draft2020-12": jsonschema_rs.Draft202012Validator,
        }.get(dialect or "auto")
        found = cls(schema) if cls else jsonschema_rs.validator_for(schema)
        _validators[key] = (schema, found)  # keep the schema alive so its id stays unique
        return found
    return found[1]


@skips_missing
@with_options(_SCHEMA)
def schema(value: Any, options: dict, ctx: Context) -> Iterator[Problem]:
    """Report each place where ``value`` breaks the schema (the first only, unless ``allErrors``)."""
    if value is MISSING:
        return
    validator = _validator(options["schema"], options.get("dialect"))
    for error in validator.iter_errors(value):
        yield Problem(error.message, tuple(error.instance_path))
        if not options.get("allErrors"):
            return
