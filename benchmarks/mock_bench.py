"""Benchmark ``specforge mock`` against Prism with wrk (run by hand; not a test).

    python benchmarks/mock_bench.py [--quick] [--seconds 5] [--rounds 3] [--prism PATH] [--servers gunicorn-gthread,...]

Starts Prism (``prism mock``) and specforge mock under each WSGI server on the same spec, then runs wrk against
each target *interleaved* (round-robin, so machine load hits all of them alike) on two endpoints:
an example response (``GET /pets``) and a generated 10-item list (``GET /pets/mine``; Prism gets
``Prefer: dynamic=true``). Prints requests/s and p99 latency (medians over the rounds) as a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from corpora import PEERS

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "fixtures" / "specs" / "petstore-3.0.yaml"
DEFAULT_PRISM = PEERS / "node_modules" / ".bin" / "prism"
ENDPOINTS = {"example": ("/pets", {}), "generated 10-item list": ("/pets/mine", {"Authorization": "Bearer t"})}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start(name: str, server: str | None, prism: Path, workers: int) -> tuple[subprocess.Popen, str, dict]:
    port = free_port()
    if server is None:
        cmd = [str(prism), "mock", str(SPEC), "-p", str(port), "-h", "127.0.0.1"]
        base, extra = f"http://127.0.0.1:{port}", {"Prefer": "dynamic=true"}  # Prism ignores the /v1 base path
    else:
        cmd = [sys.executable, "-m", "specforge", "mock", str(SPEC), "--port", str(port), "--server", server,
               "--workers", str(workers)]
        base, extra = f"http://127.0.0.1:{port}/v1", {}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    wait_ready(base + "/pets")
    return proc, base, extra


def wrk(url: str, headers: dict, seconds: int, connections: int) -> tuple[float, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx responses from {url}", file=sys.stderr)
    return rate, float(p99.group(1)) * scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--prism", type=Path, default=DEFAULT_PRISM)
    parser.add_argument("--servers", default="gunicorn-gthread,gunicorn-sync,waitress")
    parser.add_argument("--quick", action="store_true", help="one round of 3 s, the default server only")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.servers = 1, 3, "gunicorn-gthread"
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    targets: dict[str, str | None] = {f"specforge ({s})": s for s in args.servers.split(",") if s}
    if args.prism.exists():
        targets["prism"] = None
    running = {}
    try:
        for name, server in targets.items():
            running[name] = start(name, server, args.prism, args.workers)
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            for endpoint, (path, headers) in ENDPOINTS.items():
                for name, (_, base, extra) in running.items():
                    merged = {**headers, **(extra if endpoint != "example" else {})}
                    results.setdefault((name, endpoint), []).append(
                        wrk(base + path, merged, args.seconds, args.connections))
    finally:
        for proc, _, _ in running.values():
            proc.terminate()
            proc.wait(10)
    print(f"| target | endpoint | req/s (median of {args.rounds}) | p99 ms | vs Prism |")
    print("|---|---|---:|---:|---:|")
    for (name, endpoint), runs in results.items():
        rate = statistics.median(r for r, _ in runs)
        p99 = statistics.median(p for _, p in runs)
        prism = results.get(("prism", endpoint))
        ratio = f"{rate / statistics.median(r for r, _ in prism):.2f}x" if prism else "-"
        print(f"| {name} | {endpoint} | {rate:,.0f} | {p99:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
