"""Every speed benchmark in one run: lint (``lint_bench.py``), then mock (``mock_bench.py``), side by side
with the peers that are installed (Redocly CLI, Spectral, Prism under ``SPECFORGE_PEERS``; wrk for HTTP).

    python benchmarks/bench.py [--quick]

Run by hand on a quiet machine, not in CI; each script's docstring says what it measures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and cases: a local check")
    args = parser.parse_args()
    extra = ["--quick"] if args.quick else []
    failed = 0
    for script in ("lint_bench.py", "mock_bench.py"):
        print(f"## {script}", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / script), *extra]).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
