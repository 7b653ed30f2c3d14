"""Library routes: shapes, paging, caching and single-flight (counted upstream calls), invalidation, and
degrading when Plex is missing or down."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from medianest import cache
from tests.conftest import derive
from tests.media.conftest import MACHINE_ID, PLEX, PLEX_TOKEN

API = "/api/v1/media/thumb/"


def _no_plex_leak(response) -> None:
    text = response.get_data(as_text=True)
    assert PLEX not in text
    assert PLEX_TOKEN not in text
    assert "X-Plex-Token" not in text


def test_libraries_with_counts_then_from_cache(plex, user):
    first = user.get("/libraries")
    assert first.status_code == 200
    assert first.json == [{"id": "1", "title": "Movies", "type": "movie", "count": 4},
                          {"id": "2", "title": "TV Shows", "type": "show", "count": 2}]
    calls = len(plex.calls)
    assert user.get("/libraries").json == first.json
    assert len(plex.calls) == calls


def test_items_paging_and_proxy_urls(plex, user):
    page1 = user.get("/libraries/1/items?offset=0&limit=2&sort=-added")
    page2 = user.get("/libraries/1/items?offset=2&limit=2&sort=-added")
    assert page1.status_code == page2.status_code == 200
    assert page1.json["total"] == page2.json["total"] == 4
    assert (page1.json["offset"], page1.json["limit"]) == (0, 2)
    ids = [i["id"] for i in page1.json["items"] + page2.json["items"]]
    assert len(ids) == len(set(ids)) == 4
    first = page1.json["items"][0]
    assert set(first) >= {"id", "title", "year", "type", "thumb_url", "added_at"}
    assert first["thumb_url"].startswith(f"{API}{first['id']}?kind=thumb")
    assert first["added_at"].endswith("Z")
    past_end = user.get("/libraries/1/items?offset=8&limit=2")
    assert past_end.json == {"items": [], "total": 4, "offset": 8, "limit": 2}
    _no_plex_leak(page1)


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "sort=name", "sort=titleSort:desc",
                                   "limit=abc", "surprise=1"])
def test_items_query_is_validated(plex, user, query):
    assert user.get(f"/libraries/1/items?{query}").status_code == 422


def test_unknown_libraries(plex, user):
    assert user.get("/libraries/9/items").status_code == 404
    for bad in ("abc", "-1", "1.5", "..%2F1"):
        assert user.get(f"/libraries/{bad}/items").status_code == 404


def test_recent_and_search(plex, user):
    recent = user.get("/recent?limit=5")
    assert recent.status_code == 200
    season = recent.json["items"][1]
    assert (season["type"], season["title"], season["show_title"]) == ("season", "Season 2", "The 100")
    assert season["thumb_url"].startswith(f"{API}23?kind=thumb")  # the show's poster stands in
    assert user.get("/recent?limit=51").status_code == 422
    found = user.get("/search?q=bunny")
    assert found.status_code == 200
    assert [i["title"] for i in found.json["items"]] == ["Big Buck Bunny"]
    assert user.get("/search").status_code == 422
    assert user.get("/search?q=%20%20").status_code == 422
    assert user.get(f"/search?q={'x' * 101}").status_code == 422


def test_item_detail(plex, user):
    movie = user.get("/items/108")
    assert movie.status_code == 200
    body = movie.json
    assert (body["title"], body["year"], body["duration"], body["rating"]) == ("Interstate 60", 2002, 5, 7.7)
    assert body["genres"][:2] == ["Adventure", "Comedy"]
    assert body["seasons"] == []
    assert body["art_url"].startswith(f"{API}108?kind=art")
    assert body["thumb_url"].startswith(f"{API}108?kind=thumb")
    show = user.get("/items/22").json
    assert [(s["title"], s["index"], s["episode_count"]) for s in show["seasons"]] == [
        ("Season 1", 1, 9), ("Season 2", 2, 9)]
    assert show["seasons"][0]["thumb_url"].startswith(f"{API}30?kind=thumb")
    assert show["seasons"][1]["thumb_url"] is None
    assert user.get("/items/404").status_code == 404
    assert user.get(f"/items/{10**13}").status_code == 404
    _no_plex_leak(movie)


def test_twenty_concurrent_cold_requests_make_one_plex_call(plex, login):
    plex.delay = 0.3
    clients = [login() for _ in range(20)]
    barrier = threading.Barrier(20)

    def fetch(client):
        barrier.wait()
        return client.get("/recent?limit=10")

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(fetch, clients))
    assert [a.status_code for a in answers] == [200] * 20
    assert len({a.get_data() for a in answers}) == 1
    assert plex.count("/library/recentlyAdded") == 1


def test_invalidate_library_refetches(plex, user, redis_client):
    user.get("/recent")
    user.get("/recent")
    assert plex.count("/library/recentlyAdded") == 1
    cache.invalidate_library(redis_client, MACHINE_ID)
    user.get("/recent")
    assert plex.count("/library/recentlyAdded") == 2
    cache.invalidate_library(redis_client, "some-other-server")
    user.get("/recent")
    assert plex.count("/library/recentlyAdded") == 2


def test_cache_follows_the_linked_server(plex, user, configure):
    user.get("/libraries")
    before = plex.count("/library/sections")
    configure("plex", PLEX, PLEX_TOKEN, machine_identifier="0" * 40)  # a different server linked
    user.get("/libraries")
    assert plex.count("/library/sections") == before + 1


@pytest.mark.parametrize("path", ["/libraries", "/libraries/1/items", "/recent", "/search?q=a", "/items/108",
                                  "/thumb/108"])
def test_plex_not_configured(user, configure, path):
    response = user.get(path)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_configured"
    assert "admin" in response.json["error"]["message"]
    configure("plex", PLEX, PLEX_TOKEN, machine_identifier=MACHINE_ID, enabled=False)
    assert user.get(path).status_code == 503


def test_plex_down_fails_fast_and_the_rest_works(settings, mocked, plex_linked, overseerr, make_user, signed_in):
    from functions.media.app import create_app

    app = create_app(derive(settings, MEDIANEST_BREAKER_FAILURES="2", MEDIANEST_HTTP_CONNECT_TIMEOUT="0.5"))
    client, _tokens = signed_in(app, make_user())
    # nothing answers for Plex: `responses` refuses the connection
    codes = [client.get(f"/search?q=term{n}") for n in range(6)]
    assert [r.status_code for r in codes] == [503] * 6
    assert {r.json["error"]["code"] for r in codes} == {"service_unavailable"}
    plex_attempts = [c for c in mocked.calls if c.request.url.startswith(PLEX)]
    assert len(plex_attempts) <= 2 * 3  # two logical calls (with retries) opened the breaker; the rest never left
    assert client.get("/requests").status_code == 200
    assert client.get("/discover?q=dune").status_code == 200
