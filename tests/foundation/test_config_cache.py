"""The per-process cache of opened service settings: hits, expiry, and a save racing a load."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from medianest import integrations
from medianest.crypto import Sealer


class _CountingDatabase:
    """Stands in for `medianest.db.Database`: counts connections; `load` below is what reads the row."""

    url = "postgresql://cache-test/none"

    def __init__(self) -> None:
        self.connections = 0

    @contextmanager
    def connection(self) -> Iterator[object]:
        self.connections += 1
        yield object()


def _sealer() -> Sealer:
    return Sealer([("k1", os.urandom(32))])


def _config(url: str) -> integrations.ServiceConfig:
    return integrations.ServiceConfig(name="plex", url=url, enabled=True, options={})


def test_hits_until_the_ttl_then_reloads(monkeypatch) -> None:
    now = [100.0]
    cache, db, sealer = integrations.ConfigCache(ttl=5.0, clock=lambda: now[0]), _CountingDatabase(), _sealer()
    urls = iter(["http://first", "http://second"])
    monkeypatch.setattr(integrations, "load", lambda conn, s, name: _config(next(urls)))
    assert cache.get(db, sealer, "plex").url == "http://first"
    now[0] += 4.9
    assert cache.get(db, sealer, "plex").url == "http://first"
    assert db.connections == 1
    now[0] += 0.2
    assert cache.get(db, sealer, "plex").url == "http://second"
    assert db.connections == 2


def test_entries_are_kept_apart_by_sealer_and_service(monkeypatch) -> None:
    cache, db = integrations.ConfigCache(ttl=60.0), _CountingDatabase()
    monkeypatch.setattr(integrations, "load", lambda conn, s, name: _config(f"http://{name}"))
    one, two = _sealer(), _sealer()
    assert cache.get(db, one, "plex").url == "http://plex"
    assert cache.get(db, one, "overseerr").url == "http://overseerr"
    cache.get(db, two, "plex")
    assert db.connections == 3


def test_a_load_that_raced_a_save_is_not_kept(monkeypatch) -> None:
    cache, db, sealer = integrations.ConfigCache(ttl=60.0), _CountingDatabase(), _sealer()

    def load_then_saved_elsewhere(conn: object, s: Sealer, name: str) -> integrations.ServiceConfig:
        cache.clear()  # a save in this process commits while this (older) read is on its way back
        return _config("http://old")

    monkeypatch.setattr(integrations, "load", load_then_saved_elsewhere)
    assert cache.get(db, sealer, "plex").url == "http://old"
    monkeypatch.setattr(integrations, "load", lambda conn, s, name: _config("http://new"))
    assert cache.get(db, sealer, "plex").url == "http://new"
