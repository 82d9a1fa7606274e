"""The ``specforge`` command. Subcommands are imported only when invoked, so ``specforge lint``
never pays for the mock server's imports.
"""

from __future__ import annotations

import importlib

import click

from specforge import __version__

SUBCOMMANDS: dict[str, str] = {
    "lint": "specforge.cli.lint:lint",
    "rules": "specforge.cli.rules:rules",
    "mock": "specforge.cli.mock:mock",
    "fake": "specforge.fake.cli:fake",
}


class LazyGroup(click.Group):
    """A group whose subcommands are ``module:attr`` strings resolved on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise click.ClickException(f"the {name!r} command is unavailable: {exc}") from None
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="specforge")
def main() -> None:
    """Lint OpenAPI and WSDL contracts, and mock them."""
