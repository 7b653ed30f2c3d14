"""The auth function: Plex PIN sign-in, local admin sign-in, sessions, users and notifications."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from medianest.config import Settings
from medianest.web import make_app


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the auth function's app."""
    return make_app("auth", config)
