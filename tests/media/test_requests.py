"""Requests: creating them in Overseerr, duplicates, listing and visibility, cancelling, admin decisions."""

from __future__ import annotations

import uuid

import pytest
import responses

from medianest.store import media_requests, notifications
from tests.media.conftest import OVERSEERR_API


def _ask(client, tmdb_id: int = 438631, media_type: str = "movie", **extra):
    return client.post("/requests", json={"media_type": media_type, "tmdb_id": tmdb_id, **extra})


def test_create_a_movie_request(overseerr, user, db_conn, events):
    listen = events(user.user["id"])
    response = _ask(user)
    assert response.status_code == 201
    body = response.json
    assert (body["title"], body["media_type"], body["tmdb_id"], body["year"]) == ("Dune", "movie", 438631, 2021)
    assert body["status"] == "pending"
    assert body["requested_by"] == {"id": str(user.user["id"]), "username": user.user["username"]}
    assert body["poster_url"] == "/api/v1/media/tmdb-poster/p438631.jpg"
    assert body["overseerr_id"] == 1
    sent = [c for c in overseerr.calls if c[0] == "POST"]
    assert len(sent) == 1  # and valid against overseerr-api.yml (checked by the fake route)
    assert [h["status"] for h in media_requests.history(db_conn, body["id"])] == ["pending"]
    assert [e["type"] for e in listen()] == ["request:update"]


def test_tv_requests_name_their_seasons(overseerr, user, other):
    every = _ask(user, 1399, "tv")
    assert every.status_code == 201
    assert every.json["seasons"] == [1, 2, 3]  # specials (season 0) only when asked for
    overseerr.add_show(1400, "Another show", seasons=4)
    some = _ask(other, 1400, "tv", seasons=[4, 2, 2])
    assert some.status_code == 201
    assert some.json["seasons"] == [2, 4]
    assert _ask(other, 1400, "tv", seasons=[9]).status_code == 422
    assert _ask(other, 438631, "movie", seasons=[1]).status_code == 422
    assert _ask(other, 1400, "tv", seasons=[]).status_code == 422


def test_auto_approved_requests_follow_overseerr(overseerr, admin):
    overseerr.initial_status = 2  # the API key's admin is auto-approved; media goes to processing
    assert _ask(admin).json["status"] == "processing"


@pytest.mark.parametrize("payload", [
    {}, {"media_type": "music", "tmdb_id": 1}, {"media_type": "movie", "tmdb_id": 0},
    {"media_type": "movie", "tmdb_id": "abc"}, {"media_type": "movie", "tmdb_id": 1, "extra": True},
    {"media_type": "movie", "tmdb_id": 2**40},
])
def test_bad_bodies(overseerr, user, payload):
    assert user.post("/requests", json=payload).status_code == 422
    assert not [c for c in overseerr.calls if c[0] == "POST"]


def test_unknown_titles(overseerr, user):
    response = _ask(user, 999999)
    assert response.status_code == 404
    assert not [c for c in overseerr.calls if c[0] == "POST"]


def test_duplicates_are_refused(overseerr, user, other, db_conn):
    assert _ask(user).status_code == 201
    again = _ask(other)
    assert again.status_code == 409
    assert again.json["error"]["code"] == "already_requested"
    overseerr.add_movie(603, "The Matrix", 1999, media={"status": 5, "seasons": [], "ratingKey": "105"})
    assert _ask(user, 603).json["error"]["code"] == "already_available"
    overseerr.add_movie(604, "Processing elsewhere", media={"status": 3, "seasons": []})
    assert _ask(user, 604).json["error"]["code"] == "already_requested"
    assert len([c for c in overseerr.calls if c[0] == "POST"]) == 1


def test_shows_skip_seasons_already_asked_for_or_available(overseerr, user, other):
    assert _ask(user, 1399, "tv", seasons=[1, 2]).status_code == 201
    overlap = _ask(other, 1399, "tv", seasons=[2, 3])
    assert overlap.status_code == 201
    assert overlap.json["seasons"] == [3]
    assert _ask(other, 1399, "tv", seasons=[1]).json["error"]["code"] == "already_requested"
    overseerr.add_show(1401, "In Plex", seasons=2, media={"status": 5, "seasons": [
        {"seasonNumber": 1, "status": 5}, {"seasonNumber": 2, "status": 5}]})
    assert _ask(user, 1401, "tv").json["error"]["code"] == "already_available"


def test_overseerr_refusals_map_to_our_codes(overseerr, user):
    overseerr.rsps.replace(responses.POST, f"{OVERSEERR_API}/request",
                           json={"message": "Request for this media already exists."}, status=409)
    assert _ask(user).json["error"]["code"] == "already_requested"
    overseerr.rsps.replace(responses.POST, f"{OVERSEERR_API}/request", json={"message": "Movie Quota exceeded."},
                           status=403)
    refused = _ask(user)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "quota_exceeded"
    assert "Quota" not in refused.json["error"]["message"]  # Overseerr's own words are not echoed


def test_listing_is_scoped_to_the_owner(overseerr, user, other, admin, stored_request):
    mine = [stored_request(user.user, f"Mine {n}") for n in range(3)]
    theirs = stored_request(other.user, "Theirs", status="approved")
    own = user.get("/requests")
    assert own.status_code == 200
    assert own.json["total"] == 3
    assert {i["id"] for i in own.json["items"]} == {str(r["id"]) for r in mine}
    assert user.get(f"/requests?user_id={other.user['id']}").status_code == 403
    assert user.get(f"/requests?user_id={user.user['id']}").json["total"] == 3
    everyone = admin.get("/requests")
    assert everyone.json["total"] == 4
    assert admin.get("/requests?mine=1").json["total"] == 0
    one = admin.get(f"/requests?user_id={other.user['id']}").json
    assert [i["id"] for i in one["items"]] == [str(theirs["id"])]
    assert admin.get("/requests?status=approved").json["total"] == 1
    paged = user.get("/requests?offset=1&limit=1").json
    assert paged["total"] == 3
    assert [i["title"] for i in paged["items"]] == ["Mine 1"]
    assert user.get("/requests?status=bogus").status_code == 422


def test_one_request_with_history_for_owner_and_admin_only(overseerr, user, other, admin, stored_request):
    row = stored_request(user.user)
    detail = user.get(f"/requests/{row['id']}")
    assert detail.status_code == 200
    assert [h["status"] for h in detail.json["history"]] == ["pending"]
    assert detail.json["history"][0]["source"] == "user"
    assert admin.get(f"/requests/{row['id']}").status_code == 200
    assert other.get(f"/requests/{row['id']}").status_code == 404
    assert user.get(f"/requests/{uuid.uuid4()}").status_code == 404
    assert user.get("/requests/not-a-uuid").status_code == 404


def test_cancelling(overseerr, user, other, admin, stored_request, db_conn):
    pending = stored_request(user.user)
    assert other.delete(f"/requests/{pending['id']}").status_code == 404
    assert media_requests.get(db_conn, pending["id"]) is not None
    assert user.delete(f"/requests/{pending['id']}").status_code == 204
    assert media_requests.get(db_conn, pending["id"]) is None
    assert pending["overseerr_id"] not in overseerr.requests
    approved = stored_request(user.user, status="approved")
    refused = user.delete(f"/requests/{approved['id']}")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "not_pending"
    assert admin.delete(f"/requests/{approved['id']}").status_code == 204
    gone_upstream = stored_request(user.user)
    del overseerr.requests[gone_upstream["overseerr_id"]]
    assert user.delete(f"/requests/{gone_upstream['id']}").status_code == 204


def test_cancelling_needs_overseerr(overseerr, user, stored_request, db_conn):
    row = stored_request(user.user)
    overseerr.down = True
    assert user.delete(f"/requests/{row['id']}").status_code == 503
    assert media_requests.get(db_conn, row["id"]) is not None


def test_admin_decisions(overseerr, user, admin, stored_request, db_conn, events):
    row = stored_request(user.user, "Wanted")
    listen = events(user.user["id"])
    assert user.post(f"/requests/{row['id']}/approve").status_code == 403
    approved = admin.post(f"/requests/{row['id']}/approve")
    assert approved.status_code == 200
    assert approved.json["status"] == "processing"  # Overseerr sent it on to Radarr at once
    assert [(h["status"], h["source"]) for h in approved.json["history"]] == [("pending", "user"),
                                                                            ("processing", "admin")]
    assert overseerr.requests[row["overseerr_id"]]["status"] == 2
    sent = listen()
    assert [e["type"] for e in sent] == ["request:update", "user:notification"]
    assert sent[0]["data"]["status"] == "processing"
    assert sent[0]["data"]["previous_status"] == "pending"
    notes = notifications.list_for_user(db_conn, user.user["id"])
    assert [n["title"] for n in notes] == ["Wanted is being downloaded"]
    again = admin.post(f"/requests/{row['id']}/decline")
    assert again.status_code == 409
    other_row = stored_request(user.user)
    declined = admin.post(f"/requests/{other_row['id']}/decline")
    assert declined.json["status"] == "declined"
    gone = stored_request(user.user)
    del overseerr.requests[gone["overseerr_id"]]
    assert admin.post(f"/requests/{gone['id']}/approve").json["error"]["code"] == "not_in_overseerr"


def test_state_changes_need_the_csrf_header(overseerr, user, stored_request):
    row = stored_request(user.user)
    del user.environ_base["HTTP_X_CSRF_TOKEN"]
    assert user.delete(f"/requests/{row['id']}").json["error"]["code"] == "csrf_failed"
    assert _ask(user).status_code == 403


def test_hostile_titles_round_trip_verbatim(overseerr, user, db_conn):
    title = """<script>alert("x")</script> & 'quotes' "double" <img src=x onerror=alert(1)> \u202eevil"""
    overseerr.add_movie(777, title)
    created = _ask(user, 777)
    assert created.status_code == 201
    assert created.content_type == "application/json"
    assert created.json["title"] == title
    assert user.get("/requests").json["items"][0]["title"] == title
    assert media_requests.get(db_conn, created.json["id"])["title"] == title
