"""Notifications: a user lists and marks only their own."""

from __future__ import annotations

from typing import Any

import psycopg
from flask import Flask

from medianest.store import notifications
from tests.auth.conftest import csrf_headers


def notify(db_conn: psycopg.Connection[Any], user: dict[str, Any], title: str) -> str:
    return str(notifications.create(db_conn, user["id"], "request:update", title, "body", "/requests/1")["id"])


def test_lists_own_notifications_newest_first_with_unread_count(app: Flask, make_user, signed_in, db_conn) -> None:
    user, other = make_user(), make_user()
    first, second = notify(db_conn, user, "first"), notify(db_conn, user, "second")
    notify(db_conn, other, "not yours")
    db_conn.execute("UPDATE notifications SET created_at = now() - interval '1 hour' WHERE id = %s", (first,))
    client, _ = signed_in(app, user)
    body = client.get("/notifications").get_json()
    assert [n["id"] for n in body["items"]] == [second, first]
    assert body["unread"] == 2
    item = body["items"][0]
    assert set(item) == {"id", "type", "title", "body", "link", "read", "created_at"}
    assert item["read"] is False
    assert item["created_at"].endswith("Z")


def test_marking_some_then_all_read(app: Flask, make_user, signed_in, db_conn) -> None:
    user, other = make_user(), make_user()
    ids = [notify(db_conn, user, f"n{i}") for i in range(3)]
    foreign = notify(db_conn, other, "theirs")
    client, _ = signed_in(app, user)
    marked = client.post("/notifications/read", json={"ids": [ids[0], foreign]}, headers=csrf_headers(client))
    assert marked.get_json() == {"updated": 1, "unread": 2}  # someone else's id is silently ignored
    unread = client.get("/notifications?unread").get_json()
    assert sorted(n["id"] for n in unread["items"]) == sorted(ids[1:])
    assert client.get("/notifications?unread=false").get_json()["unread"] == 2
    everything = client.post("/notifications/read", json={}, headers=csrf_headers(client))
    assert everything.get_json() == {"updated": 2, "unread": 0}
    other_client, _ = signed_in(app, other)
    assert other_client.get("/notifications").get_json()["unread"] == 1


def test_paging_and_validation(app: Flask, make_user, signed_in, db_conn) -> None:
    user = make_user()
    for i in range(5):
        notify(db_conn, user, f"n{i}")
    client, _ = signed_in(app, user)
    assert len(client.get("/notifications?limit=2&offset=4").get_json()["items"]) == 1
    assert client.get("/notifications?limit=0").status_code == 422
    bad = client.post("/notifications/read", json={"ids": ["not-a-uuid"]}, headers=csrf_headers(client))
    assert bad.status_code == 422
