"""Every case of ``fixtures/hostile/cases.yaml``: ``specforge lint -r all`` in a subprocess, under bounds.

Each case runs the real CLI with at most ``MEMORY_LIMIT`` bytes of address space and ``WALL_SECONDS``
of wall time, with an audit hook recording every file opened and every network call. It must exit
with the case's code (never anything but 0, 1 or 2); exit 2 means exactly one stderr line
``specforge: error: <file>: <reason>``; findings are checked by rule id and line:column. No case
may open a file outside its folder (``../secret.*`` sit right beside it, ``/etc/passwd`` further
away), touch the network, or print a secret.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.hostile.generated import GENERATORS

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "fixtures" / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))["cases"]

MEMORY_LIMIT = 1024 * 1024 * 1024  # RLIMIT_AS: address space, so a little above the peak RSS it allows
WALL_SECONDS = 20
SECRET = "SPECFORGE-SECRET-MARKER"
NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.bind", "urllib.Request")

#: Runs the CLI with an audit hook that logs (unbuffered, to a file descriptor) every open and network event.
BOOTSTRAP = f"""
import os, sys
log = int(os.environ["SPECFORGE_AUDIT_FD"])
NETWORK = {NETWORK_EVENTS!r}
def audit(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        os.write(log, b"open " + os.fsencode(args[0]) + b"\\n")
    elif event in NETWORK:
        os.write(log, ("network " + event + " " + repr(args)[:200] + "\\n").encode())
sys.addaudithook(audit)
sys.argv[0] = "specforge"
from specforge.cli import run
run()
"""


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _prepare(case: dict, root: Path) -> tuple[Path, str]:
    """Copy (or generate) the case into ``root/work`` with secrets beside it; return the work folder and file."""
    work = root / "work"
    work.mkdir()
    for name in ("secret.yaml", "secret.xsd", "secret.wsdl"):
        (root / name).write_text(f"{SECRET}: true\n" if name.endswith(".yaml") else f"<x>{SECRET}</x>\n",
                                 encoding="utf-8")
    file = case["file"]
    if "generate" in case:
        GENERATORS[case["generate"]](work, file)
    else:
        top = file.split("/")[0]
        source = HOSTILE / top
        if source.is_dir():
            shutil.copytree(source, work / top)
        else:
            shutil.copy(source, work / top)
    if "config" in case:
        shutil.copy(HOSTILE / case["config"], work / ".specforge.yaml")
    return work, file


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled rule catalogue's cache folder, shared by the cases (it is read and written)."""
    return tmp_path_factory.mktemp("specforge-cache")


def _run(work: Path, file: str, env: dict[str, str], cache: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log_path = work.parent / "audit.log"
    with open(log_path, "wb") as log:
        inherited = {k: v for k, v in os.environ.items() if k != "SPECFORGE_MAX_FILE_MB"}  # the default bound
        environment = {**inherited, **env, "SPECFORGE_AUDIT_FD": str(log.fileno()), "PYTHONPATH": str(REPO),
                       "SPECFORGE_CACHE_DIR": str(cache)}
        result = subprocess.run(
            [sys.executable, "-c", BOOTSTRAP, "lint", "-r", "all", "-f", "json", file],
            cwd=work, env=environment, capture_output=True, text=True, errors="replace",
            preexec_fn=_bounded, pass_fds=(log.fileno(),), timeout=WALL_SECONDS,
        )
    return result, log_path.read_bytes().decode("utf-8", "replace").splitlines()


def _outside(opened: str, work: Path, cache: Path) -> bool:
    """Whether an opened path is outside the case folder, specforge's cache and Python's own files."""
    path = Path(opened)
    if not path.is_absolute():
        path = work / path
    allowed = {work.resolve(), cache.resolve(), REPO, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
               Path("/dev/null")}
    resolved = Path(os.path.abspath(path))
    return not any(resolved == base or resolved.is_relative_to(base) for base in allowed)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_document(name: str, tmp_path: Path, cache_dir: Path) -> None:
    case = CASES[name]
    work, file = _prepare(case, tmp_path)
    env = {key: str(value) for key, value in case.get("env", {}).items()}
    result, audit = _run(work, case.get("lint", file), env, cache_dir)

    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 1, 2), result.stderr[-3000:]
    assert result.returncode == case["exit"], result.stderr[-3000:]
    if case["exit"] == 2:
        assert result.stderr.splitlines() == [f"specforge: error: {case['error'].replace('{work}', str(work))}"]
    else:
        assert result.stderr == ""
        findings = json.loads(result.stdout)["findings"]
        got = {(f["rule"], f["file"], f["line"], f["column"]): f["message"] for f in findings}
        for expected in case.get("findings", []):
            key = (expected["rule"], expected.get("file", file), expected["line"], expected["column"])
            assert key in got, f"missing {key}; got {sorted(k for k in got if k[0] == expected['rule'])[:10]}"
            assert expected["message"] in got[key]
        for rule in case.get("absent", []):
            unexpected = sorted(k for k in got if k[0] == rule)
            assert not unexpected, f"unexpected {len(unexpected)} {rule}: {unexpected[:10]}"

    network = [line for line in audit if line.startswith("network ")]
    assert network == [], network
    opened = [line[5:] for line in audit if line.startswith("open ")]
    assert [path for path in opened if _outside(path, work, cache_dir)] == []
    output = result.stdout + result.stderr
    assert SECRET not in output
    assert "root:x:0:0" not in output  # /etc/passwd's first line
