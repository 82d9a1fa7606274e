"""Fuzzing the loaders: whatever a file holds, ``lint_file`` returns findings or a ``SpecforgeError``.

The property: no other exception, no hang (an alarm stops an example after ``EXAMPLE_SECONDS``),
an error message of one line, findings at real positions. Every rule runs (``-r all``), so a rule
tripping over what a loader let through fails here too. CI runs a fixed, derandomized number of
examples (about 20 s in all); ``benchmarks/fuzz_loaders.py`` runs the same properties with fresh
seeds for as long as asked.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from specforge.errors import SpecforgeError
from specforge.lint.api import FileResult, lint_file
from specforge.lint.config import Config, load_config
from tests.fuzz.loader_inputs import mutated_specs, raw_bytes, structured_specs, wsdl_documents

EXAMPLE_SECONDS = 10
CI = settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class ExampleTooSlow(Exception):
    """An example ran past ``EXAMPLE_SECONDS``: a hang, as far as a linter is concerned."""


@cache
def every_rule() -> Config:
    return load_config(rulesets=["all"], discover_config=False)


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise ExampleTooSlow(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lints_cleanly(files: dict[str, bytes]) -> FileResult:
    """Write ``files`` into a fresh folder inside another (so ``../`` leads out of the root) and lint the first."""
    outer = Path(tempfile.mkdtemp(prefix="specforge-fuzz-"))
    try:
        (outer / "secret.yaml").write_text("secret: true\n", encoding="utf-8")
        folder = outer / "root"
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content)
        with alarm(EXAMPLE_SECONDS):
            result = lint_file(folder / next(iter(files)), every_rule())
    finally:
        shutil.rmtree(outer, ignore_errors=True)
    if result.error is not None:
        assert isinstance(result.error, SpecforgeError)
        message = str(result.error)
        assert message and "\n" not in message, repr(message)
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1, finding
        assert "secret: true" not in finding.message
    return result


@CI
@given(raw_bytes())
def test_random_bytes(files: dict[str, bytes]) -> None:
    lints_cleanly(files)


@CI
@given(mutated_specs())
def test_mutated_real_specs(files: dict[str, bytes]) -> None:
    lints_cleanly(files)


@CI
@given(structured_specs())
def test_openapi_shaped_documents(files: dict[str, bytes]) -> None:
    lints_cleanly(files)


@CI
@given(wsdl_documents())
def test_wsdl_shaped_documents(files: dict[str, bytes]) -> None:
    lints_cleanly(files)
