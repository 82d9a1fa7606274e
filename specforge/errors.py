"""Errors that stop a run: each carries the exit code and a one-line message."""

from __future__ import annotations


class SpecforgeError(Exception):
    """Base class: the CLI prints ``specforge: error: <message>`` and exits with ``exit_code``."""

    exit_code = 2


class InputError(SpecforgeError):
    """A file could not be read or is not a document specforge can lint."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class ConfigError(SpecforgeError):
    """A configuration or ruleset is broken; names the file and, when known, the line."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason
