"""Plex ``MediaContainer`` answers in JSON or XML, and container paging.

In XML, media items are ``<Video>`` (movie, episode, clip), ``<Directory>`` (show, season, collection)
or ``<Track>``/``<Photo>``; everything else keeps its JSON key as the tag. Empty arrays are left out,
as Plex does. Paging follows ``X-Plex-Container-Start``/``-Size`` given as query parameters or headers;
the answer carries ``size``/``totalSize``/``offset`` and the same numbers as response headers.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request

from fakes.xmlutil import build, wants_json, xml_response

VIDEO_TYPES = {"movie", "episode", "clip", "trailer"}
DIRECTORY_TYPES = {"show", "season", "collection", "artist", "album", "playlist", "photoalbum"}

UNAUTHORIZED_HTML = "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>"
FORBIDDEN_HTML = "<html><head><title>Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>"


def _tag_for(key: str, item: dict[str, Any]) -> str:
    if key == "Metadata":
        kind = item.get("type", "")
        if kind in VIDEO_TYPES:
            return "Video"
        if kind in DIRECTORY_TYPES:
            return "Directory"
        return {"track": "Track", "photo": "Photo"}.get(kind, "Video")
    return key


def public(item: dict[str, Any]) -> dict[str, Any]:
    """An item without the fake's private ``_`` fields and without empty arrays."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key.startswith("_") or value is None or (isinstance(value, list) and not value):
            continue
        if isinstance(value, list):
            out[key] = [public(v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[key] = public(value)
        else:
            out[key] = value
    return out


def container(attrs: dict[str, Any], children: dict[str, list[dict[str, Any]]] | None = None,
              headers: dict[str, str] | None = None, status: int = 200) -> Response:
    """A ``MediaContainer`` response; ``children`` maps ``Metadata``/``Directory``/``Hub`` to lists."""
    body: dict[str, Any] = dict(attrs)
    for key, items in (children or {}).items():
        if items:
            body[key] = [public(i) for i in items]
    if wants_json():
        resp = jsonify({"MediaContainer": body})
        resp.status_code = status
    else:
        resp = xml_response(build("MediaContainer", body, _tag_for), status=status)
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def _int_param(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        raw = request.headers.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        abort(400)
    if value < 0:
        abort(400)
    return value


def paged(attrs: dict[str, Any], key: str, items: list[dict[str, Any]]) -> Response:
    """Apply container paging to ``items`` and answer with counts in body and headers."""
    start = _int_param("X-Plex-Container-Start") or 0
    size = _int_param("X-Plex-Container-Size")
    total = len(items)
    page = items[start:] if size is None else items[start:start + size]
    attrs = dict(attrs) | {"size": len(page), "totalSize": total, "offset": start}
    headers = {"X-Plex-Container-Start": str(start), "X-Plex-Container-Total-Size": str(total)}
    return container(attrs, {key: page}, headers=headers)
