"""Paths of the specs the mock tests serve, the real server as a subprocess, and a raw HTTP/1.1 client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "fixtures" / "specs"
PETSTORE3 = SPECS / "petstore-3.0.yaml"
PETSTORE2 = SPECS / "petstore-2.0.yaml"
CORPUS = REPO / ".." / "shared" / "corpus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m specforge mock SPEC --port N ...`` running in a subprocess."""

    def __init__(self, spec: Path, *args: str, base: str = "") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{base}"
        self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"specforge-mock-{self.port}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "specforge", "mock", str(spec), "--port", str(self.port), "--workers", "1", *args],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mock exited with {self.proc.returncode}: {self.log()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__ready__", timeout=1)
            except urllib.error.HTTPError:
                return  # any HTTP answer (404 here) means it is serving
            except OSError:
                time.sleep(0.1)
                continue
            return
        raise RuntimeError(f"mock did not start: {self.log()}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def interrupt(self, timeout: float = 20) -> int:
        """Ctrl+C as a terminal sends it (SIGINT to the server and its workers); the exit code."""
        os.killpg(self.proc.pid, signal.SIGINT)
        return self.proc.wait(timeout)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._log.close()


class Answer(NamedTuple):
    """A response read off a raw socket."""

    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip()

    def problem(self) -> dict:
        """The problem document (asserting that this is one, for this status)."""
        assert self.media_type == "application/problem+json", (self.status, self.headers, self.body[:200])
        doc = json.loads(self.body)
        assert doc["status"] == self.status and doc["title"] and doc["detail"], doc
        return doc


def http_request(method: str, target: str | bytes, headers: list[tuple[str, str]] | None = None,
                 body: bytes = b"", *, host: str = "127.0.0.1") -> bytes:
    """Request bytes exactly as given (no validation, so anything can be sent); Content-Length for a body."""
    lines = [method.encode("latin-1") + b" " + (target if isinstance(target, bytes) else target.encode("latin-1"))
             + b" HTTP/1.1", b"Host: " + host.encode()]
    fields = list(headers or [])
    if body and not any(name.lower() in ("content-length", "transfer-encoding") for name, _ in fields):
        fields.append(("Content-Length", str(len(body))))
    lines += [f"{name}: {value}".encode("latin-1", "surrogateescape") for name, value in fields]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def read_answer(sock: socket.socket, method: str = "GET") -> Answer:
    """One response from ``sock`` (interim 1xx responses skipped); raises ``http.client.RemoteDisconnected``
    when the server closes instead.
    """
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    body = response.read()
    return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, body)


def exchange(port: int, data: bytes, timeout: float = 5.0) -> Answer:
    """Send ``data`` on a new connection and read the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_answer(sock)
