"""``specforge mock``: load and compile the spec, check the port, then serve it with a production server."""

from __future__ import annotations

import sys

import click

EXIT_INPUT = 2


@click.command()
@click.argument("spec", type=click.Path(path_type=str))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; anything but loopback makes the mock reachable from other machines.")
@click.option("-p", "--port", default=4010, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--seed", type=int, help="Deterministic data: the same request gives the same body across restarts.")
@click.option("-d", "--dynamic", is_flag=True, help="Always generate bodies (ignore examples).")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: CPU count, at most 4).")
@click.option("--watch", is_flag=True, help="Reload when the spec or a file it refers to changes.")
@click.option("--no-cors", is_flag=True, help="Do not answer CORS preflights or add CORS headers.")
@click.option("--no-validate", is_flag=True, help="Do not validate requests.")
@click.option("--delay", "delay_ms", default=0, type=click.IntRange(0, 600_000), metavar="MS",
              help="Wait this many milliseconds before each response.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="One line per request, as text or JSON.")
@click.option("--locale", default="en_US", show_default=True, help="Faker locale for generated data.")
@click.option("--token", "tokens", multiple=True, metavar="VALUE",
              help="Accept only this credential (API key, bearer token, basic user:password); repeatable.")
@click.option("--ref-root", type=click.Path(file_okay=False, path_type=str),
              help="Folder $refs and WSDL/XSD imports may point into (default: the folder of the spec).")
@click.option("--request-timeout", "request_seconds", default=10.0, show_default=True,
              type=click.FloatRange(0.1, 3600), metavar="SECONDS",
              help="Time a client has to send a whole request; slower clients get 408 and are disconnected.")
@click.option("--server", type=click.Choice(["gunicorn-gthread", "gunicorn-sync", "waitress"]), hidden=True,
              help="WSGI server (default: gunicorn gthread; waitress on Windows).")
def mock(spec: str, host: str, port: int, seed: int | None, dynamic: bool, workers: int | None, watch: bool,
         no_cors: bool, no_validate: bool, delay_ms: int, log_format: str, locale: str, tokens: tuple[str, ...],
         ref_root: str | None, request_seconds: float, server: str | None) -> None:
    """Serve SPEC (OpenAPI 2.0/3.x, or WSDL) as a validating mock server.

    Responses: the lowest declared 2xx, its example when there is one, else generated data. Clients choose with
    `Prefer: code=404, example=name, dynamic=true` (or the __code, __example, __dynamic query parameters).
    Exit code 2 when the spec cannot be loaded, the port cannot be bound or the server is not installed.
    """
    from specforge.errors import SpecforgeError
    from specforge.mock.app import WATCHER, create_app
    from specforge.mock.serve import PortInUse, check_port, default_workers, is_loopback, serve, unavailable

    if (missing := unavailable(server)) is not None:
        _fail(missing)
    try:
        app = create_app(spec, seed=seed, dynamic=dynamic, validate=not no_validate, cors=not no_cors,
                         delay_ms=delay_ms, locale=locale, log_format=log_format, watch=watch,
                         tokens=tokens, ref_root=ref_root)
    except SpecforgeError as exc:
        _fail(str(exc))
    try:
        check_port(host, port)
    except PortInUse as exc:
        _fail(str(exc))
    watcher = app.extensions.get(WATCHER)
    if watcher is not None and server != "waitress":
        watcher.stop()  # the master does not serve: each worker restarts it after the fork
    if not is_loopback(host):
        click.echo(f"specforge mock: warning: listening on {host} \u2014 the mock is reachable from other machines",
                   err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"specforge mock: serving {spec} on http://{shown}:{port} (Ctrl+C to stop)", err=True)
    serve(app, host, port, workers=workers or default_workers(), server=server,
          after_fork=watcher.start if watcher is not None else None, request_seconds=request_seconds)


def _fail(message: str) -> None:
    click.echo(f"specforge: error: {message}", err=True)
    sys.exit(EXIT_INPUT)
