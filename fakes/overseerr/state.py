"""Overseerr's users, media and requests, with the enums and permission rules of the real server.

Users: 1 = the admin (the Plex owner; what the API key acts as), 2 = alice, 3 = bob (REQUEST only, so
their requests start PENDING). Titles already in Plex are tracked media with status AVAILABLE and the
Plex rating key, as after Overseerr's Plex sync.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fakes import accounts as acc
from fakes.catalog import MOVIES, SHOWS

# MediaRequestStatus / MediaStatus
PENDING, APPROVED, DECLINED, FAILED = 1, 2, 3, 4
UNKNOWN, M_PENDING, PROCESSING, PARTIALLY_AVAILABLE, AVAILABLE = 1, 2, 3, 4, 5
MEDIA_STATUS_NAMES = {1: "UNKNOWN", 2: "PENDING", 3: "PROCESSING", 4: "PARTIALLY_AVAILABLE", 5: "AVAILABLE"}

ADMIN, MANAGE_USERS, MANAGE_REQUESTS, REQUEST = 2, 8, 16, 32
AUTO_APPROVE, AUTO_APPROVE_MOVIE, AUTO_APPROVE_TV = 128, 256, 512
REQUEST_4K, REQUEST_4K_MOVIE, REQUEST_4K_TV, REQUEST_VIEW = 1024, 2048, 4096, 16384
REQUEST_MOVIE, REQUEST_TV = 262144, 524288


def now_iso() -> str:
    """Timestamps as Overseerr writes them (UTC, milliseconds, ``Z``)."""
    stamp = datetime.now(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def has_permission(user: dict[str, Any], *perms: int, any_of: bool = True) -> bool:
    """Overseerr's check: ADMIN passes everything; otherwise any (or all) of ``perms``."""
    if user["permissions"] & ADMIN:
        return True
    hits = [bool(user["permissions"] & p) for p in perms]
    return any(hits) if any_of else all(hits)


def _user(uid: int, account: acc.Account, permissions: int) -> dict[str, Any]:
    return {
        "id": uid, "email": account.email, "plexUsername": account.username, "username": None,
        "userType": 1, "permissions": permissions, "avatar": account.thumb, "createdAt": "2024-01-01T10:00:00.000Z",
        "updatedAt": "2024-01-01T10:00:00.000Z", "displayName": account.username, "plexId": account.id,
        "requestCount": 0, "movieQuotaLimit": None, "movieQuotaDays": None, "tvQuotaLimit": None,
        "tvQuotaDays": None, "settings": {"discordId": "", "telegramChatId": ""},
    }


@dataclass
class Store:
    """Everything the Overseerr fake remembers."""

    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    media: dict[int, dict[str, Any]] = field(default_factory=dict)  # by media id
    requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    media_ids: Any = field(default_factory=lambda: itertools.count(1))
    request_ids: Any = field(default_factory=lambda: itertools.count(1))
    season_ids: Any = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def seeded(cls) -> Store:
        """Users plus the media Overseerr knows from Plex."""
        store = cls()
        store.users = {1: _user(1, acc.OWNER, ADMIN), 2: _user(2, acc.ACCOUNTS["alice"], REQUEST),
                       3: _user(3, acc.ACCOUNTS["bob"], REQUEST)}
        for m in MOVIES:
            if m.rating_key:
                media = store.new_media("movie", m.tmdb, None, m.imdb)
                media.update(status=AVAILABLE, ratingKey=m.rating_key, mediaAddedAt="2023-11-14T22:13:20.000Z")
        for s in SHOWS:
            if s.rating_key:
                media = store.new_media("tv", s.tmdb, s.tvdb, s.imdb)
                full = len(s.in_plex) == len(s.episodes)
                media.update(status=AVAILABLE if full else PARTIALLY_AVAILABLE, ratingKey=s.rating_key,
                             mediaAddedAt="2023-12-04T22:13:20.000Z")
                media["seasons"] = [store.season(n, AVAILABLE) for n in sorted(s.in_plex)]
        return store

    def new_media(self, media_type: str, tmdb: int, tvdb: int | None, imdb: str | None) -> dict[str, Any]:
        """A tracked media row (status UNKNOWN until something happens to it)."""
        mid = next(self.media_ids)
        stamp = now_iso()
        media = {
            "id": mid, "mediaType": media_type, "tmdbId": tmdb, "tvdbId": tvdb, "imdbId": imdb,
            "status": UNKNOWN, "status4k": UNKNOWN, "createdAt": stamp, "updatedAt": stamp,
            "lastSeasonChange": stamp, "mediaAddedAt": None, "serviceId": None, "serviceId4k": None,
            "externalServiceId": None, "externalServiceId4k": None, "externalServiceSlug": None,
            "externalServiceSlug4k": None, "ratingKey": None, "ratingKey4k": None, "seasons": [],
        }
        self.media[mid] = media
        return media

    def season(self, number: int, status: int) -> dict[str, Any]:
        """A season row of a media or a request."""
        stamp = now_iso()
        return {"id": next(self.season_ids), "seasonNumber": number, "status": status, "status4k": UNKNOWN,
                "createdAt": stamp, "updatedAt": stamp}

    def media_for(self, media_type: str, tmdb: int) -> dict[str, Any] | None:
        """The tracked media for a TMDB id."""
        return next((m for m in self.media.values() if m["mediaType"] == media_type and m["tmdbId"] == tmdb), None)

    def requests_of(self, media: dict[str, Any]) -> list[dict[str, Any]]:
        """Requests that point at ``media``."""
        return [r for r in self.requests.values() if r["_media"] == media["id"]]

    # -- JSON views ------------------------------------------------------------------------------
    def user_view(self, user: dict[str, Any] | None) -> dict[str, Any] | None:
        """A user as embedded in requests (with its current request count)."""
        if user is None:
            return None
        view = {k: v for k, v in user.items() if k != "settings"}
        view["requestCount"] = sum(1 for r in self.requests.values() if r["_by"] == user["id"])
        return view

    def media_view(self, media: dict[str, Any], with_requests: bool = True) -> dict[str, Any]:
        """``mediaInfo`` / ``media`` with Plex URLs once it is in Plex."""
        view = dict(media)
        if media["ratingKey"]:
            view["plexUrl"] = (f"https://app.plex.tv/desktop#!/server/{acc.PLEX_MACHINE_ID}/details?key="
                               f"%2Flibrary%2Fmetadata%2F{media['ratingKey']}")
            view["iOSPlexUrl"] = f"plex://preplay/?metadataKey=%2Flibrary%2Fmetadata%2F{media['ratingKey']}"
        view["downloadStatus"], view["downloadStatus4k"] = [], []
        if with_requests:
            view["requests"] = [self.request_view(r, with_media=False) for r in self.requests_of(media)]
        return view

    def request_view(self, req: dict[str, Any], with_media: bool = True) -> dict[str, Any]:
        """A MediaRequest as the API returns it."""
        view = {k: v for k, v in req.items() if not k.startswith("_")}
        if with_media:
            view["media"] = self.media_view(self.media[req["_media"]], with_requests=False)
        view["requestedBy"] = self.user_view(self.users.get(req["_by"]))
        view["modifiedBy"] = self.user_view(self.users.get(req["_modified_by"])) if req["_modified_by"] else None
        view["seasonCount"] = len(req["seasons"])
        return view
