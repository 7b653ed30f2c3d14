"""A Plex Media Server: JSON via `Accept`, the token in the `X-Plex-Token` header (never in a URL).

Written against `contracts/plex-media-server.md`; tolerant of Plex's irregular JSON (arrays left out when
empty, numbers sent as strings).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from medianest.clients.values import Image, flag, image_from, opt_float, opt_int
from medianest.http import ServiceClient, UpstreamError

SERVICE = "plex"


def as_int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def container(payload: Any) -> dict[str, Any]:
    """The `MediaContainer` of a Plex JSON answer ({} when it is missing or not an object)."""
    if isinstance(payload, dict) and isinstance(payload.get("MediaContainer"), dict):
        return payload["MediaContainer"]
    return {}


def _opt_str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) != "" else None


def _tags(raw: dict[str, Any], name: str, field: str = "tag") -> tuple[str, ...]:
    values = raw.get(name)
    if not isinstance(values, list):  # Plex leaves empty arrays out
        return ()
    return tuple(str(v[field]) for v in values if isinstance(v, dict) and v.get(field) not in (None, ""))


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    type: str
    refreshing: bool = False
    locations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One library item (movie, show, season, episode, collection, ...), the fields MediaNest uses."""

    rating_key: str
    type: str
    title: str
    year: int | None = None
    summary: str = ""
    tagline: str = ""
    rating: float | None = None
    content_rating: str | None = None
    studio: str | None = None
    duration_ms: int | None = None
    thumb: str | None = None
    art: str | None = None
    parent_thumb: str | None = None
    grandparent_thumb: str | None = None
    grandparent_art: str | None = None
    added_at: int | None = None  # epoch seconds
    updated_at: int | None = None
    section_id: int | None = None
    parent_rating_key: str | None = None
    parent_title: str | None = None
    grandparent_title: str | None = None
    index: int | None = None
    child_count: int | None = None
    leaf_count: int | None = None
    genres: tuple[str, ...] = ()
    guids: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: dict[str, Any], section_id: int | None = None) -> Item | None:
        """An item from Plex JSON, or None without a rating key."""
        rating_key = _opt_str(raw.get("ratingKey"))
        if rating_key is None:
            return None
        return cls(
            rating_key=rating_key, type=str(raw.get("type") or "unknown"), title=str(raw.get("title") or ""),
            year=opt_int(raw.get("year")), summary=str(raw.get("summary") or ""),
            tagline=str(raw.get("tagline") or ""), rating=opt_float(raw.get("rating")),
            content_rating=_opt_str(raw.get("contentRating")), studio=_opt_str(raw.get("studio")),
            duration_ms=opt_int(raw.get("duration")), thumb=_opt_str(raw.get("thumb")),
            art=_opt_str(raw.get("art")), parent_thumb=_opt_str(raw.get("parentThumb")),
            grandparent_thumb=_opt_str(raw.get("grandparentThumb")),
            grandparent_art=_opt_str(raw.get("grandparentArt")), added_at=opt_int(raw.get("addedAt")),
            updated_at=opt_int(raw.get("updatedAt")),
            section_id=opt_int(raw.get("librarySectionID")) if raw.get("librarySectionID") is not None
            else section_id,
            parent_rating_key=_opt_str(raw.get("parentRatingKey")), parent_title=_opt_str(raw.get("parentTitle")),
            grandparent_title=_opt_str(raw.get("grandparentTitle")), index=opt_int(raw.get("index")),
            child_count=opt_int(raw.get("childCount")), leaf_count=opt_int(raw.get("leafCount")),
            genres=_tags(raw, "Genre"), guids=_tags(raw, "Guid", "id"),
        )

    @property
    def tmdb_id(self) -> int | None:
        """The TMDB id from the item's `tmdb://` guid (needs includeGuids=1 on list endpoints)."""
        for guid in self.guids:
            if guid.startswith("tmdb://"):
                return opt_int(guid.removeprefix("tmdb://"))
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(**{**data, "genres": tuple(data.get("genres") or ()), "guids": tuple(data.get("guids") or ())})


@dataclass(frozen=True)
class Page:
    items: list[Item]
    total: int
    offset: int


@dataclass(frozen=True)
class Identity:
    machine_identifier: str
    version: str
    claimed: bool


class PlexClient(ServiceClient):
    def __init__(self, base_url: str, token: str | None, *, client_identifier: str = "medianest",
                 **kwargs: Any) -> None:
        headers = {"Accept": "application/json", "X-Plex-Product": "MediaNest",
                   "X-Plex-Client-Identifier": client_identifier}
        if token:
            headers["X-Plex-Token"] = token
        super().__init__(SERVICE, "Plex", base_url, headers=headers, **kwargs)

    def get_json(self, path: str, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> dict[str, Any]:
        return container(self.json(self.request("GET", path, params=params, headers=headers)))

    def identity(self) -> Identity:
        media = self.get_json("/identity")
        machine = media.get("machineIdentifier")
        if not isinstance(machine, str) or not machine:
            raise UpstreamError(SERVICE, "bad_response", "Plex did not say which server it is.")
        return Identity(machine, str(media.get("version", "")), bool(media.get("claimed", False)))

    def check_token(self) -> None:
        """Raise UpstreamError (status 401) when the token is not accepted for the library."""
        self.get_json("/library/sections")

    # --- library ---------------------------------------------------------------------------------
    def _get_or_none(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """A container, or None when Plex answers 404 (unknown key)."""
        response = self.request("GET", path, params=params, ok=(404,))
        return None if response.status_code == 404 else container(self.json(response))

    @staticmethod
    def _items(media: dict[str, Any]) -> list[Item]:
        section_id = opt_int(media.get("librarySectionID"))
        raw = media.get("Metadata")
        items = (Item.parse(r, section_id) for r in raw if isinstance(r, dict)) if isinstance(raw, list) else ()
        return [item for item in items if item is not None]

    def sections(self) -> list[Section]:
        """Every library section of the server."""
        found = []
        for raw in self.get_json("/library/sections").get("Directory") or []:
            key = _opt_str(raw.get("key")) if isinstance(raw, dict) else None
            if key is None:
                continue
            locations = tuple(str(loc.get("path")) for loc in raw.get("Location") or []
                              if isinstance(loc, dict) and loc.get("path"))
            found.append(Section(key, str(raw.get("title") or ""), str(raw.get("type") or ""),
                                 flag(raw.get("refreshing", False)), locations))
        return found

    def section_size(self, key: str) -> int:
        """How many items a section holds (a page of size 0 carries only the counts)."""
        media = self.get_json(f"/library/sections/{_key(key)}/all",
                              {"X-Plex-Container-Start": 0, "X-Plex-Container-Size": 0})
        return as_int(media.get("totalSize", media.get("size")))

    def section_items(self, key: str, offset: int = 0, limit: int = 50, sort: str = "titleSort",
                      type_number: int | None = None, include_guids: bool = False) -> Page | None:
        """One page of a section's items; None for an unknown section."""
        params: dict[str, Any] = {"sort": sort, "X-Plex-Container-Start": offset, "X-Plex-Container-Size": limit}
        if type_number is not None:
            params["type"] = type_number
        if include_guids:
            params["includeGuids"] = 1
        media = self._get_or_none(f"/library/sections/{_key(key)}/all", params)
        if media is None:
            return None
        items = self._items(media)
        return Page(items, as_int(media.get("totalSize", media.get("size")), len(items)),
                    as_int(media.get("offset"), offset))

    def recently_added(self, limit: int = 20) -> list[Item]:
        """The newest items across every library (TV often arrives as season items)."""
        media = self.get_json("/library/recentlyAdded", {"X-Plex-Container-Start": 0, "X-Plex-Container-Size": limit})
        return self._items(media)[:limit]

    def search(self, query: str, limit: int = 10) -> list[Item]:
        """Media items of every hub `/hubs/search` returns (tag hubs such as actors are skipped)."""
        media = self.get_json("/hubs/search", {"query": query, "limit": limit})
        found: dict[str, Item] = {}
        for hub in media.get("Hub") or []:
            if isinstance(hub, dict):
                for item in self._items(hub):
                    found.setdefault(item.rating_key, item)
        return list(found.values())

    def metadata(self, rating_key: str) -> Item | None:
        """One item in full, or None when Plex does not know it."""
        media = self._get_or_none(f"/library/metadata/{_key(rating_key)}")
        items = self._items(media) if media is not None else []
        return items[0] if items else None

    def children(self, rating_key: str) -> list[Item]:
        """A show's seasons, a season's episodes or a collection's items."""
        media = self._get_or_none(f"/library/metadata/{_key(rating_key)}/children")
        return self._items(media) if media is not None else []

    def transcode_image(self, path: str, width: int, height: int) -> Image | None:
        """A server image resized by Plex's transcoder; None when Plex has no such image."""
        response = self.request("GET", "/photo/:/transcode", ok=(404,), params={
            "width": width, "height": height, "minSize": 1, "upscale": 1, "url": path})
        if response.status_code == 404:
            return None
        return image_from(response, SERVICE, "Plex")

    # --- scans and collections (owner token) ----------------------------------------------------
    def refresh_section(self, key: str, path: str | None = None) -> None:
        """Scan a section, or just `path` (as the Plex server sees it); the scan runs in the background."""
        self.request("GET", f"/library/sections/{_key(key)}/refresh", params={"path": path} if path else None)

    @staticmethod
    def items_uri(machine_identifier: str, rating_keys: list[str]) -> str:
        keys = ",".join(_key(k) for k in rating_keys)
        return f"server://{machine_identifier}/com.plexapp.plugins.library/library/metadata/{keys}"

    def create_collection(self, machine_identifier: str, section_key: str, title: str, rating_keys: list[str],
                          type_number: int) -> Item:
        """A regular collection holding these items (all of one type), returned as Plex created it."""
        params = {"uri": self.items_uri(machine_identifier, rating_keys), "type": type_number, "title": title,
                  "smart": 0, "sectionId": _key(section_key)}
        items = self._items(container(self.json(self.request("POST", "/library/collections", params=params))))
        if not items:
            raise UpstreamError(SERVICE, "bad_response", "Plex did not return the new collection.")
        return items[0]

    def add_to_collection(self, machine_identifier: str, collection_key: str, rating_keys: list[str]) -> None:
        self.request("PUT", f"/library/collections/{_key(collection_key)}/items",
                     params={"uri": self.items_uri(machine_identifier, rating_keys)})

    def remove_from_collection(self, collection_key: str, rating_key: str) -> None:
        self.request("DELETE", f"/library/collections/{_key(collection_key)}/items/{_key(rating_key)}")

    def collection_items(self, collection_key: str) -> list[Item]:
        media = self._get_or_none(f"/library/collections/{_key(collection_key)}/children")
        return self._items(media) if media is not None else []

    # --- downloads: files by folder, collections found by title and put in order ------------------------
    def files_under(self, section_key: str, folder: str, page: int = 200) -> list[MediaFile]:
        """Items of a section with a file under `folder` (a path as the Plex server sees it)."""
        prefix = folder.rstrip("/") + "/"
        found: list[MediaFile] = []
        start = 0
        while True:
            media = self.get_json(f"/library/sections/{_key(section_key)}/all",
                                  {"X-Plex-Container-Start": start, "X-Plex-Container-Size": page})
            rows = [r for r in media.get("Metadata") or [] if isinstance(r, dict)]
            for raw in rows:
                for part in (p for m in raw.get("Media") or [] for p in m.get("Part") or []):
                    path = str(part.get("file") or "")
                    if path.startswith(prefix) and raw.get("ratingKey") is not None:
                        found.append(MediaFile(str(raw["ratingKey"]), str(raw.get("type") or ""), path))
            start += len(rows)
            if not rows or start >= as_int(media.get("totalSize", media.get("size")), start):
                return found

    def section_collections(self, section_key: str) -> list[Item]:
        """The collections of one section."""
        media = self._get_or_none(f"/library/sections/{_key(section_key)}/collections")
        return self._items(media) if media is not None else []

    def sort_collection_custom(self, collection_key: str) -> None:
        """Let a collection keep the order its items are moved into (instead of release date)."""
        self.request("PUT", f"/library/metadata/{_key(collection_key)}/prefs", params={"collectionSort": 2},
                     idempotent=True)

    def move_in_collection(self, collection_key: str, rating_key: str, after: str | None) -> None:
        """Put an item right after `after` (first when None) in a custom-ordered collection."""
        params = {"after": _key(after)} if after is not None else None
        self.request("PUT", f"/library/collections/{_key(collection_key)}/items/{_key(rating_key)}/move",
                     params=params, idempotent=True)

    def delete_collection(self, collection_key: str) -> None:
        """Remove a collection (its items stay in the library); a collection already gone is fine."""
        self.request("DELETE", f"/library/collections/{_key(collection_key)}", ok=(404,), idempotent=True)

def _key(value: str) -> str:
    """A section or rating key as it may appear in a path: digits only (never a path or URL from input)."""
    text = str(value)
    if not text.isdigit() or not text.isascii():
        raise ValueError("a Plex key is a number")
    return text


@dataclass(frozen=True)
class MediaFile:
    """A library item and one of its files, as the Plex server names the path."""

    rating_key: str
    type: str
    file: str
