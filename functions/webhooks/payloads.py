"""What Overseerr and Plex send, read leniently where they are loose and strictly where it matters.

Overseerr renders its default JSON template: every value is a string (`"tmdbId": "603"`), a section with no
entity is `null`, unknown variables become `""`. Plex posts multipart with a `payload` JSON part (and
sometimes a `thumb` JPEG part, which we accept and ignore).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from medianest.requests_lifecycle import status_from_notification


class MalformedPayload(ValueError):
    """The body is not what the sender's format promises (answered 400)."""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _section(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedPayload(f"`{name}` must be an object or null")
    return value


def _key(section: dict[str, Any], name: str) -> str | None:
    value = section.get(name)
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def fingerprint(raw: bytes) -> str:
    """Identifies one delivery: the same body delivered twice is the same event."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class OverseerrEvent:
    notification_type: str
    status: str | None  # our status this event moves a request to; None for events we ignore
    request_id: int | None
    tmdb_id: int | None
    media_type: str | None
    subject: str
    delivery_id: str


def parse_overseerr(raw: bytes) -> OverseerrEvent:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MalformedPayload("the body is not JSON") from None
    if not isinstance(body, dict):
        raise MalformedPayload("the body must be a JSON object")
    kind = body.get("notification_type")
    if not isinstance(kind, str) or not kind:
        raise MalformedPayload("`notification_type` is missing")
    media, request = _section(body, "media"), _section(body, "request")
    status = status_from_notification(kind, str(media.get("status") or ""))
    media_type = media.get("media_type")
    return OverseerrEvent(
        notification_type=kind, status=status, request_id=_int(request.get("request_id")),
        tmdb_id=_int(media.get("tmdbId")), media_type=media_type if media_type in ("movie", "tv") else None,
        subject=str(body.get("subject") or "")[:300], delivery_id=fingerprint(raw),
    )


@dataclass(frozen=True)
class PlexEvent:
    event: str
    server_uuid: str | None
    item_type: str | None
    rating_key: str | None
    parent_rating_key: str | None
    grandparent_rating_key: str | None
    tmdb_ids: tuple[int, ...]
    title: str
    delivery_id: str


def parse_plex(payload_text: str | None) -> PlexEvent:
    if payload_text is None:
        raise MalformedPayload("the multipart body has no `payload` part")
    try:
        body = json.loads(payload_text)
    except ValueError:
        raise MalformedPayload("the `payload` part is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("event"), str):
        raise MalformedPayload("the payload has no `event`")
    server, metadata = _section(body, "Server"), _section(body, "Metadata")
    guids = metadata.get("Guid") or []
    tmdb_ids = tuple(
        tmdb for g in guids if isinstance(g, dict) and str(g.get("id", "")).startswith("tmdb://")
        for tmdb in [_int(str(g["id"])[len("tmdb://"):])] if tmdb is not None
    )
    return PlexEvent(
        event=body["event"], server_uuid=server.get("uuid") if isinstance(server.get("uuid"), str) else None,
        item_type=metadata.get("type") if isinstance(metadata.get("type"), str) else None,
        rating_key=_key(metadata, "ratingKey"), parent_rating_key=_key(metadata, "parentRatingKey"),
        grandparent_rating_key=_key(metadata, "grandparentRatingKey"),
        tmdb_ids=tmdb_ids, title=str(metadata.get("title") or "")[:300],
        delivery_id=fingerprint(payload_text.encode()),
    )
