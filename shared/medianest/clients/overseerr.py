"""Overseerr API v1 with `X-Api-Key`. Written against `contracts/overseerr.md` and `overseerr-api.yml`.

Overseerr validates every request against its OpenAPI document, so bodies are built to that schema and the
search query is percent-encoded by hand (`quote(q, safe="")`): `requests`' `params=` writes spaces as `+`,
which Overseerr refuses. Upstream bodies are read, never echoed to our users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from medianest.clients.values import Image, image_from, opt_int
from medianest.http import ServiceClient, UpstreamError

SERVICE = "overseerr"

# MediaRequestStatus (a request's `status`) and MediaStatus (`media.status`, season status)
REQUEST_PENDING, REQUEST_APPROVED, REQUEST_DECLINED, REQUEST_FAILED = 1, 2, 3, 4
MEDIA_UNKNOWN, MEDIA_PENDING, MEDIA_PROCESSING, MEDIA_PARTIALLY_AVAILABLE, MEDIA_AVAILABLE = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class OverseerrStatus:
    version: str
    update_available: bool


@dataclass(frozen=True)
class MediaInfo:
    """What Overseerr tracks about a title: its availability, per season for shows."""

    status: int | None
    seasons: dict[int, int] = field(default_factory=dict)  # season number -> MediaStatus
    rating_key: str | None = None


@dataclass(frozen=True)
class Title:
    """A search hit or a movie/tv detail page."""

    tmdb_id: int
    media_type: str
    title: str
    year: int | None
    poster_path: str | None
    media: MediaInfo | None = None
    tvdb_id: int | None = None
    seasons: tuple[int, ...] = ()  # tv detail only: every season number TMDB lists


@dataclass(frozen=True)
class SearchPage:
    page: int
    total_pages: int
    total_results: int
    results: list[Title]


@dataclass(frozen=True)
class OverseerrRequest:
    id: int
    status: int
    media_type: str
    tmdb_id: int | None
    seasons: tuple[int, ...]
    media: MediaInfo | None


class RequestRefused(Exception):
    """Overseerr would not create the request. reason: `exists`, `no_seasons`, `quota` or `forbidden`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _year(date: Any) -> int | None:
    return opt_int(date[:4]) if isinstance(date, str) and len(date) >= 4 else None


def media_info(raw: Any) -> MediaInfo | None:
    """`mediaInfo` / `media` as a MediaInfo, or None when Overseerr does not track the title."""
    if not isinstance(raw, dict):
        return None
    seasons = {}
    for season in raw.get("seasons") or []:
        if not isinstance(season, dict):
            continue
        number, status = opt_int(season.get("seasonNumber")), opt_int(season.get("status"))
        if number is not None and status is not None:
            seasons[number] = status
    rating_key = raw.get("ratingKey")
    return MediaInfo(opt_int(raw.get("status")), seasons, str(rating_key) if rating_key else None)


def _title(raw: dict[str, Any], media_type: str | None = None) -> Title | None:
    kind = media_type or raw.get("mediaType")
    tmdb_id = opt_int(raw.get("id"))
    if kind not in ("movie", "tv") or tmdb_id is None:
        return None
    name = raw.get("title") if kind == "movie" else raw.get("name")
    date = raw.get("releaseDate") if kind == "movie" else raw.get("firstAirDate")
    poster = raw.get("posterPath")
    external = raw.get("externalIds") if isinstance(raw.get("externalIds"), dict) else {}
    seasons = tuple(sorted({n for n in (opt_int(s.get("seasonNumber")) for s in raw.get("seasons") or []
                                        if isinstance(s, dict)) if n is not None}))
    return Title(tmdb_id=tmdb_id, media_type=kind, title=str(name or ""), year=_year(date),
                 poster_path=poster if isinstance(poster, str) and poster else None,
                 media=media_info(raw.get("mediaInfo")), tvdb_id=opt_int(external.get("tvdbId")), seasons=seasons)


def _request(raw: Any) -> OverseerrRequest | None:
    if not isinstance(raw, dict) or opt_int(raw.get("id")) is None:
        return None
    media = raw.get("media") if isinstance(raw.get("media"), dict) else {}
    seasons = tuple(sorted(n for n in (opt_int(s.get("seasonNumber")) for s in raw.get("seasons") or []
                                       if isinstance(s, dict)) if n is not None))
    return OverseerrRequest(id=int(raw["id"]), status=opt_int(raw.get("status")) or 0,
                            media_type=str(raw.get("type") or media.get("mediaType") or ""),
                            tmdb_id=opt_int(media.get("tmdbId")), seasons=seasons, media=media_info(media))


def request_body(media_type: str, tmdb_id: int, seasons: list[int] | None = None,
                 tvdb_id: int | None = None) -> dict[str, Any]:
    """The `POST /request` body Overseerr's validator accepts (tv always names its seasons)."""
    body: dict[str, Any] = {"mediaType": media_type, "mediaId": int(tmdb_id), "is4k": False}
    if media_type == "tv":
        body["seasons"] = [int(n) for n in seasons or []]
        if tvdb_id:
            body["tvdbId"] = int(tvdb_id)
    return body


class OverseerrClient(ServiceClient):
    def __init__(self, base_url: str, api_key: str | None, **kwargs: Any) -> None:
        headers = {"Accept": "application/json"}
        if api_key:
            headers["X-Api-Key"] = api_key
        super().__init__(SERVICE, "Overseerr", base_url.rstrip("/") + "/api/v1", headers=headers, **kwargs)
        # Overseerr's image cache lives beside the API, not under it
        self.images = ServiceClient(SERVICE, "Overseerr", base_url, headers=headers, **kwargs)

    def poster(self, file_name: str, size: str = "w342") -> Image | None:
        """A TMDB poster through Overseerr's image proxy (so browsers never reach out to TMDB)."""
        response = self.images.request("GET", f"/imageproxy/tmdb/t/p/{size}/{file_name}", ok=(404,))
        return None if response.status_code == 404 else image_from(response, SERVICE, "Overseerr")

    def _bad(self) -> UpstreamError:
        return UpstreamError(self.service, "bad_response", "Overseerr sent a response MediaNest could not read.")

    def status(self) -> OverseerrStatus:
        """`GET /status` is public: it says the server is up and which version it runs."""
        body = self.json(self.request("GET", "/status"))
        body = body if isinstance(body, dict) else {}
        return OverseerrStatus(str(body.get("version", "")), bool(body.get("updateAvailable", False)))

    def check_api_key(self) -> None:
        """A protected call; Overseerr answers 403 (not 401) when the key is refused."""
        self.request("GET", "/auth/me")

    # --- discovery -------------------------------------------------------------------------------
    def search(self, query: str, page: int = 1) -> SearchPage:
        """Movies and shows matching `query` (people are left out)."""
        path = f"/search?query={quote(query, safe='')}&page={int(page)}"
        body = self.json(self.request("GET", path))
        if not isinstance(body, dict):
            raise self._bad()
        hits = (_title(r) for r in body.get("results") or [] if isinstance(r, dict))
        return SearchPage(page=opt_int(body.get("page")) or page, total_pages=opt_int(body.get("totalPages")) or 0,
                          total_results=opt_int(body.get("totalResults")) or 0, results=[h for h in hits if h])

    def _detail(self, media_type: str, tmdb_id: int) -> Title | None:
        # Overseerr answers an unknown TMDB id with 500 "Unable to retrieve ..."; that is not an outage.
        response = self.request("GET", f"/{media_type}/{int(tmdb_id)}", ok=(404, 500))
        if response.status_code in (404, 500):
            body = self.json(response) if response.content else {}
            message = body.get("message", "") if isinstance(body, dict) else ""
            if response.status_code == 404 or str(message).startswith("Unable to retrieve"):
                return None
            raise UpstreamError(self.service, "http", "Overseerr answered 500.", 500)
        body = self.json(response)
        title = _title(body, media_type) if isinstance(body, dict) else None
        if title is None:
            raise self._bad()
        return title

    def movie(self, tmdb_id: int) -> Title | None:
        return self._detail("movie", tmdb_id)

    def tv(self, tmdb_id: int) -> Title | None:
        return self._detail("tv", tmdb_id)

    # --- requests --------------------------------------------------------------------------------
    def _parsed(self, response: Any) -> OverseerrRequest:
        parsed = _request(self.json(response))
        if parsed is None:
            raise self._bad()
        return parsed

    def create_request(self, media_type: str, tmdb_id: int, seasons: list[int] | None = None,
                       tvdb_id: int | None = None) -> OverseerrRequest:
        """Create a request; raises RequestRefused when Overseerr says no."""
        response = self.request("POST", "/request", json=request_body(media_type, tmdb_id, seasons, tvdb_id),
                                ok=(403, 409))
        if response.status_code == 409:
            raise RequestRefused("exists")
        if response.status_code == 202:  # "No seasons available to request": a refusal with a 2xx code
            raise RequestRefused("no_seasons")
        if response.status_code == 403:
            body = self.json(response) if response.content else {}
            message = str(body.get("message", "")) if isinstance(body, dict) else ""
            raise RequestRefused("quota" if "quota" in message.lower() else "forbidden")
        return self._parsed(response)

    def list_requests(self, take: int = 20, skip: int = 0, status_filter: str = "all",
                      sort: str = "added") -> tuple[list[OverseerrRequest], int]:
        """One page of requests, newest first, and how many there are."""
        params = {"take": take, "skip": skip, "filter": status_filter, "sort": sort}
        body = self.json(self.request("GET", "/request", params=params))
        if not isinstance(body, dict):
            raise self._bad()
        page_info = body.get("pageInfo") if isinstance(body.get("pageInfo"), dict) else {}
        found = [r for r in (_request(raw) for raw in body.get("results") or []) if r is not None]
        return found, opt_int(page_info.get("results")) or len(found)

    def get_request(self, request_id: int) -> OverseerrRequest | None:
        response = self.request("GET", f"/request/{int(request_id)}", ok=(404,))
        return None if response.status_code == 404 else self._parsed(response)

    def _decide(self, request_id: int, decision: str) -> OverseerrRequest | None:
        response = self.request("POST", f"/request/{int(request_id)}/{decision}", ok=(404,))
        return None if response.status_code == 404 else self._parsed(response)

    def approve(self, request_id: int) -> OverseerrRequest | None:
        return self._decide(request_id, "approve")

    def decline(self, request_id: int) -> OverseerrRequest | None:
        return self._decide(request_id, "decline")

    def delete_request(self, request_id: int) -> bool:
        """Remove a request; False when Overseerr no longer has it."""
        return self.request("DELETE", f"/request/{int(request_id)}", ok=(404,)).status_code != 404
