"""A fake Overseerr (API v1): status, search, movie/tv details, requests, webhook settings.

Every ``/api/v1`` request first goes through the same checks as Overseerr's OpenAPI validator
(:mod:`fakes.overseerr.spec`), then through its auth: ``X-Api-Key`` equal to :data:`OVERSEERR_API_KEY`
acts as user 1 (the admin) or, with ``X-Api-User: <id>``, as that user; a wrong key gets 403
``{"status": 403, "error": "You do not have permission to access this endpoint"}``. Spec routes the fake
does not model answer 501.

Control endpoints (besides those in :mod:`fakes.base`):

* ``POST /__control/webhook`` ``{"url": ..., "authHeader": "Bearer x", "types": 222, "enabled": true}``
  — where status-change webhooks go (``types`` defaults to every media notification).
* ``GET  /__control/webhook/deliveries`` — every delivery attempt (body, status code or error).
* ``POST /__control/requests/<id>/available`` ``{"ratingKey": "2001"}`` — the title is now in Plex.
  Without a rating key the ``on_available`` hook (the Plex fake, when wired) supplies one.
* ``POST /__control/requests/<id>/failed`` — the request failed downstream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from fakes.base import FakeService
from fakes.catalog import movie_by_tmdb, show_by_tmdb
from fakes.overseerr import requests_api, spec, tmdb
from fakes.overseerr import state as st
from fakes.overseerr.webhook import ALL_MEDIA_TYPES, WebhookAgent, default_template, encode_template
from fakes.plex import images

OVERSEERR_API_KEY = "fake-overseerr-api-key-0123456789abcdef"
VERSION = "1.33.2"
Handler = Callable[[Any, dict[str, Any], dict[str, Any], Any], tuple[Any, int]]


class FakeOverseerr(FakeService):
    """Overseerr with the catalog of :mod:`fakes.catalog`."""

    name = "overseerr"

    def __init__(self, api_key: str = OVERSEERR_API_KEY,
                 on_available: Callable[[str, int], str | None] | None = None) -> None:
        self.api_key = api_key
        self.on_available = on_available  # (media_type, tmdb) -> Plex rating key
        self.routes: dict[tuple[str, str], Handler] = {}
        super().__init__()

    def reset_state(self) -> None:
        """Seeded users/media, no requests, webhook unconfigured."""
        self.store = st.Store.seeded()
        old = getattr(self, "webhook", None)
        if old is not None:
            old.flush(timeout=2)
        self.webhook = WebhookAgent()

    def describe(self) -> dict[str, Any]:
        """URL and API key."""
        return {"url": self.url, "api_key": self.api_key, "users": {u["displayName"]: uid
                                                                     for uid, u in self.store.users.items()}}

    # -- Python control API ----------------------------------------------------------------------
    def configure_webhook(self, url: str, auth_header: str = "", types: int = ALL_MEDIA_TYPES) -> None:
        """Send notifications to ``url`` with ``Authorization: auth_header``."""
        with self.lock:
            self.webhook.configure(url, auth_header, types)

    def make_available(self, request_id: int, rating_key: str | None = None) -> dict[str, Any] | None:
        """Mark a request's media available (as when Plex gets the file); sends MEDIA_AVAILABLE."""
        with self.lock:
            req = self.store.requests.get(request_id)
            if req is None:
                return None
            media = self.store.media[req["_media"]]
            if rating_key is None and self.on_available is not None:
                rating_key = self.on_available(media["mediaType"], media["tmdbId"])
            return requests_api.make_available(self, request_id, rating_key)

    def make_failed(self, request_id: int) -> dict[str, Any] | None:
        """Mark a request FAILED; sends MEDIA_FAILED."""
        with self.lock:
            return requests_api.make_failed(self, request_id)

    # -- dispatch --------------------------------------------------------------------------------
    def _user(self) -> dict[str, Any] | None:
        if request.headers.get("X-Api-Key") != self.api_key:
            return None
        wanted = request.headers.get("X-Api-User")
        if wanted is None:
            return self.store.users.get(1)
        return self.store.users.get(int(wanted)) if wanted.isdigit() else None

    def _dispatch(self, rest: str) -> Response:
        path = f"{spec.BASE}/{rest}"
        try:
            op, raw_params = spec.match(path, request.method)
            spec.check_security(op, "connect.sid" in request.cookies, bool(request.headers.get("X-Api-Key")))
            params, query, body = spec.validate(op, raw_params, request.query_string.decode("latin-1"),
                                                request.content_type or "", request.get_data())
        except spec.Invalid as exc:
            return _json(exc.body(), exc.status)
        handler = self.routes.get((op.method, op.template))
        if handler is None:
            return _json({"message": f"{op.method} {op.template} is not modelled by the Overseerr fake"}, 501)
        with self.lock:
            user = self._user()
            if op.security and user is None:
                return _json(*requests_api.FORBIDDEN)
            data, status = handler(user, params, query, body)
        return Response(status=status) if status == 204 else _json(data, status)

    def build_app(self, app: Flask) -> None:
        """One catch-all route under /api/v1 dispatching to the handlers below."""
        app.add_url_rule("/api/v1/<path:rest>", "api", self._dispatch,
                         methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
        app.add_url_rule("/imageproxy/<path:rest>", "imageproxy", self._image)
        r = self.routes
        r[("GET", "/status")] = self._status
        r[("GET", "/status/appdata")] = lambda u, p, q, b: ({"appData": True, "appDataPath": "/app/config"}, 200)
        r[("GET", "/settings/public")] = self._public_settings
        r[("GET", "/auth/me")] = lambda u, p, q, b: (self.store.user_view(u), 200)
        r[("GET", "/search")] = self._search
        r[("GET", "/movie/{movieId}")] = self._movie
        r[("GET", "/tv/{tvId}")] = self._tv
        r[("POST", "/request")] = lambda u, p, q, b: requests_api.create(self, u, b)
        r[("GET", "/request")] = lambda u, p, q, b: requests_api.listing(self, u, q)
        r[("GET", "/request/count")] = lambda u, p, q, b: requests_api.count(self)
        r[("GET", "/request/{requestId}")] = lambda u, p, q, b: requests_api.get(self, u, str(p["requestId"]))
        r[("POST", "/request/{requestId}/{status}")] = (
            lambda u, p, q, b: requests_api.set_status(self, u, str(p["requestId"]), p["status"]))
        r[("DELETE", "/request/{requestId}")] = (
            lambda u, p, q, b: requests_api.delete(self, u, str(p["requestId"])))
        r[("GET", "/settings/notifications/webhook")] = self._webhook_get
        r[("POST", "/settings/notifications/webhook")] = self._webhook_set
        r[("POST", "/settings/notifications/webhook/test")] = self._webhook_test
        self._add_overseerr_controls(app)

    @staticmethod
    def _status(user: Any, params: Any, query: Any, body: Any) -> tuple[Any, int]:
        return {"version": VERSION, "commitTag": f"v{VERSION}", "updateAvailable": False, "commitsBehind": 0,
                "restartRequired": False}, 200

    @staticmethod
    def _public_settings(user: Any, params: Any, query: Any, body: Any) -> tuple[Any, int]:
        return {"initialized": True, "applicationTitle": "Overseerr", "movie4kEnabled": False,
                "series4kEnabled": False, "localLogin": True, "mediaServerType": 1}, 200

    def _search(self, user: Any, params: Any, query: dict[str, Any], body: Any) -> tuple[Any, int]:
        return tmdb.search(str(query["query"]), max(1, int(query.get("page") or 1)), self._media_info), 200

    def _media_info(self, media_type: str, tmdb_id: int) -> dict[str, Any] | None:
        media = self.store.media_for(media_type, tmdb_id)
        return None if media is None else self.store.media_view(media)

    def _movie(self, user: Any, params: dict[str, Any], query: Any, body: Any) -> tuple[Any, int]:
        movie = movie_by_tmdb(int(params["movieId"]))
        if movie is None:
            return {"message": "Unable to retrieve movie."}, 500
        return tmdb.movie_details(movie, self._media_info), 200

    def _tv(self, user: Any, params: dict[str, Any], query: Any, body: Any) -> tuple[Any, int]:
        show = show_by_tmdb(int(params["tvId"]))
        if show is None:
            return {"message": "Unable to retrieve series."}, 500
        return tmdb.tv_details(show, self._media_info), 200

    def _admin(self, user: dict[str, Any] | None) -> bool:
        return user is not None and st.has_permission(user, st.ADMIN)

    def _webhook_get(self, user: Any, params: Any, query: Any, body: Any) -> tuple[Any, int]:
        return (self.webhook.settings, 200) if self._admin(user) else requests_api.FORBIDDEN

    def _webhook_set(self, user: Any, params: Any, query: Any, body: Any) -> tuple[Any, int]:
        if not self._admin(user):
            return requests_api.FORBIDDEN
        options = body.get("options") or {}
        self.webhook.configure(options.get("webhookUrl", ""), options.get("authHeader", ""),
                               int(body.get("types", 0)), bool(body.get("enabled", False)),
                               options.get("jsonPayload") or encode_template(default_template()))
        return self.webhook.settings, 200

    def _webhook_test(self, user: Any, params: Any, query: Any, body: Any) -> tuple[Any, int]:
        if not self._admin(user):
            return requests_api.FORBIDDEN
        options = body.get("options") or {}
        agent = WebhookAgent()
        agent.configure(options.get("webhookUrl", ""), options.get("authHeader", ""), 0, True,
                        options.get("jsonPayload") or None)
        agent.send({"type": "TEST_NOTIFICATION", "event": "", "subject": "Test Notification",
                    "message": "Check check, 1, 2, 3. Are we coming in clear?", "notifyUser": user}, force=True)
        self.webhook.deliveries.extend(agent.flush())
        return "", 204

    def _image(self, rest: str) -> Response:
        return Response(images.draw(rest.rsplit("/", 1)[-1].rsplit(".", 1)[0], "TMDB", "thumb"),
                        content_type="image/jpeg")

    def _add_overseerr_controls(self, app: Flask) -> None:
        @app.post("/__control/webhook")
        def control_webhook() -> Any:
            body = request.get_json(silent=True) or {}
            if not isinstance(body.get("url"), str) or not body["url"].startswith("http"):
                return jsonify({"error": "url must be an http(s) URL"}), 400
            with self.lock:
                self.webhook.configure(body["url"], str(body.get("authHeader", "")),
                                       int(body.get("types", ALL_MEDIA_TYPES)), bool(body.get("enabled", True)))
                return jsonify(self.webhook.settings)

        @app.get("/__control/webhook/deliveries")
        def control_deliveries() -> Any:
            return jsonify(self.webhook.flush(timeout=2))

        @app.post("/__control/requests/<int:rid>/available")
        def control_available(rid: int) -> Any:
            rating_key = (request.get_json(silent=True) or {}).get("ratingKey")
            view = self.make_available(rid, str(rating_key) if rating_key is not None else None)
            return (jsonify(view), 200) if view else (jsonify({"error": "unknown request"}), 404)

        @app.post("/__control/requests/<int:rid>/failed")
        def control_failed(rid: int) -> Any:
            view = self.make_failed(rid)
            return (jsonify(view), 200) if view else (jsonify({"error": "unknown request"}), 404)


def _json(data: Any, status: int) -> Response:
    resp = jsonify(data)
    resp.status_code = status
    return resp
