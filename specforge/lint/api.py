"""The linting entry points: a path (or a loaded document) + a configuration -> findings."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from specforge.document import Document, display_path, document_from_text, looks_like_xml, read_text
from specforge.errors import SpecforgeError
from specforge.findings import Finding
from specforge.lint import ignores
from specforge.lint.baseline import fingerprinted, with_fingerprints
from specforge.lint.config import Config, load_config
from specforge.lint.engine import ActiveRule, lint_document
from specforge.lint.forked import MIN_FORK_CHARS, Load, can_fork, lint_forked


@dataclass(frozen=True)
class LintOptions:
    """How files are loaded (where ``$ref``s may lead, whether remote ones are fetched) and whether
    findings get ``Finding.fingerprint`` (what baselines, SARIF and GitLab reports need; else left empty).
    """

    ref_root: Path | None = None
    allow_remote_refs: bool = False
    fingerprints: bool = True


@dataclass
class FileResult:
    """The outcome for one file: its findings, or the error that stopped it (exit code 2)."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: SpecforgeError | None = None
    files: list[str] = field(default_factory=list)  # absolute locations of every file read (for the cache)


def lint_file(path: str | Path, config: Config | None = None, options: LintOptions = LintOptions(),
              workers: int = 1) -> FileResult:
    """Lint one OpenAPI or WSDL file; input problems are captured in ``FileResult.error``.

    ``workers`` > 1 lets a large OpenAPI document be checked by that many forked processes (Linux).
    """
    with _collector_paused():
        return _lint_file(path, config or load_config(), options, workers)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file is loaded and linted.

    A spec is millions of acyclic objects, freed by reference counting; with the collector on, its
    full passes re-scan them all as they are built (1.5 s of 6 s on the 20 MB Graph spec).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lint_file(path: str | Path, config: Config, options: LintOptions, workers: int) -> FileResult:
    file = Path(path)
    shown = display_path(file) if file.is_absolute() else str(path)
    try:
        text = read_text(file, shown)
        if looks_like_xml(text):
            from specforge.wsdl.lint import lint_wsdl_document, load_wsdl  # imported only for WSDL files

            contract = load_wsdl(text, shown, file, root_dir=options.ref_root)
            findings = lint_wsdl_document(contract, config.active_rules(shown))
            if options.fingerprints:
                findings = with_fingerprints(findings, {})
            files = [xml_file.location for xml_file in contract.files]  # imported XSDs too, for the cache
        else:
            location = str(file.resolve())

            def load() -> Document:
                return document_from_text(text, shown, location, root_dir=options.ref_root,
                                          allow_remote=options.allow_remote_refs)

            document, findings = _check(text, load, config.active_rules(shown), workers, options.fingerprints)
            findings = _finish(findings, document, config, options.fingerprints)
            files = [document.workspace.location(s) for s in document.workspace.sources]
            document.cache.clear()  # its memos refer back to the document: a cycle only a full collection frees
    except SpecforgeError as exc:
        return FileResult(shown, error=exc)
    if config.has_pointer_overrides():
        findings = config.apply_pointer_overrides(findings)
    return FileResult(shown, findings, files=files)


def _check(text: str, load: Load, rules: list[ActiveRule], workers: int,
           fingerprints: bool) -> tuple[Document, list[Finding]]:
    """The document ``load`` gives from ``text``, and its findings: checked in several processes (each
    loading it) when the text is large enough to gain from it.
    """
    if workers > 1 and len(text) >= MIN_FORK_CHARS and can_fork():
        return lint_forked(load, rules, workers, fingerprints)
    document = load()
    return document, lint_document(document, rules)


def _finish(findings: list[Finding], document: Document, config: Config, fingerprints: bool = True) -> list[Finding]:
    """Inline ignores (read from every loaded file), then stable fingerprints (for baselines and SARIF)."""
    sources = document.workspace.sources
    directives = ignores.collect(sources)
    if directives:
        findings = findings + ignores.unknown_rule_findings(directives, config.catalogue.rules, sources)
        findings = sorted(ignores.apply(findings, directives))
    return fingerprinted(findings, sources) if fingerprints else findings


def lint_loaded(document: Document, config: Config | None = None) -> list[Finding]:
    """Lint an already loaded document (library use)."""
    config = config or load_config()
    return _finish(lint_document(document, config.active_rules(document.root.path)), document, config)
