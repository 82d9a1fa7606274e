"""Parity with Spectral's OWASP API Security Top 10 (2023) ruleset: findings of the 32 shared ids, compared.

For every OpenAPI root document of the corpus under 1 MB (``spectral_parity.find_roots``), this runs

* Spectral: ``spectral lint -f json -r <ruleset: extends [@stoplight/spectral-owasp-ruleset]> FILE``
* specforge: ``specforge lint -f json -r owasp FILE``

and compares the findings as (rule, file, line) multisets: one row per rule (Spectral's count, ours,
matched, agreement = matched / Spectral's, precision = matched / ours), then, per rule, a few
disagreements of each side with both messages so they can be explained.

    python benchmarks/owasp_parity.py [--corpus DIR] [--spectral BIN] [--owasp-ruleset JS] [--only SUBSTR]
                                      [--skip SUBSTR]...
                                      [--rules ID,...] [--examples N] [--refresh] [--dump FILE]

Spectral's results are cached like ``spectral_parity.py``'s (keyed by file and ruleset content).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spectral_parity import DEFAULT_CORPUS, DEFAULT_SPECTRAL, _relative, find_roots, run_spectral  # noqa: E402

DEFAULT_OWASP = os.environ.get(
    "SPECTRAL_OWASP", "/work/peers/node_modules/@stoplight/spectral-owasp-ruleset/dist/ruleset.js")


def run_specforge(path: Path, corpus: Path) -> list[dict] | str:
    """Our findings with the ``owasp`` ruleset (``$ref``s may reach anywhere in the corpus, as Spectral's do)."""
    proc = subprocess.run([sys.executable, "-m", "specforge", "lint", "-f", "json", "-r", "owasp",
                           "--ref-root", str(corpus.resolve()), str(path)],
                          capture_output=True, text=True, timeout=600, cwd=path.parent)
    try:
        return json.loads(proc.stdout)["findings"]
    except (json.JSONDecodeError, KeyError):
        return f"specforge exit {proc.returncode}: {proc.stderr.strip()[:300]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--spectral", default=DEFAULT_SPECTRAL)
    parser.add_argument("--owasp-ruleset", default=DEFAULT_OWASP, help="the ruleset's dist/ruleset.js")
    parser.add_argument("--rules", help="compare only these rule ids (comma-separated)")
    parser.add_argument("--only", help="only roots whose path contains this text")
    parser.add_argument("--skip", action="append", default=[], help="skip roots whose path contains this text")
    parser.add_argument("--examples", type=int, default=4, help="disagreements shown per rule and side")
    parser.add_argument("--refresh", action="store_true", help="run Spectral again instead of using the cache")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dump", type=Path, help="write every disagreement as JSON lines to this file")
    args = parser.parse_args(argv)

    repo = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(repo))
    from specforge.lint.config import load_config

    catalogue = load_config(discover_config=False).catalogue
    shared = {rule_id for rule_id in catalogue.selection("owasp") if rule_id.startswith("owasp:")}
    if args.rules:
        shared &= set(args.rules.split(","))
    roots = [r for r in find_roots(args.corpus)
             if (not args.only or args.only in str(r)) and not any(text in str(r) for text in args.skip)]
    with tempfile.TemporaryDirectory() as tmp:
        ruleset = Path(tmp) / "spectral-owasp.yaml"
        ruleset.write_text(f"extends: [{json.dumps(args.owasp_ruleset)}]\n")
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            theirs_all = list(pool.map(lambda p: run_spectral(args.spectral, ruleset, p, args.refresh), roots))
            ours_all = list(pool.map(lambda p: run_specforge(p, args.corpus), roots))

    counts = {"spectral": Counter(), "ours": Counter()}
    messages: dict[tuple, str] = {}
    failures = []
    for root, theirs, ours in zip(roots, theirs_all, ours_all, strict=True):
        if isinstance(theirs, str) or isinstance(ours, str):
            failures.append((root, theirs if isinstance(theirs, str) else ours))
            continue
        for result in theirs:
            if result["code"] in shared:
                where = _relative(Path(result["source"]), args.corpus)
                key = (result["code"], where, result["range"]["start"]["line"] + 1)
                counts["spectral"][key] += 1
                messages.setdefault(("spectral",) + key, result["message"])
        for finding in ours:
            if finding["rule"] in shared:
                where = _relative((root.parent / finding["file"]).resolve(), args.corpus)
                key = (finding["rule"], where, finding["line"])
                counts["ours"][key] += 1
                messages.setdefault(("ours",) + key, finding["message"])

    # Spectral repeats a finding once per failing `then` (e.g. 401 missing *and* 401.content missing);
    # compare presence per (rule, file, line), not multiplicity.
    theirs_set = set(counts["spectral"])
    ours_set = set(counts["ours"])
    print(f"{len(roots)} root documents, {len(failures)} not compared, {len(shared)} shared rule ids\n")
    print(f"| {'rule':48} | spectral |   ours | matched | agreement | precision |")
    print(f"|{'-' * 50}|---------:|-------:|--------:|----------:|----------:|")
    totals = [0, 0, 0]
    for rule in sorted(shared):
        s = sum(1 for k in theirs_set if k[0] == rule)
        o = sum(1 for k in ours_set if k[0] == rule)
        m = sum(1 for k in theirs_set & ours_set if k[0] == rule)
        totals = [totals[0] + s, totals[1] + o, totals[2] + m]
        print(f"| {rule:48} | {s:8} | {o:6} | {m:7} | {_percent(m, s):>9} | {_percent(m, o):>9} |")
    print(f"| {'TOTAL':48} | {totals[0]:8} | {totals[1]:6} | {totals[2]:7} | {_percent(totals[2], totals[0]):>9} |"
          f" {_percent(totals[2], totals[1]):>9} |")

    print("\nDisagreements (rule  file:line  message), at most", args.examples, "per rule and side:")
    for rule in sorted(shared):
        for side, only in (("spectral", theirs_set - ours_set), ("ours", ours_set - theirs_set)):
            keys = sorted(k for k in only if k[0] == rule)
            for key in keys[:args.examples]:
                print(f"  {rule}  {key[1]}:{key[2]}  {side} only  {messages[(side,) + key][:140]}")
            if len(keys) > args.examples:
                print(f"  {rule}  ... {len(keys) - args.examples} more {side} only")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for side, only in (("spectral", theirs_set - ours_set), ("ours", ours_set - theirs_set)):
                for key in sorted(only):
                    out.write(json.dumps({"side": side, "rule": key[0], "file": key[1], "line": key[2],
                                          "message": messages[(side,) + key]}) + "\n")
    for root, reason in failures:
        print(f"  NOT COMPARED {_relative(root, args.corpus)}: {reason}")
    return 0


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
