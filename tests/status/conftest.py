"""Status function fixtures: the app, an admin and a user client, configured services."""

from __future__ import annotations

from typing import Any

import pytest

from functions.status.app import create_app
from medianest.config import Settings
from medianest.crypto import Sealer
from medianest.store import sealed, service_config

PLEX = "http://plex.test:32400"
OVERSEERR = "http://overseerr.test:5055"
KUMA = "http://kuma.test:3001"
MACHINE_ID = "96f2fe7a78c9dc1f16a16bedbe90f98149be16b4"


@pytest.fixture
def app(settings: Settings):
    return create_app(settings)


@pytest.fixture
def admin(app, make_user, signed_in):
    client, tokens = signed_in(app, make_user(role="admin"))
    client.environ_base["HTTP_X_CSRF_TOKEN"] = tokens["csrf"]
    return client


@pytest.fixture
def user(app, make_user, signed_in):
    client, tokens = signed_in(app, make_user())
    client.environ_base["HTTP_X_CSRF_TOKEN"] = tokens["csrf"]
    return client


@pytest.fixture
def configure(settings: Settings, db_conn):
    """Store a service row directly (the way a PUT would), key sealed."""

    def _configure(name: str, url: str | None, api_key: str | None = None, options: dict[str, Any] | None = None,
                   machine_identifier: str | None = None, enabled: bool = True) -> None:
        envelope = Sealer(settings.encryption_keys).seal(api_key, sealed.SERVICE_API_KEY.aad(name)) if api_key else None
        service_config.upsert(db_conn, name, url=url, enabled=enabled, options=options or {}, updated_by=None,
                              api_key_sealed=envelope, machine_identifier=machine_identifier)

    return _configure
