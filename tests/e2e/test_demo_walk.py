"""A scripted walk through the API of the portal `make demo` runs: sign in as a friend, browse, request,
download; a stranger is refused. Every response, every log line and every socket message of the walk is then
searched for the secrets in use: none may appear (the admin's webhook-URL route is the one exception)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
import websocket

from tests.e2e.stack import ADMIN_PASSWORD, Stack


class RecordingSession(requests.Session):
    """A browser stand-in: keeps cookies, sends the CSRF header, and records every answer."""

    def __init__(self, base: str, seen: list[str]) -> None:
        super().__init__()
        self.base = base
        self.seen = seen

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if method != "GET" and self.cookies.get("mn_csrf"):
            headers["X-CSRF-Token"] = self.cookies.get("mn_csrf")
        response = self.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
        self.seen.append(f"{method} {path} {response.status_code}\n{dict(response.headers)}\n{response.text}")
        return response


def wait_for(check: Any, timeout: float = 60.0, every: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "the walk did not reach the expected state in time"
        time.sleep(every)


def plex_sign_in(portal: Stack, seen: list[str], account: str) -> tuple[RecordingSession, requests.Response]:
    session = RecordingSession(portal.url, seen)
    session.call("GET", "/api/v1/auth/setup")
    pin = session.call("POST", "/api/v1/auth/plex/pin").json()
    assert session.call("GET", f"/api/v1/auth/plex/pin/{pin['pin_id']}").json()["status"] == "waiting"
    requests.post(f"{portal.fakes['plextv']['url']}/__control/pins/{pin['pin_id']}/approve",
                  json={"account": account}, timeout=5).raise_for_status()
    return session, session.call("GET", f"/api/v1/auth/plex/pin/{pin['pin_id']}")


@pytest.fixture(scope="module")
def walk(portal: Stack) -> dict[str, Any]:
    """Run the whole walk once; the tests below check what it saw."""
    seen: list[str] = []
    results: dict[str, Any] = {"seen": seen}
    admin = RecordingSession(portal.url, [])  # the webhook-URL route shows secrets by design: not recorded
    admin.call("POST", "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    for user in admin.call("GET", "/api/v1/auth/users").json()["items"]:
        if user["status"] != "active":  # another test of this portal may have disabled a friend
            admin.call("PATCH", f"/api/v1/auth/users/{user['id']}", json={"status": "active"})

    _, refused = plex_sign_in(portal, seen, "mallory")
    results["stranger"] = refused

    alice, signed_in = plex_sign_in(portal, seen, "alice")
    assert signed_in.status_code == 200, signed_in.text
    results["alice_me"] = alice.call("GET", "/api/v1/auth/me").json()
    token = alice.cookies.get("mn_access")
    socket = websocket.create_connection(portal.url.replace("http", "ws") + "/ws",
                                         header=[f"Cookie: mn_access={token}"], origin=portal.url, timeout=10)
    socket.send(json.dumps({"type": "subscribe", "topic": "downloads"}))

    results["libraries"] = alice.call("GET", "/api/v1/media/libraries").json()
    movies = next(lib for lib in results["libraries"] if lib["type"] == "movie")
    results["items"] = alice.call("GET", f"/api/v1/media/libraries/{movies['id']}/items?limit=5").json()
    results["recent"] = alice.call("GET", "/api/v1/media/recent?limit=5").json()
    poster = results["items"]["items"][0]["thumb_url"]
    results["poster"] = alice.call("GET", poster)
    results["status"] = wait_for(lambda: [s for s in alice.call("GET", "/api/v1/status/").json()
                                          if s["name"] == "plex" and s["status"] == "up"])

    hits = alice.call("GET", "/api/v1/media/discover?q=the").json()["results"]
    wanted = next(h for h in hits if h["media_type"] == "movie" and h["status"] == "unknown")
    created = alice.call("POST", "/api/v1/media/requests", json={"media_type": "movie", "tmdb_id": wanted["tmdb_id"]})
    assert created.status_code == 201, created.text
    request_id, overseerr_id = created.json()["id"], created.json()["overseerr_id"]
    requests.post(f"{portal.fakes['overseerr']['url']}/__control/requests/{overseerr_id}/available", json={},
                  timeout=5).raise_for_status()
    results["request"] = wait_for(lambda: (r := alice.call("GET", f"/api/v1/media/requests/{request_id}").json())
                                  ["status"] == "available" and r)

    playlist = portal.fakes["youtube"]["demo_playlist"]
    results["preview"] = alice.call("POST", "/api/v1/downloads/preview", json={"url": playlist}).json()
    submitted = alice.call("POST", "/api/v1/downloads/", json={"url": playlist, "quality": "480p"})
    assert submitted.status_code == 202, submitted.text
    download_id = submitted.json()["id"]
    results["download"] = wait_for(
        lambda: (d := alice.call("GET", f"/api/v1/downloads/{download_id}").json())["status"] in
        ("completed", "failed") and d, timeout=180, every=1)
    messages = []
    socket.settimeout(0.5)
    try:
        while True:
            messages.append(socket.recv())
    except (websocket.WebSocketTimeoutException, websocket.WebSocketConnectionClosedException):
        pass
    socket.close()
    results["socket_messages"] = messages
    seen.extend(messages)

    bob, _ = plex_sign_in(portal, seen, "bob")
    results["bob_requests"] = bob.call("GET", "/api/v1/media/requests").json()
    results["bob_download"] = bob.call("GET", f"/api/v1/downloads/{download_id}")
    results["bob_request"] = bob.call("GET", f"/api/v1/media/requests/{request_id}")

    results["webhook_urls"] = admin.call("GET", "/api/v1/status/webhooks").json()
    return results


def test_a_stranger_is_refused(walk) -> None:
    assert walk["stranger"].status_code == 403
    assert walk["stranger"].json()["error"]["code"] == "no_server_access"


def test_a_friend_signs_in_and_browses(walk) -> None:
    assert walk["alice_me"]["username"] == "alice"
    assert walk["alice_me"]["role"] == "user"
    assert {lib["type"] for lib in walk["libraries"]} >= {"movie", "show"}
    assert walk["items"]["total"] > 0
    assert walk["recent"]["items"]
    assert walk["poster"].status_code == 200
    assert walk["poster"].headers["Content-Type"].startswith("image/")


def test_a_request_becomes_available_through_the_webhook(walk) -> None:
    history = [h["status"] for h in walk["request"]["history"]]
    assert history[-1] == "available"
    assert walk["request"]["status"] == "available"


def test_a_playlist_downloads_into_plex_with_live_progress(walk) -> None:
    download = walk["download"]
    assert download["status"] == "completed", download.get("error")
    assert download["progress"]["items_done"] == download["progress"]["items_total"] == walk["preview"]["count"]
    assert len(download["files"]) == walk["preview"]["count"]
    progress = [json.loads(m) for m in walk["socket_messages"]]
    assert any(m["type"] == "download:progress" for m in progress)


def test_other_users_see_none_of_it(walk) -> None:
    assert walk["bob_requests"]["items"] == []
    assert walk["bob_download"].status_code == 404
    assert walk["bob_request"].status_code == 404


def test_no_secret_appears_in_any_response_log_line_or_socket_message(walk, portal: Stack) -> None:
    accounts = portal.fakes["plextv"]["accounts"].values()
    secrets_in_use = {a["token"] for a in accounts} | {a["server_token"] for a in accounts if a["server_token"]}
    secrets_in_use.add(portal.fakes["overseerr"]["api_key"])
    env = dict(line.split("=", 1) for line in (portal.state / "demo" / "secrets.env").read_text().splitlines()
               if line and not line.startswith("#"))
    secrets_in_use.add(env["MEDIANEST_SECRET_KEY"])
    secrets_in_use |= {item.split(":", 1)[1] for item in env["MEDIANEST_ENCRYPTION_KEYS"].split(",")}
    secrets_in_use.add(walk["webhook_urls"]["overseerr_authorization"])
    secrets_in_use.add(walk["webhook_urls"]["plex_url"].rsplit("/", 1)[1])
    haystacks = {"responses": "\n".join(walk["seen"]), "logs": portal.log()}
    assert len(haystacks["logs"]) > 1000  # the processes really logged the walk
    for where, text in haystacks.items():
        leaked = sorted(s for s in secrets_in_use if s and s in text)
        assert leaked == [], f"secrets found in {where}"
