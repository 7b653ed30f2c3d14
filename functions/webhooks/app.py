"""The webhooks function: Overseerr and Plex notifications in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from medianest.config import Settings
from medianest.web import make_app


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the webhooks function's app."""
    return make_app("webhooks", config)
