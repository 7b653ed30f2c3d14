"""The poster proxy: Plex images resized by Plex's transcoder, fetched with the token in a header.

The browser names only a Plex metadata id (digits) and a kind; the image path comes from the item's
metadata (cached) and must look like a Plex library image path, so the transcoder — which would fetch any
URL — is never pointed anywhere else. The token never leaves the server.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from flask import Blueprint, Response, request

from functions.media import upstream
from functions.media.discover import TMDB_FILE
from functions.media.library import image_path, item_record
from functions.media.schemas import MAX_RATING_KEY, ThumbQuery
from medianest.clients.plex import Item
from medianest.errors import ApiError
from medianest.http import UpstreamError
from medianest.openapi import validate
from medianest.web import require_user

bp = Blueprint("posters", __name__)
DEFAULT_SIZES = {"thumb": (300, 450), "art": (960, 540)}
PLEX_IMAGE_PATH = re.compile(r"^/library/(metadata|collections)/\d{1,12}/[a-z]{1,16}/\d{1,12}(\?[A-Za-z0-9=&]{0,64})?$")
# Raster formats only: an SVG served from our origin could carry script.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
CACHE_CONTROL = "private, max-age=86400"


def _etag(item_id: int, kind: str, width: int, height: int, item: Item, path: str) -> str:
    seed = f"{item_id}|{kind}|{width}x{height}|{item.updated_at}|{path}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


@bp.get(f"/thumb/<int(max={MAX_RATING_KEY}):item_id>")
@require_user
@validate(query=ThumbQuery)
def thumb(item_id: int, query: ThumbQuery) -> Any:
    """An item's poster or background as image bytes, resized by Plex (cacheable for a day)."""
    client, machine_id = upstream.plex()
    record = item_record(client, machine_id, item_id)
    if record is None:
        raise ApiError(404, "not_found", "There is no such item in the library.")
    item = Item.from_dict(record["item"])
    path = image_path(item, query.kind)
    if path is None or not PLEX_IMAGE_PATH.match(path):
        raise ApiError(404, "not_found", "This item has no image of that kind.")
    default_w, default_h = DEFAULT_SIZES[query.kind]
    width, height = query.w or default_w, query.h or default_h
    etag = _etag(item_id, query.kind, width, height, item, path)
    if request.if_none_match.contains_weak(etag):  # a proxy that compresses may have weakened it
        response = Response(status=304)
    else:
        image = client.transcode_image(path, width, height)
        if image is None:
            raise ApiError(404, "not_found", "Plex has no image for this item.")
        if image.content_type not in IMAGE_TYPES:
            raise UpstreamError("plex", "bad_response", "Plex sent an image format MediaNest does not pass on.")
        response = Response(image.content, content_type=image.content_type)
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@bp.get("/tmdb-poster/<name>")
@require_user
@validate()
def tmdb_poster(name: str) -> Any:
    """A film's or show's poster for discovery, fetched through Overseerr's image cache."""
    if not re.fullmatch(TMDB_FILE, name):
        raise ApiError(404, "not_found", "There is no such poster.")
    etag = hashlib.sha256(f"tmdb|{name}".encode()).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        client, _ = upstream.overseerr()
        image = client.poster(name)
        if image is None:
            raise ApiError(404, "not_found", "There is no such poster.")
        if image.content_type not in IMAGE_TYPES:
            raise UpstreamError("overseerr", "bad_response",
                                "Overseerr sent an image format MediaNest does not pass on.")
        response = Response(image.content, content_type=image.content_type)
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
