"""Time and memory of a process and everything it started, read from /proc (Linux), for the benchmarks.

``run_timed(command)`` gives the wall time and the largest process's peak RSS, with nothing else
running beside it. ``run_sampled(command)`` runs a command to completion and reports its wall time and the peak of the
whole process tree's memory, sampled every few milliseconds: RSS summed over processes (a page shared
by two processes counts twice, as ``ps`` shows it) and PSS (each shared page split among its users:
the memory the run really costs). A tool that forks workers is charged for all of them. Sampling
reads every process's page tables, which takes CPU from the measured tool (most from one using every
core): time a tool with ``run_timed``, not from a sampled run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_RSS = re.compile(r"^Rss:\s+(\d+) kB", re.MULTILINE)
_PSS = re.compile(r"^Pss:\s+(\d+) kB", re.MULTILINE)


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return tree


def tree_memory_kb(root: int) -> tuple[int, int]:
    """(RSS, PSS) of the process tree below ``root``, in kB."""
    rss = pss = 0
    for pid in process_tree(root):
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found_rss, found_pss = _RSS.search(rollup), _PSS.search(rollup)
        rss += int(found_rss.group(1)) if found_rss else 0
        pss += int(found_pss.group(1)) if found_pss else 0
    return rss, pss


@dataclass(frozen=True)
class Run:
    wall: float
    largest_rss_mb: int  # the largest single process's peak (exact, from the kernel via /usr/bin/time)
    tree_rss_mb: int  # the peak of the summed RSS of all processes (sampled)
    tree_pss_mb: int  # the peak of the summed PSS of all processes (sampled)
    code: int


def run_timed(command: list[str], cwd: str | None = None) -> Run:
    """Run ``command`` (output discarded) unobserved: its wall time and largest process's peak RSS."""
    return run_sampled(command, cwd, interval=None)


def run_sampled(command: list[str], cwd: str | None = None, interval: float | None = 0.02) -> Run:
    """Run ``command`` (output discarded) and sample its tree's memory every ``interval`` seconds until
    it exits (with None, not at all: the tree figures are then 0).
    """
    timer = shutil.which("time") or "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        start = time.perf_counter()
        process = subprocess.Popen([timer, "-f", "%M", "-o", out.name, *command], cwd=cwd,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak_rss = peak_pss = 0
        if interval is None:
            process.wait()
        while process.poll() is None:
            rss, pss = tree_memory_kb(process.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(interval)
        wall = time.perf_counter() - start
        lines = Path(out.name).read_text().strip().splitlines()
    largest = int(lines[-1]) // 1024 if lines and lines[-1].isdigit() else 0
    return Run(wall, largest, max(largest, peak_rss // 1024), peak_pss // 1024, process.returncode)
