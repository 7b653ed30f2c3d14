"""The media routes against the project's fake Plex and Overseerr servers on 127.0.0.1 (real HTTP)."""

from __future__ import annotations

import pytest

from fakes import accounts
from fakes.overseerr.app import OVERSEERR_API_KEY
from functions.media import jobs


@pytest.fixture
def linked(configure, fake_plex, fake_overseerr) -> None:
    configure("plex", fake_plex.url, accounts.OWNER_TOKEN, machine_identifier=fake_plex.machine_identifier)
    configure("overseerr", fake_overseerr.url, OVERSEERR_API_KEY)


def test_library_against_the_fake(linked, user, fake_plex):
    libraries = user.get("/libraries")
    assert libraries.status_code == 200
    assert all(lib["count"] >= 0 for lib in libraries.json)
    movies = next(lib for lib in libraries.json if lib["type"] == "movie")
    first = user.get(f"/libraries/{movies['id']}/items?limit=5&sort=title")
    second = user.get(f"/libraries/{movies['id']}/items?offset=5&limit=5&sort=title")
    assert first.json["total"] == movies["count"]
    assert len(first.json["items"]) == 5
    assert not {i["id"] for i in first.json["items"]} & {i["id"] for i in second.json["items"]}
    assert user.get("/recent?limit=5").json["items"]
    matrix = user.get("/search?q=matrix").json["items"]
    assert "The Matrix" in [i["title"] for i in matrix]
    detail = user.get("/items/105").json
    assert detail["title"] == "The Matrix"
    assert detail["genres"]
    assert fake_plex.url not in str(first.json) + str(detail)


def test_poster_proxy_against_the_fake(linked, user):
    poster = user.get("/thumb/105?w=120&h=180")
    assert poster.status_code == 200
    assert poster.content_type == "image/jpeg"
    assert poster.data[:2] == b"\xff\xd8"
    assert user.get("/thumb/105", headers={"If-None-Match": poster.headers["ETag"]}).status_code == 200
    assert user.get("/thumb/105?w=120&h=180", headers={"If-None-Match": poster.headers["ETag"]}).status_code == 304


def test_request_lifecycle_against_the_fakes(linked, user, fake_overseerr, settings):
    found = user.get("/discover?q=dune").json["results"]
    dune = next(r for r in found if r["title"] == "Dune")
    assert dune["status"] == "unknown"
    assert next(r for r in user.get("/discover?q=matrix").json["results"]
                if r["title"] == "The Matrix")["status"] == "available"
    created = user.post("/requests", json={"media_type": "movie", "tmdb_id": dune["tmdb_id"]})
    assert created.status_code == 201
    assert created.json["status"] in ("approved", "processing")  # the API key acts as Overseerr's admin
    assert user.post("/requests", json={"media_type": "movie", "tmdb_id": dune["tmdb_id"]}).status_code == 409
    already = user.post("/requests", json={"media_type": "movie", "tmdb_id": 603})
    assert already.json["error"]["code"] == "already_available"
    show = user.post("/requests", json={"media_type": "tv", "tmdb_id": 1399})  # seasons 1-2 are in Plex
    assert show.status_code == 201
    assert show.json["seasons"] == [3, 4, 5, 6, 7, 8]
    in_plex = user.post("/requests", json={"media_type": "tv", "tmdb_id": 1399, "seasons": [1, 2]})
    assert in_plex.json["error"]["code"] == "already_available"
    fake_overseerr.make_available(created.json["overseerr_id"])
    assert jobs.reconcile(settings)["changed"] >= 1
    detail = user.get(f"/requests/{created.json['id']}").json
    assert detail["status"] == "available"
    assert detail["history"][-1]["source"] == "reconcile"


def test_plex_down_against_the_fake(linked, user, fake_plex):
    fake_plex.set_mode("down")
    response = user.get("/libraries")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "service_unavailable"
    assert user.get("/requests").status_code == 200
