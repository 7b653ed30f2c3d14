"""The media function: the Plex library, posters, Overseerr discovery and requests.

Library reads go through the Redis cache (`library.py`), images through the poster proxy (`posters.py`),
search of films and shows to Overseerr (`discover.py`), and requests live in our database with Overseerr
as the place they are made and decided (`requests_api.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_limiter import ExemptionScope

from functions.media import discover, library, posters, requests_api
from medianest.config import Settings
from medianest.web import limiter_of, make_app

# A library page shows dozens of posters at once: they get their own per-user budget instead of spending
# the API's, and browsers keep each one for a day.
POSTER_RATE = "600/minute"


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the media function's app."""
    app = make_app("media", config)
    for blueprint in (library.bp, posters.bp, discover.bp, requests_api.bp):
        app.register_blueprint(blueprint)
    limiter = limiter_of(app)
    for endpoint in ("posters.thumb", "posters.tmdb_poster"):
        view = limiter.exempt(app.view_functions[endpoint], flags=ExemptionScope.APPLICATION)
        app.view_functions[endpoint] = limiter.limit(POSTER_RATE, scope="media-posters")(view)
    return app
