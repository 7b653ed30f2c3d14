"""Downloads fixtures: the app with MEDIA_ROOT on the fake Plex's disk, signed-in clients, the YouTube and
Plex services configured against the fakes, and an RQ worker that runs the queued jobs for real."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib
from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from fakes import accounts
from fakes.plex import FakePlex
from fakes.youtube import FakeYouTube
from functions.downloads.app import create_app
from medianest import events as event_bus
from medianest.config import Settings
from medianest.crypto import Sealer
from medianest.queues import DOWNLOADS, get_queue, rq_connection
from medianest.store import sealed, service_config
from tests.conftest import derive

YOUTUBE_OPTIONS = {"allowed_hosts": ["127.0.0.1"], "library_folder": "youtube", "hourly_quota": 5,
                   "max_items": 20, "min_free_gb": 0}


@pytest.fixture
def dl_settings(settings: Settings, fake_plex: FakePlex, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test installation with its media on the fake Plex's disk; the job reads it from the environment."""
    derived = derive(settings, MEDIA_ROOT=str(fake_plex.media_root))
    for name, value in derived.raw.items():
        monkeypatch.setenv(name, value)
    return derived


@pytest.fixture
def app(dl_settings: Settings) -> Flask:
    return create_app(dl_settings)


def _client(app: Flask, signed_in: Callable[..., Any], user: dict[str, Any]) -> FlaskClient:
    client, tokens = signed_in(app, user)
    client.environ_base["HTTP_X_CSRF_TOKEN"] = tokens["csrf"]
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def user(app: Flask, make_user, signed_in) -> FlaskClient:
    return _client(app, signed_in, make_user(username="alice"))


@pytest.fixture
def other(app: Flask, make_user, signed_in) -> FlaskClient:
    return _client(app, signed_in, make_user(username="bob"))


@pytest.fixture
def admin(app: Flask, make_user, signed_in) -> FlaskClient:
    return _client(app, signed_in, make_user(role="admin", username="root"))


@pytest.fixture
def configure(dl_settings: Settings, db_conn) -> Callable[..., None]:
    """Store a service row the way PUT /services/{name} would (key sealed)."""

    def _configure(name: str, url: str | None = None, api_key: str | None = None,
                   options: dict[str, Any] | None = None, machine_identifier: str | None = None) -> None:
        sealer = Sealer(dl_settings.encryption_keys)
        envelope = sealer.seal(api_key, sealed.SERVICE_API_KEY.aad(name)) if api_key else None
        service_config.upsert(db_conn, name, url=url, enabled=True, options=options or {}, updated_by=None,
                              api_key_sealed=envelope, machine_identifier=machine_identifier)

    return _configure


@pytest.fixture
def youtube(configure, fake_youtube: FakeYouTube) -> Callable[..., FakeYouTube]:
    """Allow the fake YouTube's host (with option overrides); returns the fake."""

    def _set(**options: Any) -> FakeYouTube:
        configure("youtube", options={**YOUTUBE_OPTIONS, **options})
        return fake_youtube

    _set()
    return _set


@pytest.fixture
def plex(configure, fake_plex: FakePlex) -> FakePlex:
    """Plex linked to the fake server with the owner's token."""
    configure("plex", fake_plex.url, accounts.OWNER_TOKEN, machine_identifier=fake_plex.machine_identifier)
    return fake_plex


@pytest.fixture
def run_worker(redis_url: str) -> Callable[[], None]:
    """Run every queued download job in this process, as `rq worker --burst` would."""
    connection = rq_connection(redis_url)

    def _run() -> None:
        queue = get_queue(DOWNLOADS, connection)
        SimpleWorker([queue], connection=connection, serializer=JSONSerializer).work(burst=True)

    return _run


class EventLog:
    """Every event published on one topic, with the time it arrived."""

    def __init__(self, redis_url: str, topic: str) -> None:
        self.events: list[tuple[float, dict[str, Any]]] = []
        self._client = redis_lib.Redis.from_url(redis_url, decode_responses=True)  # kept: it owns the pool
        self._pubsub = self._client.pubsub()
        self._pubsub.subscribe(event_bus.channel(self._client, topic))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            message = self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
            if message:
                self.events.append((time.monotonic(), json.loads(message["data"])))

    def close(self) -> list[tuple[float, dict[str, Any]]]:
        time.sleep(0.2)
        self._stop.set()
        self._thread.join(timeout=2)
        self._pubsub.close()
        return self.events


@pytest.fixture
def listen(redis_url: str) -> Iterator[Callable[[str], EventLog]]:
    logs: list[EventLog] = []

    def _listen(topic: str) -> EventLog:
        logs.append(EventLog(redis_url, topic))
        time.sleep(0.05)  # the subscription is in place before anything is published
        return logs[-1]

    yield _listen
    for log in logs:
        log.close()


def submit(client: FlaskClient, url: str, **body: Any) -> str:
    """POST / and return the new download's id (asserting it was accepted)."""
    response = client.post("/", json={"url": url, **body})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []
