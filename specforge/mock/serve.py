"""Serve a WSGI app with a production server: gunicorn (gthread workers) on Unix, waitress elsewhere.

Measured on the 2-core benchmark machine (``benchmarks/mock_bench.py``): gunicorn's ``gthread`` workers keep
connections alive and beat ``sync`` workers and waitress; see the README/report for the numbers. The gthread
workers are ``specforge.mock.worker.MockWorker``: requests are read in the event loop, so slow clients hold no
thread, and each must arrive within ``request_seconds``.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

SERVERS = ("gunicorn-gthread", "gunicorn-sync", "waitress")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
#: Seconds a client has to send a whole request (head and body) before it gets 408 and is disconnected.
DEFAULT_REQUEST_SECONDS = 10.0


class PortInUse(OSError):
    """The address is taken (or cannot be bound); the message says which and why."""


def default_server() -> str:
    return "waitress" if sys.platform == "win32" else "gunicorn-gthread"


def unavailable(server: str | None) -> str | None:
    """Why ``server`` cannot run here (its package is not installed), or None."""
    package = (server or default_server()).partition("-")[0]
    if importlib.util.find_spec(package) is None:
        return f"--server {server or default_server()} needs the {package} package: pip install {package}"
    return None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Bind and release the address so a taken port is reported before any worker starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if sys.platform != "win32":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is already in use (choose another with --port)") from None
            raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(app: Any, host: str, port: int, *, workers: int, server: str | None = None, threads: int = 4,
          after_fork: Callable[[], None] | None = None, request_seconds: float = DEFAULT_REQUEST_SECONDS) -> None:
    """Run ``app`` until interrupted. ``after_fork`` runs in each worker process (restart threads there).

    The body limit is the app's ``MAX_CONTENT_LENGTH`` (Flask's setting), enforced before the app sees the body.
    """
    from specforge.mock.handler import DEFAULT_MAX_BODY_BYTES

    server = server or default_server()
    max_body = int(getattr(app, "config", {}).get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_BODY_BYTES)
    if server == "waitress":
        import waitress

        if after_fork:
            after_fork()
        waitress.serve(app, host=host, port=port, threads=max(threads, workers * threads), ident="specforge",
                       channel_timeout=request_seconds, max_request_body_size=max_body, _quiet=True)
        return
    if server == "gunicorn-gthread":
        from specforge.mock.worker import MockWorker

        worker_class: Any = MockWorker.configured(request_seconds=request_seconds, max_body_bytes=max_body)
    else:
        worker_class = "sync"
    _gunicorn(app, host, port, workers, worker_class, threads, after_fork)


def _gunicorn(app: Any, host: str, port: int, workers: int, worker_class: Any, threads: int,
              after_fork: Callable[[], None] | None) -> None:
    from gunicorn.app.base import BaseApplication

    from specforge.mock.arrival import MAX_REQUEST_LINE

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    settings = {"bind": bind, "workers": workers, "worker_class": worker_class, "threads": threads,
                "accesslog": None, "errorlog": "-", "loglevel": "warning", "keepalive": 5, "timeout": 30,
                "graceful_timeout": 5, "proc_name": "specforge-mock",
                "limit_request_line": MAX_REQUEST_LINE, "limit_request_field_size": 65536,
                # specs declare header names with underscores (``api_key`` in Swagger's petstore); gunicorn drops
                # those by default, so every such credential or parameter went missing
                "header_map": "dangerous"}
    if after_fork is not None:
        settings["post_fork"] = lambda server, worker: after_fork()

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    Server().run()
