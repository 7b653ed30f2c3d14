"""Faults: PostgreSQL stopped, Redis restarted, and outside services hanging, failing or talking nonsense.

The shared servers of the machine are never touched: each fault test breaks a private server of its own.
"""

from __future__ import annotations

import importlib
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis as redis_lib
from psycopg.rows import dict_row

from fakes import accounts
from fakes.overseerr.app import OVERSEERR_API_KEY
from functions.status import jobs
from medianest import devstack
from medianest.db import close_all, migrate
from medianest.http import reset_breakers
from medianest.redisconn import close_all as close_redis
from medianest.sessions import SessionManager
from tests.conftest import create_user, derive, sign_in


@pytest.fixture
def private_postgres(tmp_path: Path) -> Iterator[Any]:
    """A PostgreSQL of our own (pgserver), migrated, that the test may stop and start."""
    import pgserver

    server = pgserver.get_server(str(tmp_path / "pg"), cleanup_mode="stop")
    url = devstack.create_database(server.get_uri("postgres"), "medianest")
    migrate(url)
    yield server, url
    close_all()
    server.cleanup()


def _wait(predicate: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.1)


def test_postgres_stopped_then_back(private_postgres, settings) -> None:
    server, url = private_postgres
    app = importlib.import_module("functions.auth.app").create_app(derive(settings, DATABASE_URL=url))
    client = app.test_client()
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        user = create_user(conn)
    sign_in(client, settings, user)
    assert client.get("/me").status_code == 200
    users_before = _count_users(url)

    server.cleanup()  # PostgreSQL goes away under a running function
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["error"]["details"] == {"database": "unavailable", "redis": "ok"}
    down = client.get("/me")
    assert down.status_code == 503
    assert down.get_json()["error"]["code"] == "database_unavailable"
    assert client.get("/healthz").status_code == 200  # alive, just not ready

    server.ensure_postgres_running()  # back, same address: the pool heals without a restart
    _wait(lambda: client.get("/readyz").status_code == 200)
    assert client.get("/me").status_code == 200
    assert _count_users(url) == users_before  # nothing half-written while it was down


def _count_users(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM users").fetchone()[0]


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A redis-server of our own with its append-only file on, so a restart keeps what it held."""
    binary = devstack.redis_server_binary()
    port = devstack.free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--appendonly", "yes",
            "--appendfsync", "always", "--save", ""]
    state = {"url": f"redis://127.0.0.1:{port}/0", "argv": argv}

    def start() -> None:
        state["process"] = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: devstack.redis_reachable(state["url"]))

    def stop() -> None:
        state["process"].send_signal(signal.SIGTERM)
        state["process"].wait(timeout=10)

    state["start"], state["stop"] = start, stop
    start()
    yield state
    if state["process"].poll() is None:
        stop()
    close_redis()


def test_redis_restart_keeps_sessions_and_everything_reconnects(private_redis, settings, make_user) -> None:
    url = private_redis["url"]
    app = importlib.import_module("functions.auth.app").create_app(
        derive(settings, REDIS_URL=url, MEDIANEST_RATE_LIMIT="5/minute"))
    client = app.test_client()
    user = make_user()
    manager = SessionManager(redis_lib.Redis.from_url(url, decode_responses=True), settings.secret_key)
    issued = manager.create(str(user["id"]), "user")
    client.set_cookie("mn_access", issued.access_token)
    assert client.get("/me").status_code == 200

    private_redis["stop"]()
    down = client.get("/me")
    assert down.status_code == 503
    assert down.get_json()["error"]["code"] == "cache_unavailable"
    assert client.get("/readyz").get_json()["error"]["details"]["redis"] == "unavailable"

    private_redis["start"]()
    _wait(lambda: client.get("/readyz").status_code == 200)
    assert client.get("/me").status_code == 200  # the session survived: Redis persisted it
    codes = [client.get("/me").status_code for _ in range(6)]
    assert 429 in codes  # rate limiting works again on the restarted server


@pytest.fixture
def services_on_fakes(configure, fake_plex, fake_overseerr, fake_uptimekuma) -> dict[str, Any]:
    configure("plex", fake_plex.url, accounts.OWNER_TOKEN, machine_identifier=accounts.PLEX_MACHINE_ID)
    configure("overseerr", fake_overseerr.url, OVERSEERR_API_KEY)
    configure("uptime_kuma", fake_uptimekuma.url, options={"slug": fake_uptimekuma.slug})
    return {"plex": fake_plex, "overseerr": fake_overseerr, "uptime_kuma": fake_uptimekuma}


FEATURES = {"plex": ["/libraries", "/search?q=matrix"], "overseerr": ["/discover?q=matrix"]}


@pytest.mark.parametrize("mode", ["hang", "error", "garbage", "down"])
@pytest.mark.parametrize("service", ["plex", "overseerr", "uptime_kuma"])
def test_a_failing_service_degrades_only_its_own_features(services_on_fakes, settings, make_user, signed_in,
                                                          service: str, mode: str) -> None:
    fast = derive(settings, MEDIANEST_HTTP_READ_TIMEOUT="1", MEDIANEST_HTTP_CONNECT_TIMEOUT="1",
                  MEDIANEST_RATE_LIMIT="100000/minute")
    media = importlib.import_module("functions.media.app").create_app(fast)
    client, _ = signed_in(media, make_user())
    services_on_fakes[service].set_mode(mode)
    try:
        for name, paths in FEATURES.items():
            for path in paths:
                response = client.get(path)
                assert response.status_code < 500 or response.status_code == 503, (path, response.status_code)
                assert response.is_json, path
                if name == service:
                    assert response.status_code == 503, (path, response.get_json())
                    assert response.get_json()["error"]["message"]
                elif response.status_code == 503:
                    pytest.fail(f"{path} failed although only {service} is broken: {response.get_json()}")
        assert client.get("/requests").status_code == 200  # our own data is always there
        by_name = {s["name"]: s for s in jobs.run_checks(fast)["services"]}
        assert by_name[service]["status"] == "down", by_name[service]
        assert by_name[service]["message"]
        others = {"plex", "overseerr", "uptime_kuma"} - {service}
        assert all(by_name[o]["status"] == "up" for o in others), {o: by_name[o] for o in others}
    finally:
        services_on_fakes[service].reset()
        reset_breakers()


def test_secrets_in_fault_messages_never_leak(services_on_fakes, settings, make_user, signed_in) -> None:
    services_on_fakes["plex"].set_mode("error")
    media = importlib.import_module("functions.media.app").create_app(settings)
    client, _ = signed_in(media, make_user())
    body = client.get("/libraries").get_data(as_text=True)
    assert body.startswith("{")
    for secret in (accounts.OWNER_TOKEN, OVERSEERR_API_KEY, "X-Plex-Token"):
        assert secret not in body


def test_open_sockets_outlive_a_redis_restart(private_redis, settings, make_user) -> None:
    """A socket whose session check meets Redis down stays open, and events published after the restart
    reach it: the hub's listener subscribes again by itself."""
    import json
    import threading

    import websocket
    from werkzeug.serving import make_server

    from functions.realtime.app import create_app as create_realtime
    from medianest import events
    from tests.conftest import wait_for_bus_listener

    url = private_redis["url"]
    app = create_realtime(derive(settings, REDIS_URL=url, MEDIANEST_PUBLIC_URL="http://portal.test"))
    app.config["REALTIME_SESSION_CHECK"] = 0.3
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    bus = redis_lib.Redis.from_url(url, decode_responses=True)
    user = make_user()
    issued = SessionManager(bus, settings.secret_key).create(str(user["id"]), "user")
    ws = websocket.create_connection(f"ws://127.0.0.1:{httpd.server_port}/ws", origin="http://portal.test",
                                     header=[f"Cookie: mn_access={issued.access_token}"], timeout=5)
    try:
        wait_for_bus_listener(bus)
        private_redis["stop"]()
        time.sleep(1.0)  # several session checks fail against the stopped server
        private_redis["start"]()
        wait_for_bus_listener(bus, timeout=15)
        events.publish(bus, events.user_topic(user["id"]), "request:update", {"id": "r1"})
        ws.settimeout(5)
        message = json.loads(ws.recv())
        assert message["type"] == "request:update"
        assert message["data"] == {"id": "r1"}
    finally:
        ws.close()
        app.extensions["medianest.hub"].stop()
        httpd.shutdown()
