"""Ctrl+C (SIGINT) or SIGTERM during ``specforge lint``: exit 130 (143), one line on stderr, no traceback from
the main or the worker processes, output files and baselines left as they were, no temporary files, and a
cache that still answers afterwards.

The real program runs in a subprocess over a small clean file, a broken file and large generated specs.
The signal is sent when the broken file's error line appears on stderr: by then the lint loop is running
and the large specs (seconds each) are surely not done, so the timing does not depend on the machine.
For one file shared out to forked workers, the signal is sent once such a worker exists.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from specforge.cli import lint as lint_command
from specforge.interrupts import held_signals
from specforge.lint.forked import MIN_FORK_CHARS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")

SMALL = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: OK}
"""
BIG_SPECS = 4
BIG_OPERATIONS = 2000  # about 2 s each with every rule on a fast machine


def _big_spec(title: str, operations: int = BIG_OPERATIONS) -> str:
    paths = {
        f"/items{i}/{{id}}": {"get": {
            "operationId": f"get{i}",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[a-z]+$"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}},
                "example": {"a": "x", "b": 1}}}}}}}
        for i in range(operations)}
    return json.dumps({"openapi": "3.0.3", "info": {"title": title, "version": "1"}, "paths": paths})


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("specs")
    (folder / "small.yaml").write_text(SMALL, encoding="utf-8")
    (folder / "broken.yaml").write_text("openapi: 3.0.3\ninfo: [\n", encoding="utf-8")
    for i in range(BIG_SPECS):
        (folder / f"big{i}.json").write_text(_big_spec(f"Big {i}"), encoding="utf-8")
    operations = BIG_OPERATIONS
    while len(huge := _big_spec("Huge", operations)) < MIN_FORK_CHARS:  # large enough to be shared out
        operations += BIG_OPERATIONS // 2
    (folder / "huge.json").write_text(huge, encoding="utf-8")
    return folder


FILES = ["small.yaml", "broken.yaml", *(f"big{i}.json" for i in range(BIG_SPECS))]
MARKER = "specforge: error: broken.yaml:"


def _interrupt(specs: Path, args: list[str], *, signum: int = signal.SIGINT, group: bool = True,
               cwd: Path | None = None) -> tuple[int, list[str]]:
    """Run ``specforge lint FILES ARGS``, signal it once the broken file is reported; (exit code, stderr lines)."""
    env = {**os.environ, "SPECFORGE_CACHE_DIR": str(specs / "default-cache")}
    process = subprocess.Popen([sys.executable, "-m", "specforge", "lint", "-r", "all", *FILES, *args],
                               cwd=cwd or specs, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    try:
        while not (seen and seen[-1].startswith(MARKER)):
            line = lines.get(timeout=120)
            assert line is not None, f"lint ended before the marker: {seen}"
            seen.append(line)
        assert process.poll() is None, "lint already finished: make the big specs bigger"
        if group:  # as a terminal's Ctrl+C does: the main process and its workers all get the signal
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        code = process.wait(timeout=60)
        while (line := lines.get(timeout=60)) is not None:  # EOF: no process (worker) holds stderr any more
            seen.append(line)
    finally:
        if process.poll() is None:
            process.kill()
    return code, seen


def _assert_one_line(stderr: list[str]) -> None:
    assert stderr[0].startswith(MARKER)
    assert stderr[1:] == ["specforge: interrupted"], "\n".join(stderr)


def _previous_outputs(folder: Path, names: list[str]) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(f"previous {name}\n", encoding="utf-8")
    return {name: f"previous {name}\n" for name in names}


def _files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_run_leaves_previous_outputs_and_no_temporaries(specs: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    before = _previous_outputs(out, ["report.sarif", "report.json"])
    code, stderr = _interrupt(specs, ["--jobs", jobs, "--output", f"sarif={out / 'report.sarif'}",
                                      "--output", f"json={out / 'report.json'}"])
    assert code == 130
    _assert_one_line(stderr)
    assert _files(out) == before


def test_interrupt_reaching_only_the_main_process_stops_the_workers(specs: Path, tmp_path: Path) -> None:
    code, stderr = _interrupt(specs, ["--jobs", "2", "-o", f"json={tmp_path / 'report.json'}"], group=False)
    assert code == 130
    _assert_one_line(stderr)
    assert list(tmp_path.iterdir()) == []


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="one large file is shared out by fork on Linux")
def test_interrupt_while_one_large_file_is_shared_out_to_forked_workers(specs: Path, tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "specforge", "lint", "-r", "all", "huge.json", "--jobs", "2",
                                "-o", f"json={tmp_path / 'report.json'}"], cwd=specs, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (workers := _children(process.pid)):  # the known point: a forked worker checks its share
            assert process.poll() is None and time.monotonic() < deadline, "no forked worker appeared"
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert stderr == "specforge: interrupted\n"
    assert not any(_running(worker) for worker in workers)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_baseline_keeps_the_old_baseline(specs: Path, tmp_path: Path) -> None:
    before = _previous_outputs(tmp_path, ["baseline.json"])
    code, stderr = _interrupt(specs, ["--jobs", "2", "--write-baseline", str(tmp_path / "baseline.json")])
    assert code == 130
    _assert_one_line(stderr)
    assert _files(tmp_path) == before


@pytest.mark.parametrize(("jobs", "signum", "code"), [("1", signal.SIGINT, 130), ("2", signal.SIGTERM, 143)])
def test_cache_survives_an_interrupt(specs: Path, tmp_path: Path, jobs: str, signum: int, code: int) -> None:
    cache = tmp_path / "cache"
    exit_code, stderr = _interrupt(specs, ["--jobs", jobs, "--cache", "--cache-dir", str(cache)], signum=signum)
    assert exit_code == code
    _assert_one_line(stderr)
    entries = sorted(cache.iterdir())
    assert entries and all(entry.suffix == ".json" for entry in entries), entries  # small.yaml's, no *.tmp
    assert all(isinstance(orjson.loads(entry.read_bytes()), dict) for entry in entries)
    stamps = {entry: entry.stat().st_mtime_ns for entry in entries}

    def lint(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "specforge", "lint", "-r", "all", "small.yaml", "-f", "json",
                               *extra], cwd=specs, capture_output=True, text=True, timeout=120)

    cached, fresh = lint("--cache", "--cache-dir", str(cache)), lint("--no-cache")
    assert (cached.returncode, cached.stderr) == (fresh.returncode, fresh.stderr) == (1, "")
    assert json.loads(cached.stdout)["findings"] == json.loads(fresh.stdout)["findings"] != []
    assert {entry: entry.stat().st_mtime_ns for entry in sorted(cache.iterdir())} == stamps  # a hit: not rewritten


def test_interrupt_while_writing_outputs_renames_none_and_removes_temporaries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _previous_outputs(tmp_path, ["a.sarif", "b.json"])
    real_write = Path.write_text

    def write_then_interrupt(self: Path, text: str, *args: object, **kwargs: object) -> int:
        written = real_write(self, text[: len(text) // 2], *args, **kwargs)  # type: ignore[arg-type]
        if self.name.startswith(".b.json."):
            raise KeyboardInterrupt  # the second output is half written
        return written

    monkeypatch.setattr(Path, "write_text", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        lint_command._write([(tmp_path / "a.sarif", "new sarif"), (tmp_path / "b.json", "new json")])
    monkeypatch.undo()
    assert _files(tmp_path) == before


def test_held_signals_defer_an_interrupt_until_the_step_is_done() -> None:
    # Python's own handler, also when pytest was started in the background (SIGINT is ignored there)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    done = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with held_signals():
                os.kill(os.getpid(), signal.SIGINT)
                done.append("renamed")  # not cut short
    finally:
        signal.signal(signal.SIGINT, previous)
    assert done == ["renamed"]
