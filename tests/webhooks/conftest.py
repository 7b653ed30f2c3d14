"""Webhooks fixtures: the app, its secrets, a linked Plex server and requests to change."""

from __future__ import annotations

from typing import Any

import pytest

from functions.webhooks.app import create_app
from medianest import webhook_secrets
from medianest.crypto import Sealer
from medianest.store import media_requests, service_config

MACHINE_ID = "5e0c1a7f3b9d4e2c8a6f0b1d3c5e7a9b2d4f6a8c"


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def secrets(settings, db_conn) -> webhook_secrets.WebhookSecrets:
    return webhook_secrets.get(db_conn, Sealer(settings.encryption_keys))


@pytest.fixture
def linked_plex(db_conn) -> str:
    service_config.upsert(db_conn, "plex", url="http://127.0.0.1:9", enabled=True, options={}, updated_by=None,
                          machine_identifier=MACHINE_ID)
    return MACHINE_ID


@pytest.fixture
def make_request(db_conn, make_user):
    ids = iter(range(7, 10_000))

    def _make(status: str = "pending", overseerr_id: int | None = -1, tmdb_id: int = 603, media_type: str = "movie",
              user: dict[str, Any] | None = None, title: str = "The Matrix") -> dict[str, Any]:
        """The first request gets Overseerr id 7 (what the test notifications name), later ones 8, 9, ..."""
        owner = user or make_user()
        overseerr_id = next(ids) if overseerr_id == -1 else overseerr_id
        return media_requests.create(db_conn, user_id=owner["id"], overseerr_id=overseerr_id, tmdb_id=tmdb_id,
                                     media_type=media_type, title=title, year=1999, poster_path=None, seasons=[],
                                     status=status)

    return _make
