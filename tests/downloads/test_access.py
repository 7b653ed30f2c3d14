"""Who may call what: every downloads route x {anonymous, user, other user, admin}, and isolation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fakes.youtube import DEMO_PLAYLIST
from medianest.sessions import CSRF_COOKIE
from medianest.store import downloads
from tests.access import Case

PRINCIPALS = ("anonymous", "user", "other", "admin")


@dataclass
class World:
    download: str  # the user's, finished (failed) so every action applies
    playlist_url: str


CASES = [
    Case("POST", "/preview", lambda w: "/preview", (401, 200, 200, 200), lambda w: {"url": w.playlist_url}),
    Case("POST", "/", lambda w: "/", (401, 202, 202, 202), lambda w: {"url": w.playlist_url, "quality": "480p"}),
    Case("GET", "/", lambda w: "/", (401, 200, 200, 200)),
    Case("GET", "/queue", lambda w: "/queue", (401, 403, 403, 200)),
    Case("GET", "/<uuid:download_id>", lambda w: f"/{w.download}", (401, 200, 404, 200)),
    Case("POST", "/<uuid:download_id>/cancel", lambda w: f"/{w.download}/cancel", (401, 409, 404, 409)),
    Case("POST", "/<uuid:download_id>/retry", lambda w: f"/{w.download}/retry", (401, 202, 404, 202)),
    Case("DELETE", "/<uuid:download_id>", lambda w: f"/{w.download}", (401, 200, 404, 200)),
    Case("GET", "/healthz", lambda w: "/healthz", (200, 200, 200, 200)),
    Case("GET", "/_/health", lambda w: "/_/health", (200, 200, 200, 200)),
    Case("GET", "/readyz", lambda w: "/readyz", (200, 200, 200, 200)),
    Case("GET", "/_/ready", lambda w: "/_/ready", (200, 200, 200, 200)),
    Case("GET", "/openapi.json", lambda w: "/openapi.json", (200, 200, 200, 200)),
    Case("GET", "/metrics", lambda w: "/metrics", (401, 403, 403, 200)),
]


def routes(app: Flask) -> set[tuple[str, str]]:
    return {(m, r.rule) for r in app.url_map.iter_rules() if r.endpoint != "static"
            for m in (r.methods or set()) - {"HEAD", "OPTIONS"}}


def make_download(db_conn, owner: dict[str, Any], status: str = "failed") -> str:
    download_id = uuid.uuid4()
    downloads.create(db_conn, download_id=download_id, user_id=owner["id"], url="https://youtu.be/x", quality="best",
                     title="Someone's video", kind="video", collection=None, folder="/nonexistent/x", items_total=1,
                     job_id=f"download-{download_id}-0")
    db_conn.execute("UPDATE youtube_downloads SET status = %s WHERE id = %s", (status, download_id))
    return str(download_id)


@pytest.fixture
def world(app: Flask, user, other, admin, youtube, db_conn) -> tuple[World, dict[str, FlaskClient]]:
    anonymous = app.test_client()
    anonymous.set_cookie(CSRF_COOKIE, "a" * 32)  # so only the missing session can fail
    anonymous.environ_base["HTTP_X_CSRF_TOKEN"] = "a" * 32
    clients = {"anonymous": anonymous, "user": user, "other": other, "admin": admin}
    return World(make_download(db_conn, user.user), youtube().playlist_url(DEMO_PLAYLIST)), clients


def test_the_matrix_covers_every_route(app: Flask) -> None:
    assert {(c.method, c.rule) for c in CASES} == routes(app)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.rule}")
def test_authorization_matrix(world, case: Case, principal: str) -> None:
    state, clients = world
    kwargs: dict[str, Any] = {} if case.body is None else {"json": case.body(state)}
    response = clients[principal].open(case.path(state), method=case.method, **kwargs)
    expected = case.expected[PRINCIPALS.index(principal)]
    assert response.status_code == expected, response.get_data(as_text=True)
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(expected)
    if code and case.rule != "/metrics":
        assert response.get_json()["error"]["code"] == code


def test_every_view_is_validated_and_documented(app: Flask) -> None:
    spec = app.test_client().get("/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("downloads."):
            assert hasattr(app.view_functions[rule.endpoint], "_mn_openapi"), rule.rule
    assert "/{download_id}/cancel" in spec["paths"]


def test_lists_show_only_your_own_unless_an_admin_asks_for_all(user, other, admin, db_conn) -> None:
    mine, theirs = make_download(db_conn, user.user), make_download(db_conn, other.user)
    assert [d["id"] for d in user.get("/").get_json()["items"]] == [mine]
    assert [d["id"] for d in other.get("/").get_json()["items"]] == [theirs]
    assert user.get("/?all=1").status_code == 403
    assert admin.get("/").get_json() == {"items": [], "total": 0}
    everyone = admin.get("/?all=1").get_json()
    assert {d["id"] for d in everyone["items"]} == {mine, theirs}
    assert {d["username"] for d in everyone["items"]} == {"alice", "bob"}
    assert user.get("/?status=failed&limit=1&offset=0").get_json()["total"] == 1
    assert user.get("/?status=completed").get_json()["total"] == 0
    assert user.get("/?status=bogus").status_code == 422


def test_another_users_download_is_not_found_whatever_the_action(user, other, db_conn) -> None:
    theirs = make_download(db_conn, other.user, status="downloading")
    for method, path in (("GET", ""), ("POST", "/cancel"), ("POST", "/retry"), ("DELETE", "")):
        response = user.open(f"/{theirs}{path}", method=method)
        assert response.status_code == 404, (method, path)
    assert other.get(f"/{theirs}").get_json()["status"] == "downloading"
    assert user.get(f"/{uuid.uuid4()}").status_code == 404
    assert user.get("/not-a-uuid").status_code == 404


def test_state_changes_need_the_csrf_header(user, db_conn) -> None:
    mine = make_download(db_conn, user.user)
    response = user.post(f"/{mine}/retry", headers={"X-CSRF-Token": "wrong"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_the_admin_queue_view(admin, youtube) -> None:
    fake = youtube()
    assert admin.post("/", json={"url": fake.watch_url("nestdemo001")}).status_code == 202
    body = admin.get("/queue").get_json()
    assert (body["queue"], body["depth"], body["running"], body["workers_alive"]) == \
        ("medianest-downloads", 1, [], 0)
    assert body["downloads"] == {"queued": 1}
