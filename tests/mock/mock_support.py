"""Paths of the specs the mock tests serve, and the real server as a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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
            stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO)
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
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._log.close()
