"""The loader fuzz properties of ``tests/fuzz/test_fuzz_loaders.py``, for longer and with fresh seeds.

    nice -n 19 python benchmarks/fuzz_loaders.py [--seconds 600] [--round 200] [--out fuzz-failures]

(``SPECFORGE_FUZZ_SECONDS`` sets the default duration.) Runs the four properties in turn, ``--round``
random examples at a time, until the time is up. Each failure is shrunk by Hypothesis and its
files written to ``--out/<property>-<n>/`` (lint them by hand, then add them to
``fixtures/hostile``); the summary gives the examples run and the failures per property.

Coverage-guided instead, with atheris (``pip install atheris``; not a project dependency)::

    nice -n 19 python benchmarks/fuzz_loaders.py --atheris SEED_DIR -max_total_time=600 -artifact_prefix=OUT/

mutates the files of ``SEED_DIR`` (specs, WSDLs) towards new code paths of specforge itself; a
crash input is written under ``-artifact_prefix``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.loader_inputs import mutated_specs, raw_bytes, structured_specs, wsdl_documents  # noqa: E402
from tests.fuzz.test_fuzz_loaders import lints_cleanly  # noqa: E402

PROPERTIES: dict[str, Callable[[], st.SearchStrategy[dict[str, bytes]]]] = {
    "random-bytes": raw_bytes, "mutated-specs": mutated_specs, "openapi-shaped": structured_specs,
    "wsdl-shaped": wsdl_documents,
}


def run_round(strategy: st.SearchStrategy[dict[str, bytes]], examples: int) -> tuple[int, dict[str, bytes] | None,
                                                                                       str]:
    """``examples`` random examples; returns how many ran, the shrunk failing input (or None) and its error."""
    ran = 0
    last: dict[str, dict[str, bytes]] = {}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(files: dict[str, bytes]) -> None:
        nonlocal ran
        ran += 1
        last["files"] = files
        lints_cleanly(files)

    try:
        check()
    except Exception:  # noqa: BLE001 - any failure of the property is what we are looking for
        return ran, last.get("files"), traceback.format_exc(limit=-6)
    return ran, None, ""


def coverage_guided(arguments: list[str]) -> None:
    """Atheris (libFuzzer) over one file's bytes, with every specforge module instrumented."""
    import tempfile

    import atheris  # type: ignore[import-not-found]

    from specforge.lint.config import load_config

    load_config(rulesets=["all"], discover_config=False)  # import every rule's module before instrumenting
    lints_cleanly({"spec.yaml": b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"})
    lints_cleanly({"spec.wsdl": (Path(__file__).resolve().parents[1] / "fixtures/specs/calculator.wsdl").read_bytes()})
    atheris.instrument_all()
    tempfile.tempdir = tempfile.mkdtemp(prefix="specforge-atheris-")

    def one_input(data: bytes) -> None:
        lints_cleanly({"spec.wsdl" if data.lstrip()[:1] == b"<" else "spec.yaml": data})

    atheris.Setup([sys.argv[0], *arguments], one_input)
    atheris.Fuzz()


def main() -> None:
    if sys.argv[1:2] == ["--atheris"]:
        coverage_guided(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SPECFORGE_FUZZ_SECONDS", 600)))
    parser.add_argument("--round", type=int, default=200, help="examples per property before switching")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args()
    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    examples = dict.fromkeys(PROPERTIES, 0)
    failures = dict.fromkeys(PROPERTIES, 0)
    while time.monotonic() < deadline:
        for name, strategy in PROPERTIES.items():
            if time.monotonic() >= deadline:
                break
            ran, failing, error = run_round(strategy(), args.round)
            examples[name] += ran
            if failing is not None:
                failures[name] += 1
                folder = args.out / f"{name}-{failures[name]}"
                folder.mkdir(parents=True, exist_ok=True)
                for file, content in failing.items():
                    (folder / file).write_bytes(content)
                (folder / "error.txt").write_text(error, encoding="utf-8")
                print(f"FAILURE {name}: {folder}\n{error}", flush=True)
    elapsed = time.monotonic() - started
    print(f"{elapsed:.0f} s, {sum(examples.values())} examples, {sum(failures.values())} failures")
    for name in PROPERTIES:
        print(f"  {name:16} {examples[name]:8} examples  {failures[name]} failures")
    sys.exit(1 if any(failures.values()) else 0)


if __name__ == "__main__":
    main()
