"""Media function fixtures: the app, signed-in clients, configured services, and Plex/Overseerr faked with
`responses` from the contract samples (every outbound Overseerr call is checked against its OpenAPI file)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from fakes.pytest_plugin import *  # noqa: F403
from functions.media.app import create_app
from medianest import events as medianest_events
from medianest.config import Settings
from tests.media.overseerr_spec import check_call

PLEX = "http://plex.test:32400"
OVERSEERR = "http://overseerr.test:5055"
OVERSEERR_API = f"{OVERSEERR}/api/v1"
MACHINE_ID = "96f2fe7a78c9dc1f16a16bedbe90f98149be16b4"
PLEX_TOKEN = "plex-owner-token-for-media-tests"
OVERSEERR_KEY = "overseerr-api-key-for-media-tests"
FIXTURES = Path(__file__).parent / "fixtures"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def app(settings: Settings):
    return create_app(settings)


@pytest.fixture
def login(app, make_user, signed_in) -> Callable[..., Any]:
    """`login(role)` → a test client signed in as a new user (`.user`), CSRF header preset."""

    def _login(role: str = "user", **kwargs: Any) -> Any:
        person = make_user(role=role, **kwargs)
        client, tokens = signed_in(app, person)
        client.environ_base["HTTP_X_CSRF_TOKEN"] = tokens["csrf"]
        client.user = person
        return client

    return _login


@pytest.fixture
def admin(login):
    return login("admin")


@pytest.fixture
def user(login):
    return login()


@pytest.fixture
def other(login):
    return login()


@pytest.fixture
def plex_linked(configure) -> None:
    configure("plex", PLEX, PLEX_TOKEN, machine_identifier=MACHINE_ID)


@pytest.fixture
def overseerr_on(configure) -> Callable[..., None]:
    """Overseerr configured (no quotas); call it again with options to set quotas."""
    configure("overseerr", OVERSEERR, OVERSEERR_KEY)
    return lambda **options: configure("overseerr", OVERSEERR, OVERSEERR_KEY, options=options)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def _query(request: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def _json(body: Any, status: int = 200) -> tuple[int, dict[str, str], str]:
    return status, {"Content-Type": "application/json"}, json.dumps(body)


class FakePlexRoutes:
    """Plex answers built from the samples; counts calls per path and refuses a missing token."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.rsps = rsps
        self.calls: list[str] = []
        self.metadata = {"108": fixture("pms-metadata-108.json"), "161": fixture("pms-metadata-collection.json")}
        show = copy.deepcopy(fixture("pms-section-all-shows.json"))
        show["MediaContainer"]["Metadata"] = show["MediaContainer"]["Metadata"][:1]
        self.metadata["22"] = show
        self.sections = {"1": fixture("pms-section-all-movies.json"), "2": fixture("pms-section-all-shows.json")}
        self.delay = 0.0

    def _authorized(self, request: Any) -> bool:
        return request.headers.get("X-Plex-Token") == PLEX_TOKEN and "X-Plex-Token" not in request.url

    def route(self, path: str, answer: Callable[[Any], tuple[int, dict[str, str], Any]]) -> None:
        def callback(request: Any) -> tuple[int, dict[str, str], Any]:
            self.calls.append(urlsplit(request.url).path)
            if self.delay:
                import time

                time.sleep(self.delay)
            if not self._authorized(request):
                return 401, {"Content-Type": "text/html"}, "<html><body>401 Unauthorized</body></html>"
            return answer(request)

        self.rsps.add_callback(responses.GET, f"{PLEX}{path}", callback=callback)

    def install(self) -> FakePlexRoutes:
        self.route("/library/sections", lambda r: _json(fixture("pms-sections.composed.json")))
        for key in self.sections:
            self.route(f"/library/sections/{key}/all", lambda r, key=key: self._section(key, r))
        self.route("/library/sections/9/all", lambda r: (404, {"Content-Type": "text/html"}, "Not Found"))
        self.route("/library/recentlyAdded", lambda r: _json(fixture("pms-recently-added.composed.json")))
        self.route("/hubs/search", lambda r: _json(fixture("pms-hubs-search.composed.json")))
        for key, body in self.metadata.items():
            self.route(f"/library/metadata/{key}", lambda r, body=body: _json(body))
        self.route("/library/metadata/22/children", lambda r: _json(fixture("pms-children-22.composed.json")))
        self.route("/library/metadata/404", lambda r: (404, {"Content-Type": "text/html"}, "Not Found"))
        self.route("/photo/:/transcode", lambda r: (200, {"Content-Type": "image/jpeg"}, JPEG))
        return self

    def _section(self, key: str, request: Any) -> tuple[int, dict[str, str], str]:
        body = copy.deepcopy(self.sections[key])
        media = body["MediaContainer"]
        items = media.pop("Metadata")
        query = _query(request)
        start = int(query.get("X-Plex-Container-Start", 0))
        size = int(query.get("X-Plex-Container-Size", len(items)))
        page = items[start:start + size]
        media.update(size=len(page), totalSize=len(items), offset=start)
        if page:
            media["Metadata"] = page  # Plex leaves an empty array out
        return _json(body)

    def count(self, path: str) -> int:
        return sum(1 for p in self.calls if p == path)


@pytest.fixture
def plex(mocked, plex_linked) -> FakePlexRoutes:
    return FakePlexRoutes(mocked).install()


class FakeOverseerrRoutes:
    """Overseerr answers for a few titles; every call is checked against overseerr-api.yml."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.rsps = rsps
        self.calls: list[tuple[str, str, Any]] = []
        self.titles: dict[tuple[str, int], dict[str, Any]] = {}
        self.requests: dict[int, dict[str, Any]] = {}
        self.next_id = 1
        self.initial_status = 1  # pending, as for a user without auto-approve
        self.search_results: list[dict[str, Any]] = []
        self.down = False  # every call then fails to connect

    def add_movie(self, tmdb: int, title: str, year: int = 2021, media: dict[str, Any] | None = None) -> None:
        body = {"id": tmdb, "title": title, "releaseDate": f"{year}-09-15", "posterPath": f"/p{tmdb}.jpg",
                "overview": "", "externalIds": {"imdbId": None}}
        if media:
            body["mediaInfo"] = media
        self.titles[("movie", tmdb)] = body

    def add_show(self, tmdb: int, title: str, seasons: int = 3, media: dict[str, Any] | None = None) -> None:
        body = {"id": tmdb, "name": title, "firstAirDate": "2011-04-17", "posterPath": f"/p{tmdb}.jpg",
                "externalIds": {"tvdbId": 121361},
                "seasons": [{"id": n, "seasonNumber": n, "episodeCount": 10, "name": f"Season {n}"}
                            for n in range(0, seasons + 1)]}
        if media:
            body["mediaInfo"] = media
        self.titles[("tv", tmdb)] = body

    def seed(self, media_type: str, tmdb: int, status: int = 1, seasons: tuple[int, ...] = ()) -> int:
        """A request Overseerr already holds (as if made earlier); returns its id."""
        rid, self.next_id = self.next_id, self.next_id + 1
        self.requests[rid] = {
            "id": rid, "status": status, "type": media_type, "is4k": False,
            "media": {"id": rid, "mediaType": media_type, "tmdbId": tmdb, "status": 2, "seasons": []},
            "seasons": [{"id": 100 + n, "seasonNumber": n, "status": status} for n in seasons]}
        return rid

    def request_view(self, rid: int) -> dict[str, Any]:
        return copy.deepcopy(self.requests[rid])

    def set_status(self, rid: int, status: int, media_status: int | None = None) -> None:
        self.requests[rid]["status"] = status
        if media_status is not None:
            self.requests[rid]["media"]["status"] = media_status

    def _record(self, request: Any) -> None:
        if self.down:
            raise requests.ConnectionError("Overseerr is down")
        check_call(request.method, request.url, request.body)
        self.calls.append((request.method, urlsplit(request.url).path, request.body))
        assert request.headers.get("X-Api-Key") == OVERSEERR_KEY

    def install(self) -> FakeOverseerrRoutes:
        import re

        def detail(request: Any) -> tuple[int, dict[str, str], str]:
            self._record(request)
            kind, tmdb = urlsplit(request.url).path.split("/")[-2:]
            body = self.titles.get((kind, int(tmdb)))
            if body is None:
                return _json({"message": f"Unable to retrieve {'movie' if kind == 'movie' else 'series'}."}, 500)
            return _json(body)

        def create(request: Any) -> tuple[int, dict[str, str], str]:
            self._record(request)
            body = json.loads(request.body)
            rid, self.next_id = self.next_id, self.next_id + 1
            seasons = [{"id": 100 + n, "seasonNumber": n, "status": self.initial_status}
                       for n in body.get("seasons") or []]
            self.requests[rid] = {
                "id": rid, "status": self.initial_status, "type": body["mediaType"], "is4k": False,
                "createdAt": "2024-05-01T10:00:00.000Z", "updatedAt": "2024-05-01T10:00:00.000Z",
                "media": {"id": rid, "mediaType": body["mediaType"], "tmdbId": body["mediaId"],
                          "status": 3 if self.initial_status == 2 else 2, "seasons": []},
                "seasons": seasons, "requestedBy": {"id": 1, "displayName": "admin"}, "modifiedBy": None}
            return _json(self.request_view(rid), 201)

        def one(request: Any) -> tuple[int, dict[str, str], str]:
            self._record(request)
            parts = urlsplit(request.url).path.split("/")
            rid = int(parts[4])
            if rid not in self.requests:
                return _json({"message": "Request not found."}, 404)
            if request.method == "DELETE":
                del self.requests[rid]
                return 204, {}, ""
            if len(parts) > 5:
                self.set_status(rid, 2 if parts[5] == "approve" else 3, 3 if parts[5] == "approve" else None)
            return _json(self.request_view(rid))

        def search(request: Any) -> tuple[int, dict[str, str], str]:
            self._record(request)
            return _json({"page": 1, "totalPages": 1, "totalResults": len(self.search_results),
                          "results": self.search_results})

        rid = re.compile(rf"{re.escape(OVERSEERR_API)}/request/\d+(/(approve|decline))?$")
        self.rsps.add_callback(responses.GET, re.compile(rf"{re.escape(OVERSEERR_API)}/(movie|tv)/\d+$"),
                               callback=detail)
        self.rsps.add_callback(responses.POST, f"{OVERSEERR_API}/request", callback=create)
        for method in (responses.GET, responses.POST, responses.DELETE):
            self.rsps.add_callback(method, rid, callback=one)
        self.rsps.add_callback(responses.GET, re.compile(rf"{re.escape(OVERSEERR_API)}/search\?.*"), callback=search)
        # Overseerr's image cache (beside the API): a small JPEG for any TMDB poster file
        self.rsps.add(responses.GET, re.compile(rf"{re.escape(OVERSEERR)}/imageproxy/tmdb/t/p/w342/[^/]+$"),
                      body=b"\xff\xd8\xff\xe0poster", content_type="image/jpeg")
        return self


@pytest.fixture
def overseerr(mocked, overseerr_on) -> FakeOverseerrRoutes:
    routes = FakeOverseerrRoutes(mocked).install()
    routes.add_movie(438631, "Dune")
    routes.add_show(1399, "Game of Thrones")
    return routes


@pytest.fixture
def stored_request(overseerr, db_conn) -> Callable[..., dict[str, Any]]:
    """`stored_request(owner, title=..., status=...)`: a request in Overseerr and in our table, as if made."""
    from medianest.store import media_requests

    counter = iter(range(900001, 999999))

    def _stored(owner: dict[str, Any], title: str = "A film", status: str = "pending",
                media_type: str = "movie", seasons: tuple[int, ...] = ()) -> dict[str, Any]:
        tmdb = next(counter)
        rid = overseerr.seed(media_type, tmdb, 1 if status == "pending" else 2, seasons)
        row = media_requests.create(db_conn, user_id=owner["id"], overseerr_id=rid, tmdb_id=tmdb,
                                    media_type=media_type, title=title, year=2020, poster_path="/x.jpg",
                                    seasons=list(seasons), status=status)
        media_requests.add_history(db_conn, row["id"], status, "user", actor_id=owner["id"])
        return row

    return _stored


@pytest.fixture
def events(redis_client) -> Iterator[Callable[[Any], Callable[[], list[dict[str, Any]]]]]:
    """`listen = events(user_id)`; `listen()` returns the events published on that user's topic since."""
    subscriptions = []

    def _events(user_id: Any) -> Callable[[], list[dict[str, Any]]]:
        pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(medianest_events.channel(redis_client, f"user:{user_id}"))
        pubsub.get_message(timeout=1)  # the subscribe confirmation
        subscriptions.append(pubsub)

        def drain() -> list[dict[str, Any]]:
            got = []
            while (message := pubsub.get_message(timeout=0.3)) is not None:
                if message["type"] == "message":
                    got.append(json.loads(message["data"]))
            return got

        return drain

    yield _events
    for pubsub in subscriptions:
        pubsub.close()
