"""Service settings kept per process for a few seconds, and Overseerr refused at once while its breaker is open."""

from __future__ import annotations

import logging
import time

import pytest

from functions.status.app import create_app as create_status_app
from medianest import integrations
from medianest.http import breaker_state
from medianest.store import service_config
from tests.conftest import derive
from tests.media.conftest import PLEX


def _disable_plex_behind_our_back(db_conn) -> None:
    """A change saved by another process: nothing here hears of it."""
    service_config.upsert(db_conn, "plex", url=PLEX, enabled=False, options={}, updated_by=None)


def test_settings_are_reused_within_the_ttl(plex, user, db_conn, monkeypatch):
    monkeypatch.setattr(integrations.CONFIG_CACHE, "ttl", 60.0)
    assert user.get("/recent").status_code == 200
    _disable_plex_behind_our_back(db_conn)
    assert user.get("/recent").status_code == 200  # still the settings read a moment ago
    integrations.forget_cached_configs()
    assert user.get("/recent").json["error"]["code"] == "not_configured"


def test_a_change_made_elsewhere_is_seen_after_the_ttl(plex, user, db_conn, monkeypatch):
    monkeypatch.setattr(integrations.CONFIG_CACHE, "ttl", 0.05)
    assert user.get("/recent").status_code == 200
    _disable_plex_behind_our_back(db_conn)
    time.sleep(0.1)
    response = user.get("/recent")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_configured"


def test_settings_saved_in_this_process_apply_at_once(plex, user, settings, make_user, signed_in, monkeypatch):
    monkeypatch.setattr(integrations.CONFIG_CACHE, "ttl", 60.0)
    admin, tokens = signed_in(create_status_app(settings), make_user(role="admin"))
    assert user.get("/recent").status_code == 200
    saved = admin.put("/services/plex", json={"url": PLEX, "enabled": False},
                      headers={"X-CSRF-Token": tokens["csrf"]})
    assert saved.status_code == 200, saved.get_json()
    assert user.get("/recent").json["error"]["code"] == "not_configured"


def test_an_open_breaker_refuses_before_the_settings_are_read(settings, overseerr, make_user, signed_in, monkeypatch,
                                                              caplog: pytest.LogCaptureFixture):
    from functions.media.app import create_app

    caplog.set_level(logging.DEBUG, logger="medianest")
    client, tokens = signed_in(create_app(derive(settings, MEDIANEST_BREAKER_FAILURES="1")), make_user())
    overseerr.down = True
    assert client.get("/discover?q=dune").status_code == 503  # this failure opens the breaker
    assert breaker_state("overseerr") == "open"
    opened = [r for r in caplog.records if r.getMessage() == "circuit opened: calls paused"]
    assert [(r.levelno, r.service) for r in opened] == [(logging.WARNING, "overseerr")]

    integrations.forget_cached_configs()
    monkeypatch.setattr(integrations, "load", lambda *_: pytest.fail("settings were read for a refused call"))
    caplog.clear()
    refused = client.get("/discover?q=dune")
    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "service_unavailable"
    assert refused.json["error"]["details"] == {"service": "overseerr"}
    assert "paused" in refused.json["error"]["message"]
    asked = client.post("/requests", json={"media_type": "movie", "tmdb_id": 438631},
                        headers={"X-CSRF-Token": tokens["csrf"]})
    assert asked.status_code == 503
    # routine while the breaker stays open: not a warning per refused call
    assert [r.levelno for r in caplog.records if r.getMessage() == "upstream failure"] == [logging.DEBUG] * 2
