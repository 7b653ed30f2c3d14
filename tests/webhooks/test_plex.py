"""Plex's webhook: multipart with and without a thumbnail, other servers, library.new, secrets, bad bodies."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import requests

from fakes import accounts
from medianest import cache
from medianest.crypto import Sealer
from medianest.store import sealed, service_config
from tests.webhooks.conftest import MACHINE_ID


def payload(event: str = "library.new", server: str = MACHINE_ID, item: dict[str, Any] | None = None) -> str:
    metadata = item if item is not None else {
        "librarySectionType": "movie", "ratingKey": "1001", "type": "movie", "title": "The Matrix",
        "Guid": [{"id": "imdb://tt0133093"}, {"id": "tmdb://603"}], "addedAt": 1700000000}
    return json.dumps({"event": event, "user": True, "owner": True,
                       "Account": {"id": 1, "title": "nestowner"}, "Server": {"title": "Home", "uuid": server},
                       "Player": {"local": True, "title": "Plex Web", "uuid": "p1"}, "Metadata": metadata})


def post(client, secret: str, body: str | None, thumb: bool = True) -> Any:
    data: dict[str, Any] = {}
    if body is not None:
        data["payload"] = body
    if thumb:
        data["thumb"] = (io.BytesIO(b"\xff\xd8\xff\xe0" + b"\x00" * 2048), "thumb.jpg", "image/jpeg")
    return client.post(f"/plex/{secret}", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("thumb", [True, False])
def test_library_new_marks_matching_requests_available_and_refreshes_caches(
        client, secrets, linked_plex, make_request, db_conn, redis_client, thumb: bool) -> None:
    waiting = make_request(status="approved")
    declined = make_request(status="declined")
    generation_before = redis_client.get(cache.generation_key(MACHINE_ID))
    response = post(client, secrets.plex, payload(), thumb=thumb)
    assert response.status_code == 200
    assert response.get_json()["updated"] == 1
    statuses = {r["id"]: r["status"] for r in db_conn.execute("SELECT id, status FROM media_requests").fetchall()}
    assert statuses == {waiting["id"]: "available", declined["id"]: "declined"}
    assert redis_client.get(cache.generation_key(MACHINE_ID)) != generation_before


def test_an_episode_settles_the_series_request_through_the_show(client, secrets, settings, db_conn, make_request,
                                                                fake_plex) -> None:
    service_config.upsert(db_conn, "plex", url=fake_plex.url, enabled=True, options={}, updated_by=None,
                          machine_identifier=accounts.PLEX_MACHINE_ID,
                          api_key_sealed=Sealer(settings.encryption_keys).seal(
                              accounts.OWNER_TOKEN, sealed.SERVICE_API_KEY.aad("plex")))
    listing = requests.get(f"{fake_plex.url}/library/sections/2/all", params={"includeGuids": 1},
                           headers={"Accept": "application/json", "X-Plex-Token": accounts.OWNER_TOKEN},
                           timeout=5).json()["MediaContainer"]["Metadata"]
    series = next(m for m in listing if any(g["id"].startswith("tmdb://") for g in m.get("Guid", [])))
    tmdb = int(next(g["id"] for g in series["Guid"] if g["id"].startswith("tmdb://"))[len("tmdb://"):])
    request_row = make_request(status="processing", media_type="tv", tmdb_id=tmdb, overseerr_id=None)
    episode = {"type": "episode", "ratingKey": "99999", "grandparentRatingKey": series["ratingKey"],
               "title": "Pilot", "Guid": [{"id": "tmdb://1234567"}]}
    response = post(client, secrets.plex, payload(server=accounts.PLEX_MACHINE_ID, item=episode))
    assert response.get_json()["updated"] == 1
    row = db_conn.execute("SELECT status FROM media_requests WHERE id = %s", (request_row["id"],)).fetchone()
    assert row["status"] == "partially_available"


def test_events_from_another_server_are_ignored(client, secrets, linked_plex, make_request, db_conn) -> None:
    make_request()
    response = post(client, secrets.plex, payload(server="another-server-uuid"))
    assert response.status_code == 200
    assert response.get_json()["ignored"] == "the event comes from another Plex server"
    assert db_conn.execute("SELECT status FROM media_requests").fetchone()["status"] == "pending"


@pytest.mark.parametrize("event", ["media.play", "media.pause", "media.scrobble", "admin.database.backup",
                                   "device.new", "something.unknown"])
def test_other_events_are_acknowledged(client, secrets, linked_plex, event: str) -> None:
    body = json.dumps({"event": event, "Server": {"uuid": MACHINE_ID}, "Account": {"id": 1}})
    response = post(client, secrets.plex, body, thumb=False)
    assert response.status_code == 200
    assert response.get_json()["updated"] == 0


def test_replayed_library_new_changes_nothing(client, secrets, linked_plex, make_request, db_conn) -> None:
    make_request(status="approved")
    body = payload()
    assert post(client, secrets.plex, body).get_json()["updated"] == 1
    assert post(client, secrets.plex, body).get_json()["updated"] == 0
    assert db_conn.execute("SELECT count(*) AS n FROM media_request_history").fetchone()["n"] == 1


@pytest.mark.parametrize("secret", ["wrong", "a" * 43, "%2e%2e", "..%2F..%2Fetc"])
def test_a_wrong_secret_is_401(client, secrets, linked_plex, secret: str) -> None:
    response = post(client, secret, payload())
    assert response.status_code in (401, 404)  # an encoded slash never reaches the route at all
    assert response.get_json()["error"]["code"] in ("invalid_secret", "not_found")


def test_malformed_deliveries_get_400(client, secrets, linked_plex) -> None:
    assert post(client, secrets.plex, None).status_code == 400  # no payload part
    assert post(client, secrets.plex, "{not json").status_code == 400
    assert post(client, secrets.plex, json.dumps({"no": "event"})).status_code == 400
    raw = client.post(f"/plex/{secrets.plex}", data=payload(), content_type="application/json")
    assert raw.status_code == 400
    assert raw.get_json()["error"]["code"] == "malformed_payload"


def test_oversized_deliveries_are_refused(client, secrets, linked_plex) -> None:
    big = {"payload": payload(), "thumb": (io.BytesIO(b"\xff" * (1024 * 1024 + 1)), "t.jpg", "image/jpeg")}
    assert client.post(f"/plex/{secrets.plex}", data=big, content_type="multipart/form-data").status_code == 413


def test_the_path_secret_never_reaches_the_logs(client, secrets, linked_plex, caplog) -> None:
    caplog.set_level("DEBUG")
    post(client, secrets.plex, payload())
    assert secrets.plex not in caplog.text
