"""Soak ``specforge mock`` with wrk and watch its memory (run by hand; not a test).

    python benchmarks/mock_soak.py [--seconds 60] [--runs 2] [--connections 64] [--threads 2] [--workers N]

Starts the real server on ``fixtures/specs/petstore-3.0.yaml`` with ``--dynamic`` (every body generated), then
runs wrk ``--runs`` times against six endpoints in rotation (``mock_soak.lua``: lists, a 10-item generated list
behind a bearer token, one pet, the inventory, and two JSON POSTs). Prints per run: requests/s, p50/p99
latency, exact 5xx and non-2xx counts (the Lua ``response`` hook), wrk's socket errors, and the total RSS of
the server (master + workers, from /proc) before and after. "Flat" memory: after the first (warm-up) run, each
further run grows the total RSS by less than ``--flat-mb`` (default 5 MB). Exit 1 when any run saw a 5xx,
a non-2xx, a socket error, a server traceback, or memory that is not flat.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mock_bench import REPO, SPEC, free_port, wait_ready
from process_tree import tree_memory_kb

LUA = Path(__file__).with_name("mock_soak.lua")
_SOAK = re.compile(r"SOAK (.*)")


def rss_mb(root: int) -> float:
    """Total resident memory of the process tree, in MB (shared pages counted once per process, like ``ps``)."""
    return tree_memory_kb(root)[0] / 1024


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> dict[str, float]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(LUA), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    found = _SOAK.search(out)
    if found is None:
        raise RuntimeError(f"wrk printed no SOAK line:\n{out}")
    result = {key: float(value) for key, value in (pair.split("=") for pair in found.group(1).split())}
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, help="server worker processes (default: the mock's default)")
    parser.add_argument("--flat-mb", type=float, default=5.0)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    port = free_port()
    cmd = [sys.executable, "-m", "specforge", "mock", str(SPEC), "--dynamic", "--port", str(port)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    failed = False
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            wait_ready(f"http://127.0.0.1:{port}/v1/pets")
            print("| run | req/s | p50 ms | p99 ms | 5xx | non-2xx | socket errors (c/r/w/t) | RSS before MB "
                  "| RSS after MB |\n|---|---:|---:|---:|---:|---:|---|---:|---:|")
            afters = []
            for run in range(1, args.runs + 1):
                before = rss_mb(server.pid)
                r = run_wrk(f"http://127.0.0.1:{port}", args.seconds, args.connections, args.threads)
                after = rss_mb(server.pid)
                afters.append(after)
                errors = [int(r[k]) for k in ("connect", "read", "write", "timeout")]
                print(f"| {run} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {int(r['status_5xx'])} "
                      f"| {int(r['non_2xx'])} | {'/'.join(map(str, errors))} | {before:.1f} | {after:.1f} |")
                failed |= bool(r["status_5xx"] or r["non_2xx"] or any(errors))
        finally:
            server.terminate()
            server.wait(15)
        log.seek(0)
        tracebacks = log.read().count("Traceback")
    growth = [b - a for a, b in zip(afters, afters[1:], strict=False)]
    flat = all(g < args.flat_mb for g in growth)
    print(f"\nserver tracebacks: {tracebacks}; RSS growth per run after the first: "
          f"{', '.join(f'{g:+.1f} MB' for g in growth) or 'n/a (one run)'} -> {'flat' if flat else 'NOT flat'} "
          f"(< {args.flat_mb:g} MB)")
    return 1 if failed or tracebacks or not flat else 0


if __name__ == "__main__":
    sys.exit(main())
