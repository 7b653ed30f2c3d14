"""Refresh rotation and reuse detection, logout, and one's own session list."""

from __future__ import annotations

from flask import Flask

from medianest.sessions import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE
from tests.auth.conftest import PREFIX, csrf_headers


def refresh_cookie(client) -> str | None:
    cookie = client.get_cookie(REFRESH_COOKIE, path=PREFIX)
    return cookie.value if cookie else None


def test_refresh_rotates_both_cookies(app: Flask, make_user, signed_in) -> None:
    user = make_user()
    client, tokens = signed_in(app, user)
    response = client.post("/refresh", headers=csrf_headers(client))
    assert response.status_code == 200
    assert response.get_json()["user"]["id"] == str(user["id"])
    assert refresh_cookie(client) not in (None, tokens["refresh"])
    assert client.get_cookie(ACCESS_COOKIE) is not None  # re-issued (same claims within one second)
    assert client.get_cookie(CSRF_COOKIE).value != tokens["csrf"]
    assert client.get("/me").status_code == 200
    # the rotated token works once more
    assert client.post("/refresh", headers=csrf_headers(client)).status_code == 200


def test_a_reused_refresh_token_revokes_the_whole_session(app: Flask, make_user, signed_in) -> None:
    client, tokens = signed_in(app, make_user())
    assert client.post("/refresh", headers=csrf_headers(client)).status_code == 200
    thief = app.test_client()
    thief.set_cookie(REFRESH_COOKIE, tokens["refresh"], path=PREFIX)
    thief.set_cookie(CSRF_COOKIE, "t" * 30)
    reused = thief.post("/refresh", headers={"X-CSRF-Token": "t" * 30})
    assert reused.status_code == 401
    assert reused.get_json()["error"]["code"] == "session_reused"
    # the legitimate browser's newer tokens died with the family
    assert client.get("/me").status_code == 401
    assert client.post("/refresh", headers=csrf_headers(client)).status_code == 401


def test_refresh_without_a_cookie_is_401_and_clears_cookies(client) -> None:
    client.set_cookie(CSRF_COOKIE, "c" * 30)
    response = client.post("/refresh", headers={"X-CSRF-Token": "c" * 30})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert client.get_cookie(CSRF_COOKIE) is None


def test_refresh_needs_the_csrf_header(app: Flask, make_user, signed_in) -> None:
    client, tokens = signed_in(app, make_user())
    response = client.post("/refresh")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert refresh_cookie(client) == tokens["refresh"]


def test_refresh_of_a_disabled_account_fails(app: Flask, make_user, signed_in, db_conn) -> None:
    user = make_user()
    client, _ = signed_in(app, user)
    db_conn.execute("UPDATE users SET status = 'disabled' WHERE id = %s", (user["id"],))
    assert client.post("/refresh", headers=csrf_headers(client)).status_code == 401


def test_logout_ends_the_session_and_clears_cookies(app: Flask, make_user, signed_in) -> None:
    client, tokens = signed_in(app, make_user())
    response = client.post("/logout", headers=csrf_headers(client))
    assert response.status_code == 204
    assert client.get_cookie(ACCESS_COOKIE) is None
    assert refresh_cookie(client) is None
    replay = app.test_client()
    replay.set_cookie(ACCESS_COOKIE, tokens["access"])
    assert replay.get("/me").status_code == 401  # the old access token is dead at once, not in 15 min


def test_me_describes_the_account(app: Flask, make_user, signed_in) -> None:
    user = make_user(username="zoe")
    client, _ = signed_in(app, user)
    body = client.get("/me").get_json()
    assert {"id", "username", "email", "role", "thumb_url", "created_at", "last_login_at"} <= set(body)
    assert body["username"] == "zoe"
    assert body["role"] == "user"


def test_sessions_lists_and_revokes_only_ones_own(app: Flask, make_user, signed_in) -> None:
    user, other = make_user(), make_user()
    laptop, laptop_tokens = signed_in(app, user)
    phone, phone_tokens = signed_in(app, user)
    stranger, stranger_tokens = signed_in(app, other)
    listed = laptop.get("/sessions").get_json()["items"]
    assert {s["id"] for s in listed} == {laptop_tokens["session_id"], phone_tokens["session_id"]}
    assert [s["current"] for s in listed if s["id"] == laptop_tokens["session_id"]] == [True]
    assert {"device", "ip", "last_seen", "created_at"} <= set(listed[0])
    # someone else's session is "not found", and stays alive
    assert stranger.delete(f"/sessions/{phone_tokens['session_id']}",
                           headers=csrf_headers(stranger)).status_code == 404
    assert phone.get("/me").status_code == 200
    assert laptop.delete("/sessions/not-a-session-id", headers=csrf_headers(laptop)).status_code == 404
    # revoking another of one's own devices signs it out at once
    assert laptop.delete(f"/sessions/{phone_tokens['session_id']}", headers=csrf_headers(laptop)).status_code == 204
    assert phone.get("/me").status_code == 401
    assert laptop.get("/me").status_code == 200
    # revoking the current one also clears its cookies
    response = laptop.delete(f"/sessions/{laptop_tokens['session_id']}", headers=csrf_headers(laptop))
    assert response.status_code == 204
    assert laptop.get_cookie(ACCESS_COOKIE) is None
    assert stranger.get("/sessions").get_json()["items"][0]["id"] == stranger_tokens["session_id"]
