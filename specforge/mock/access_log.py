"""One log line per request: method, path, status, the response chosen and why (violations when rejected)."""

from __future__ import annotations

import logging
import sys
import time

import orjson

LOGGER_NAME = "specforge.mock"


def configure(log_format: str = "text", stream=None) -> logging.Logger:
    """The mock's logger, writing plain lines to stderr (idempotent)."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(getattr(h, "_specforge", False) for h in logger.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._specforge = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class RequestLog:
    """Formats and writes request lines (``text`` or ``json``)."""

    def __init__(self, log_format: str = "text", logger: logging.Logger | None = None) -> None:
        if log_format not in ("text", "json"):
            raise ValueError(f"log format must be 'text' or 'json', not {log_format!r}")
        self.json = log_format == "json"
        self.logger = logger or logging.getLogger(LOGGER_NAME)

    def request(self, method: str, path: str, status: int, note: str, violations: list, seconds: float) -> None:
        if not self.logger.isEnabledFor(logging.INFO):
            return
        ms = round(seconds * 1000, 2)
        if self.json:
            record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "method": method, "path": path,
                      "status": status, "response": note, "ms": ms}
            if violations:
                record["violations"] = [str(v) for v in violations]
            self.logger.info(orjson.dumps(record).decode())
            return
        line = f"{method} {path} -> {status} {note} ({ms} ms)"
        if violations:
            line += " | " + "; ".join(str(v) for v in violations)
        self.logger.info(line)

    def event(self, message: str, **fields: object) -> None:
        """A server event (reload, warning) in the same format."""
        if self.json:
            self.logger.info(orjson.dumps({"event": message, **fields}, default=str).decode())
        else:
            extra = " ".join(f"{k}={v}" for k, v in fields.items())
            self.logger.info(f"{message} {extra}".rstrip())
