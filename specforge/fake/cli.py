"""``specforge fake SPEC --schema '#/components/schemas/Pet'``: print generated instances as JSON lines."""

from __future__ import annotations

import random
import sys

import click

from specforge.errors import SpecforgeError
from specforge.schema.errors import UnsatisfiableSchema

_DIALECTS = {"oas2": "oas2", "oas3.0": "oas3.0", "oas3.1": "oas3.1", "oas3.2": "oas3.1"}


class FakeError(click.ClickException):
    """Bad input for ``specforge fake``: a one-line message and exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # type: ignore[override]
        click.echo(f"specforge: error: {self.format_message()}", err=True, file=file)


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False, path_type=str))
@click.option("-s", "--schema", "pointer", required=True, metavar="POINTER",
              help="JSON pointer of the schema in SPEC, e.g. '#/components/schemas/Pet'.")
@click.option("-n", "--count", type=click.IntRange(min=1), default=1, show_default=True, help="Instances to print.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed prints the same data.")
@click.option("--direction", type=click.Choice(["request", "response"]), default="response", show_default=True,
              help="Omit readOnly (request) or writeOnly (response) properties.")
@click.option("--locale", default="en_US", show_default=True, help="Faker locale for realistic values.")
def fake(spec: str, pointer: str, count: int, seed: int, direction: str, locale: str) -> None:
    """Print COUNT schema-valid instances of a schema of SPEC, one JSON document per line."""
    import orjson

    from specforge.document import load_spec
    from specforge.document.pointer import decode, lookup
    from specforge.fake import Generator

    try:
        document = load_spec(spec)
    except SpecforgeError as exc:
        raise FakeError(str(exc)) from None
    data = document.data
    fragment = pointer[1:] if pointer.startswith("#") else pointer
    try:
        schema = lookup(data, decode(fragment))
    except (KeyError, ValueError):
        raise FakeError(f"{spec}: no schema at {pointer!r}") from None
    if not isinstance(schema, (dict, bool)):
        raise FakeError(f"{spec}: {pointer!r} is not a schema")

    def resolve(ref: str) -> object:
        return document.workspace.resolve(ref, document.root).value

    generator = Generator(data, dialect=_DIALECTS.get(document.format, "oas3.0"), locale=locale, resolve=resolve)
    rng = random.Random(seed)
    out = sys.stdout.buffer
    try:
        make = generator.compile(schema, direction=direction)
        for _ in range(count):
            out.write(orjson.dumps(make(rng)) + b"\n")
    except UnsatisfiableSchema as exc:
        raise FakeError(f"{spec}: {pointer}: cannot generate: {exc}") from None
    out.flush()
