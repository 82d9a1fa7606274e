"""``specforge lint``: options in, ``lint_file`` per path, render, exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from specforge.errors import SpecforgeError
from specforge.findings import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("-F", "--fail-severity", type=click.Choice(["error", "warning", "info", "hint"]), default="error",
              show_default=True, help="Exit 1 when a finding at or above this severity is found.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only (no summary), nothing when clean.")
@click.option("-r", "--ruleset", "rulesets", multiple=True, metavar="NAME_OR_FILE",
              help="Ruleset to use (repeatable); replaces the configuration's 'extends'.")
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path), help="Configuration file.")
@click.option("--ref-root", type=click.Path(path_type=Path, file_okay=False),
              help="Folder $refs may point into (default: the folder of each spec).")
@click.option("--allow-remote-refs", is_flag=True, help="Fetch http(s) $refs (off by default).")
def lint(paths: tuple[str, ...], output_format: str, fail_severity: str, quiet: bool, rulesets: tuple[str, ...],
         config_file: Path | None, ref_root: Path | None, allow_remote_refs: bool) -> None:
    """Lint OpenAPI 2.0/3.x and WSDL files.

    Exit codes: 0 no finding at or above --fail-severity, 1 some, 2 a file could not be linted.
    """
    from specforge.lint.api import LintOptions, lint_file
    from specforge.lint.config import load_config
    from specforge.report import Summary, renderer

    try:
        config = load_config(config_file, rulesets=list(rulesets) or None)
    except SpecforgeError as exc:
        _error(str(exc))
        sys.exit(EXIT_INPUT)
    options = LintOptions(ref_root=ref_root, allow_remote_refs=allow_remote_refs)
    findings = []
    errored = 0
    for path in paths:
        result = lint_file(path, config, options)
        if result.error is not None:
            errored += 1
            _error(str(result.error))
        findings.extend(result.findings)
    findings.sort()
    summary = Summary.of(findings, len(paths), errored)
    if not (quiet and not findings):
        render = renderer(output_format)
        text = render(findings, summary, color=output_format == "text" and sys.stdout.isatty())
        if quiet and output_format == "text":
            text = text.rsplit("\n", 2)[0] + "\n"
        click.echo(text, nl=False)
    threshold = Severity.parse(fail_severity)
    if errored:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if any(f.severity <= threshold for f in findings) else EXIT_CLEAN)


def _error(message: str) -> None:
    click.echo(f"specforge: error: {message}", err=True)
