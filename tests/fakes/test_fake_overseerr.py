"""The Overseerr fake: its validator's rules, auth, search, details and the request lifecycle."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests

from fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr
from fakes.overseerr import spec as overseerr_spec

ADMIN = {"X-Api-Key": OVERSEERR_API_KEY}
ALICE = ADMIN | {"X-Api-User": "2"}
BOB = ADMIN | {"X-Api-User": "3"}


def _api(fake: FakeOverseerr) -> str:
    return f"{fake.url}/api/v1"


def _request(fake: FakeOverseerr, body: dict, headers: dict = ADMIN) -> requests.Response:
    return requests.post(f"{_api(fake)}/request", json=body, headers=headers, timeout=5)


def test_spec_is_read_from_the_repository() -> None:
    assert overseerr_spec.SPEC_PATH.parent.name == "data"
    assert overseerr_spec.SPEC_PATH.parent.parent.name == "fakes"
    assert "/request/{requestId}/{status}" in overseerr_spec.load()["paths"]


def test_status_is_public(fake_overseerr: FakeOverseerr) -> None:
    body = requests.get(f"{_api(fake_overseerr)}/status", timeout=5).json()
    assert body["version"]
    assert body["restartRequired"] is False


def test_missing_key_is_401_from_the_validator_and_a_wrong_key_403(fake_overseerr: FakeOverseerr) -> None:
    missing = requests.get(f"{_api(fake_overseerr)}/request", timeout=5)
    assert missing.status_code == 401
    assert missing.json()["message"] == "cookie 'connect.sid' required"
    wrong = requests.get(f"{_api(fake_overseerr)}/request", headers={"X-Api-Key": "guess"}, timeout=5)
    assert wrong.status_code == 403
    assert wrong.json() == {"status": 403, "error": "You do not have permission to access this endpoint"}
    unknown_user = requests.get(f"{_api(fake_overseerr)}/request", headers=ADMIN | {"X-Api-User": "99"}, timeout=5)
    assert unknown_user.status_code == 403


def test_unknown_path_404_and_wrong_method_405(fake_overseerr: FakeOverseerr) -> None:
    assert requests.get(f"{_api(fake_overseerr)}/nothing-here", headers=ADMIN, timeout=5).status_code == 404
    assert requests.delete(f"{_api(fake_overseerr)}/status", headers=ADMIN, timeout=5).status_code == 405


def test_search_query_must_be_percent_encoded(fake_overseerr: FakeOverseerr) -> None:
    # requests' params= encodes the space as "+", which Overseerr's validator refuses.
    plus = requests.get(f"{_api(fake_overseerr)}/search", params={"query": "the matrix"}, headers=ADMIN, timeout=5)
    assert plus.status_code == 400
    assert plus.json()["message"].startswith("Parameter 'query' must be url encoded")
    assert plus.json()["errors"][0]["path"] == ".query.query"
    good = requests.get(f"{_api(fake_overseerr)}/search?query={quote('the matrix', safe='')}&page=1",
                        headers=ADMIN, timeout=5)
    assert good.status_code == 200
    body = good.json()
    assert (body["page"], body["totalResults"]) == (1, 1)
    result = body["results"][0]
    assert (result["id"], result["mediaType"], result["title"]) == (603, "movie", "The Matrix")
    assert result["mediaInfo"]["status"] == 5
    assert result["mediaInfo"]["ratingKey"] == "105"


def test_search_extras(fake_overseerr: FakeOverseerr) -> None:
    api = _api(fake_overseerr)
    unknown = requests.get(f"{api}/search?query=dune&limit=5", headers=ADMIN, timeout=5)
    assert unknown.status_code == 400
    assert unknown.json()["message"] == "Unknown query parameter 'limit'"
    by_id = requests.get(f"{api}/search?query={quote('tvdb:81189', safe='')}", headers=ADMIN, timeout=5).json()
    assert [(r["mediaType"], r["name"]) for r in by_id["results"]] == [("tv", "Breaking Bad")]
    person = requests.get(f"{api}/search?query=keanu", headers=ADMIN, timeout=5).json()["results"][0]
    assert person["mediaType"] == "person"
    assert person["knownFor"][0]["id"] == 603
    dune = requests.get(f"{api}/search?query=dune", headers=ADMIN, timeout=5).json()["results"][0]
    assert "mediaInfo" not in dune  # not tracked yet
    assert requests.get(f"{api}/search", headers=ADMIN, timeout=5).status_code == 400  # query is required


def test_movie_and_tv_details(fake_overseerr: FakeOverseerr) -> None:
    api = _api(fake_overseerr)
    movie = requests.get(f"{api}/movie/438631", headers=ADMIN, timeout=5).json()
    assert (movie["title"], movie["imdbId"], movie["runtime"]) == ("Dune", "tt1160419", 155)
    tv = requests.get(f"{api}/tv/1399", headers=ADMIN, timeout=5).json()
    assert tv["numberOfSeasons"] == 8
    assert tv["externalIds"]["tvdbId"] == 121361
    assert [s["seasonNumber"] for s in tv["mediaInfo"]["seasons"]] == [1, 2]
    assert tv["mediaInfo"]["status"] == 4  # PARTIALLY_AVAILABLE
    missing = requests.get(f"{api}/movie/1", headers=ADMIN, timeout=5)
    assert (missing.status_code, missing.json()) == (500, {"message": "Unable to retrieve movie."})
    assert requests.get(f"{api}/tv/1", headers=ADMIN, timeout=5).status_code == 500
    assert requests.get(f"{api}/movie/abc", headers=ADMIN, timeout=5).status_code == 400


@pytest.mark.parametrize(("body", "path"), [
    ({"mediaType": "movie", "mediaId": "438631"}, ".body.mediaId"),  # a string where a number belongs
    ({"mediaId": 438631}, ".body.mediaType"),
    ({"mediaType": "film", "mediaId": 438631}, ".body.mediaType"),
    ({"mediaType": "tv", "mediaId": 95396, "seasons": "some"}, ".body.seasons"),
    ({"mediaType": "movie", "mediaId": 438631, "is4k": "no"}, ".body.is4k"),
])
def test_request_body_is_validated_against_the_spec(fake_overseerr: FakeOverseerr, body: dict, path: str) -> None:
    resp = _request(fake_overseerr, body)
    assert resp.status_code == 400
    assert path in [e["path"] for e in resp.json()["errors"]]
    assert fake_overseerr.store.requests == {}


def test_request_body_must_be_json(fake_overseerr: FakeOverseerr) -> None:
    resp = requests.post(f"{_api(fake_overseerr)}/request", data={"mediaType": "movie", "mediaId": 1},
                         headers=ADMIN, timeout=5)
    assert resp.status_code == 415


def test_request_lifecycle_with_its_real_status_codes(fake_overseerr: FakeOverseerr) -> None:
    api = _api(fake_overseerr)
    mine = _request(fake_overseerr, {"mediaType": "movie", "mediaId": 438631}, headers=ALICE)
    assert mine.status_code == 201
    req = mine.json()
    assert (req["status"], req["media"]["status"], req["requestedBy"]["displayName"]) == (1, 2, "alice")
    assert _request(fake_overseerr, {"mediaType": "movie", "mediaId": 438631}).status_code == 409
    assert requests.post(f"{api}/request/{req['id']}/approve", headers=ALICE, timeout=5).status_code == 403
    assert requests.post(f"{api}/request/{req['id']}/pending", headers=ADMIN, timeout=5).status_code == 400
    approved = requests.post(f"{api}/request/{req['id']}/approve", headers=ADMIN, timeout=5).json()
    assert (approved["status"], approved["media"]["status"], approved["modifiedBy"]["id"]) == (2, 3, 1)
    auto = _request(fake_overseerr, {"mediaType": "movie", "mediaId": 872585})
    assert auto.status_code == 201
    assert auto.json()["status"] == 2
    declined = requests.post(f"{api}/request/{auto.json()['id']}/decline", headers=ADMIN, timeout=5).json()
    assert declined["status"] == 3
    assert requests.get(f"{api}/request/{req['id']}", headers=BOB, timeout=5).status_code == 403
    assert requests.get(f"{api}/request/999", headers=ADMIN, timeout=5).status_code == 404
    assert requests.delete(f"{api}/request/{req['id']}", headers=BOB, timeout=5).status_code == 401
    assert requests.delete(f"{api}/request/{req['id']}", headers=ADMIN, timeout=5).status_code == 204
    assert requests.get(f"{api}/request/{req['id']}", headers=ADMIN, timeout=5).status_code == 404


def test_tv_requests_need_seasons_and_refuse_repeats_with_202(fake_overseerr: FakeOverseerr) -> None:
    assert _request(fake_overseerr, {"mediaType": "tv", "mediaId": 95396}, headers=BOB).status_code == 500
    first = _request(fake_overseerr, {"mediaType": "tv", "mediaId": 95396, "seasons": [1]}, headers=BOB)
    assert first.status_code == 201
    assert [s["seasonNumber"] for s in first.json()["seasons"]] == [1]
    again = _request(fake_overseerr, {"mediaType": "tv", "mediaId": 95396, "seasons": [1]}, headers=BOB)
    assert (again.status_code, again.json()) == (202, {"message": "No seasons available to request"})
    rest = _request(fake_overseerr, {"mediaType": "tv", "mediaId": 95396, "seasons": "all"}, headers=BOB)
    assert [s["seasonNumber"] for s in rest.json()["seasons"]] == [2]
    owned = _request(fake_overseerr, {"mediaType": "tv", "mediaId": 1399, "seasons": [1, 2]})
    assert owned.status_code == 202  # both seasons are already in Plex


def test_request_list_filters_pages_and_scopes(fake_overseerr: FakeOverseerr) -> None:
    api = _api(fake_overseerr)
    ids = [_request(fake_overseerr, {"mediaType": "movie", "mediaId": tmdb}, headers=h).json()["id"]
           for tmdb, h in ((438631, ALICE), (872585, BOB), (545611, ALICE), (10386, ADMIN))]
    page = requests.get(f"{api}/request?take=2&skip=2", headers=ADMIN, timeout=5).json()
    assert page["pageInfo"] == {"pages": 2, "pageSize": 2, "results": 4, "page": 2}
    assert [r["id"] for r in page["results"]] == [ids[1], ids[0]]  # newest first
    pending = requests.get(f"{api}/request?filter=pending", headers=ADMIN, timeout=5).json()
    assert sorted(r["id"] for r in pending["results"]) == ids[:3]
    own = requests.get(f"{api}/request", headers=ALICE, timeout=5).json()
    assert sorted(r["id"] for r in own["results"]) == [ids[0], ids[2]]
    assert requests.get(f"{api}/request?requestedBy=3", headers=ALICE, timeout=5).status_code == 403
    assert requests.get(f"{api}/request?filter=bogus", headers=ADMIN, timeout=5).status_code == 400
    counts = requests.get(f"{api}/request/count", headers=ADMIN, timeout=5).json()
    assert (counts["total"], counts["pending"], counts["approved"]) == (4, 3, 1)


def test_making_a_request_available(fake_overseerr: FakeOverseerr) -> None:
    rid = _request(fake_overseerr, {"mediaType": "movie", "mediaId": 438631}).json()["id"]
    resp = requests.post(f"{fake_overseerr.url}/__control/requests/{rid}/available", json={"ratingKey": "2001"},
                         timeout=5)
    assert resp.ok
    got = requests.get(f"{_api(fake_overseerr)}/request/{rid}", headers=ADMIN, timeout=5).json()
    assert (got["status"], got["media"]["status"], got["media"]["ratingKey"]) == (2, 5, "2001")
    available = requests.get(f"{_api(fake_overseerr)}/request?filter=available", headers=ADMIN, timeout=5).json()
    assert [r["id"] for r in available["results"]] == [rid]
