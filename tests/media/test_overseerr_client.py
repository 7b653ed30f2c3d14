"""The Overseerr client: search encoding, details, requests; every call valid against overseerr-api.yml."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
import responses

from medianest.clients.overseerr import OverseerrClient, RequestRefused, request_body
from medianest.http import UpstreamError, breaker_state
from tests.media.conftest import OVERSEERR, OVERSEERR_API, OVERSEERR_KEY
from tests.media.overseerr_spec import check_call


@pytest.fixture
def client() -> OverseerrClient:
    return OverseerrClient(OVERSEERR, OVERSEERR_KEY, retries=0, breaker_failures=2)


@pytest.mark.parametrize("query", ["Dune", "the matrix", "AT&T + friends?", "100% / 50#1", "été:été", "a=b;c"])
def test_search_query_is_percent_encoded(overseerr, client, query):
    overseerr.search_results = [
        {"id": 438631, "mediaType": "movie", "title": "Dune", "releaseDate": "2021-09-15", "posterPath": "/d.jpg",
         "mediaInfo": {"status": 5, "seasons": []}},
        {"id": 1399, "mediaType": "tv", "name": "Game of Thrones", "firstAirDate": "2011-04-17", "posterPath": None},
        {"id": 5, "mediaType": "person", "name": "Someone", "knownFor": []},
    ]
    page = client.search(query, page=2)
    encoded = overseerr.rsps.calls[-1].request.url.split("query=", 1)[1].split("&", 1)[0]
    assert "+" not in encoded
    assert (" " not in query or "%20" in encoded)
    assert unquote(encoded) == query  # checked against the spec's validator rules by the fake route too
    assert [(t.media_type, t.tmdb_id, t.title, t.year) for t in page.results] == [
        ("movie", 438631, "Dune", 2021), ("tv", 1399, "Game of Thrones", 2011)]
    assert page.results[0].media.status == 5
    assert page.results[1].media is None


def test_details_and_unknown_ids(overseerr, client):
    overseerr.add_show(1399, "Game of Thrones", seasons=2, media={"status": 4, "seasons": [
        {"seasonNumber": 1, "status": 5}, {"seasonNumber": 2, "status": 3}]})
    show = client.tv(1399)
    assert show.seasons == (0, 1, 2)
    assert show.tvdb_id == 121361
    assert show.media.seasons == {1: 5, 2: 3}
    assert client.movie(438631).title == "Dune"
    for _ in range(4):  # Overseerr's 500 for an unknown id is an answer, not an outage
        assert client.movie(999999) is None
    assert breaker_state("overseerr") == "closed"


def test_real_500_is_still_an_error(mocked, client):
    mocked.add(responses.GET, f"{OVERSEERR_API}/movie/1", json={"message": "Something else"}, status=500)
    with pytest.raises(UpstreamError):
        client.movie(1)


def test_request_bodies_match_the_spec():
    for body in (request_body("movie", 438631), request_body("tv", 1399, [1, 2], 121361), request_body("tv", 1, [0])):
        check_call("POST", f"{OVERSEERR_API}/request", json.dumps(body))
    assert request_body("movie", 1, [1]) == {"mediaType": "movie", "mediaId": 1, "is4k": False}
    with pytest.raises(Exception, match="mediaType"):
        check_call("POST", f"{OVERSEERR_API}/request", json.dumps({"mediaId": 1}))


def test_request_create_get_decide_delete(overseerr, client):
    created = client.create_request("tv", 1399, [1, 2], 121361)
    assert created.status == 1
    assert created.seasons == (1, 2)
    assert created.tmdb_id == 1399
    assert client.get_request(created.id).id == created.id
    approved = client.approve(created.id)
    assert approved.status == 2
    assert approved.media.status == 3
    assert client.decline(created.id).status == 3
    assert client.delete_request(created.id) is True
    assert client.get_request(created.id) is None
    assert client.delete_request(created.id) is False
    assert client.approve(created.id) is None
    paths = [(m, p) for m, p, _ in overseerr.calls]
    assert ("POST", f"/api/v1/request/{created.id}/approve") in paths


@pytest.mark.parametrize(("status", "body", "reason"), [
    (409, {"message": "Request for this media already exists."}, "exists"),
    (202, {"message": "No seasons available to request"}, "no_seasons"),
    (403, {"message": "Movie Quota exceeded."}, "quota"),
    (403, {"message": "You do not have permission to make movie requests."}, "forbidden"),
])
def test_refusals(mocked, client, status, body, reason):
    mocked.add(responses.POST, f"{OVERSEERR_API}/request", json=body, status=status)
    with pytest.raises(RequestRefused) as exc:
        client.create_request("movie", 603)
    assert exc.value.reason == reason


def test_list_requests(mocked, client):
    mocked.add(responses.GET, f"{OVERSEERR_API}/request", json={
        "pageInfo": {"pages": 1, "pageSize": 10, "results": 1, "page": 1},
        "results": [{"id": 4, "status": 2, "type": "movie", "media": {"tmdbId": 603, "status": 5}, "seasons": []}]})
    found, total = client.list_requests(take=10, status_filter="available", sort="modified")
    assert total == 1
    assert found[0].media.status == 5
    check_call("GET", mocked.calls[-1].request.url)
