"""Fixtures for the auth function: its app (mounted at /api/v1/auth like behind the router), a faked
plex.tv, a linked Plex server, and helpers to walk through a Plex sign-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient

from functions.auth.app import create_app
from medianest.config import Settings
from medianest.crypto import Sealer
from medianest.sessions import CSRF_COOKIE
from medianest.store.sealed import SERVICE_API_KEY
from tests.auth.plextv_fake import MACHINE_ID, FakePlexTv

PREFIX = "/api/v1/auth"


@pytest.fixture
def app(settings: Settings) -> Flask:
    """The auth app; test-client paths get the router's prefix, so path-scoped cookies behave as in a browser."""
    application = create_app(settings)
    application.config["APPLICATION_ROOT"] = PREFIX
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def plextv(settings: Settings) -> Iterator[FakePlexTv]:
    fake = FakePlexTv(settings.plextv_url)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield fake


@pytest.fixture
def link_server(db_conn: psycopg.Connection[Any], settings: Settings, plextv: FakePlexTv) -> Callable[..., None]:
    """Link our Plex server as the status function does: machineIdentifier plus the owner's sealed token."""

    def _link(machine_id: str = MACHINE_ID, with_token: bool = True) -> None:
        sealed = Sealer(settings.encryption_keys).seal(plextv.accounts["owner"].token, SERVICE_API_KEY.aad("plex"))
        db_conn.execute(
            "INSERT INTO service_config (name, url, api_key_sealed, machine_identifier)"
            " VALUES ('plex', 'http://127.0.0.1:32400', %s, %s)"
            " ON CONFLICT (name) DO UPDATE SET api_key_sealed = EXCLUDED.api_key_sealed,"
            " machine_identifier = EXCLUDED.machine_identifier",
            (sealed if with_token else None, machine_id),
        )

    return _link


@pytest.fixture
def linked(link_server: Callable[..., None]) -> None:
    link_server()


def csrf_headers(client: FlaskClient) -> dict[str, str]:
    """The double-submit header matching the client's mn_csrf cookie."""
    cookie = client.get_cookie(CSRF_COOKIE)
    return {"X-CSRF-Token": cookie.value if cookie else ""}


def plex_sign_in(client: FlaskClient, plextv: FakePlexTv, account: str) -> Any:
    """Create a PIN, let plex.tv approve it as `account`, poll once; returns the poll's response."""
    created = client.post("/plex/pin")
    assert created.status_code == 201, created.get_json()
    pin_id = created.get_json()["pin_id"]
    plextv.approve(pin_id, account)
    return client.get(f"/plex/pin/{pin_id}")
