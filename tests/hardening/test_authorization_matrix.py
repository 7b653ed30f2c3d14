"""Every route of every function, called as anonymous, a user, another user and an admin: the expected answer.

The table below is the whole API surface. A route added to any function without a row here fails the first
test; each row says who may call the route and, for things people own, that nobody else can see them.
"""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest

from functions import ALL_FUNCTIONS
from medianest.web import access_of
from tests.conftest import create_user, derive, sign_in

PUBLIC_CSRF = "public_csrf"  # no session needed, but the browser's CSRF header is (403 without it)
SOCKET = "socket"  # the WebSocket: refused before the upgrade without a session (401) or from another Origin (403)
OWN = "own"  # a user route on something one user owns: 404 for anyone else (admins included, unless noted)
ADMIN_SEES = "admin_sees"  # as OWN, but an admin may act on anyone's

HEALTH = {("GET", "/_/health"): "public", ("GET", "/_/ready"): "public", ("GET", "/healthz"): "public",
          ("GET", "/readyz"): "public", ("GET", "/openapi.json"): "public", ("GET", "/metrics"): "metrics"}

MATRIX: dict[str, dict[tuple[str, str], str]] = {
    "auth": {**HEALTH,
             ("GET", "/setup"): "public", ("POST", "/login"): "public", ("POST", "/plex/pin"): "public",
             ("GET", "/plex/pin/<int:pin_id>"): "public", ("POST", "/refresh"): PUBLIC_CSRF,
             ("POST", "/logout"): "user", ("GET", "/me"): "user", ("GET", "/sessions"): "user",
             ("DELETE", "/sessions/<session_id>"): OWN, ("GET", "/notifications"): "user",
             ("POST", "/notifications/read"): "user", ("GET", "/users"): "admin",
             ("PATCH", "/users/<uuid:user_id>"): "admin", ("POST", "/users/import"): "admin",
             ("GET", "/audit"): "admin"},
    "media": {**HEALTH,
              ("GET", "/libraries"): "user", ("GET", "/libraries/<int(max=1000000):library_id>/items"): "user",
              ("GET", "/recent"): "user", ("GET", "/search"): "user",
              ("GET", "/items/<int(max=1000000000000):item_id>"): "user",
              ("GET", "/thumb/<int(max=1000000000000):item_id>"): "user", ("GET", "/discover"): "user",
              ("GET", "/tmdb-poster/<name>"): "user",
              ("POST", "/requests"): "user", ("GET", "/requests"): "user",
              ("GET", "/requests/<uuid:request_id>"): ADMIN_SEES, ("DELETE", "/requests/<uuid:request_id>"): ADMIN_SEES,
              ("POST", "/requests/<uuid:request_id>/approve"): "admin",
              ("POST", "/requests/<uuid:request_id>/decline"): "admin"},
    "downloads": {**HEALTH,
                  ("POST", "/preview"): "user", ("POST", "/"): "user", ("GET", "/"): "user",
                  ("GET", "/<uuid:download_id>"): ADMIN_SEES, ("DELETE", "/<uuid:download_id>"): ADMIN_SEES,
                  ("POST", "/<uuid:download_id>/cancel"): ADMIN_SEES,
                  ("POST", "/<uuid:download_id>/retry"): ADMIN_SEES, ("GET", "/queue"): "admin"},
    "status": {**HEALTH,
               ("GET", "/"): "user", ("GET", "/<name>/history"): "user", ("GET", "/public"): "public",
               ("PUT", "/public"): "admin", ("GET", "/services"): "admin", ("PUT", "/services/<name>"): "admin",
               ("POST", "/services/<name>/test"): "admin", ("POST", "/services/plex/link"): "admin",
               ("GET", "/services/plex/link/<int:pin_id>"): "admin",
               ("POST", "/services/plex/link/<int:pin_id>/select"): "admin", ("GET", "/webhooks"): "admin",
               ("POST", "/webhooks/rotate"): "admin", ("GET", "/insights"): "admin"},
    "webhooks": {**HEALTH, ("POST", "/overseerr"): "webhook", ("POST", "/plex/<secret>"): "webhook"},
    "realtime": {**HEALTH, ("GET", "/ws"): SOCKET},
}
DECLARED = {OWN: "user", ADMIN_SEES: "user", PUBLIC_CSRF: "public", SOCKET: "user"}
UPGRADE = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def _apps(settings: Any) -> dict[str, Any]:
    relaxed = derive(settings, MEDIANEST_RATE_LIMIT="100000/minute", MEDIANEST_LOGIN_RATE_LIMIT="100000/minute")
    return {name: importlib.import_module(f"functions.{name}.app").create_app(relaxed) for name in ALL_FUNCTIONS}


def _routes(app: Any) -> dict[tuple[str, str], Any]:
    return {(method, rule.rule): app.view_functions[rule.endpoint] for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}


def test_every_route_has_a_row_and_declares_that_access(settings) -> None:
    for name, app in _apps(settings).items():
        routes = _routes(app)
        assert set(routes) == set(MATRIX[name]), f"{name}: routes and the matrix differ"
        for key, view in routes.items():
            assert access_of(view) == DECLARED.get(MATRIX[name][key], MATRIX[name][key]), (name, key)


@pytest.fixture
def world(settings, db_conn) -> dict[str, Any]:
    """Two users and an admin, each signed in, and one owned thing of each kind belonging to the first user."""
    apps = _apps(settings)
    people = {role: create_user(db_conn, role="admin" if role == "admin" else "user")
              for role in ("owner", "other", "admin")}
    def sessions() -> dict[str, dict[str, str]]:
        """Fresh sign-ins (some calls, such as logout, end the session they are made with)."""
        return {role: sign_in(apps["auth"].test_client(), settings, person) for role, person in people.items()}

    tokens = sessions()

    def things() -> dict[str, Any]:
        """A request and a download of the first user (a fresh set, since some calls delete them)."""
        owner_id = people["owner"]["id"]
        request_id = db_conn.execute(
            "INSERT INTO media_requests (user_id, tmdb_id, media_type, title) VALUES (%s, 603, 'movie', 'Matrix')"
            " RETURNING id", (owner_id,)).fetchone()["id"]
        download_id = db_conn.execute(
            "INSERT INTO youtube_downloads (user_id, url, quality, status) VALUES (%s, 'https://youtu.be/x',"
            " 'best', 'failed') RETURNING id", (owner_id,)).fetchone()["id"]
        return {"request_id": request_id, "download_id": download_id, "session_id": tokens["owner"]["session_id"]}

    return {"apps": apps, "sessions": sessions, "things": things}


def _path(rule: str, owned: dict[str, Any]) -> str:
    values = {"request_id": owned["request_id"], "download_id": owned["download_id"],
              "session_id": owned["session_id"], "user_id": uuid.uuid4(), "pin_id": 1, "item_id": 1,
              "library_id": 1, "name": "plex", "secret": "not-the-secret"}
    out = rule
    for key, value in values.items():
        out = out.replace(f"<{key}>", str(value))
        for converter in ("int", "uuid", "int(max=1000000)", "int(max=1000000000000)"):
            out = out.replace(f"<{converter}:{key}>", str(value))
    return out


def _call(app: Any, method: str, path: str, tokens: dict[str, str] | None, extra: dict[str, str] | None = None,
          ) -> int:
    client = app.test_client()
    headers = dict(extra or {})
    if tokens:
        client.set_cookie("mn_access", tokens["access"])
        client.set_cookie("mn_csrf", tokens["csrf"])
        headers["X-CSRF-Token"] = tokens["csrf"]
    return client.open(path, method=method, headers=headers, json={} if method != "GET" else None).status_code


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_each_caller_gets_the_expected_answer(world, function: str) -> None:
    app = world["apps"][function]
    for (method, rule), kind in MATRIX[function].items():
        tokens = world["sessions"]()
        owned = world["things"]()
        path = _path(rule, owned)
        where = f"{function} {method} {rule}"
        anonymous = _call(app, method, path, None)
        if kind == "public":
            assert anonymous not in (401, 403), where
            continue
        if kind == PUBLIC_CSRF:
            assert anonymous == 403, where
            continue
        if kind == SOCKET:
            assert _call(app, method, path, None, UPGRADE) == 401, where
            assert _call(app, method, path, tokens["other"], UPGRADE) == 403, where  # no portal Origin
            continue
        assert anonymous == 401, where  # user, admin, metrics and webhook routes all refuse strangers
        if kind == "webhook":
            continue
        as_user = _call(app, method, path, tokens["other"])
        if kind in ("admin", "metrics"):
            assert as_user == 403, where
            assert _call(app, method, path, tokens["admin"]) not in (401, 403), where
            continue
        if kind in (OWN, ADMIN_SEES):
            assert as_user == 404, f"{where}: another user's thing must be invisible"
            assert _call(app, method, path, tokens["owner"]) not in (401, 403, 404), where
            admin = _call(app, method, _path(rule, world["things"]()), tokens["admin"])
            assert admin == 404 if kind == OWN else admin != 404, where
        else:
            assert as_user not in (401, 403), where
