"""Spectral rulesets: ``.spectral.yaml`` files translated to specforge rules, and the JSONPath-Plus
evaluator their ``given`` paths run on (``jsonpath``, ``filters``, ``ruleset``, ``given``).

Finding a ruleset lives here, so that looking for one costs no import of the evaluator.
"""

from __future__ import annotations

from pathlib import Path

SPECTRAL_NAMES = (".spectral.yaml", ".spectral.yml", ".spectral.json")


def discover_spectral(folder: Path) -> Path | None:
    """``.spectral.yaml``, ``.spectral.yml`` or ``.spectral.json`` in ``folder``."""
    for name in SPECTRAL_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None
