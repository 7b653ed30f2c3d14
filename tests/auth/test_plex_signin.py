"""Sign-in with Plex: who gets in (and as what), who does not, and what is stored."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import psycopg
import pytest
import redis
from flask import Flask

from medianest.config import Settings
from medianest.crypto import Sealer
from medianest.sessions import ACCESS_COOKIE, REFRESH_COOKIE
from medianest.store.sealed import USER_PLEX_TOKEN, USER_SERVER_TOKEN
from tests.auth.conftest import PREFIX, plex_sign_in
from tests.auth.plextv_fake import OTHER_MACHINE_ID, FakePlexTv

pytestmark = pytest.mark.usefixtures("linked")


def user_rows(db_conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    return db_conn.execute("SELECT * FROM users WHERE plex_id IS NOT NULL ORDER BY plex_id").fetchall()


def test_pin_creation_answers_what_the_browser_needs(client, plextv: FakePlexTv) -> None:
    response = client.post("/plex/pin")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"pin_id", "code", "auth_url", "expires_at"}
    assert len(body["code"]) == 25  # a strong PIN, for the auth-app flow
    url = urlsplit(body["auth_url"])
    assert url.fragment.startswith("?")
    params = dict(parse_qsl(url.fragment[1:]))
    assert params["code"] == body["code"]
    assert params["context[device][product]"] == "MediaNest"
    assert params["clientID"] == plextv.pins[body["pin_id"]]["clientIdentifier"]
    assert "context%5Bdevice%5D%5Bproduct%5D=MediaNest" in body["auth_url"]
    assert body["expires_at"].endswith("Z")


def test_the_owner_signs_in_as_admin_with_tokens_sealed(client, plextv: FakePlexTv, db_conn, settings: Settings,
                                                        redis_client: redis.Redis) -> None:
    response = plex_sign_in(client, plextv, "owner")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "authorized"
    assert body["user"]["role"] == "admin"
    assert body["user"]["username"] == "nestowner"
    assert client.get_cookie(ACCESS_COOKIE) is not None
    assert client.get_cookie(REFRESH_COOKIE, path=PREFIX) is not None
    me = client.get("/me")
    assert me.status_code == 200
    assert me.get_json()["role"] == "admin"
    [row] = user_rows(db_conn)
    owner = plextv.accounts["owner"]
    assert row["plex_id"] == owner.id
    assert row["role"] == "admin"
    assert row["last_login_at"] is not None
    sealer = Sealer(settings.encryption_keys)
    assert owner.token not in row["plex_token_sealed"]
    assert sealer.open(row["plex_token_sealed"], USER_PLEX_TOKEN.aad(row["id"])) == owner.token
    assert sealer.open(row["server_token_sealed"], USER_SERVER_TOKEN.aad(row["id"])) == owner.server_token


def test_a_friend_with_access_signs_in_as_user_with_their_server_token(client, plextv: FakePlexTv, db_conn,
                                                                        settings: Settings) -> None:
    response = plex_sign_in(client, plextv, "alice")
    assert response.status_code == 200
    assert response.get_json()["user"]["role"] == "user"
    [row] = user_rows(db_conn)
    alice = plextv.accounts["alice"]
    sealer = Sealer(settings.encryption_keys)
    # The server access token from the resource entry, not the plex.tv token, is what reaches our server.
    assert sealer.open(row["server_token_sealed"], USER_SERVER_TOKEN.aad(row["id"])) == alice.server_token
    assert sealer.open(row["plex_token_sealed"], USER_PLEX_TOKEN.aad(row["id"])) == alice.token


@pytest.mark.parametrize("account", ["mallory", "carol"])
def test_no_access_to_our_server_is_403_and_nothing_is_stored(client, plextv: FakePlexTv, db_conn,
                                                              redis_client: redis.Redis, account: str) -> None:
    # mallory reaches no server; carol reaches another server (a client taking "the first server" fails here)
    response = plex_sign_in(client, plextv, account)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "no_server_access"
    assert user_rows(db_conn) == []
    assert client.get_cookie(ACCESS_COOKIE) is None
    assert not list(redis_client.scan_iter("mn:sess:*"))


def test_only_the_linked_server_counts(client, plextv: FakePlexTv, link_server, db_conn) -> None:
    link_server(OTHER_MACHINE_ID)
    assert plex_sign_in(client, plextv, "alice").status_code == 403
    assert plex_sign_in(client, plextv, "carol").status_code == 200  # carol's server is the linked one now


def test_waiting_then_authorized(client, plextv: FakePlexTv) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    for _ in range(2):
        waiting = client.get(f"/plex/pin/{pin_id}")
        assert waiting.status_code == 200
        assert waiting.get_json() == {"status": "waiting", "user": None}
        assert client.get_cookie(ACCESS_COOKIE) is None
    plextv.approve(pin_id, "alice")
    assert client.get(f"/plex/pin/{pin_id}").get_json()["status"] == "authorized"


def test_an_expired_pin_is_410(client, plextv: FakePlexTv) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    plextv.expire(pin_id)
    response = client.get(f"/plex/pin/{pin_id}")
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "expired"


def test_a_pin_past_its_expiry_is_410_without_asking_plextv(client, plextv: FakePlexTv,
                                                            redis_client: redis.Redis) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    redis_client.hset(f"mn:plexpin:{pin_id}", "expires_at", 1)
    plextv.approve(pin_id, "alice")
    assert client.get(f"/plex/pin/{pin_id}").status_code == 410
    assert client.get_cookie(ACCESS_COOKIE) is None


def test_a_pin_gives_one_session_only(client, plextv: FakePlexTv, redis_client: redis.Redis) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    plextv.approve(pin_id, "alice")
    assert client.get(f"/plex/pin/{pin_id}").status_code == 200
    again = client.get(f"/plex/pin/{pin_id}")
    assert again.status_code == 410
    assert len(list(redis_client.scan_iter("mn:sess:*"))) == 1


def test_another_browser_cannot_poll_someone_elses_pin(app: Flask, client, plextv: FakePlexTv) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    plextv.approve(pin_id, "owner")
    attacker = app.test_client()
    stolen = attacker.get(f"/plex/pin/{pin_id}")
    assert stolen.status_code == 404
    assert attacker.get_cookie(ACCESS_COOKIE) is None
    assert client.get(f"/plex/pin/{pin_id}").get_json()["status"] == "authorized"


def test_concurrent_polls_of_one_pin_make_one_session(app: Flask, client, plextv: FakePlexTv,
                                                      redis_client: redis.Redis, db_conn) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    binder = client.get_cookie("mn_pin", path=f"{PREFIX}/plex")
    plextv.approve(pin_id, "alice")
    workers = 8
    barrier = threading.Barrier(workers)
    statuses: list[int] = []

    def poll() -> None:
        browser = app.test_client()
        browser.set_cookie("mn_pin", binder.value, path=f"{PREFIX}/plex")
        barrier.wait()
        statuses.append(browser.get(f"/plex/pin/{pin_id}").status_code)

    threads = [threading.Thread(target=poll) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [410] * (workers - 1)
    assert len(list(redis_client.scan_iter("mn:sess:*"))) == 1
    assert len(user_rows(db_conn)) == 1


def test_a_second_sign_in_updates_the_same_account(client, app: Flask, plextv: FakePlexTv, db_conn) -> None:
    assert plex_sign_in(client, plextv, "alice").status_code == 200
    [first] = user_rows(db_conn)
    db_conn.execute("UPDATE users SET role = 'admin', username = 'old name' WHERE id = %s", (first["id"],))
    assert plex_sign_in(app.test_client(), plextv, "alice").status_code == 200
    [second] = user_rows(db_conn)
    assert second["id"] == first["id"]
    assert second["username"] == "alice"  # profile refreshed from plex.tv
    assert second["role"] == "admin"  # a role an admin gave is kept
    assert second["last_login_at"] > first["last_login_at"]


def test_a_disabled_account_is_refused_and_left_untouched(client, plextv: FakePlexTv, db_conn,
                                                          redis_client: redis.Redis) -> None:
    alice = plextv.accounts["alice"]
    db_conn.execute("INSERT INTO users (plex_id, username, status) VALUES (%s, 'alice', 'disabled')", (alice.id,))
    response = plex_sign_in(client, plextv, "alice")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_disabled"
    [row] = user_rows(db_conn)
    assert row["plex_token_sealed"] is None
    assert row["last_login_at"] is None
    assert not list(redis_client.scan_iter("mn:sess:*"))


def test_before_a_server_is_linked_plex_sign_in_is_409(client, plextv: FakePlexTv, db_conn) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    db_conn.execute("DELETE FROM service_config")
    for response in (client.post("/plex/pin"), client.get(f"/plex/pin/{pin_id}")):
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "server_not_linked"


def test_plextv_down_is_503_with_a_clear_message(client, plextv: FakePlexTv) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    plextv.down = True
    for response in (client.post("/plex/pin"), client.get(f"/plex/pin/{pin_id}")):
        assert response.status_code == 503
        error = response.get_json()["error"]
        assert error["code"] == "service_unavailable"
        assert "plex.tv" in error["message"]


def test_plextv_failing_after_approval_leaves_the_pin_usable(client, plextv: FakePlexTv) -> None:
    pin_id = client.post("/plex/pin").get_json()["pin_id"]
    plextv.approve(pin_id, "alice")
    plextv.failing.add("resources")  # plex.tv falls over between the PIN poll and the resources call
    assert client.get(f"/plex/pin/{pin_id}").status_code == 503
    plextv.failing.clear()
    assert client.get(f"/plex/pin/{pin_id}").get_json()["status"] == "authorized"


def test_pin_creation_is_limited_per_ip(client, plextv: FakePlexTv) -> None:
    for _ in range(10):
        assert client.post("/plex/pin").status_code == 201
    limited = client.post("/plex/pin")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert len(plextv.pins) == 10  # the refused attempt never reached plex.tv
