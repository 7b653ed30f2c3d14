"""Browsing the Plex library: sections, their items, recently added, search and item details.

Every answer comes through the Redis cache (`medianest.cache`, keys scoped to the linked server), so a
crowd opening the dashboard at once costs Plex one call. Poster and art URLs point at our own proxy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint

from functions.media import upstream
from functions.media.schemas import (
    MAX_RATING_KEY,
    ItemDetail,
    ItemList,
    ItemPage,
    ItemsQuery,
    Library,
    RecentQuery,
    SearchQuery,
)
from medianest import cache
from medianest.clients.plex import Item, PlexClient
from medianest.errors import ApiError
from medianest.openapi import validate
from medianest.web import require_user, services

bp = Blueprint("library", __name__)
THUMB_BASE = "/api/v1/media/thumb"
SORTS = {"title": "titleSort", "-title": "titleSort:desc", "added": "addedAt", "-added": "addedAt:desc",
         "year": "year", "-year": "year:desc", "rating": "rating", "-rating": "rating:desc"}


def image_path(item: Item, kind: str) -> str | None:
    """The Plex image path behind a poster (`thumb`) or background (`art`), falling back to the show's."""
    if kind == "art":
        return item.art or item.grandparent_art
    return item.thumb or item.parent_thumb or item.grandparent_thumb


def image_url(item: Item, kind: str) -> str | None:
    """Our proxy's URL for an item's image (never Plex's, never with a token); None without one."""
    if image_path(item, kind) is None:
        return None
    version = f"&v={item.updated_at}" if item.updated_at else ""
    return f"{THUMB_BASE}/{item.rating_key}?kind={kind}{version}"


def _time(epoch: int | None) -> str | None:
    """Plex's epoch seconds as ISO 8601 UTC (a string, so the cached JSON needs no conversion)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z") if epoch else None


def summary(item: Item) -> dict[str, Any]:
    """An item as lists show it."""
    show = (item.grandparent_title or item.parent_title) if item.type in ("season", "episode") else None
    return {"id": item.rating_key, "title": item.title, "year": item.year, "type": item.type,
            "thumb_url": image_url(item, "thumb"), "added_at": _time(item.added_at), "show_title": show,
            "library_id": item.section_id}


def load(client: PlexClient, machine_id: str, kind: str, loader: Callable[[PlexClient], Any], *parts: Any) -> Any:
    """`loader(client)` through the cache under `kind` and `parts`."""
    svc = services()
    key = cache.library_key(svc.redis, machine_id, kind, *parts)
    return cache.cached(svc.redis, key, cache.LIBRARY_TTLS[kind], lambda: loader(client),
                        lock_ms=upstream.lock_ms(svc.settings))


def item_record(client: PlexClient, machine_id: str, item_id: int) -> dict[str, Any] | None:
    """An item and (for a show) its seasons, cached: `{"item": ..., "seasons": [...]}` or None if unknown."""

    def fetch(plex: PlexClient) -> dict[str, Any] | None:
        item = plex.metadata(str(item_id))
        if item is None:
            return None
        seasons = plex.children(item.rating_key) if item.type == "show" else []
        return {"item": item.to_dict(), "seasons": [s.to_dict() for s in seasons]}

    return load(client, machine_id, "item", fetch, item_id)


@bp.get("/libraries")
@require_user
@validate(response=list[Library])
def libraries() -> Any:
    """The Plex server's libraries with how many items each holds."""

    def fetch(plex: PlexClient) -> list[dict[str, Any]]:
        return [{"id": s.key, "title": s.title, "type": s.type, "count": plex.section_size(s.key)}
                for s in plex.sections()]

    client, machine_id = upstream.plex()
    return load(client, machine_id, "sections", fetch)


@bp.get("/libraries/<int(max=1000000):library_id>/items")
@require_user
@validate(query=ItemsQuery, response=ItemPage)
def library_items(library_id: int, query: ItemsQuery) -> Any:
    """One page of a library's items."""

    def fetch(plex: PlexClient) -> dict[str, Any] | None:
        page = plex.section_items(str(library_id), query.offset, query.limit, SORTS[query.sort])
        if page is None:
            return None
        return {"items": [summary(i) for i in page.items], "total": page.total}

    client, machine_id = upstream.plex()
    found = load(client, machine_id, "items", fetch, library_id, query.offset, query.limit, query.sort)
    if found is None:
        raise ApiError(404, "not_found", "There is no such library.")
    return {**found, "offset": query.offset, "limit": query.limit}


@bp.get("/recent")
@require_user
@validate(query=RecentQuery, response=ItemList)
def recent(query: RecentQuery) -> Any:
    """Recently added items across every library, newest first."""
    client, machine_id = upstream.plex()
    return load(client, machine_id, "recent",
                lambda plex: {"items": [summary(i) for i in plex.recently_added(query.limit)]}, query.limit)


@bp.get("/search")
@require_user
@validate(query=SearchQuery, response=ItemList)
def search(query: SearchQuery) -> Any:
    """Library items matching `q`."""
    text = " ".join(query.q.split())
    if not text:
        raise ApiError(422, "validation_error", "Type something to search for.")
    client, machine_id = upstream.plex()
    return load(client, machine_id, "search",
                lambda plex: {"items": [summary(i) for i in plex.search(text, query.limit)]},
                text.casefold(), query.limit)


@bp.get(f"/items/<int(max={MAX_RATING_KEY}):item_id>")
@require_user
@validate(response=ItemDetail)
def item_detail(item_id: int) -> Any:
    """One item: summary, rating, duration, genres, seasons (shows), poster and background."""
    client, machine_id = upstream.plex()
    record = item_record(client, machine_id, item_id)
    if record is None:
        raise ApiError(404, "not_found", "There is no such item in the library.")
    item = Item.from_dict(record["item"])
    seasons = [Item.from_dict(s) for s in record["seasons"]]
    return {
        **summary(item), "summary": item.summary, "tagline": item.tagline, "rating": item.rating,
        "content_rating": item.content_rating, "studio": item.studio,
        "duration": item.duration_ms // 1000 if item.duration_ms is not None else None,
        "genres": list(item.genres), "art_url": image_url(item, "art"),
        "seasons": [{"id": s.rating_key, "title": s.title, "index": s.index, "episode_count": s.leaf_count,
                     "thumb_url": image_url(s, "thumb")} for s in seasons],
    }
