"""The realtime function: one WebSocket per browser tab at /ws, fed by the event bus."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from medianest.config import Settings
from medianest.web import make_app


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the realtime function's app."""
    return make_app("realtime", config)
