"""The status function: service health, history and the service settings (admin)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from medianest.config import Settings
from medianest.web import make_app


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the status function's app."""
    return make_app("status", config)
