"""The setup probe and the local admin's sign-in: cookies, equal failures, the per-IP limit."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
from flask import Flask

from functions.auth.app import create_app
from medianest.bootstrap import ensure_admin
from medianest.config import Settings
from medianest.sessions import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE
from tests.auth.conftest import PREFIX
from tests.conftest import make_settings

PASSWORD = "admin-password-for-tests"  # MEDIANEST_ADMIN_PASSWORD in tests/conftest.py


@pytest.fixture
def admin(settings: Settings) -> None:
    ensure_admin(settings)


def set_cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_setup_reports_what_is_missing_and_sets_a_csrf_cookie(client, link_server) -> None:
    first = client.get("/setup")
    assert first.get_json() == {"needs_setup": True, "admin_exists": False, "plex_linked": False}
    csrf = client.get_cookie(CSRF_COOKIE)
    assert csrf is not None
    assert len(csrf.value) >= 20
    assert "HttpOnly" not in set_cookie_headers(first)[CSRF_COOKIE]  # the page must be able to read it
    again = client.get("/setup")
    assert CSRF_COOKIE not in set_cookie_headers(again)  # an existing one is kept
    assert client.get_cookie(CSRF_COOKIE).value == csrf.value


def test_setup_is_done_once_an_admin_exists_and_plex_is_linked(client, settings: Settings, link_server) -> None:
    ensure_admin(settings)
    assert client.get("/setup").get_json()["needs_setup"] is True
    link_server()
    assert client.get("/setup").get_json() == {"needs_setup": False, "admin_exists": True, "plex_linked": True}


@pytest.mark.usefixtures("admin")
def test_login_sets_hardened_cookies(client, settings: Settings, db_conn) -> None:
    response = client.post("/login", json={"username": "ADMIN", "password": PASSWORD})
    assert response.status_code == 200
    user = response.get_json()["user"]
    assert user["role"] == "admin"
    assert user["is_local"] is True
    assert user["last_login_at"]
    cookies = set_cookie_headers(response)
    assert "HttpOnly" in cookies[ACCESS_COOKIE]
    assert "SameSite=Lax" in cookies[ACCESS_COOKIE]
    assert "Path=/;" in cookies[ACCESS_COOKIE] or cookies[ACCESS_COOKIE].endswith("Path=/")
    assert "HttpOnly" in cookies[REFRESH_COOKIE]
    assert f"Path={PREFIX}" in cookies[REFRESH_COOKIE]
    assert "HttpOnly" not in cookies[CSRF_COOKIE]
    assert all("Domain" not in c and "Secure" not in c for c in cookies.values())  # http public URL
    assert client.get("/me").get_json()["username"] == "admin"


def test_cookies_are_secure_when_the_portal_is_https(database_url: str, redis_url: str, media_root: Path) -> None:
    settings = make_settings(database_url, redis_url, media_root, MEDIANEST_PUBLIC_URL="https://media.example.org")
    ensure_admin(settings)
    app = create_app(settings)
    app.config["APPLICATION_ROOT"] = PREFIX
    response = app.test_client().post("/login", json={"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    cookies = set_cookie_headers(response)
    assert all("Secure" in cookies[name] for name in (ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE))


@pytest.mark.usefixtures("admin")
def test_unknown_user_and_wrong_password_look_the_same(client) -> None:
    def attempt(username: str) -> tuple[int, dict, float]:
        started = time.perf_counter()
        response = client.post("/login", json={"username": username, "password": "wrong-password"})
        elapsed = time.perf_counter() - started
        error = response.get_json()["error"]
        error.pop("request_id")
        return response.status_code, error, elapsed

    wrong_password = [attempt("admin") for _ in range(3)]
    unknown_user = [attempt("nobody-here") for _ in range(3)]
    assert {(s, e["code"], e["message"]) for s, e, _ in wrong_password + unknown_user} == {
        (401, "invalid_credentials", "The username or password is not right.")}
    # An unknown name still pays for a full password check (argon2), not a quick lookup miss.
    slow = statistics.median(t for *_, t in wrong_password)
    fast = statistics.median(t for *_, t in unknown_user)
    assert fast > slow / 3


@pytest.mark.usefixtures("admin")
def test_login_is_limited_per_ip_with_retry_after(client, app: Flask) -> None:
    for _ in range(10):
        assert client.post("/login", json={"username": "admin", "password": "nope"}).status_code == 401
    limited = client.post("/login", json={"username": "admin", "password": PASSWORD})
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    # another address has its own budget
    other = app.test_client().post("/login", json={"username": "admin", "password": PASSWORD},
                                   environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_a_disabled_local_admin_cannot_sign_in(client, settings: Settings, db_conn, make_user) -> None:
    ensure_admin(settings)
    make_user(role="admin")  # someone else stays in charge
    db_conn.execute("UPDATE users SET status = 'disabled' WHERE plex_id IS NULL")
    response = client.post("/login", json={"username": "admin", "password": PASSWORD})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_disabled"
    assert client.get_cookie(ACCESS_COOKIE) is None


@pytest.mark.parametrize("body", [{}, {"username": "admin"}, {"username": "", "password": "x"},
                                  {"username": "admin", "password": "x", "role": "admin"}])
def test_malformed_login_is_422(client, body: dict) -> None:
    response = client.post("/login", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"
