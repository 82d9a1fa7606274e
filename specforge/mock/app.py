"""``create_app(spec, **options)``: a Flask app serving a mock of an OpenAPI (or WSDL) document."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask

from specforge.document import Document, load_spec, looks_like_xml, read_text
from specforge.errors import SpecforgeError
from specforge.mock.access_log import RequestLog, configure
from specforge.mock.handler import MockHandler, MockOptions
from specforge.mock.spec import MockSpec
from specforge.mock.watch import Watcher

EXTENSION = "specforge.mock"
WATCHER = "specforge.mock.watcher"


class MockOptionError(SpecforgeError):
    """An option the mock cannot honour (the message says which and why)."""


def check_locale(locale: str) -> None:
    from faker.config import AVAILABLE_LOCALES

    if locale not in AVAILABLE_LOCALES:
        close = sorted(code for code in AVAILABLE_LOCALES if code.split("_")[0] == locale.split("_")[0])
        hint = f"; did you mean {', '.join(close[:5])}?" if close else " (e.g. en_US, de_DE, fr_FR, ja_JP)"
        raise MockOptionError(f"unknown locale {locale!r}{hint}")


def _is_xml(path: Path) -> bool:
    try:
        return looks_like_xml(read_text(path, str(path))[:512])
    except SpecforgeError:
        return False


def watched_files(document: Document) -> list[str]:
    """The root file and every file its ``$ref``s loaded."""
    workspace = document.workspace
    return [workspace.location(s) for s in workspace.sources if "://" not in workspace.location(s)]


def create_app(spec: str | Path | Document, *, seed: int | None = None, dynamic: bool = False, validate: bool = True,
               cors: bool = True, delay_ms: int = 0, locale: str = "en_US", log_format: str = "text",
               watch: bool = False, max_body_bytes: int | None = None, tokens: Iterable[str] = (),
               remember_deletes: bool = True, ref_root: str | Path | None = None, **soap_options: Any) -> Flask:
    """A Flask app answering requests as ``spec`` describes them.

    Raises ``SpecforgeError`` (one line) when the spec cannot be loaded. ``spec`` is a path or a loaded
    ``Document``; a WSDL file is served by ``specforge.mock.soap``. ``watch=True`` reloads on file changes.
    ``tokens`` limits accepted credentials (API keys, bearer tokens, basic ``user:password``); by default any
    non-empty credential is accepted. ``remember_deletes`` makes a deleted resource answer 404 afterwards.
    ``ref_root`` is the folder ``$ref``s may reach (default: the spec's folder).
    """
    if not isinstance(spec, Document) and _is_xml(Path(spec)):
        from specforge.mock.soap import create_soap_app

        return create_soap_app(spec, seed=seed, validate=validate, cors=cors, delay_ms=delay_ms,
                               log_format=log_format, ref_root=ref_root, **soap_options)
    check_locale(locale)
    root_dir = Path(ref_root) if ref_root is not None else None
    document = spec if isinstance(spec, Document) else load_spec(spec, root_dir=root_dir)
    configure(log_format)
    log = RequestLog(log_format)
    compiled = MockSpec(document, locale=locale)
    for warning in dict.fromkeys(compiled.warnings):
        log.event("warning", detail=warning)
    options = MockOptions(seed=seed, dynamic=dynamic, validate=validate, cors=cors, delay_ms=delay_ms,
                          tokens=frozenset(tokens), remember_deletes=remember_deletes)
    if max_body_bytes is not None:
        options.max_body_bytes = max_body_bytes
    handler = MockHandler(compiled, options, log)
    app = Flask("specforge.mock")
    app.config["MAX_CONTENT_LENGTH"] = options.max_body_bytes
    app.wsgi_app = handler  # type: ignore[method-assign]  # the mock answers every path itself
    app.extensions[EXTENSION] = handler
    if watch and not isinstance(spec, Document):
        watcher = Watcher(watched_files(document), _reloader(Path(spec), handler, locale, log, root_dir))
        app.extensions[WATCHER] = watcher
        watcher.start()
    return app


def _reloader(path: Path, handler: MockHandler, locale: str, log: RequestLog, root_dir: Path | None):
    def reload() -> list[str] | None:
        try:
            document = load_spec(path, root_dir=root_dir)
            fresh = MockSpec(document, locale=locale)
        except SpecforgeError as exc:
            log.event("reload failed; still serving the previous spec", reason=str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - any failure keeps the old spec serving, and says why
            log.event("reload failed; still serving the previous spec", reason=f"{type(exc).__name__}: {exc}")
            return None
        handler.spec = fresh
        log.event("reloaded", spec=str(path), operations=len(fresh.compiled), warnings=len(fresh.warnings))
        return watched_files(document)

    return reload
