"""Who may call what: every auth route x {anonymous, user, other user, admin}, routes that forgot auth,
and the CSRF double-submit on every state-changing route."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medianest.openapi import SAFE_METHODS
from medianest.sessions import CSRF_COOKIE
from medianest.store import notifications
from tests.access import Case
from tests.auth.conftest import csrf_headers

PRINCIPALS = ("anonymous", "user", "other", "admin")
# Routes that answer without a session (API.md); everything else must say 401 to a stranger.
PUBLIC = {("GET", "/setup"), ("POST", "/login"), ("POST", "/plex/pin"), ("GET", "/plex/pin/<int:pin_id>"),
          ("POST", "/refresh"), ("GET", "/healthz"), ("GET", "/_/health"), ("GET", "/readyz"),
          ("GET", "/_/ready"), ("GET", "/openapi.json")}
# Pre-session routes are exempt from CSRF (API.md); /refresh is public but still checks it.
CSRF_EXEMPT = {("POST", "/login"), ("POST", "/plex/pin")}


@dataclass
class World:
    user: dict[str, Any]
    other: dict[str, Any]
    admin: dict[str, Any]
    user_session: str
    notification: str


CASES = [
    Case("GET", "/setup", lambda w: "/setup", (200, 200, 200, 200)),
    Case("POST", "/login", lambda w: "/login", (401, 401, 401, 401),
         lambda w: {"username": "admin", "password": "wrong"}),
    Case("POST", "/plex/pin", lambda w: "/plex/pin", (201, 201, 201, 201)),
    Case("GET", "/plex/pin/<int:pin_id>", lambda w: "/plex/pin/424242", (404, 404, 404, 404)),
    Case("POST", "/refresh", lambda w: "/refresh", (401, 200, 200, 200)),
    Case("POST", "/logout", lambda w: "/logout", (401, 204, 204, 204)),
    Case("GET", "/me", lambda w: "/me", (401, 200, 200, 200)),
    Case("GET", "/sessions", lambda w: "/sessions", (401, 200, 200, 200)),
    Case("DELETE", "/sessions/<session_id>", lambda w: f"/sessions/{w.user_session}", (401, 204, 404, 404)),
    Case("GET", "/notifications", lambda w: "/notifications", (401, 200, 200, 200)),
    Case("POST", "/notifications/read", lambda w: "/notifications/read", (401, 200, 200, 200),
         lambda w: {"ids": [w.notification]}),
    Case("GET", "/users", lambda w: "/users", (401, 403, 403, 200)),
    Case("PATCH", "/users/<uuid:user_id>", lambda w: f"/users/{w.user['id']}", (401, 403, 403, 200),
         lambda w: {"status": "disabled"}),
    Case("POST", "/users/import", lambda w: "/users/import", (401, 403, 403, 200)),
    Case("GET", "/audit", lambda w: "/audit", (401, 403, 403, 200)),
]


def auth_routes(app: Flask) -> set[tuple[str, str]]:
    return {(m, r.rule) for r in app.url_map.iter_rules() if r.endpoint.startswith("auth.")
            for m in (r.methods or set()) - {"HEAD", "OPTIONS"}}


@pytest.fixture
def world(app: Flask, make_user, signed_in, db_conn) -> tuple[World, dict[str, FlaskClient]]:
    user, other, admin = make_user(), make_user(), make_user(role="admin")
    clients = {"anonymous": app.test_client()}
    clients["anonymous"].set_cookie(CSRF_COOKIE, "a" * 32)  # so only the missing session can fail
    clients["user"], tokens = signed_in(app, user)
    clients["other"], _ = signed_in(app, other)
    clients["admin"], _ = signed_in(app, admin)
    note = notifications.create(db_conn, user["id"], "system:alert", "hello")
    return World(user, other, admin, tokens["session_id"], str(note["id"])), clients


def test_the_matrix_covers_every_auth_route(app: Flask) -> None:
    assert {(c.method, c.rule) for c in CASES} == auth_routes(app)


@pytest.mark.usefixtures("linked")
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.rule}")
def test_authorization_matrix(world, plextv, case: Case, principal: str) -> None:
    state, clients = world
    client = clients[principal]
    kwargs: dict[str, Any] = {"headers": csrf_headers(client)}
    if case.body is not None:
        kwargs["json"] = case.body(state)
    response = client.open(case.path(state), method=case.method, **kwargs)
    expected = case.expected[PRINCIPALS.index(principal)]
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected == 401 and case.rule not in ("/login", "/refresh"):
        assert response.get_json()["error"]["code"] == "unauthenticated"
    if expected == 403:
        assert response.get_json()["error"]["code"] == "forbidden"


def test_nobody_else_reads_or_marks_a_users_notifications(world) -> None:
    state, clients = world
    for name in ("other", "admin"):
        client = clients[name]
        assert client.get("/notifications").get_json() == {"items": [], "unread": 0}
        marked = client.post("/notifications/read", json={"ids": [state.notification]}, headers=csrf_headers(client))
        assert marked.get_json()["updated"] == 0
    assert clients["user"].get("/notifications").get_json()["unread"] == 1


def test_every_route_outside_the_public_list_needs_a_session(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie(CSRF_COOKIE, "a" * 32)
    for rule in app.url_map.iter_rules():
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            if (method, rule.rule) in PUBLIC:
                continue
            path = (rule.rule.replace("<int:pin_id>", "1").replace("<session_id>", "0" * 32)
                    .replace("<uuid:user_id>", "00000000-0000-0000-0000-000000000000"))
            response = client.open(path, method=method, headers={"X-CSRF-Token": "a" * 32}, json={})
            assert response.status_code == 401, (method, rule.rule)


STATE_CHANGING = [c for c in CASES if c.method not in SAFE_METHODS and (c.method, c.rule) not in CSRF_EXEMPT]


def test_csrf_list_covers_every_state_changing_route(app: Flask) -> None:
    changing = {(m, r) for m, r in auth_routes(app) if m not in SAFE_METHODS} - CSRF_EXEMPT
    assert {(c.method, c.rule) for c in STATE_CHANGING} == changing


@pytest.mark.usefixtures("linked")
@pytest.mark.parametrize("token", [None, "wrong-token-value"], ids=["missing", "wrong"])
@pytest.mark.parametrize("case", STATE_CHANGING, ids=lambda c: f"{c.method} {c.rule}")
def test_csrf_is_enforced_on_every_state_changing_route(world, plextv, case: Case, token: str | None) -> None:
    state, clients = world
    # the admin owns nothing here, so aim the session route at the admin's own client for a real target
    client = clients["user"] if case.rule == "/sessions/<session_id>" else clients["admin"]
    headers = {"X-CSRF-Token": token} if token else {}
    kwargs: dict[str, Any] = {"headers": headers}
    if case.body is not None:
        kwargs["json"] = case.body(state)
    response = client.open(case.path(state), method=case.method, **kwargs)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    # nothing happened: every session is alive and the user is still active
    assert clients["admin"].get("/me").status_code == 200
    assert clients["user"].get("/me").get_json()["status"] == "active"
    assert clients["user"].get("/notifications").get_json()["unread"] == 1
