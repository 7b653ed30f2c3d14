"""Discovery through Overseerr, and how the function degrades when Overseerr is missing or down."""

from __future__ import annotations

import pytest


def test_results_statuses_and_posters(overseerr, user):
    overseerr.search_results = [
        {"id": 438631, "mediaType": "movie", "title": "Dune", "releaseDate": "2021-09-15", "posterPath": "/d.jpg"},
        {"id": 603, "mediaType": "movie", "title": "The Matrix", "releaseDate": "1999-03-31",
         "posterPath": "/m.jpg", "mediaInfo": {"status": 5, "seasons": []}},
        {"id": 1399, "mediaType": "tv", "name": "Game of Thrones", "firstAirDate": "2011-04-17",
         "posterPath": "/../../x.jpg", "mediaInfo": {"status": 4, "seasons": []}},
        {"id": 1400, "mediaType": "tv", "name": "No date", "posterPath": None, "mediaInfo": {"status": 3}},
        {"id": 1401, "mediaType": "tv", "name": "Asked", "posterPath": "https://evil.example/p.jpg",
         "mediaInfo": {"status": 2}},
        {"id": 5, "mediaType": "person", "name": "Somebody", "profilePath": "/p.jpg", "knownFor": []},
    ]
    response = user.get("/discover?q=the%20matrix%20%26%20more&page=1")
    assert response.status_code == 200
    assert response.json["results"] == [
        {"tmdb_id": 438631, "media_type": "movie", "title": "Dune", "year": 2021,
         "poster_url": "/api/v1/media/tmdb-poster/d.jpg", "status": "unknown"},
        {"tmdb_id": 603, "media_type": "movie", "title": "The Matrix", "year": 1999,
         "poster_url": "/api/v1/media/tmdb-poster/m.jpg", "status": "available"},
        {"tmdb_id": 1399, "media_type": "tv", "title": "Game of Thrones", "year": 2011, "poster_url": None,
         "status": "partially_available"},
        {"tmdb_id": 1400, "media_type": "tv", "title": "No date", "year": None, "poster_url": None,
         "status": "processing"},
        {"tmdb_id": 1401, "media_type": "tv", "title": "Asked", "year": None, "poster_url": None,
         "status": "pending"},
    ]
    sent = overseerr.rsps.calls[-1].request.url
    assert "query=the%20matrix%20%26%20more" in sent


@pytest.mark.parametrize("query", ["", "q=", f"q={'x' * 101}", "q=a&page=0", "q=a&page=501", "q=a&lang=en"])
def test_discover_validation(overseerr, user, query):
    assert user.get(f"/discover?{query}").status_code == 422


def test_overseerr_down_discovery_fails_but_requests_still_list(overseerr, user, stored_request):
    stored_request(user.user, "Listed from our database")
    overseerr.down = True
    down = user.get("/discover?q=dune")
    assert down.status_code == 503
    assert down.json["error"]["code"] == "service_unavailable"
    assert "overseerr.test" not in down.get_data(as_text=True)
    listed = user.get("/requests")
    assert listed.status_code == 200
    assert [i["title"] for i in listed.json["items"]] == ["Listed from our database"]
    assert user.post("/requests", json={"media_type": "movie", "tmdb_id": 438631}).status_code == 503


def test_overseerr_not_configured(user):
    response = user.get("/discover?q=dune")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_configured"
    assert "admin" in response.json["error"]["message"]
    assert user.post("/requests", json={"media_type": "movie", "tmdb_id": 1}).status_code == 503
    assert user.get("/requests").status_code == 200
