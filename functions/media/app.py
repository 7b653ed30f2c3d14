"""The media function: the Plex library, posters, Overseerr discovery and requests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from medianest.config import Settings
from medianest.web import make_app


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the media function's app."""
    return make_app("media", config)
