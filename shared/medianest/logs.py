"""Structured JSON logs with a request id on every line and secrets redacted from every line.

Redaction works on the final formatted line (message, extras and traceback alike): known secret values
(settings, and values registered at run time such as decrypted tokens) and secret-shaped patterns.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import threading
from typing import Any

from pythonjsonlogger.json import JsonFormatter

REDACTED = "[REDACTED]"
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("medianest_request_id", default="")

_PATTERNS = [
    # X-Plex-Token=..., api_key: ..., "Authorization": "..." in query strings, headers or dict dumps
    re.compile(r"(?i)((?:x-plex-token|x-api-key|api[_-]?key|authorization|password|secret|token)"
               r"[\"']?\s*[:=]\s*[\"']?)(?:Bearer\s+|Basic\s+)?[^\s\"'&,;}]+"),
    # webhook secret in a Plex webhook path
    re.compile(r"(/webhooks/plex/|/plex/(?=[A-Za-z0-9_-]{20,}))[A-Za-z0-9_-]+"),
    # JWTs
    re.compile(r"()eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+"),
]


class Redactor:
    """Holds the secret values to scrub; shared by every handler of the process."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def register(self, *values: str | None) -> None:
        with self._lock:
            self._values.update(v for v in values if v and len(v) >= 6)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __call__(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, REDACTED)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
        return text


redact = Redactor()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class RedactingJsonFormatter(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (test runners and servers swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    """Install one JSON handler on the root logger (idempotent: functions mounted together share it)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if getattr(handler, "_medianest", False):
            return
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler._medianest = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(RedactingJsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    ))
    root.addHandler(handler)
    # Outbound libraries log full URLs (with tokens in the query) at DEBUG; keep them quiet.
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
