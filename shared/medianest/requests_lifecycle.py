"""How a media request changes status: the one place for it.

The media function (admin decisions, the periodic reconcile) and the webhooks function (Overseerr and Plex
notifications) all call `apply_status`, which writes the history row, notifies the owner and publishes
`request:update` on the owner's topic. The mapping from Overseerr's numbers and notification names to our
statuses lives here too, so every path reads Overseerr the same way.

`apply_status` changes nothing (and returns None) when the request is gone, already has that status, is
settled (available, declined) while the news comes from a webhook or the reconcile, or when `delivery_id`
was applied before, so a repeated delivery is harmless. Its writes run in one transaction (a savepoint
inside a caller's open one); the events go out after it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
import redis

from medianest import events
from medianest.clients import overseerr as ov
from medianest.store import media_requests, notifications

log = logging.getLogger(__name__)

STATUSES = ("pending", "approved", "declined", "processing", "partially_available", "available", "failed")
SOURCES = ("user", "admin", "webhook", "reconcile", "system")
# Once a request is here only a person (user/admin) may move it: a late or replayed notification cannot.
SETTLED = frozenset({"available", "declined"})
LABELS = {
    "pending": "is waiting for approval",
    "approved": "was approved",
    "declined": "was declined",
    "processing": "is being downloaded",
    "partially_available": "is partly available in Plex",
    "available": "is available in Plex",
    "failed": "failed to download",
}
MEDIA_STATUS_NAMES = {"UNKNOWN": ov.MEDIA_UNKNOWN, "PENDING": ov.MEDIA_PENDING, "PROCESSING": ov.MEDIA_PROCESSING,
                      "PARTIALLY_AVAILABLE": ov.MEDIA_PARTIALLY_AVAILABLE, "AVAILABLE": ov.MEDIA_AVAILABLE}
DISCOVER_STATUSES = {ov.MEDIA_PENDING: "pending", ov.MEDIA_PROCESSING: "processing",
                     ov.MEDIA_PARTIALLY_AVAILABLE: "partially_available", ov.MEDIA_AVAILABLE: "available"}


def availability(media: ov.MediaInfo | None, seasons: Sequence[int] = ()) -> int | None:
    """The MediaStatus that matters for a request: of its seasons for a show, else of the whole title."""
    if media is None:
        return None
    known = [media.seasons[n] for n in seasons if n in media.seasons]
    if seasons and media.seasons:
        if known and len(known) == len(seasons) and all(s == ov.MEDIA_AVAILABLE for s in known):
            return ov.MEDIA_AVAILABLE
        if any(s in (ov.MEDIA_AVAILABLE, ov.MEDIA_PARTIALLY_AVAILABLE) for s in known):
            return ov.MEDIA_PARTIALLY_AVAILABLE
        # seasons not tracked yet say nothing: the show's overall status may be about other seasons
        return ov.MEDIA_PROCESSING if any(s == ov.MEDIA_PROCESSING for s in known) else None
    return media.status


def status_from_overseerr(request_status: int | None, media: ov.MediaInfo | None,
                          seasons: Sequence[int] = ()) -> str | None:
    """Our status for an Overseerr request status (1-4) and its media; None when it says nothing we know."""
    if request_status == ov.REQUEST_PENDING:
        return "pending"
    if request_status == ov.REQUEST_DECLINED:
        return "declined"
    if request_status == ov.REQUEST_FAILED:
        return "failed"
    media_status = availability(media, seasons)
    if request_status == ov.REQUEST_APPROVED or (request_status is not None and request_status > 4):
        # forks add "completed" (5): read it like approved, by the media's availability
        mapped = {ov.MEDIA_PROCESSING: "processing", ov.MEDIA_PARTIALLY_AVAILABLE: "partially_available",
                  ov.MEDIA_AVAILABLE: "available"}.get(media_status or 0)
        return mapped or ("approved" if request_status == ov.REQUEST_APPROVED else None)
    return None


def status_from_overseerr_request(request: ov.OverseerrRequest, seasons: Sequence[int] = ()) -> str | None:
    return status_from_overseerr(request.status, request.media, seasons or request.seasons)


def status_from_notification(notification_type: str, media_status: str | None = None) -> str | None:
    """Our status for an Overseerr webhook (`notification_type`, `media.status` enum name); None to ignore it."""
    media = MEDIA_STATUS_NAMES.get((media_status or "").upper())
    if notification_type == "MEDIA_PENDING":
        return "pending"
    if notification_type in ("MEDIA_APPROVED", "MEDIA_AUTO_APPROVED"):
        return "processing" if media == ov.MEDIA_PROCESSING else "approved"
    if notification_type == "MEDIA_AVAILABLE":
        return "partially_available" if media == ov.MEDIA_PARTIALLY_AVAILABLE else "available"
    if notification_type == "MEDIA_DECLINED":
        return "declined"
    if notification_type == "MEDIA_FAILED":
        return "failed"
    return None


def discover_status(media: ov.MediaInfo | None) -> str:
    """`status` of a discovery hit: available, partially_available, processing, pending or unknown."""
    return DISCOVER_STATUSES.get(media.status if media and media.status else 0, "unknown")


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


def event_data(row: Mapping[str, Any], previous: str | None = None) -> dict[str, Any]:
    """What `request:update` carries: the request's new state, enough to patch a list without a refetch."""
    return {"id": str(row["id"]), "status": row["status"], "previous_status": previous, "title": row["title"],
            "media_type": row["media_type"], "tmdb_id": row["tmdb_id"], "updated_at": _iso(row["updated_at"])}


def apply_status(conn: psycopg.Connection[Any], client: redis.Redis, request_row: Mapping[str, Any],
                 new_status: str, source: str, delivery_id: str | None = None, note: str | None = None, *,
                 actor_id: object | None = None) -> dict[str, Any] | None:
    """Move a request to `new_status` (see the module notes); the updated row, or None when nothing changed."""
    if new_status not in STATUSES:
        raise ValueError(f"unknown request status {new_status!r}")
    if source not in SOURCES:
        raise ValueError(f"unknown status source {source!r}")
    with conn.transaction():
        row = media_requests.lock(conn, request_row["id"])
        if row is None or row["status"] == new_status:
            return None
        if row["status"] in SETTLED and source in ("webhook", "reconcile"):
            return None
        if delivery_id is not None and media_requests.delivery_seen(conn, row["id"], delivery_id):
            return None
        if media_requests.add_history(conn, row["id"], new_status, source, actor_id=actor_id, note=note,
                                      delivery_id=delivery_id) is None:
            return None
        media_requests.set_status(conn, row["id"], new_status)
        title = f"{row['title']} {LABELS[new_status]}"
        notice = notifications.create(conn, row["user_id"], "request_update", title, note or "",
                                      f"/requests/{row['id']}")
        updated = media_requests.get(conn, row["id"])
    if updated is None:  # cannot happen while the row is locked; keeps the types honest
        return None
    publish_update(client, row["user_id"], event_data(updated, row["status"]), notice)
    return updated


def publish_update(client: redis.Redis, user_id: object, data: dict[str, Any],
                   notice: Mapping[str, Any] | None = None) -> None:
    """Tell the owner's browsers (`request:update`, and `user:notification` for a new notification)."""
    topic = events.user_topic(user_id)
    try:
        events.publish(client, topic, "request:update", data)
        if notice is not None:
            events.publish(client, topic, "user:notification", {"id": str(notice["id"]), "type": notice["type"],
                                                               "title": notice["title"], "link": notice["link"]})
    except redis.RedisError:
        # the change is stored; a browser that missed the event sees it on its next fetch
        log.warning("could not publish a request update", extra={"request_id": data.get("id")})
