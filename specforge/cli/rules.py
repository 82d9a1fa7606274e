"""``specforge rules``: list the rules with their severity in the active configuration, and
``specforge rules explain ID``: print a rule's documentation with its examples.
"""

from __future__ import annotations

import difflib
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from specforge.errors import SpecforgeError

EXIT_INPUT = 2


def _config_options(command: Callable) -> Callable:
    command = click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
                           help="Configuration file (default: discovered from the working directory).")(command)
    return click.option("-r", "--ruleset", "rulesets", multiple=True, metavar="NAME_OR_FILE",
                        help="Ruleset to use (repeatable); replaces the configuration's 'extends'.")(command)


def _load(config_file: Path | None, rulesets: tuple[str, ...]) -> Any:
    from specforge.lint.config import load_config

    try:
        return load_config(config_file, rulesets=list(rulesets) or None)
    except SpecforgeError as exc:
        _fail(str(exc))


def _fail(message: str) -> None:
    click.echo(f"specforge: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


@click.group(invoke_without_command=True)
@_config_options
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--enabled", is_flag=True, help="List only the rules that are on.")
@click.pass_context
def rules(ctx: click.Context, config_file: Path | None, rulesets: tuple[str, ...], output_format: str,
          enabled: bool) -> None:
    """List the rules: id, severity in the active configuration (or off), formats, summary.

    Use `specforge rules explain ID` for a rule's documentation.
    """
    if ctx.invoked_subcommand is not None:
        return
    config = _load(config_file, rulesets)
    rows = [row for row in rule_rows(config) if row["severity"] != "off" or not enabled]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(render_table(rows), nl=False)
    active = sum(row["severity"] != "off" for row in rows)
    source = ", ".join(rulesets) if rulesets else (config.file or "recommended (default)")
    click.echo(f"\n{len(rows)} rules, {active} on ({source})")


def default_severity(rule: Any) -> str:
    """The severity a rule ships with (a project config may have re-configured ``rule``)."""
    from specforge.lint.ruleset import builtin_catalogue

    shipped = builtin_catalogue().rules.get(rule.id, rule)
    return shipped.severity.label if shipped.severity is not None else "off"


def rule_rows(config: Any) -> list[dict[str, Any]]:
    """One mapping per known rule: id, active severity, default severity, formats, tags, summary."""
    rows = []
    for rule_id, rule in sorted(config.catalogue.rules.items()):
        active = config.severities.get(rule_id)
        rows.append({
            "id": rule_id,
            "severity": active.label if active is not None else "off",
            "default": default_severity(rule),
            "recommended": rule.recommended,
            "formats": sorted(rule.formats),
            "tags": list(rule.tags),
            "summary": rule.summary,
        })
    return rows


def render_table(rows: list[dict[str, Any]]) -> str:
    """Aligned columns: id, severity, formats, summary."""
    if not rows:
        return ""
    formats = [",".join(row["formats"]) or "any" for row in rows]
    id_width = max(len("RULE"), *(len(row["id"]) for row in rows))
    format_width = max(len("FORMATS"), *(len(f) for f in formats))
    lines = [f"{'RULE':<{id_width}}  {'SEVERITY':<8}  {'FORMATS':<{format_width}}  SUMMARY"]
    for row, fmt in zip(rows, formats, strict=True):
        lines.append(f"{row['id']:<{id_width}}  {row['severity']:<8}  {fmt:<{format_width}}  {row['summary']}")
    return "\n".join(lines) + "\n"


@rules.command()
@click.argument("rule_id", metavar="ID")
@_config_options
def explain(rule_id: str, config_file: Path | None, rulesets: tuple[str, ...]) -> None:
    """Print a rule's documentation: summary, why, bad and good examples, fix, options."""
    config = _load(config_file, rulesets)
    rule = config.catalogue.rules.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(config.catalogue.rules), n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        _fail(f"unknown rule {rule_id!r}.{hint} (`specforge rules` lists them)")
    active = config.severities.get(rule_id)
    click.echo(render_explanation(rule, active.label if active is not None else "off"), nl=False)


def render_explanation(rule: Any, active: str) -> str:
    """A rule's documentation as plain text, sections in ruff's order: what, why, example, fix, options."""
    docs = rule.docs or {}
    default = default_severity(rule)
    lines = [
        rule.id,
        f"  {rule.summary}",
        "",
        f"  Severity: {active} here (default {default}, {'in' if rule.recommended else 'not in'} recommended)",
        f"  Formats:  {', '.join(sorted(rule.formats)) or 'any'}",
        f"  Tags:     {', '.join(rule.tags) or '-'}",
    ]
    sections = [("Why", docs.get("why")), ("Bad", docs.get("bad")), ("Good", docs.get("good")),
                ("Fix", rule.fix), ("Options", _options_text(rule, docs.get("options")))]
    for title, body in sections:
        if body:
            lines += ["", f"{title}:", textwrap.indent(str(body).rstrip("\n"), "    ")]
    if rule.source:
        lines += ["", f"Defined in {_shown_source(rule.source)}"]
    return "\n".join(lines) + "\n"


def _shown_source(source: str) -> str:
    """A built-in rule's file relative to the rules folder's parent (``rules/oas/x.yaml``)."""
    from specforge.lint.catalogue import rules_dir

    base = rules_dir().parent
    path = Path(source)
    return str(path.relative_to(base)) if path.is_relative_to(base) else source


def _options_text(rule: Any, documented: Any) -> str:
    defaults = [then.options for then in rule.then if then.options]
    parts = []
    if documented:
        parts.append(str(documented).rstrip("\n"))
    if defaults:
        parts.append("Current: " + "; ".join(json.dumps(d, sort_keys=True) for d in defaults))
    return "\n".join(parts)
