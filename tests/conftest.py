"""Shared fixtures: a throwaway PostgreSQL database and a dedicated Redis db per test run, real settings,
function apps, and signed-in test clients. Outside services are faked; our own stores never are."""

from __future__ import annotations

import base64
import os
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis as redis_lib
from flask import Flask
from flask.testing import FlaskClient

from medianest import devstack, http, integrations
from medianest.config import Settings, load_settings
from medianest.crypto import Sealer
from medianest.db import close_all, migrate
from medianest.sessions import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE, SessionManager
from medianest.store import sealed, service_config

# Fakes of plex.tv, Plex, Overseerr, Uptime Kuma and YouTube, served on 127.0.0.1 (fixtures fake_*).
pytest_plugins = ["fakes.pytest_plugin"]

TABLES = ("audit_log", "notifications", "media_request_history", "media_requests", "youtube_download_items",
          "youtube_downloads", "service_checks", "service_config", "app_settings", "users")


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("state")


@pytest.fixture(scope="session")
def pg_admin_url(state_dir: Path) -> str:
    """DATABASE_URL when set, else 127.0.0.1:5432 when it answers, else an embedded PostgreSQL."""
    return devstack.postgres_admin_url(state_dir)


@pytest.fixture(scope="session")
def database_url(pg_admin_url: str) -> Iterator[str]:
    name = f"medianest_test_{secrets.token_hex(6)}"
    url = devstack.create_database(pg_admin_url, name)
    migrate(url)
    yield url
    close_all()
    devstack.drop_database(pg_admin_url, name)


@pytest.fixture(scope="session")
def redis_server_url(state_dir: Path) -> str:
    return devstack.resolve_redis(state_dir)


@contextmanager
def claimed_redis_db(server_url: str) -> Iterator[str]:
    """A Redis db number no other test run (or stack) is using; flushed before and after."""
    base = server_url.rsplit("/", 1)[0] if server_url.count("/") > 2 else server_url
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    for db in devstack.TEST_REDIS_DBS:
        candidate = f"{base}/{db}"
        client = redis_lib.Redis.from_url(candidate)
        if client.set("mn:test-run-claim", token, nx=True, ex=3 * 3600):
            client.flushdb()
            client.set("mn:test-run-claim", token, ex=3 * 3600)
            try:
                yield candidate
            finally:
                client.flushdb()
                client.close()
            return
        client.close()
    pytest.fail("no free Redis database number for this test run (all are claimed)")


@pytest.fixture(scope="session")
def redis_url(redis_server_url: str) -> Iterator[str]:
    """This test run's own Redis db."""
    with claimed_redis_db(redis_server_url) as url:
        yield url


def make_settings(database_url: str, redis_url: str, media_root: Path, **overrides: Any) -> Settings:
    values = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIANEST_SECRET_KEY": "test-secret-key-" + secrets.token_hex(16),
        "MEDIANEST_ENCRYPTION_KEYS": f"t1:{base64.b64encode(os.urandom(32)).decode()}",
        "MEDIANEST_PUBLIC_URL": "http://localhost",
        "MEDIA_ROOT": str(media_root),
        "MEDIANEST_ADMIN_PASSWORD": "admin-password-for-tests",
        "PLEXTV_URL": "http://127.0.0.1:9",
        "MEDIANEST_SECRETS_DIR": str(media_root / "no-secrets-here"),
        **overrides,
    }
    return load_settings(values, environ={})


def derive(settings: Settings, **overrides: Any) -> Settings:
    """The same test installation (keys, stores) with some settings changed."""
    return load_settings({**settings.raw, **overrides}, environ={})


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def settings(database_url: str, redis_url: str, media_root: Path) -> Settings:
    return make_settings(database_url, redis_url, media_root)


@pytest.fixture(autouse=True)
def _clean_stores(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts from empty tables, an empty Redis db, closed circuit breakers and no cached service
    settings."""
    http.reset_breakers()
    integrations.forget_cached_configs()
    yield
    if "database_url" in request.fixturenames:
        url = request.getfixturevalue("database_url")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    if "redis_url" in request.fixturenames:
        client = redis_lib.Redis.from_url(request.getfixturevalue("redis_url"))
        claim = client.get("mn:test-run-claim")
        client.flushdb()
        if claim:
            client.set("mn:test-run-claim", claim, ex=3 * 3600)
        client.close()


@pytest.fixture
def db_conn(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    from psycopg.rows import dict_row

    with psycopg.connect(database_url, row_factory=dict_row, autocommit=True) as conn:
        yield conn


@pytest.fixture
def redis_client(redis_url: str) -> redis_lib.Redis:
    return redis_lib.Redis.from_url(redis_url, decode_responses=True)


def create_user(conn: psycopg.Connection[Any], role: str = "user", username: str | None = None,
                plex_id: int | None = None, status: str = "active") -> dict[str, Any]:
    row = conn.execute(
        "INSERT INTO users (plex_id, username, email, role, status) VALUES (%s, %s, %s, %s, %s)"
        " RETURNING id, username, role, status",
        (plex_id or secrets.randbelow(10**9) + 1, username or f"user-{uuid.uuid4().hex[:8]}",
         f"{uuid.uuid4().hex[:8]}@example.org", role, status),
    ).fetchone()
    return dict(row)


def sign_in(client: FlaskClient, settings: Settings, user: dict[str, Any]) -> dict[str, str]:
    """Give a test client the cookies a real sign-in sets; returns the session's tokens."""
    manager = SessionManager(redis_lib.Redis.from_url(settings.redis_url, decode_responses=True),
                             settings.secret_key, settings.access_ttl, settings.refresh_ttl)
    issued = manager.create(str(user["id"]), user["role"], "127.0.0.1", "pytest")
    client.set_cookie(ACCESS_COOKIE, issued.access_token)
    client.set_cookie(REFRESH_COOKIE, issued.refresh_token, path="/api/v1/auth")
    client.set_cookie(CSRF_COOKIE, issued.csrf_token)
    return {"session_id": issued.session_id, "access": issued.access_token, "refresh": issued.refresh_token,
            "csrf": issued.csrf_token}


@pytest.fixture
def make_user(db_conn: psycopg.Connection[Any]) -> Callable[..., dict[str, Any]]:
    return lambda **kw: create_user(db_conn, **kw)


@pytest.fixture
def signed_in(settings: Settings) -> Callable[[Flask, dict[str, Any]], tuple[FlaskClient, dict[str, str]]]:
    """`client, tokens = signed_in(app, user)`; state-changing calls need headers={"X-CSRF-Token": ...}."""

    def _signed_in(app: Flask, user: dict[str, Any]) -> tuple[FlaskClient, dict[str, str]]:
        client = app.test_client()
        return client, sign_in(client, settings, user)

    return _signed_in


@pytest.fixture
def configure(settings: Settings, db_conn: psycopg.Connection[Any]) -> Callable[..., None]:
    """`configure(name, url, api_key, options, machine_identifier, enabled)`: a service row stored directly, as
    `PUT /services/{name}` stores it (key sealed)."""

    def _configure(name: str, url: str | None, api_key: str | None = None, options: dict[str, Any] | None = None,
                   machine_identifier: str | None = None, enabled: bool = True) -> None:
        envelope = Sealer(settings.encryption_keys).seal(api_key, sealed.SERVICE_API_KEY.aad(name)) if api_key else None
        service_config.upsert(db_conn, name, url=url, enabled=enabled, options=options or {}, updated_by=None,
                              api_key_sealed=envelope, machine_identifier=machine_identifier)
        integrations.forget_cached_configs()  # as the status function does after saving

    return _configure


def wait_for_bus_listener(client: redis_lib.Redis, timeout: float = 5.0) -> None:
    """Block until something in this Redis db's namespace listens to the event bus.

    Pub/sub is server-wide, so counting subscriptions would see other runs' listeners; a probe on our own
    namespaced channels is answered only by ours. Probes go to topic `admin` as `system:alert` with
    `{"probe": true}`; listeners in tests drop them.
    """
    from medianest import events

    deadline = time.monotonic() + timeout
    while events.publish(client, "admin", "system:alert", {"probe": True}) < 1:
        assert time.monotonic() < deadline, "no event-bus listener came up"
        time.sleep(0.02)


def is_probe(event: Any) -> bool:
    data = event.data if hasattr(event, "data") else event.get("data", {})
    return bool(data.get("probe"))
