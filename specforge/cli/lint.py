"""``specforge lint``: options in, files linted (in parallel, cached), baseline applied, reports out."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from specforge.errors import ConfigError, SpecforgeError
from specforge.findings import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
FORMAT_NAMES = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown")
FINGERPRINTED_FORMATS = ("sarif", "gitlab")  # the others show no fingerprint, so none is worked out for them


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-f", "--format", "formats", type=click.Choice(FORMAT_NAMES), multiple=True,
              help="Output format (repeatable; default text). Formats without --output go to stdout.")
@click.option("-o", "--output", "outputs", multiple=True, metavar="FORMAT=FILE",
              help="Write FORMAT to FILE (repeatable); a bare FILE takes the only --format.")
@click.option("-F", "--fail-severity", type=click.Choice(["error", "warning", "info", "hint"]), default=None,
              help="Exit 1 when a finding at or above this severity is found.  [default: error]")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only (no summary), nothing when clean.")
@click.option("-r", "--ruleset", "rulesets", multiple=True, metavar="NAME_OR_FILE",
              help="Ruleset to use (repeatable; built-in name, ruleset file or .spectral.yaml); "
                   "replaces the configuration's 'extends'.")
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path), help="Configuration file.")
@click.option("--ref-root", type=click.Path(path_type=Path, file_okay=False),
              help="Folder $refs may point into (default: the folder of each spec).")
@click.option("--allow-remote-refs", is_flag=True, help="Fetch http(s) $refs (off by default).")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Hide the findings recorded in this baseline; report entries no longer found.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Record the current findings in this baseline file and exit 0.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Lint files in this many processes; a single file of 1 MB or more is shared out to this "
                   "many forked workers (Linux).  [default: CPU count]")
@click.option("--cache/--no-cache", default=False, show_default=True,
              help="Skip files unchanged since the last run (content hashes of the file and its $refs).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where --cache keeps results (default: the user cache folder).")
def lint(paths: tuple[str, ...], formats: tuple[str, ...], outputs: tuple[str, ...], fail_severity: str | None,
         quiet: bool, rulesets: tuple[str, ...], config_file: Path | None, ref_root: Path | None,
         allow_remote_refs: bool, baseline_file: Path | None, write_baseline_file: Path | None, jobs: int | None,
         cache: bool, cache_dir: Path | None) -> None:
    """Lint OpenAPI 2.0/3.x and WSDL files, folders (searched for specs) and globs.

    Exit codes: 0 no finding at or above --fail-severity, 1 some, 2 a file, configuration or
    baseline could not be read, 130 interrupted (Ctrl+C; output files are left as they were).
    """
    from specforge.lint import baseline as baselines
    from specforge.lint.api import LintOptions
    from specforge.lint.discovery import expand
    from specforge.lint.parallel import default_jobs, lint_files
    from specforge.report import Summary, renderer

    try:
        config = _load_config(config_file, rulesets)
        if not formats and not outputs and config.options.get("format"):
            formats = tuple(_as_list(config.options["format"]))
        targets = _targets(formats, outputs)
        files = expand(paths)
        baseline_path = baseline_file or _configured_baseline(config)
        baseline = baselines.read_baseline(baseline_path) if baseline_path and not write_baseline_file else None
        fail_at = Severity.parse(fail_severity or str(config.options.get("fail-severity", "error")))
    except (SpecforgeError, ValueError) as exc:
        _fail(str(exc))
    for notice in config.catalogue.notices:
        click.echo(f"specforge: warning: {notice}", err=True)
    fingerprints = bool(baseline or write_baseline_file or cache
                        or any(name in FINGERPRINTED_FORMATS for name, _ in targets))
    options = LintOptions(ref_root=ref_root, allow_remote_refs=allow_remote_refs, fingerprints=fingerprints)
    result_cache = _result_cache(config, options, cache_dir) if cache else None
    findings, errors = [], []
    with contextlib.closing(lint_files(files, config, options, jobs or default_jobs(), result_cache)) as results:
        for result in results:  # closing: an interrupt stops the worker processes at once
            if result.error is not None:
                errors.append((result.path, str(result.error)))
                _error(str(result.error))
            findings.extend(result.findings)
    findings.sort()
    if write_baseline_file:
        _write([(write_baseline_file,
                 baselines.baseline_text(baselines.Baseline.of(findings, write_baseline_file)))])
        click.echo(f"specforge: wrote {len(findings)} finding(s) to baseline {write_baseline_file}", err=True)
        sys.exit(EXIT_INPUT if errors else EXIT_CLEAN)
    stale: list = []
    if baseline is not None:
        findings, stale = baseline.filter(findings, files)
        for entry in stale:
            click.echo(f"specforge: note: baseline entry no longer found (fixed?): {entry.rule} in {entry.file} "
                       f"at {entry.pointer or '/'}", err=True)
    summary = Summary.of(findings, len(files), len(errors))
    extras = {"rules": _rule_metadata(config), "stale": stale, "errors": errors, "files": files,
              "notices": list(config.catalogue.notices)}
    rendered = []
    for name, target in targets:
        text = renderer(name)(findings, summary, color=name == "text" and target is None and sys.stdout.isatty(),
                              **extras)
        rendered.append((name, target, text))
    _write([(target, text) for _, target, text in rendered if target is not None])
    for name, target, text in rendered:
        if target is None and not (quiet and not findings):
            if quiet and name == "text":
                text = text.rsplit("\n", 2)[0] + "\n"
            click.echo(text, nl=False)
    if errors:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if any(f.severity <= fail_at for f in findings) else EXIT_CLEAN)


def _targets(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, Path | None]]:
    """(format, file or None for stdout) pairs; at most one format may go to stdout."""
    files: dict[str, Path] = {}
    for output in outputs:
        name, sep, file = output.partition("=")
        if not sep and len(formats) == 1:
            name, file = formats[0], output
        elif not sep or name not in FORMAT_NAMES:
            raise ConfigError("--output", f"{output!r}: expected FORMAT=FILE with FORMAT one of "
                              f"{', '.join(FORMAT_NAMES)} (a bare FILE needs exactly one --format)")
        if not file.strip():
            raise ConfigError("--output", f"{output!r}: missing file name")
        files[name] = Path(file)
    unknown = [name for name in formats if name not in FORMAT_NAMES]
    if unknown:
        raise ConfigError("format", f"unknown format {unknown[0]!r} (expected one of {', '.join(FORMAT_NAMES)})")
    chosen = list(dict.fromkeys([*formats, *files])) or ["text"]
    to_stdout = [name for name in chosen if name not in files]
    if len(to_stdout) > 1:
        raise ConfigError("--format", f"{', '.join(to_stdout)} would all go to stdout; "
                          "send all but one to files with --output FORMAT=FILE")
    return [(name, files.get(name)) for name in chosen]


def _as_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _load_config(config_file: Path | None, rulesets: tuple[str, ...]):  # -> Config
    from specforge.lint.config import load_config

    return load_config(config_file, rulesets=list(rulesets) or None)


def _configured_baseline(config) -> Path | None:  # config: Config
    value = config.options.get("baseline")
    if not value:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else config.base_dir / path


def _result_cache(config, options, folder: Path | None):  # -> ResultCache
    from specforge.lint.cache import ResultCache, config_key, default_folder

    rules = sorted(((a.rule.id, a.rule, int(a.severity)) for a in config.active_rules("")), key=lambda r: r[0])
    key = config_key(rules, config.overrides, sorted(config.severities.items(), key=lambda kv: kv[0]),
                     str(options.ref_root and options.ref_root.resolve()), options.allow_remote_refs)
    return ResultCache(folder or default_folder(), key)


def _rule_metadata(config) -> dict:
    return dict(config.catalogue.rules)


def _write(outputs: list[tuple[Path, str]]) -> None:
    """Write each ``(path, text)`` atomically: every text to a temporary file beside its path, then all renamed
    with SIGINT/SIGTERM held back. An interrupted run leaves each file as it was (or complete), and no temporaries.
    """
    from specforge.interrupts import held_signals

    temporaries: list[tuple[Path, Path]] = []
    path = Path()
    try:
        for path, text in outputs:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            path.parent.mkdir(parents=True, exist_ok=True)
            temporaries.append((tmp, path))
            tmp.write_text(text, encoding="utf-8")
        with held_signals():
            for tmp, path in temporaries:
                os.replace(tmp, path)
    except OSError as exc:
        _fail(f"{path}: cannot write: {exc.strerror or exc}")
    finally:
        with held_signals():
            for tmp, _ in temporaries:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)


def _error(message: str) -> None:
    click.echo(f"specforge: error: {message}", err=True)


def _fail(message: str) -> None:
    _error(message)
    sys.exit(EXIT_INPUT)
