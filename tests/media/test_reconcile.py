"""The periodic reconcile: catches what missed webhooks would have said; scheduled with the other jobs."""

from __future__ import annotations

import importlib

from functions.media import jobs
from functions.schedule import schedule
from medianest.store import media_requests, notifications


def test_reconcile_applies_overseerr_changes_once(overseerr, user, settings, db_conn, stored_request, events):
    available = stored_request(user.user, "Now in Plex")
    declined = stored_request(user.user, "Turned down")
    unchanged = stored_request(user.user, "Still waiting")
    settled = stored_request(user.user, "Done", status="available")
    overseerr.set_status(available["overseerr_id"], 2, 5)
    overseerr.set_status(declined["overseerr_id"], 3)
    listen = events(user.user["id"])
    assert jobs.reconcile(settings) == {"checked": 3, "changed": 2}
    assert media_requests.get(db_conn, available["id"])["status"] == "available"
    assert media_requests.get(db_conn, declined["id"])["status"] == "declined"
    assert media_requests.get(db_conn, unchanged["id"])["status"] == "pending"
    assert media_requests.get(db_conn, settled["id"])["status"] == "available"
    assert [h["source"] for h in media_requests.history(db_conn, available["id"])] == ["user", "reconcile"]
    assert len(notifications.list_for_user(db_conn, user.user["id"])) == 2
    assert len([e for e in listen() if e["type"] == "request:update"]) == 2
    assert jobs.reconcile(settings) == {"checked": 1, "changed": 0}


def test_reconcile_survives_overseerr_being_down_or_missing(overseerr, user, settings, db_conn, stored_request,
                                                            configure):
    row = stored_request(user.user)
    overseerr.down = True
    assert jobs.reconcile(settings) == {"checked": 0, "changed": 0}
    assert media_requests.get(db_conn, row["id"])["status"] == "pending"
    configure("overseerr", None, enabled=False)
    assert jobs.reconcile(settings)["skipped"] == "overseerr is not configured"


def test_requests_gone_from_overseerr_are_left_alone(overseerr, user, settings, db_conn, stored_request):
    row = stored_request(user.user)
    del overseerr.requests[row["overseerr_id"]]
    assert jobs.reconcile(settings) == {"checked": 1, "changed": 0}
    assert media_requests.get(db_conn, row["id"])["status"] == "pending"


def test_reconcile_is_scheduled(settings):
    job = next(j for j in schedule(settings) if j.name == "media-reconcile")
    module, _, name = job.func.rpartition(".")
    assert getattr(importlib.import_module(module), name) is jobs.reconcile
    assert job.interval >= 60
