"""The downloads function: the YouTube download queue API (jobs run in the RQ worker)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from medianest.config import Settings
from medianest.web import make_app


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the downloads function's app."""
    return make_app("downloads", config)
