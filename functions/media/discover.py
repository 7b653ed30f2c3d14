"""Discovery: searching films and shows through Overseerr (TMDB), with their availability."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint

from functions.media import upstream
from functions.media.schemas import DiscoverPage, DiscoverQuery
from medianest.openapi import validate
from medianest.requests_lifecycle import discover_status
from medianest.web import require_user

bp = Blueprint("discover", __name__)
TMDB_FILE = r"[A-Za-z0-9_-]{1,100}\.(?:jpg|jpeg|png|webp)"
TMDB_PATH = re.compile(rf"^/{TMDB_FILE}$")
POSTER_ROUTE = "/api/v1/media/tmdb-poster/"


def tmdb_poster_url(path: str | None) -> str | None:
    """Our own address for a TMDB poster (served through Overseerr's image cache), or None for anything odd.

    Same-origin on purpose: the portal's CSP allows images from itself only, and browsers never talk to TMDB.
    """
    return f"{POSTER_ROUTE}{path.lstrip('/')}" if path and TMDB_PATH.match(path) else None


@bp.get("/discover")
@require_user
@validate(query=DiscoverQuery, response=DiscoverPage)
def discover(query: DiscoverQuery) -> Any:
    """Films and shows matching `q` (people left out), each with whether it is in Plex or on its way."""
    client, _ = upstream.overseerr()
    page = client.search(query.q, query.page)
    return {
        "results": [{"tmdb_id": t.tmdb_id, "media_type": t.media_type, "title": t.title, "year": t.year,
                     "poster_url": tmdb_poster_url(t.poster_path), "status": discover_status(t.media)}
                    for t in page.results],
        "page": page.page, "total_pages": page.total_pages, "total_results": page.total_results,
    }
