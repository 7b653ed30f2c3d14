"""Overseerr's webhook: every notification type of the default template, secrets, malformed bodies, replays."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakes.overseerr.webhook import default_template, render


def notification(kind: str, request_id: int | None = 7, tmdb_id: int = 603, media_status: int = 2,
                 media_type: str = "movie") -> bytes:
    """The body Overseerr's default template renders (every value a string, absent sections null)."""
    payload: dict[str, Any] = {"type": kind, "event": "Movie Request Approved", "subject": "The Matrix (1999)",
                               "message": "A hacker learns the truth.", "image": ""}
    if kind != "TEST_NOTIFICATION":
        payload["media"] = {"tmdbId": tmdb_id, "tvdbId": None, "mediaType": media_type, "status": media_status,
                            "status4k": 1}
        if request_id is not None:
            payload["request"] = {"id": request_id, "requestedBy": {"displayName": "alice", "email": "a@x.org"}}
    if kind.startswith("ISSUE_"):
        payload["issue"] = {"id": 3}
    return json.dumps(render(default_template(), payload)).encode()


def post(client, body: bytes, secret: str | None) -> Any:
    headers = {"Authorization": secret} if secret is not None else {}
    return client.post("/overseerr", data=body, headers=headers, content_type="application/json")


@pytest.mark.parametrize(
    ("kind", "media_status", "expected"),
    [("MEDIA_PENDING", 2, "pending"), ("MEDIA_APPROVED", 2, "approved"), ("MEDIA_APPROVED", 3, "processing"),
     ("MEDIA_AUTO_APPROVED", 2, "approved"), ("MEDIA_AVAILABLE", 5, "available"),
     ("MEDIA_AVAILABLE", 4, "partially_available"), ("MEDIA_DECLINED", 2, "declined"),
     ("MEDIA_FAILED", 3, "failed")],
)
def test_each_media_notification_moves_the_request(client, secrets, make_request, db_conn, kind: str,
                                                   media_status: int, expected: str) -> None:
    start = "approved" if expected == "pending" else "pending"
    request_row = make_request(status=start)
    response = post(client, notification(kind, media_status=media_status), secrets.overseerr)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "updated": 1, "ignored": None}
    row = db_conn.execute("SELECT status FROM media_requests WHERE id = %s", (request_row["id"],)).fetchone()
    assert row["status"] == expected
    note = db_conn.execute("SELECT user_id, type FROM notifications").fetchone()
    assert (note["user_id"], note["type"]) == (request_row["user_id"], "request_update")


@pytest.mark.parametrize("kind", ["TEST_NOTIFICATION", "ISSUE_CREATED", "ISSUE_COMMENT", "ISSUE_RESOLVED",
                                  "ISSUE_REOPENED", "SOMETHING_NEW"])
def test_well_formed_events_we_ignore_get_200(client, secrets, make_request, db_conn, kind: str) -> None:
    make_request()
    response = post(client, notification(kind), secrets.overseerr)
    assert response.status_code == 200
    assert response.get_json()["updated"] == 0
    assert response.get_json()["ignored"]
    assert db_conn.execute("SELECT count(*) AS n FROM media_request_history").fetchone()["n"] == 0


def test_matching_falls_back_to_the_title(client, secrets, make_request, db_conn) -> None:
    mine = make_request(overseerr_id=None, tmdb_id=27205, title="Inception")
    other_title = make_request(overseerr_id=None, tmdb_id=603)
    response = post(client, notification("MEDIA_AVAILABLE", request_id=999, tmdb_id=27205, media_status=5),
                    secrets.overseerr)
    assert response.get_json()["updated"] == 1
    statuses = {r["id"]: r["status"] for r in db_conn.execute("SELECT id, status FROM media_requests").fetchall()}
    assert statuses == {mine["id"]: "available", other_title["id"]: "pending"}


def test_a_replayed_delivery_changes_nothing(client, secrets, make_request, db_conn) -> None:
    make_request()
    body = notification("MEDIA_APPROVED")
    assert post(client, body, secrets.overseerr).get_json()["updated"] == 1
    assert post(client, body, secrets.overseerr).get_json()["updated"] == 0
    assert db_conn.execute("SELECT count(*) AS n FROM media_request_history").fetchone()["n"] == 1
    assert db_conn.execute("SELECT count(*) AS n FROM notifications").fetchone()["n"] == 1


@pytest.mark.parametrize("secret", [None, "", "Bearer wrong", "x" * 43])
def test_a_wrong_or_missing_secret_is_401_and_changes_nothing(client, secrets, make_request, db_conn,
                                                              secret) -> None:
    make_request()
    response = post(client, notification("MEDIA_APPROVED"), secret)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_secret"
    assert db_conn.execute("SELECT status FROM media_requests").fetchone()["status"] == "pending"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"{}", b'{"notification_type": 5}',
                                  b'{"notification_type": "MEDIA_APPROVED", "media": "x"}', b"\xff\xfe"])
def test_malformed_bodies_get_400(client, secrets, body: bytes) -> None:
    response = post(client, body, secrets.overseerr)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_payload"


def test_bodies_over_one_mebibyte_are_refused(client, secrets) -> None:
    body = b'{"notification_type": "MEDIA_APPROVED", "message": "' + b"x" * (1024 * 1024) + b'"}'
    assert post(client, body, secrets.overseerr).status_code == 413


def test_the_secret_never_reaches_the_logs(client, secrets, make_request, caplog) -> None:
    make_request()
    caplog.set_level("DEBUG")
    post(client, notification("MEDIA_APPROVED"), secrets.overseerr)
    post(client, notification("MEDIA_APPROVED"), "wrong-secret")
    assert secrets.overseerr not in caplog.text
