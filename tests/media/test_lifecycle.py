"""The shared status-change code, called as the webhooks function calls it, and the Overseerr mappings."""

from __future__ import annotations

import threading

import pytest

from medianest.clients.overseerr import MediaInfo
from medianest.requests_lifecycle import (
    apply_status,
    discover_status,
    status_from_notification,
    status_from_overseerr,
)
from medianest.store import media_requests, notifications


def test_pending_approved_available_as_webhooks_deliver_it(overseerr, user, db_conn, redis_client, events,
                                                           stored_request):
    row = stored_request(user.user, "Dune")
    listen = events(user.user["id"])
    approved = apply_status(db_conn, redis_client, row, "approved", "webhook", "delivery-1", "Movie Request Approved")
    assert approved["status"] == "approved"
    # the same delivery again (Overseerr or a proxy retried) changes nothing
    assert apply_status(db_conn, redis_client, row, "approved", "webhook", "delivery-1") is None
    available = apply_status(db_conn, redis_client, row, "available", "webhook", "delivery-2")
    assert available["status"] == "available"
    assert apply_status(db_conn, redis_client, row, "available", "webhook", "delivery-2") is None
    history = media_requests.history(db_conn, row["id"])
    assert [(h["status"], h["source"]) for h in history] == [("pending", "user"), ("approved", "webhook"),
                                                             ("available", "webhook")]
    assert history[1]["note"] == "Movie Request Approved"
    titles = [n["title"] for n in notifications.list_for_user(db_conn, user.user["id"])]
    assert titles == ["Dune is available in Plex", "Dune was approved"]
    sent = listen()
    updates = [e for e in sent if e["type"] == "request:update"]
    assert [(e["data"]["previous_status"], e["data"]["status"]) for e in updates] == [
        ("pending", "approved"), ("approved", "available")]
    assert all(e["topic"] == f"user:{user.user['id']}" for e in sent)
    assert len([e for e in sent if e["type"] == "user:notification"]) == 2
    detail = user.get(f"/requests/{row['id']}").json
    assert detail["status"] == "available"
    assert [h["status"] for h in detail["history"]] == ["pending", "approved", "available"]


def test_settled_requests_ignore_late_news(overseerr, user, db_conn, redis_client, stored_request):
    row = stored_request(user.user)
    apply_status(db_conn, redis_client, row, "available", "webhook", "d-1")
    assert apply_status(db_conn, redis_client, row, "processing", "webhook", "d-0") is None
    assert apply_status(db_conn, redis_client, row, "approved", "reconcile") is None
    assert media_requests.get(db_conn, row["id"])["status"] == "available"
    declined = stored_request(user.user)
    apply_status(db_conn, redis_client, declined, "declined", "admin")
    assert apply_status(db_conn, redis_client, declined, "approved", "webhook", "late") is None


def test_a_replayed_delivery_cannot_roll_a_request_back(overseerr, user, db_conn, redis_client, stored_request):
    row = stored_request(user.user)
    apply_status(db_conn, redis_client, row, "approved", "webhook", "d-approved")
    apply_status(db_conn, redis_client, row, "processing", "reconcile")
    assert apply_status(db_conn, redis_client, row, "approved", "webhook", "d-approved") is None
    assert media_requests.get(db_conn, row["id"])["status"] == "processing"


def test_concurrent_deliveries_apply_once(overseerr, user, database_url, redis_client, stored_request):
    import psycopg
    from psycopg.rows import dict_row

    row = stored_request(user.user)
    results = []
    barrier = threading.Barrier(8)

    def deliver():
        with psycopg.connect(database_url, row_factory=dict_row) as conn:
            barrier.wait()
            results.append(apply_status(conn, redis_client, row, "approved", "webhook", "same-delivery"))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len([r for r in results if r is not None]) == 1
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        assert [h["status"] for h in media_requests.history(conn, row["id"])] == ["pending", "approved"]


def test_bad_arguments(overseerr, user, db_conn, redis_client, stored_request):
    row = stored_request(user.user)
    with pytest.raises(ValueError, match="status"):
        apply_status(db_conn, redis_client, row, "done", "webhook")
    with pytest.raises(ValueError, match="source"):
        apply_status(db_conn, redis_client, row, "approved", "somebody")


@pytest.mark.parametrize(("request_status", "media", "seasons", "expected"), [
    (1, None, (), "pending"),
    (3, MediaInfo(5), (), "declined"),
    (4, MediaInfo(3), (), "failed"),
    (2, None, (), "approved"),
    (2, MediaInfo(2), (), "approved"),
    (2, MediaInfo(3), (), "processing"),
    (2, MediaInfo(4), (), "partially_available"),
    (2, MediaInfo(5), (), "available"),
    (5, MediaInfo(5), (), "available"),  # a fork's COMPLETED
    (5, MediaInfo(1), (), None),
    (None, None, (), None),
    (2, MediaInfo(4, {1: 5, 2: 5, 3: 3}), (3,), "processing"),  # the show is partly there, season 3 is not
    (2, MediaInfo(4, {1: 5, 2: 5, 3: 3}), (1, 2), "available"),
    (2, MediaInfo(4, {1: 5, 2: 5, 3: 3}), (2, 3), "partially_available"),
    (2, MediaInfo(4, {1: 5}), (4,), "approved"),
])
def test_overseerr_statuses(request_status, media, seasons, expected):
    assert status_from_overseerr(request_status, media, seasons) == expected


@pytest.mark.parametrize(("kind", "media_status", "expected"), [
    ("MEDIA_PENDING", "PENDING", "pending"), ("MEDIA_APPROVED", "PENDING", "approved"),
    ("MEDIA_AUTO_APPROVED", "PROCESSING", "processing"), ("MEDIA_AVAILABLE", "AVAILABLE", "available"),
    ("MEDIA_AVAILABLE", "PARTIALLY_AVAILABLE", "partially_available"), ("MEDIA_DECLINED", "UNKNOWN", "declined"),
    ("MEDIA_FAILED", "PROCESSING", "failed"), ("TEST_NOTIFICATION", None, None), ("ISSUE_CREATED", "", None),
])
def test_notification_statuses(kind, media_status, expected):
    assert status_from_notification(kind, media_status) == expected


def test_discover_statuses():
    assert [discover_status(MediaInfo(n)) for n in (1, 2, 3, 4, 5, 6)] == [
        "unknown", "pending", "processing", "partially_available", "available", "unknown"]
    assert discover_status(None) == "unknown"
