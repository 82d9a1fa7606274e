"""Test support for the SOAP mock: run ``specforge mock`` on a free loopback port; build request bodies."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from specforge.mock.soap.contract import SoapOperation
from specforge.mock.soap.instances import InstanceGenerator, Node, to_xml

REPO = Path(__file__).resolve().parents[2]
CORPUS = (REPO / ".." / "shared" / "corpus" / "wsdl").resolve()
CALCULATOR = REPO / "fixtures" / "specs" / "calculator.wsdl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_mock(wsdl: Path, *extra: str) -> Iterator[str]:
    """The real CLI (``python -m specforge mock``) serving ``wsdl``; yields ``http://127.0.0.1:<port>``."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "specforge", "mock", str(wsdl), "--port", str(port), "--workers", "1", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the mock exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def request_body(generator: InstanceGenerator, operation: SoapOperation) -> str:
    """A schema-valid request body for ``operation`` (document: its part elements; rpc: the wrapper)."""
    parts = [generator.element(p.element) or Node(p.name) if p.element else generator.typed(p.name, p.type)
             for p in operation.request_parts]
    if operation.style == "rpc":
        ns = operation.namespace
        parts = [Node(f"{{{ns}}}{operation.name}" if ns else operation.name, children=parts)]
    return to_xml(parts)
