"""Status function fixtures: the app, an admin and a user client (services are stored with `configure`)."""

from __future__ import annotations

import pytest

from functions.status.app import create_app
from medianest.config import Settings

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
